#pragma once
// Bearer sessions. A token is 256 random bits (base64url) handed to the client once; the database keeps only
// its SHA-256. A session ends at the first of: its absolute expiry (30 days), its idle expiry (7 days after the
// last use, pushed forward on use but never past the absolute one), or revocation (logout).
//
// The functions are blocking (run them on a db::Pool thread, e.g. inside db::transact).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"

namespace alatar::api {

struct SessionPolicy {
    std::chrono::seconds absolute{std::chrono::hours{24 * 30}};
    std::chrono::seconds idle{std::chrono::hours{24 * 7}};
    // last_seen_at/idle expiry are written at most this often per session (reads stay read-only).
    std::chrono::seconds touch_interval{60};
};

struct Principal {
    std::string user_id;
    std::string session_id;
};

struct IssuedSession {
    std::string token;  // give to the client; never stored or logged
    std::string session_id;
    SystemTime expires_at;
};

// The stored form of a token (hex SHA-256).
std::string session_token_hash(std::string_view token);

IssuedSession create_session(db::Transaction& tx, std::string_view user_id, const SessionPolicy& policy,
                             const std::optional<std::string>& user_agent = std::nullopt);

// The live session whose token hashes to `token_hash`, touching its idle expiry; nullopt when unknown,
// expired or revoked.
std::optional<Principal> authenticate_session(db::Pool& pool, std::string_view token_hash, const SessionPolicy& policy,
                                              Deadline deadline);

// The statements of authenticate_session, for callers that run them through db::query (RequestContext).
// Lookup: $1 token hash, $2 touch interval in seconds -> id, user_id, stale (time to touch).
inline constexpr std::string_view kSessionLookupSql =
    "SELECT id::text, user_id::text, last_seen_at < now() - make_interval(secs => $2) AS stale FROM sessions "
    "WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND idle_expires_at > now()";
// Touch: $1 session id, $2 idle lifetime in seconds.
inline constexpr std::string_view kSessionTouchSql =
    "UPDATE sessions SET last_seen_at = now(), "
    "idle_expires_at = least(now() + make_interval(secs => $2), expires_at) WHERE id = $1";

// Revokes one session. True when it was live.
bool revoke_session(db::Transaction& tx, std::string_view session_id);

}  // namespace alatar::api
