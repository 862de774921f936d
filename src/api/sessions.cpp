#include "api/sessions.hpp"

#include <algorithm>

#include "common/crypto.hpp"

namespace alatar::api {

std::string session_token_hash(std::string_view token) { return crypto::sha256_hex(token); }

IssuedSession create_session(db::Transaction& tx, std::string_view user_id, const SessionPolicy& policy,
                             const std::optional<std::string>& user_agent) {
    IssuedSession out;
    out.token = crypto::random_token(32);
    const auto absolute = static_cast<double>(policy.absolute.count());
    const auto idle = static_cast<double>(std::min(policy.idle, policy.absolute).count());
    const auto r = tx.exec(
        "INSERT INTO sessions (token_hash, user_id, expires_at, idle_expires_at, user_agent) "
        "VALUES ($1, $2, now() + make_interval(secs => $3), now() + make_interval(secs => $4), $5) "
        "RETURNING id::text, expires_at",
        db::Params{session_token_hash(out.token), std::string(user_id), absolute, idle, user_agent});
    out.session_id = r.get<std::string>(0, 0);
    out.expires_at = r.get<db::Timestamp>(0, 1);
    return out;
}

std::optional<Principal> authenticate_session(db::Pool& pool, std::string_view token_hash, const SessionPolicy& policy,
                                              Deadline deadline) {
    const auto r = pool.query_blocking(
        kSessionLookupSql, db::Params{std::string(token_hash), static_cast<double>(policy.touch_interval.count())},
        deadline);
    if (r.empty()) return std::nullopt;
    Principal p{r.get<std::string>(0, 1), r.get<std::string>(0, 0)};  // user id, session id
    if (r.get<bool>(0, 2)) {
        pool.query_blocking(kSessionTouchSql, db::Params{p.session_id, static_cast<double>(policy.idle.count())},
                            deadline);
    }
    return p;
}

bool revoke_session(db::Transaction& tx, std::string_view session_id) {
    const auto r = tx.exec("UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
                           db::Params{std::string(session_id)});
    return r.affected_rows() > 0;
}

}  // namespace alatar::api
