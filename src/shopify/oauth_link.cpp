#include "shopify/oauth_link.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdint>
#include <cstdlib>

#include "common/error.hpp"
#include "common/time.hpp"
#include "db/pool.hpp"
#include "shopify/admin_client.hpp"
#include "shopify/http_client.hpp"
#include "shopify/query_signature.hpp"
#include "shopify/shop_domain.hpp"

namespace alatar::shopify {
namespace json = boost::json;

namespace {

[[noreturn]] void refuse(const std::string& message) { throw Error(ErrorCode::kBadUserInput, message); }

std::string require_shop(std::string_view shop, const Config& config) {
    auto normalized = normalize_shop_domain(shop, config.shopify_shop_suffix);
    if (!normalized) {
        refuse("'" + std::string(shop.substr(0, 100)) + "' is not a Shopify shop domain (expected name" +
               config.shopify_shop_suffix + ")");
    }
    return *normalized;
}

std::string join(const std::vector<std::string>& items, char sep) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out.push_back(sep);
        out += item;
    }
    return out;
}

std::vector<std::string> split_scopes(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.emplace_back(item);
    }
    return out;
}

// The one value of a required callback parameter; a missing or repeated one is refused.
std::string single_param(const QueryParams& params, std::string_view key) {
    int count = 0;
    std::string value;
    for (const auto& [k, v] : params) {
        if (k == key) {
            ++count;
            value = v;
        }
    }
    if (count != 1 || value.empty()) refuse("The Shopify callback lacks a valid '" + std::string(key) + "' parameter");
    return value;
}

void check_timestamp(std::string_view text) {
    std::int64_t ts = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ts);
    if (ec != std::errc{} || ptr != text.data() + text.size()) refuse("The Shopify callback has a malformed timestamp");
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (std::llabs(now - ts) > kCallbackClockTolerance.count()) {
        refuse("The Shopify callback is too old or from the future; please start linking the store again");
    }
}

struct StateRow {
    std::optional<std::string> user_id;
    bool login = false;
};

// Checks and consumes the state (single use), atomically.
StateRow consume_state(db::Pool& pool, const std::string& state, const std::string& shop,
                       const std::optional<std::string>& expected_user_id) {
    return pool.transact_blocking([&](db::Transaction& tx) {
        const auto r = tx.exec(
            "SELECT user_id::text AS user_id, purpose, shop, used_at IS NOT NULL AS used, expires_at <= now() AS "
            "expired "
            "FROM oauth_states WHERE state_hash = $1 FOR UPDATE",
            db::Params{crypto::sha256_hex(state)});
        if (r.empty()) refuse("The OAuth state is unknown; please start linking the store again");
        if (r.get<bool>(0, "used")) refuse("The OAuth state was already used; please start linking the store again");
        if (r.get<bool>(0, "expired")) refuse("The OAuth state has expired; please start linking the store again");
        if (r.get<std::string>(0, "shop") != shop) refuse("The OAuth state was issued for another shop");
        StateRow row{r.get<std::optional<std::string>>(0, "user_id"), r.get<std::string>(0, "purpose") == "login"};
        if (!row.login && expected_user_id && row.user_id != expected_user_id) {
            refuse("The OAuth state belongs to another user");
        }
        tx.exec("UPDATE oauth_states SET used_at = now() WHERE state_hash = $1", db::Params{crypto::sha256_hex(state)});
        return row;
    });
}

struct TokenGrant {
    std::string access_token;
    std::vector<std::string> scopes;
};

TokenGrant exchange_code(HttpClient& http, const Config& config, const std::string& shop, const std::string& code) {
    HttpRequest req;
    req.method = "POST";
    req.url = shop_base_url(config.shopify_shop_url, shop) + "/admin/oauth/access_token";
    req.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    req.body = json::serialize(json::object{{"client_id", config.shopify_api_key},
                                            {"client_secret", config.shopify_api_secret},
                                            {"code", code},
                                            {"expiring", "0"}});
    const HttpResponse res = http.send(req, Deadline::after(std::chrono::seconds(20)));
    if (res.status >= 500) throw Error(ErrorCode::kUpstreamUnavailable, "Shopify is unavailable; please try again");
    if (res.status != 200) refuse("Shopify refused the authorization code; please start linking the store again");
    boost::system::error_code ec;
    const json::value body = json::parse(res.body, ec);
    const auto* obj = ec ? nullptr : body.if_object();
    const auto* token = obj != nullptr ? obj->if_contains("access_token") : nullptr;
    const auto* scope = obj != nullptr ? obj->if_contains("scope") : nullptr;
    if (token == nullptr || !token->is_string() || token->get_string().empty()) {
        throw Error(ErrorCode::kShopifyError, "Shopify's token answer has no access token");
    }
    if (obj->contains("associated_user")) {
        throw Error(ErrorCode::kShopifyError, "Shopify issued an online token; an offline token is required");
    }
    return TokenGrant{std::string(token->get_string()), scope != nullptr && scope->is_string()
                                                            ? split_scopes(scope->get_string())
                                                            : std::vector<std::string>{}};
}

struct ShopInfo {
    std::string name;
    std::string currency;
    std::string timezone;
};

ShopInfo read_shop(HttpClient& http, const Config& config, const ShopCredentials& creds, const Logger& log) {
    AdminClientOptions options;
    options.shop_url_template = config.shopify_shop_url;
    options.api_version = config.shopify_api_version;
    options.max_attempts = 3;
    AdminClient client(http, options, log);
    const auto res = client.query(creds, "{ shop { name currencyCode ianaTimezone } }", {},
                                  Deadline::after(std::chrono::seconds(20)));
    const auto* shop = res.data.is_object() ? res.data.get_object().if_contains("shop") : nullptr;
    if (shop == nullptr || !shop->is_object()) throw Error(ErrorCode::kShopifyError, "Shopify returned no shop");
    const auto text = [&](std::string_view key) {
        const auto* v = shop->get_object().if_contains(key);
        return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    return ShopInfo{text("name"), text("currencyCode"), text("ianaTimezone")};
}

std::string login_user(db::Transaction& tx, const std::string& shop) {
    const auto found =
        tx.exec("SELECT user_id::text FROM identities WHERE provider = 'shopify' AND subject = $1", db::Params{shop});
    if (!found.empty()) return found.get<std::string>(0, 0);
    auto user = tx.exec("INSERT INTO users DEFAULT VALUES RETURNING id::text").scalar<std::string>();
    tx.exec("INSERT INTO identities (user_id, provider, subject) VALUES ($1, 'shopify', $2)", db::Params{user, shop});
    return user;
}

}  // namespace

std::string token_associated_data(std::string_view shop_domain) { return "shopify_token:" + std::string(shop_domain); }

OAuthStart start_oauth(db::Transaction& tx, const std::optional<std::string>& user_id, std::string_view shop,
                       const Config& config) {
    const std::string domain = require_shop(shop, config);
    OAuthStart out;
    out.state = crypto::random_token(32);
    tx.exec(
        "INSERT INTO oauth_states (state_hash, user_id, purpose, shop, expires_at) "
        "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))",
        db::Params{crypto::sha256_hex(out.state), user_id, user_id ? "link" : "login", domain,
                   static_cast<std::int64_t>(std::chrono::seconds(kOAuthStateTtl).count())});
    std::string redirect = config.public_url;
    while (!redirect.empty() && redirect.back() == '/') redirect.pop_back();
    redirect += "/auth/shopify/callback";
    // No grant_options[]: that requests an offline (per-shop) token, which background jobs need.
    out.authorization_url = shop_base_url(config.shopify_shop_url, domain) +
                            "/admin/oauth/authorize?client_id=" + url_encode_component(config.shopify_api_key) +
                            "&scope=" + url_encode_component(join(config.shopify_scopes, ',')) +
                            "&redirect_uri=" + url_encode_component(redirect) +
                            "&state=" + url_encode_component(out.state);
    return out;
}

LinkedStore complete_oauth(db::Pool& pool, std::string_view query_string,
                           const std::optional<std::string>& expected_user_id, const Config& config,
                           const crypto::Keyring& keyring, HttpClient& http, const Logger& log) {
    const QueryParams params = parse_query_string(query_string);
    if (!verify_query_signature(config.shopify_api_secret, params)) {
        refuse("The Shopify callback's signature is invalid");
    }
    const std::string code = single_param(params, "code");
    const std::string state = single_param(params, "state");
    check_timestamp(single_param(params, "timestamp"));
    const std::string shop = require_shop(single_param(params, "shop"), config);

    const StateRow state_row = consume_state(pool, state, shop, expected_user_id);
    const TokenGrant grant = exchange_code(http, config, shop, code);
    const ShopInfo info = read_shop(http, config, ShopCredentials{shop, grant.access_token}, log);
    const std::string sealed = keyring.encrypt(grant.access_token, token_associated_data(shop));
    const auto kid = crypto::Keyring::kid_of(sealed).value_or(keyring.current_kid());

    LinkedStore linked = pool.transact_blocking([&](db::Transaction& tx) {
        LinkedStore out;
        out.login = state_row.login;
        out.user_id = state_row.login ? login_user(tx, shop) : state_row.user_id.value_or("");
        const auto r = tx.exec(
            "INSERT INTO shopify_stores (user_id, shop_domain, name, currency, timezone, access_token_ciphertext, "
            "key_id, scopes, status) VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), convert_to($6, 'UTF8'), $7, "
            "$8, 'ACTIVE') "
            "ON CONFLICT (user_id, shop_domain) DO UPDATE SET name = EXCLUDED.name, currency = EXCLUDED.currency, "
            "timezone = EXCLUDED.timezone, access_token_ciphertext = EXCLUDED.access_token_ciphertext, "
            "key_id = EXCLUDED.key_id, scopes = EXCLUDED.scopes, status = 'ACTIVE', linked_at = now() "
            "RETURNING id::text, (xmax = 0) AS created",
            db::Params{out.user_id, shop, info.name, info.currency, info.timezone, sealed, kid, grant.scopes});
        out.store_id = r.get<std::string>(0, 0);
        out.created = r.get<bool>(0, 1);
        tx.exec("INSERT INTO store_sync_state (store_id) VALUES ($1) ON CONFLICT (store_id) DO NOTHING",
                db::Params{out.store_id});
        return out;
    });
    linked.shop_domain = shop;
    linked.name = info.name;
    linked.currency = info.currency;
    linked.timezone = info.timezone;
    linked.scopes = grant.scopes;
    log.info("shopify store linked", {{"shop", shop}, {"store_id", linked.store_id}, {"created", linked.created}});
    return linked;
}

}  // namespace alatar::shopify
