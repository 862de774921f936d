#pragma once
// Keeps the two OAuth flows apart: completeShopifyOAuth only completes a "link" state of the signed-in user,
// loginWithShopify only a "login" state. shopify::complete_oauth does every other check (HMAC, timestamp,
// single use, shop); this runs first so a state of the wrong flow is refused before anything is stored.
#include <optional>
#include <string>
#include <string_view>

namespace alatar::db {
class Pool;
}

namespace alatar::api {

enum class StatePurpose { kLink, kLogin };

// The purpose of the state named in the callback `query`, or nullopt when it has none or it is unknown.
std::optional<StatePurpose> state_purpose(db::Pool& pool, std::string_view query);

// Throws Error(BAD_USER_INPUT) when the callback's state was issued for the other flow or (link) another user.
// Blocking.
void check_state_purpose(db::Pool& pool, std::string_view query, StatePurpose expected,
                         const std::optional<std::string>& user);

}  // namespace alatar::api
