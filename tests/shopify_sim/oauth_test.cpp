#include "shopify_sim/oauth.hpp"

#include <gtest/gtest.h>

#include <map>

#include "shopify_sim/webhooks.hpp"

namespace alatar::shopify_sim {
namespace {

// §3.2: the classic Shopify documentation example, re-computed.
constexpr std::string_view kDocQuery =
    "code=0907a61c0c8d55e99db179b68161bc00&hmac=4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20"
    "&shop=some-shop.myshopify.com&timestamp=1337178173";

TEST(QueryHmac, DocumentationVectorHolds) {
    const QueryParams params = parse_query(kDocQuery);
    EXPECT_EQ(hmac_message(params),
              "code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&timestamp=1337178173");
    EXPECT_EQ(query_hmac("hush", params), "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20");
    EXPECT_TRUE(verify_query_hmac("hush", params));
}

TEST(QueryHmac, VectorWithStateSortsBetweenShopAndTimestamp) {
    const QueryParams params = parse_query(
        "state=0.6784241404160823&code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com"
        "&timestamp=1337178173");
    EXPECT_EQ(query_hmac("hush", params), "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf");
}

TEST(QueryHmac, TamperingOrWrongSecretIsRefused) {
    std::string tampered(kDocQuery);
    tampered.replace(tampered.find("some-shop"), 9, "evil-shop");
    EXPECT_FALSE(verify_query_hmac("hush", parse_query(tampered)));
    EXPECT_FALSE(verify_query_hmac("other", parse_query(kDocQuery)));
    EXPECT_FALSE(verify_query_hmac("hush", parse_query("code=1&shop=a.myshopify.com")));  // no hmac
}

TEST(QueryHmac, EncodesLikeUrlSearchParamsWithSpacesAsPercent20) {
    const QueryParams params{{"b", "x y+z"}, {"a", "1/2"}, {"hmac", "ignored"}, {"signature", "ignored"}};
    EXPECT_EQ(hmac_message(params), "a=1%2F2&b=x%20y%2Bz");
    EXPECT_EQ(hmac_message({{"ids", "1"}, {"ids", "2"}}), "ids=1%2C2");
    EXPECT_EQ(parse_query("a=x+y&b=%41%42"), (QueryParams{{"a", "x y"}, {"b", "AB"}}));
}

TEST(QueryHmac, TimestampToleranceIsNinetySeconds) {
    const QueryParams params{{"timestamp", "1000"}};
    EXPECT_TRUE(timestamp_fresh(params, 1090));
    EXPECT_FALSE(timestamp_fresh(params, 1091));
    EXPECT_TRUE(timestamp_fresh(params, 910));
    EXPECT_FALSE(timestamp_fresh({{"timestamp", "x"}}, 1000));
}

TEST(ShopDomain, ValidatesWithConfigurableSuffix) {
    const ShopDomainValidator v(".myshopify.test");
    EXPECT_EQ(v.normalize("Demo.myshopify.test"), "demo.myshopify.test");
    EXPECT_EQ(v.normalize("my-shop_2.myshopify.test/"), "my-shop_2.myshopify.test");
    EXPECT_FALSE(v.normalize("demo.myshopify.com"));
    EXPECT_FALSE(v.normalize("-demo.myshopify.test"));
    EXPECT_FALSE(v.normalize("evil@demo.myshopify.test"));
    EXPECT_FALSE(v.normalize("a.b.myshopify.test"));
    EXPECT_FALSE(v.normalize(".myshopify.test"));
    EXPECT_EQ(ShopDomainValidator("myshopify.com").normalize("x.myshopify.com"), "x.myshopify.com");
}

TEST(Scopes, WriteImpliesRead) {
    const auto scopes = split_scopes("read_orders, write_products,read_orders");
    EXPECT_EQ(scopes, (std::vector<std::string>{"read_orders", "write_products"}));
    EXPECT_TRUE(scope_covers(scopes, "read_products"));
    EXPECT_TRUE(scope_covers(scopes, "write_products"));
    EXPECT_FALSE(scope_covers(scopes, "write_orders"));
    EXPECT_FALSE(scope_covers(scopes, "read_discounts"));
    EXPECT_EQ(join_scopes(scopes), "read_orders,write_products");
}

class OAuthFlow : public ::testing::Test {
  protected:
    OAuthFlow()
        : service_(
              OAuthConfig{}, [this] { return now_; },
              [this](std::size_t n) {
                  return std::string(n * 2 - 1, 'a') + static_cast<char>('0' + (counter_++ % 10));
              }) {}

    std::string authorize_code() {
        AuthorizeRequest req{"demo.myshopify.test",
                             "alatar-dev-key",
                             "read_orders,write_products",
                             "http://127.0.0.1:8080/auth/callback",
                             "nonce-1",
                             {}};
        auto result = service_.authorize(req);
        EXPECT_TRUE(std::holds_alternative<std::string>(result));
        const std::string url = std::get<std::string>(result);
        last_callback_ = parse_query(url.substr(url.find('?') + 1));
        for (const auto& [k, v] : last_callback_) {
            if (k == "code") return v;
        }
        return {};
    }

    Timestamp now_ = 1'700'000'000;
    int counter_ = 0;
    OAuthService service_;
    QueryParams last_callback_;
};

TEST_F(OAuthFlow, CallbackCarriesShopifysParametersSignedWithTheSecret) {
    const std::string code = authorize_code();
    ASSERT_FALSE(code.empty());
    std::vector<std::string> keys;
    for (const auto& [k, v] : last_callback_) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"code", "hmac", "host", "shop", "state", "timestamp"}));
    EXPECT_TRUE(verify_query_hmac("alatar-dev-secret", last_callback_));
    EXPECT_TRUE(timestamp_fresh(last_callback_, now_));
}

TEST_F(OAuthFlow, CodeIsSingleUse) {
    const std::string code = authorize_code();
    auto first = service_.exchange_code("demo.myshopify.test", "alatar-dev-key", "alatar-dev-secret", code);
    ASSERT_TRUE(std::holds_alternative<AccessTokenGrant>(first));
    const auto& grant = std::get<AccessTokenGrant>(first);
    EXPECT_TRUE(grant.access_token.starts_with("shpat_"));
    EXPECT_EQ(grant.scope, "read_orders,write_products");
    const auto info = service_.find_token(grant.access_token);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->shop, "demo.myshopify.test");
    auto again = service_.exchange_code("demo.myshopify.test", "alatar-dev-key", "alatar-dev-secret", code);
    ASSERT_TRUE(std::holds_alternative<OAuthError>(again));
    EXPECT_EQ(std::get<OAuthError>(again).error, "invalid_request");
}

TEST_F(OAuthFlow, CodeExpires) {
    const std::string code = authorize_code();
    now_ += service_.config().code_ttl_seconds;
    auto result = service_.exchange_code("demo.myshopify.test", "alatar-dev-key", "alatar-dev-secret", code);
    ASSERT_TRUE(std::holds_alternative<OAuthError>(result));
    EXPECT_NE(std::get<OAuthError>(result).description.find("expired"), std::string::npos);
}

TEST_F(OAuthFlow, WrongSecretOrShopIsRefused) {
    const std::string code = authorize_code();
    auto bad_secret = service_.exchange_code("demo.myshopify.test", "alatar-dev-key", "nope", code);
    ASSERT_TRUE(std::holds_alternative<OAuthError>(bad_secret));
    EXPECT_EQ(std::get<OAuthError>(bad_secret).error, "invalid_client");
    auto other_shop = service_.exchange_code("other.myshopify.test", "alatar-dev-key", "alatar-dev-secret", code);
    EXPECT_TRUE(std::holds_alternative<OAuthError>(other_shop));
}

TEST_F(OAuthFlow, AuthorizeRejectsBadInput) {
    AuthorizeRequest req{"demo.myshopify.test", "wrong-key", "read_orders", "http://x/cb", "s", {}};
    EXPECT_TRUE(std::holds_alternative<OAuthError>(service_.authorize(req)));
    req.client_id = "alatar-dev-key";
    req.scope = "read_orders,DROP TABLE";
    EXPECT_TRUE(std::holds_alternative<OAuthError>(service_.authorize(req)));
    req.scope = "read_orders";
    req.shop = "demo.example.com";
    EXPECT_TRUE(std::holds_alternative<OAuthError>(service_.authorize(req)));
}

TEST_F(OAuthFlow, RevokingAShopInvalidatesItsTokens) {
    const auto grant = service_.issue_token("demo.myshopify.test", {"read_orders"});
    const auto other = service_.issue_token("other.myshopify.test", {"read_orders"});
    EXPECT_EQ(service_.revoke_shop("demo.myshopify.test"), 1U);
    EXPECT_FALSE(service_.find_token(grant.access_token));
    EXPECT_TRUE(service_.find_token(other.access_token));
}

TEST(Webhooks, HmacIsBase64OfTheRawBody) {
    EXPECT_EQ(webhook_hmac("hush", R"({"id":1})"), "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY=");
    EXPECT_TRUE(verify_webhook_hmac("hush", R"({"id":1})", "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="));
    EXPECT_FALSE(verify_webhook_hmac("hush", R"({"id":2})", "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY="));
    EXPECT_FALSE(verify_webhook_hmac("hush", "", webhook_hmac("hush", "")));
}

TEST(Webhooks, HeadersAndTopics) {
    WebhookDelivery d{"orders/create", "demo.myshopify.test", "2026-01", "wh-1", "ev-1", 0, R"({"id":1})"};
    const auto headers = webhook_headers(d, "hush");
    std::map<std::string, std::string> h(headers.begin(), headers.end());
    EXPECT_EQ(h["X-Shopify-Topic"], "orders/create");
    EXPECT_EQ(h["X-Shopify-Hmac-Sha256"], "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY=");
    EXPECT_EQ(h["X-Shopify-Shop-Domain"], "demo.myshopify.test");
    EXPECT_EQ(h["X-Shopify-API-Version"], "2026-01");
    EXPECT_EQ(h["X-Shopify-Webhook-Id"], "wh-1");
    EXPECT_EQ(h["X-Shopify-Event-Id"], "ev-1");
    EXPECT_EQ(h["X-Shopify-Triggered-At"], "1970-01-01T00:00:00Z");
    EXPECT_EQ(topic_from_enum("APP_UNINSTALLED"), "app/uninstalled");
    EXPECT_EQ(enum_from_topic("products/update"), "PRODUCTS_UPDATE");
    EXPECT_FALSE(topic_from_enum("NOPE"));
}

}  // namespace
}  // namespace alatar::shopify_sim
