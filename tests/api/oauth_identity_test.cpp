// Linking stores through the API against the real Shopify simulator: the simulator signs the callback with its
// own implementation and Alatar verifies it with its own. Every tampered callback is refused with a clear
// BAD_USER_INPUT and stores nothing; another user's store answers NOT_FOUND.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "api_fixture.hpp"
#include "common/crypto.hpp"
#include "common/log_capture.hpp"
#include "identity_node_sign.hpp"
#include "oauth_sim_process.hpp"
#include "shopify/http_client.hpp"
#include "shopify/query_signature.hpp"

namespace alatar::api::test {
namespace {

constexpr const char* kShop = "identity.myshopify.test";
constexpr const char* kOtherShop = "second.myshopify.test";
constexpr const char* kPublicUrl = "http://dashboard.test:8080";

constexpr const char* kStart = "mutation($shop: String!) { startShopifyOAuth(shop: $shop) { authorizationUrl state } }";
constexpr const char* kComplete =
    "mutation($q: String!) { completeShopifyOAuth(input: {query: $q}) { id shopDomain name currency scopes status } }";
constexpr const char* kLoginWithShopify =
    "mutation($q: String!) { loginWithShopify(input: {query: $q}) { token user { id } } }";
constexpr const char* kUnlink = "mutation($id: ID!) { unlinkShopifyStore(id: $id) }";

SimProcess& sim() {
    static SimProcess process({kShop, kOtherShop});
    return process;
}

class OAuthIdentityTest : public ApiFixture {
  protected:
    void adjust(ApiOptions& options) override {
        options.config.shopify_shop_url = sim().shop_url_template();
        options.config.shopify_shop_suffix = kSimShopSuffix;
        options.config.shopify_api_key = kSimAppKey;
        options.config.shopify_api_secret = kSimAppSecret;
        options.config.master_key = master_key_;
        options.config.public_url = kPublicUrl;
    }

    // Restarts the server with its log going to `capture` (what an operator would see).
    void restart_logging_to(const LogCapture& capture) {
        server_.reset();
        Config config = Config::defaults();
        config.database_url = database_->url();
        config.amqp_url = "amqp://127.0.0.1:1";
        config.listen = "127.0.0.1:0";
        config.io_threads = 2;
        config.log_level = LogLevel::kDebug;
        ApiOptions options = api_options(config);
        options.http.handle_signals = false;
        options.events = false;
        options.relay = false;
        options.graphql_http.strict_bucket = {1000, 1000};
        adjust(options);
        server_ = std::make_unique<ApiServer>(std::move(options), Logger{"api", LogLevel::kDebug, capture.sink()});
        server_->start();
    }

    // startShopifyOAuth as `token` (anonymous when empty), then what the merchant's browser does: follow the
    // authorize URL; the simulator approves and redirects back. Returns the callback's query string.
    std::string approve(const std::string& shop, const std::string& token) {
        const auto started = gql(kStart, {{"shop", shop}}, token);
        const auto* data = started.as_object().if_contains("data");
        EXPECT_TRUE(data != nullptr && data->is_object()) << json::serialize(started);
        if (data == nullptr || !data->is_object()) return {};
        const std::string url(data->at("startShopifyOAuth").at("authorizationUrl").as_string());
        const auto res = http_.send(shopify::HttpRequest::get(url), Deadline::after(std::chrono::seconds(20)));
        EXPECT_EQ(res.status, 302) << res.body;
        const auto location = res.header("location").value_or("");
        const std::string prefix = std::string(kPublicUrl) + "/auth/shopify/callback?";
        EXPECT_TRUE(location.starts_with(prefix)) << location;
        return location.substr(std::min(location.size(), prefix.size()));
    }

    std::int64_t count(const std::string& table) {
        return sql("SELECT count(*) FROM " + table).get<std::int64_t>(0, 0);
    }

    // The callback `query` is refused with BAD_USER_INPUT mentioning `needle`, and nothing is stored.
    void expect_refused(const std::string& query, const std::string& token, const std::string& needle) {
        const auto stores = count("shopify_stores");
        const auto audits = count("audit_log");
        const auto r = gql(kComplete, {{"q", query}}, token);
        ASSERT_TRUE(r.as_object().contains("errors")) << json::serialize(r);
        EXPECT_EQ(code_of(r), "BAD_USER_INPUT") << json::serialize(r);
        const std::string message(r.at("errors").at(0).at("message").as_string());
        EXPECT_NE(message.find(needle), std::string::npos) << message;
        EXPECT_EQ(count("shopify_stores"), stores);
        EXPECT_EQ(count("audit_log"), audits);
    }

    static std::string encode(const shopify::QueryParams& params) {
        std::string out;
        for (const auto& [k, v] : params) {
            out += (out.empty() ? "" : "&") + shopify::url_encode_component(k) + "=" + shopify::url_encode_component(v);
        }
        return out;
    }
    // `params` with `key` set to `value` and signed again with the app secret (a forged but well-signed query).
    static std::string resigned(const std::string& query, const std::string& key, const std::string& value) {
        auto params = shopify::parse_query_string(query);
        std::erase_if(params, [](const auto& p) { return p.first == "hmac"; });
        for (auto& [k, v] : params) {
            if (k == key) v = value;
        }
        params.emplace_back("hmac", shopify::sign_query(kSimAppSecret, params));
        return encode(params);
    }

    shopify::CurlHttpClient http_;
    std::string master_key_ = "k2:" + crypto::Keyring::generate_key_base64();
};

TEST_F(OAuthIdentityTest, RoundTripLinksStoreWithSealedTokenAndAudit) {
    const auto token = register_user("linker@example.com");
    const auto r = gql(kComplete, {{"q", approve(kShop, token)}}, token);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    const auto& store = r.at("data").at("completeShopifyOAuth");
    EXPECT_EQ(store.at("shopDomain").as_string(), kShop);
    EXPECT_EQ(store.at("status").as_string(), "ACTIVE");
    EXPECT_EQ(store.at("currency").as_string().size(), 3U);
    EXPECT_FALSE(store.at("scopes").as_array().empty());

    const auto row = sql("SELECT convert_from(access_token_ciphertext, 'UTF8'), key_id FROM shopify_stores");
    ASSERT_EQ(row.rows(), 1);
    EXPECT_TRUE(row.get<std::string>(0, 0).starts_with("v1.k2.")) << "sealed with the current key";
    EXPECT_EQ(row.get<std::string>(0, 1), "k2");
    EXPECT_EQ(sql("SELECT count(*) FROM audit_log a JOIN shopify_stores s ON a.owner_id = s.user_id "
                  "WHERE a.action = 'store.link' AND a.subject = 'store:' || s.id")
                  .get<std::int64_t>(0, 0),
              1);
    const auto me = gql("{ me { stores { shopDomain } } }", {}, token);
    EXPECT_EQ(me.at("data").at("me").at("stores").as_array().size(), 1U) << json::serialize(me);

    // Re-linking refreshes the same row with a new token.
    const auto again = gql(kComplete, {{"q", approve(kShop, token)}}, token);
    ASSERT_FALSE(again.as_object().contains("errors")) << json::serialize(again);
    EXPECT_EQ(again.at("data").at("completeShopifyOAuth").at("id"), store.at("id"));
    EXPECT_EQ(count("shopify_stores"), 1);
    EXPECT_NE(sql("SELECT convert_from(access_token_ciphertext, 'UTF8') FROM shopify_stores").get<std::string>(0, 0),
              row.get<std::string>(0, 0));
}

TEST_F(OAuthIdentityTest, BrowserCallbackLinksAndRedirectsToDashboard) {
    const auto token = register_user("browser@example.com");
    const auto query = approve(kShop, token);
    const auto res = http_request(server_->port(), "GET", "/auth/shopify/callback?" + query, "", {});
    EXPECT_EQ(res.status, 303U) << res.body;
    EXPECT_EQ(res.headers.at("Location"), std::string(kPublicUrl) + "/stores?linked=" + kShop);
    EXPECT_EQ(count("shopify_stores"), 1);

    // The same callback again: refused (state used), redirected with the reason, nothing new stored.
    const auto replay = http_request(server_->port(), "GET", "/auth/shopify/callback?" + query, "", {});
    EXPECT_EQ(replay.status, 303U);
    EXPECT_NE(replay.headers.at("Location").find("/stores?link_error="), std::string::npos);
    EXPECT_NE(replay.headers.at("Location").find("already%20used"), std::string::npos) << replay.headers.at("Location");
    EXPECT_EQ(count("shopify_stores"), 1);
}

TEST_F(OAuthIdentityTest, LoginWithShopifyCreatesTheAccountOnceAndSignsIn) {
    const auto first = gql(kLoginWithShopify, {{"q", approve(kOtherShop, "")}});
    ASSERT_FALSE(first.as_object().contains("errors")) << json::serialize(first);
    const std::string token(first.at("data").at("loginWithShopify").at("token").as_string());
    const auto me = gql("{ me { id stores { shopDomain } } }", {}, token);
    ASSERT_TRUE(me.at("data").at("me").is_object()) << json::serialize(me);
    EXPECT_EQ(me.at("data").at("me").at("stores").at(0).at("shopDomain").as_string(), kOtherShop);

    const auto second = gql(kLoginWithShopify, {{"q", approve(kOtherShop, "")}});
    ASSERT_FALSE(second.as_object().contains("errors")) << json::serialize(second);
    EXPECT_EQ(second.at("data").at("loginWithShopify").at("user").at("id"), me.at("data").at("me").at("id"));
    EXPECT_EQ(count("users"), 1);

    // A login state cannot be completed as a link, nor a link state as a login.
    const auto user = register_user("other@example.com");
    expect_refused(approve(kOtherShop, ""), user, "logging in");
    const auto link_query = approve(kShop, user);
    const auto as_login = gql(kLoginWithShopify, {{"q", link_query}});
    EXPECT_EQ(code_of(as_login), "BAD_USER_INPUT") << json::serialize(as_login);
}

TEST_F(OAuthIdentityTest, TamperedCallbacksAreRefusedAndStoreNothing) {
    const auto token = register_user("tamper@example.com");
    const auto intruder = register_user("intruder@example.com");
    const auto query = approve(kShop, token);
    const auto params = shopify::parse_query_string(query);

    // A parameter changed after signing.
    expect_refused(encode([&] {
                       auto p = params;
                       for (auto& [k, v] : p) {
                           if (k == "code") v += "x";
                       }
                       return p;
                   }()),
                   token, "signature");
    // The hmac made over the parameters in received order instead of sorted.
    {
        auto p = params;
        std::erase_if(p, [](const auto& kv) { return kv.first == "hmac"; });
        std::string unsorted;
        for (const auto& [k, v] : p) unsorted += (unsorted.empty() ? "" : "&") + k + "=" + v;
        auto forged = p;
        forged.emplace_back("hmac", crypto::hmac_sha256_hex(kSimAppSecret, unsorted));
        if (shopify::signed_message(p) != unsorted) expect_refused(encode(forged), token, "signature");
    }
    // No hmac at all; an hmac made with another secret.
    expect_refused(encode([&] {
                       auto p = params;
                       std::erase_if(p, [](const auto& kv) { return kv.first == "hmac"; });
                       return p;
                   }()),
                   token, "signature");
    {
        auto p = params;
        std::erase_if(p, [](const auto& kv) { return kv.first == "hmac"; });
        p.emplace_back("hmac", shopify::sign_query("not-the-secret", p));
        expect_refused(encode(p), token, "signature");
    }
    // Correctly signed but stale, or for a shop that is not a Shopify domain, or for another shop.
    const auto old = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch() - std::chrono::seconds(300))
                         .count();
    expect_refused(resigned(query, "timestamp", std::to_string(old)), token, "too old");
    expect_refused(resigned(query, "shop", "evil.com"), token, "not a Shopify shop domain");
    expect_refused(resigned(query, "shop", "x.myshopify.test.evil.com"), token, "not a Shopify shop domain");
    expect_refused(resigned(query, "shop", kOtherShop), token, "another shop");
    // A state nobody issued; someone else's state.
    expect_refused(resigned(query, "state", crypto::random_token()), token, "unknown");
    expect_refused(query, intruder, "another user");

    // The genuine callback still works once, then its state is spent.
    const auto ok = gql(kComplete, {{"q", query}}, token);
    ASSERT_FALSE(ok.as_object().contains("errors")) << json::serialize(ok);
    EXPECT_EQ(count("shopify_stores"), 1);
    expect_refused(query, token, "already used");

    // Unauthenticated completion is refused outright.
    const auto anonymous = gql(kComplete, {{"q", approve(kShop, token)}});
    EXPECT_EQ(code_of(anonymous), "UNAUTHENTICATED");
}

TEST_F(OAuthIdentityTest, CallbackSignedByShopifyApiLibraryIsAccepted) {
    const auto token = register_user("library@example.com");
    auto params = shopify::parse_query_string(approve(kShop, token));
    std::erase_if(params, [](const auto& kv) { return kv.first == "hmac"; });
    const std::string unsigned_query = encode(params);
    params.emplace_back("hmac", shopify_api_sign("oauth", kSimAppSecret, unsigned_query));
    const auto r = gql(kComplete, {{"q", encode(params)}}, token);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    EXPECT_EQ(r.at("data").at("completeShopifyOAuth").at("shopDomain").as_string(), kShop);
    // The library's signature under another secret is refused.
    params.back().second = shopify_api_sign("oauth", "another-secret", unsigned_query);
    expect_refused(encode(params), token, "signature");
}

TEST_F(OAuthIdentityTest, StartRefusesBadShopDomains) {
    const auto token = register_user("domains@example.com");
    for (const char* bad : {"evil.com", "x.myshopify.test.evil.com", "x.myshopify.test/admin", "a@x.myshopify.test"}) {
        const auto r = gql(kStart, {{"shop", bad}}, token);
        EXPECT_EQ(code_of(r), "BAD_USER_INPUT") << bad;
    }
    EXPECT_EQ(count("oauth_states"), 0);
}

TEST_F(OAuthIdentityTest, UnlinkForgetsTokenWorkAndCacheAndHidesOtherUsersStores) {
    const auto owner = register_user("owner@example.com");
    const auto other = register_user("stranger@example.com");
    const auto linked = gql(kComplete, {{"q", approve(kShop, owner)}}, owner);
    ASSERT_FALSE(linked.as_object().contains("errors")) << json::serialize(linked);
    const std::string id(linked.at("data").at("completeShopifyOAuth").at("id").as_string());
    const auto store_uuid = sql("SELECT id::text FROM shopify_stores").get<std::string>(0, 0);
    sql("INSERT INTO shop_customers (store_id, shopify_gid, email, expires_at) VALUES ($1, 'gid://shopify/Customer/1', "
        "'c@example.com', now() + interval '1 hour')",
        db::Params{store_uuid});
    sql("INSERT INTO analysis_requests (user_id, store_id, prompt) SELECT user_id, id, 'sales?' FROM shopify_stores");

    // Someone else's store, a malformed id and an id of another type all look like a missing store.
    for (const auto& [who, target] : std::vector<std::pair<std::string, std::string>>{
             {other, id},
             {owner, "bm90LWFuLWlk"},
             {owner, std::string(linked.at("data").at("completeShopifyOAuth").at("id").as_string()) + "x"}}) {
        const auto r = gql(kUnlink, {{"id", target}}, who);
        EXPECT_EQ(code_of(r), "NOT_FOUND") << json::serialize(r);
        EXPECT_FALSE(r.at("data").is_object() && r.at("data").as_object().contains("unlinkShopifyStore") &&
                     r.at("data").at("unlinkShopifyStore").is_bool());
    }
    EXPECT_EQ(count("shopify_stores"), 1);
    EXPECT_EQ(count("shop_customers"), 1);

    const auto r = gql(kUnlink, {{"id", id}}, owner);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    EXPECT_TRUE(r.at("data").at("unlinkShopifyStore").as_bool());
    EXPECT_EQ(count("shopify_stores"), 0);
    EXPECT_EQ(count("shop_customers"), 0);
    EXPECT_EQ(sql("SELECT status FROM analysis_requests").get<std::string>(0, 0), "CANCELLED");
    EXPECT_EQ(sql("SELECT count(*) FROM audit_log WHERE action = 'store.unlink' AND subject = $1",
                  db::Params{"store:" + store_uuid})
                  .get<std::int64_t>(0, 0),
              1);
    EXPECT_EQ(code_of(gql(kUnlink, {{"id", id}}, owner)), "NOT_FOUND");
}

TEST_F(OAuthIdentityTest, NoPlaintextTokenInTheDatabaseAndNoSecretInTheLogs) {
    LogCapture capture;
    restart_logging_to(capture);
    const std::string password = "correct horse battery";
    const auto token = register_user("dump@example.com", password);
    const auto query = approve(kShop, token);
    const auto linked = gql(kComplete, {{"q", query}}, token);
    ASSERT_FALSE(linked.as_object().contains("errors")) << json::serialize(linked);
    const auto browser = http_request(server_->port(), "GET", "/auth/shopify/callback?" + query, "", {});
    EXPECT_EQ(browser.status, 303U);  // a refused replay is logged too

    // The plaintext access token, recovered with the key only this test and the server hold.
    const auto keyring = crypto::Keyring::parse(master_key_);
    const auto sealed =
        sql("SELECT convert_from(access_token_ciphertext, 'UTF8') FROM shopify_stores").get<std::string>(0, 0);
    const std::string access_token = keyring.decrypt(sealed, "shopify_token:" + std::string(kShop));
    ASSERT_GE(access_token.size(), 16U);

    // A pg_dump-like scan: every row of every table of the schema as text.
    const auto tables =
        sql("SELECT quote_ident(table_name) FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    ASSERT_GT(tables.rows(), 10);
    std::string dump;
    for (int i = 0; i < tables.rows(); ++i) {
        const auto rows = sql("SELECT COALESCE(string_agg(to_jsonb(t)::text, E'\\n'), '') FROM " +
                              tables.get<std::string>(i, 0) + " t");
        dump += rows.get<std::string>(0, 0) + "\n";
    }
    EXPECT_NE(dump.find(kShop), std::string::npos) << "the scan reads the stores";
    EXPECT_EQ(dump.find(access_token), std::string::npos);
    EXPECT_EQ(dump.find(crypto::hex_encode(access_token)), std::string::npos);  // not as bytea hex either
    EXPECT_EQ(dump.find(kSimAppSecret), std::string::npos);
    EXPECT_EQ(dump.find(password), std::string::npos);
    EXPECT_EQ(dump.find(token), std::string::npos);  // sessions are stored hashed

    const auto lines = capture.lines();
    ASSERT_FALSE(lines.empty());
    std::string log;
    for (const auto& l : lines) log += l + "\n";
    EXPECT_NE(log.find("shopify store linked"), std::string::npos) << "the server did log the link";
    for (const std::string& secret :
         {access_token, std::string(kSimAppSecret), password, token, master_key_.substr(3)}) {
        EXPECT_EQ(log.find(secret), std::string::npos) << "a secret reached the log";
    }
    const auto params = shopify::parse_query_string(query);
    EXPECT_EQ(log.find(std::string(shopify::query_param(params, "code"))), std::string::npos);
    EXPECT_EQ(log.find(std::string(shopify::query_param(params, "state"))), std::string::npos);
}

}  // namespace
}  // namespace alatar::api::test
