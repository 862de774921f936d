// OAuth linking against the real simulator: the simulator signs the callback with its own implementation, Alatar
// verifies it with its own, so the round trip cross-checks both.
#include "shopify/oauth_link.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "common/error.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "shopify/admin_client.hpp"
#include "shopify/http_client.hpp"
#include "shopify/query_signature.hpp"
#include "shopify/sim_process.hpp"

namespace alatar::shopify {
namespace {

using testing::SimProcess;

constexpr const char* kShop = "link.myshopify.test";
constexpr const char* kOtherShop = "other.myshopify.test";

class OAuthLinkTest : public ::testing::Test {
  protected:
    static testing::SimSuite& suite() {
        static testing::SimSuite s;
        return s;
    }
    static void SetUpTestSuite() { suite().open("tiny", {kShop, kOtherShop}); }
    static void TearDownTestSuite() { suite().close(); }

    void SetUp() override {
        ASSERT_TRUE(suite().error.empty()) << suite().error;
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = suite().database.url(), .size = 2}, Logger::null());
        config_ = Config::defaults();
        config_.shopify_shop_url = suite().sim->shop_url_template();
        config_.shopify_shop_suffix = testing::kShopSuffix;
        config_.shopify_api_key = testing::kAppKey;
        config_.shopify_api_secret = testing::kAppSecret;
        config_.public_url = "http://127.0.0.1:8080";
        user_ = new_user();
    }

    std::string new_user() {
        static int n = 0;
        return pool_
            ->query_blocking("INSERT INTO users (email) VALUES ($1) RETURNING id::text",
                             db::Params{"u" + std::to_string(++n) + "-" + crypto::hex_encode(crypto::random_bytes(6)) +
                                        "@example.com"})
            .scalar<std::string>();
    }

    OAuthStart start(const std::optional<std::string>& user, const std::string& shop) {
        return pool_->transact_blocking([&](db::Transaction& tx) { return start_oauth(tx, user, shop, config_); });
    }

    // What the merchant's browser does: follow the authorize URL; the simulator approves and redirects back.
    std::string approve(const OAuthStart& started) {
        const auto res =
            http_.send(HttpRequest::get(started.authorization_url), Deadline::after(std::chrono::seconds(10)));
        EXPECT_EQ(res.status, 302) << res.body;
        const auto location = res.header("location").value_or("");
        const std::string prefix = config_.public_url + "/auth/shopify/callback?";
        EXPECT_TRUE(location.starts_with(prefix)) << location;
        return location.substr(std::min(location.size(), prefix.size()));
    }

    LinkedStore complete(const std::string& query, const std::optional<std::string>& user) {
        return complete_oauth(*pool_, query, user, config_, keyring_, http_, Logger::null());
    }

    std::int64_t store_count() {
        return pool_->query_blocking("SELECT count(*) FROM shopify_stores").scalar<std::int64_t>();
    }

    // Completing `query` is refused with BAD_USER_INPUT mentioning `needle`, and stores nothing.
    void expect_refused(const std::string& query, const std::optional<std::string>& user, const std::string& needle) {
        const auto before = store_count();
        try {
            complete(query, user);
            ADD_FAILURE() << "accepted: " << query;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::kBadUserInput) << e.what();
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
        EXPECT_EQ(store_count(), before);
    }

    // Re-signs `params` with the app secret (a forged but correctly signed callback).
    static std::string signed_query(QueryParams params) {
        std::erase_if(params, [](const auto& p) { return p.first == "hmac"; });
        params.emplace_back("hmac", sign_query(testing::kAppSecret, params));
        std::string out;
        for (const auto& [k, v] : params)
            out += (out.empty() ? "" : "&") + url_encode_component(k) + "=" + url_encode_component(v);
        return out;
    }
    static QueryParams with(QueryParams params, const std::string& key, const std::string& value) {
        for (auto& [k, v] : params) {
            if (k == key) v = value;
        }
        return params;
    }

    std::unique_ptr<db::Pool> pool_;
    Config config_;
    crypto::Keyring keyring_ = crypto::Keyring::parse(crypto::Keyring::generate_key_base64());
    CurlHttpClient http_;
    std::string user_;
};

TEST_F(OAuthLinkTest, StartBuildsAuthorizeUrlAndStoresOnlyTheStateHash) {
    const auto started = start(user_, "Link.MyShopify.test");
    EXPECT_EQ(started.state.size(), 43U);  // 32 random bytes, base64url
    const auto base = suite().sim->shop_url_template();
    EXPECT_TRUE(started.authorization_url.starts_with(suite().sim->base_url() +
                                                      "/shops/link.myshopify.test/admin/oauth/authorize?"));
    const auto params = parse_query_string(started.authorization_url.substr(started.authorization_url.find('?') + 1));
    EXPECT_EQ(query_param(params, "client_id"), testing::kAppKey);
    EXPECT_EQ(query_param(params, "redirect_uri"), "http://127.0.0.1:8080/auth/shopify/callback");
    EXPECT_EQ(query_param(params, "state"), started.state);
    EXPECT_EQ(query_param(params, "scope").find(' '), std::string_view::npos);
    EXPECT_NE(query_param(params, "scope").find("read_orders"), std::string_view::npos);
    bool has_grant = false;
    query_param(params, "grant_options[]", &has_grant);
    EXPECT_FALSE(has_grant);  // offline token
    const auto row = pool_->query_blocking(
        "SELECT state_hash, shop, user_id::text, purpose, expires_at > now() + interval '9 minutes' AND "
        "expires_at <= now() + interval '10 minutes' FROM oauth_states WHERE state_hash = $1",
        db::Params{crypto::sha256_hex(started.state)});
    ASSERT_EQ(row.rows(), 1);
    EXPECT_EQ(row.get<std::string>(0, 1), "link.myshopify.test");
    EXPECT_EQ(row.get<std::string>(0, 2), user_);
    EXPECT_EQ(row.get<std::string>(0, 3), "link");
    EXPECT_TRUE(row.get<bool>(0, 4));
    EXPECT_EQ(
        pool_->query_blocking("SELECT count(*) FROM oauth_states WHERE state_hash = $1", db::Params{started.state})
            .scalar<std::int64_t>(),
        0);
}

TEST_F(OAuthLinkTest, StartRefusesBadShopDomains) {
    for (const char* bad : {"evil.com", "x.myshopify.test.evil.com", "x.myshopify.test:8443", "x.myshopify.test/admin",
                            "a@x.myshopify.test", "x.myshopify.com"}) {
        try {
            start(user_, bad);
            ADD_FAILURE() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::kBadUserInput);
        }
    }
}

TEST_F(OAuthLinkTest, RoundTripLinksStoreWithSealedWorkingToken) {
    const auto query = approve(start(user_, kShop));
    const auto linked = complete(query, user_);
    EXPECT_TRUE(linked.created);
    EXPECT_EQ(linked.user_id, user_);
    EXPECT_EQ(linked.shop_domain, kShop);
    EXPECT_FALSE(linked.name.empty());
    EXPECT_EQ(linked.currency.size(), 3U);
    EXPECT_FALSE(linked.timezone.empty());
    EXPECT_FALSE(linked.scopes.empty());

    const auto row = pool_->query_blocking(
        "SELECT convert_from(access_token_ciphertext, 'UTF8'), key_id, scopes, status, name, currency FROM "
        "shopify_stores "
        "WHERE id = $1",
        db::Params{linked.store_id});
    ASSERT_EQ(row.rows(), 1);
    const auto sealed = row.get<std::string>(0, 0);
    EXPECT_EQ(row.get<std::string>(0, 1), keyring_.current_kid());
    EXPECT_EQ(row.get<std::vector<std::string>>(0, 2), linked.scopes);
    EXPECT_EQ(row.get<std::string>(0, 3), "ACTIVE");
    EXPECT_EQ(row.get<std::string>(0, 4), linked.name);
    const auto token = keyring_.decrypt(sealed, token_associated_data(kShop));
    EXPECT_EQ(sealed.find(token), std::string::npos);
    EXPECT_THROW(keyring_.decrypt(sealed, token_associated_data(kOtherShop)), crypto::CryptoError);

    // The stored token works against the Admin API.
    AdminClientOptions options;
    options.shop_url_template = config_.shopify_shop_url;
    AdminClient client(http_, options, Logger::null());
    const auto res = client.query(ShopCredentials{kShop, token}, "{ shop { myshopifyDomain } }", {},
                                  Deadline::after(std::chrono::seconds(10)));
    EXPECT_EQ(res.data.at("shop").at("myshopifyDomain").as_string(), kShop);

    // The same callback again: the state is single use.
    expect_refused(query, user_, "already used");

    // Re-linking replaces the token of the same store row.
    const auto again = complete(approve(start(user_, kShop)), user_);
    EXPECT_FALSE(again.created);
    EXPECT_EQ(again.store_id, linked.store_id);
    const auto resealed =
        pool_
            ->query_blocking("SELECT convert_from(access_token_ciphertext, 'UTF8') FROM shopify_stores WHERE id = $1",
                             db::Params{linked.store_id})
            .scalar<std::string>();
    EXPECT_NE(keyring_.decrypt(resealed, token_associated_data(kShop)), token);
}

TEST_F(OAuthLinkTest, TamperedCallbacksAreRefusedAndLeaveTheStateUsable) {
    const auto query = approve(start(user_, kShop));
    const auto params = parse_query_string(query);
    const auto unsigned_params = [&](const QueryParams& p) {
        std::string out;
        for (const auto& [k, v] : p)
            out += (out.empty() ? "" : "&") + url_encode_component(k) + "=" + url_encode_component(v);
        return out;
    };
    // Changed parameters with the original signature.
    expect_refused(unsigned_params(with(params, "code", "0000")), user_, "signature");
    expect_refused(unsigned_params(with(params, "shop", kOtherShop)), user_, "signature");
    expect_refused(query + "&extra=1", user_, "signature");
    // Missing or doubled hmac.
    QueryParams no_hmac = params;
    std::erase_if(no_hmac, [](const auto& p) { return p.first == "hmac"; });
    expect_refused(unsigned_params(no_hmac), user_, "signature");
    expect_refused(query + "&hmac=" + std::string(query_param(params, "hmac")), user_, "signature");
    // Signed with another secret.
    QueryParams foreign = no_hmac;
    foreign.emplace_back("hmac", sign_query("not-the-secret", no_hmac));
    expect_refused(unsigned_params(foreign), user_, "signature");
    // Reordered parameters keep a valid signature (sorted before signing): still fine, so do not use it here.
    // Correctly signed, but too old or from the future.
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    expect_refused(signed_query(with(params, "timestamp", std::to_string(now - 120))), user_, "too old");
    expect_refused(signed_query(with(params, "timestamp", std::to_string(now + 120))), user_, "too old");
    expect_refused(signed_query(with(params, "timestamp", "soon")), user_, "timestamp");
    // Correctly signed, but for a bad shop domain or another shop than the state's.
    expect_refused(signed_query(with(params, "shop", "evil.com")), user_, "not a Shopify shop domain");
    expect_refused(signed_query(with(params, "shop", "link.myshopify.test.evil.com")), user_,
                   "not a Shopify shop domain");
    expect_refused(signed_query(with(params, "shop", kOtherShop)), user_, "another shop");
    // Unknown state, and another user's state.
    expect_refused(signed_query(with(params, "state", "unknown-state")), user_, "unknown");
    expect_refused(query, new_user(), "another user");

    // None of that consumed the state: the genuine callback still links the store.
    const auto reordered = [&] {
        QueryParams r(params.rbegin(), params.rend());
        return unsigned_params(r);
    }();
    const auto linked = complete(reordered, user_);
    EXPECT_EQ(linked.shop_domain, kShop);
}

TEST_F(OAuthLinkTest, ExpiredStateIsRefused) {
    const auto started = start(user_, kShop);
    const auto query = approve(started);
    pool_->query_blocking("UPDATE oauth_states SET expires_at = now() - interval '1 second' WHERE state_hash = $1",
                          db::Params{crypto::sha256_hex(started.state)});
    expect_refused(query, user_, "expired");
}

TEST_F(OAuthLinkTest, LoginStateSignsInTheShopsUser) {
    const auto first = complete(approve(start(std::nullopt, kOtherShop)), std::nullopt);
    EXPECT_TRUE(first.login);
    EXPECT_FALSE(first.user_id.empty());
    const auto second = complete(approve(start(std::nullopt, kOtherShop)), std::nullopt);
    EXPECT_EQ(second.user_id, first.user_id);
    EXPECT_EQ(second.store_id, first.store_id);
    EXPECT_FALSE(second.created);
}

}  // namespace
}  // namespace alatar::shopify
