#pragma once
// Shopify's OAuth authorization-code grant as the shop side performs it (reference §3.1-3.3):
// the query-string HMAC, shop-domain validation, single-use expiring codes, offline access tokens and
// the granted scopes. Pure logic with an injected clock; the HTTP layer maps it onto the endpoints
// /admin/oauth/authorize, /admin/oauth/access_token and /admin/oauth/access_scopes.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "shopify_sim/civil_time.hpp"

namespace alatar::shopify_sim {

// Decoded query parameters in the order received.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Splits "a=1&b=x%20y" and percent-decodes keys and values ('+' is a space, as in forms).
QueryParams parse_query(std::string_view raw);

// application/x-www-form-urlencoded serialisation of one component as the WHATWG URLSearchParams does it
// (alphanumerics and *-._ stay, space becomes '+', everything else %XX in upper case).
std::string form_urlencode(std::string_view text);

// The message Shopify signs (§3.2): every parameter except hmac and signature, sorted by key (byte order),
// each as key=value in URLSearchParams encoding with '+' replaced by "%20", joined with '&'. Values of a
// repeated key are joined with ','.
std::string hmac_message(const QueryParams& params);
// Lower-case hex HMAC-SHA256 of hmac_message() keyed with the app secret.
std::string query_hmac(std::string_view secret, const QueryParams& params);
// Constant-time check of the `hmac` parameter; false when it is missing.
bool verify_query_hmac(std::string_view secret, const QueryParams& params);
// True when the `timestamp` parameter is within `tolerance_seconds` of `now` (Shopify's libraries use 90 s).
bool timestamp_fresh(const QueryParams& params, Timestamp now, std::int64_t tolerance_seconds = 90);

// Validates "{name}{suffix}" shop domains: the name starts with a letter or digit and continues with letters,
// digits, '-' or '_'; the result is lower-cased. The suffix is configurable (".myshopify.test" in the simulator,
// ".myshopify.com" in production).
class ShopDomainValidator {
  public:
    explicit ShopDomainValidator(std::string_view suffix);
    std::optional<std::string> normalize(std::string_view shop) const;
    const std::string& suffix() const { return suffix_; }

  private:
    std::string suffix_;  // with the leading dot, lower case
};

// True when `granted` covers `required`: the same scope, or write_X for read_X (Shopify's implied scopes).
bool scope_covers(const std::vector<std::string>& granted, std::string_view required);
// "read_orders, write_products" -> {"read_orders","write_products"}; duplicates dropped, order kept.
std::vector<std::string> split_scopes(std::string_view text);
std::string join_scopes(const std::vector<std::string>& scopes);

struct OAuthConfig {
    std::string api_key = "alatar-dev-key";
    std::string api_secret = "alatar-dev-secret";
    std::string shop_suffix = ".myshopify.test";
    std::int64_t code_ttl_seconds = 600;
};

// An OAuth failure as the endpoint answers it: HTTP status and {"error":..., "error_description":...}.
struct OAuthError {
    int http_status = 400;
    std::string error;
    std::string description;
};

struct AuthorizeRequest {
    std::string shop;
    std::string client_id;
    std::string scope;
    std::string redirect_uri;
    std::string state;
    std::vector<std::string> grant_options;  // "per-user" asks for an online token (not supported here)
};

struct TokenInfo {
    std::string shop;
    std::vector<std::string> scopes;
    Timestamp created_at = 0;
};

struct AccessTokenGrant {
    std::string access_token;
    std::string scope;  // comma-separated, as Shopify answers
};

// The shop side of OAuth for every simulated shop. Thread-safe.
class OAuthService {
  public:
    using Clock = std::function<Timestamp()>;
    using RandomHex = std::function<std::string(std::size_t bytes)>;

    // `random_hex` defaults to libsodium randomness; tests may pass their own.
    OAuthService(OAuthConfig config, Clock clock, RandomHex random_hex = {});

    const OAuthConfig& config() const { return config_; }
    const ShopDomainValidator& shops() const { return shops_; }

    // The merchant approves at once: returns the redirect URL
    // {redirect_uri}?code=&hmac=&host=&shop=&state=&timestamp= signed with the app secret.
    std::variant<std::string, OAuthError> authorize(const AuthorizeRequest& request);

    // POST /admin/oauth/access_token: a code is good once, for the shop it was issued for, until it expires.
    std::variant<AccessTokenGrant, OAuthError> exchange_code(std::string_view shop, std::string_view client_id,
                                                             std::string_view client_secret, std::string_view code);

    // Issues an offline token without the browser dance (the simulator's admin endpoint and dev mode).
    AccessTokenGrant issue_token(const std::string& shop, const std::vector<std::string>& scopes);

    std::optional<TokenInfo> find_token(std::string_view token) const;
    // Revokes every token of a shop (uninstall); returns how many.
    std::size_t revoke_shop(std::string_view shop);
    bool revoke_token(std::string_view token);

  private:
    struct PendingCode {
        std::string shop;
        std::string client_id;
        std::vector<std::string> scopes;
        Timestamp expires_at = 0;
    };

    AccessTokenGrant issue_locked(const std::string& shop, const std::vector<std::string>& scopes);
    void drop_expired_codes_locked(Timestamp now);

    OAuthConfig config_;
    ShopDomainValidator shops_;
    Clock clock_;
    RandomHex random_hex_;
    mutable std::mutex mutex_;
    std::map<std::string, PendingCode, std::less<>> codes_;
    std::map<std::string, TokenInfo, std::less<>> tokens_;
};

}  // namespace alatar::shopify_sim
