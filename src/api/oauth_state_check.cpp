#include "api/oauth_state_check.hpp"

#include "common/crypto.hpp"
#include "common/error.hpp"
#include "db/pool.hpp"
#include "shopify/query_signature.hpp"

namespace alatar::api {

namespace {

struct StateOwner {
    StatePurpose purpose = StatePurpose::kLink;
    std::optional<std::string> user_id;
};

std::optional<StateOwner> state_owner(db::Pool& pool, std::string_view query) {
    const auto params = shopify::parse_query_string(query);
    bool found = false;
    const auto state = shopify::query_param(params, "state", &found);
    if (!found || state.empty()) return std::nullopt;
    const auto r = pool.query_blocking("SELECT purpose, user_id::text FROM oauth_states WHERE state_hash = $1",
                                       db::Params{crypto::sha256_hex(state)});
    if (r.empty()) return std::nullopt;
    return StateOwner{r.get<std::string>(0, 0) == "login" ? StatePurpose::kLogin : StatePurpose::kLink,
                      r.get<std::optional<std::string>>(0, 1)};
}

}  // namespace

std::optional<StatePurpose> state_purpose(db::Pool& pool, std::string_view query) {
    const auto owner = state_owner(pool, query);
    if (!owner) return std::nullopt;
    return owner->purpose;
}

void check_state_purpose(db::Pool& pool, std::string_view query, StatePurpose expected,
                         const std::optional<std::string>& user) {
    const auto owner = state_owner(pool, query);
    if (!owner) return;  // complete_oauth refuses a missing or unknown state with its own message
    if (owner->purpose != expected) {
        throw Error(ErrorCode::kBadUserInput,
                    expected == StatePurpose::kLink
                        ? "The OAuth state was issued for logging in, not for linking a store"
                        : "The OAuth state was issued for linking a store, not for logging in");
    }
    if (expected == StatePurpose::kLink && owner->user_id != user) {
        throw Error(ErrorCode::kBadUserInput, "The OAuth state belongs to another user");
    }
}

}  // namespace alatar::api
