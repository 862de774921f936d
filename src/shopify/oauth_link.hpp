#pragma once
// Linking a Shopify store by OAuth (reference §3.1-3.3), as the API's resolvers use it:
//   start_oauth    -> an authorize URL and a single-use state (stored hashed, bound to user and shop, 10 minutes);
//   complete_oauth -> the callback checked (HMAC, timestamp, state, shop), the code exchanged for an offline token,
//                     the token sealed with the Keyring and the store upserted with its name, currency and timezone.
// Every refusal is an Error with kBadUserInput and a message a user can act on; nothing is stored then.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.hpp"
#include "common/crypto.hpp"
#include "common/log.hpp"

namespace alatar::db {
class Pool;
class Transaction;
}  // namespace alatar::db

namespace alatar::shopify {

class HttpClient;

inline constexpr std::chrono::minutes kOAuthStateTtl{10};
inline constexpr std::chrono::seconds kCallbackClockTolerance{90};

struct OAuthStart {
    std::string authorization_url;
    std::string state;  // the plain value; only its SHA-256 is stored
};

// user_id set: linking a store to that user ("link"); unset: logging in with Shopify ("login").
// Throws Error kBadUserInput for an invalid shop domain.
OAuthStart start_oauth(db::Transaction& tx, const std::optional<std::string>& user_id, std::string_view shop,
                       const Config& config);

struct LinkedStore {
    std::string store_id;
    std::string user_id;
    std::string shop_domain;
    std::string name;
    std::string currency;
    std::string timezone;
    std::vector<std::string> scopes;
    bool created = false;  // false when an existing link was refreshed (re-linking replaces the token)
    bool login = false;    // the state was a "login with Shopify" state (user found or created by shop)
};

// `query_string` is the raw callback query (without '?'). `expected_user_id` is the signed-in user, when any:
// a state created for another user is refused. A "login" state signs in the user that owns the shop's Shopify
// identity, creating one on first use. Throws Error kBadUserInput on every refusal, kUpstreamUnavailable /
// kTimeout when Shopify cannot be reached.
LinkedStore complete_oauth(db::Pool& pool, std::string_view query_string,
                           const std::optional<std::string>& expected_user_id, const Config& config,
                           const crypto::Keyring& keyring, HttpClient& http, const Logger& log);

// Associated data binding a sealed token to its shop (a ciphertext cannot be moved to another store's row).
std::string token_associated_data(std::string_view shop_domain);

}  // namespace alatar::shopify
