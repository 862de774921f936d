// POST /webhooks/shopify: signature cases (current and previous secret, tampered body, missing header),
// deduplication by X-Shopify-Webhook-Id, and what each topic does to the stored data.
#include "api/webhook_shopify.hpp"

#include <gtest/gtest.h>

#include <string>

#include "api_fixture.hpp"
#include "common/crypto.hpp"
#include "identity_node_sign.hpp"

namespace alatar::api::test {
namespace {

constexpr const char* kSecret = "hook-secret-now";
constexpr const char* kPreviousSecret = "hook-secret-before";
constexpr const char* kShop = "hooks.myshopify.test";

class WebhookTest : public ApiFixture {
  protected:
    void adjust(ApiOptions& options) override {
        options.config.shopify_shop_suffix = ".myshopify.test";
        options.config.shopify_api_key = "hook-key";
        options.config.shopify_api_secret = kSecret;
        options.config.shopify_api_secret_previous = kPreviousSecret;
    }

    HttpResult deliver(const std::string& topic, const std::string& body, const std::string& webhook_id,
                       std::optional<std::string> hmac = std::nullopt, const std::string& shop = kShop) {
        std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                                   {"X-Shopify-Topic", topic},
                                                   {"X-Shopify-Shop-Domain", shop},
                                                   {"X-Shopify-Webhook-Id", webhook_id},
                                                   {"X-Shopify-API-Version", "2026-01"}};
        const std::string mac = hmac.value_or(crypto::hmac_sha256_base64(kSecret, body));
        if (!mac.empty()) headers["X-Shopify-Hmac-Sha256"] = mac;
        return http_request(server_->port(), "POST", "/webhooks/shopify", body, headers);
    }

    std::int64_t count(const std::string& statement, const db::Params& params = {}) {
        return sql(statement, params).get<std::int64_t>(0, 0);
    }

    // A user with a linked store of kShop (sealed-looking token) and one cached customer and order.
    std::string seed_store() {
        const auto user =
            sql("INSERT INTO users (email) VALUES ('hooks@example.com') RETURNING id::text").get<std::string>(0, 0);
        const auto store = sql("INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id) "
                               "VALUES ($1, $2, convert_to('v1.k1.c2VhbGVk', 'UTF8'), 'k1') RETURNING id::text",
                               db::Params{user, kShop})
                               .get<std::string>(0, 0);
        sql("INSERT INTO store_sync_state (store_id, phase) VALUES ($1, 'DONE')", db::Params{store});
        sql("INSERT INTO shop_customers (store_id, shopify_gid, email, first_name, expires_at) VALUES ($1, "
            "'gid://shopify/Customer/42', 'jane@example.com', 'Jane', now() + interval '1 hour')",
            db::Params{store});
        sql("INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, currency, customer_gid, expires_at) "
            "VALUES ($1, 'gid://shopify/Order/7', '#1001', now(), 'EUR', 'gid://shopify/Customer/42', "
            "now() + interval '1 hour')",
            db::Params{store});
        sql("INSERT INTO analysis_requests (user_id, store_id, prompt) VALUES ($1, $2, 'why?')",
            db::Params{user, store});
        return store;
    }
};

TEST(WebhookSignatureTest, AcceptsCurrentAndPreviousSecretOnly) {
    Config config = Config::defaults();
    config.shopify_api_secret = kSecret;
    const std::string body = R"({"id":1})";
    EXPECT_TRUE(verify_webhook_signature(config, body, crypto::hmac_sha256_base64(kSecret, body)));
    EXPECT_FALSE(verify_webhook_signature(config, body, crypto::hmac_sha256_base64(kPreviousSecret, body)));
    config.shopify_api_secret_previous = kPreviousSecret;
    EXPECT_TRUE(verify_webhook_signature(config, body, crypto::hmac_sha256_base64(kPreviousSecret, body)));
    EXPECT_FALSE(verify_webhook_signature(config, body + " ", crypto::hmac_sha256_base64(kSecret, body)));
    EXPECT_FALSE(verify_webhook_signature(config, body, crypto::hmac_sha256_hex(kSecret, body)));  // hex, not base64
    EXPECT_FALSE(verify_webhook_signature(config, body, ""));
    // A known vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), base64.
    config.shopify_api_secret = "key";
    EXPECT_TRUE(verify_webhook_signature(config, "The quick brown fox jumps over the lazy dog",
                                         "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="));
}

TEST_F(WebhookTest, BadOrMissingSignaturesAnswer401AndRecordNothing) {
    const std::string body = R"({"id":1,"admin_graphql_api_id":"gid://shopify/Order/1"})";
    EXPECT_EQ(deliver("orders/create", body, "w-missing", std::string{}).status, 401U);
    EXPECT_EQ(deliver("orders/create", body, "w-bad", crypto::hmac_sha256_base64("wrong", body)).status, 401U);
    EXPECT_EQ(deliver("orders/create", body, "w-tampered", crypto::hmac_sha256_base64(kSecret, body + "x")).status,
              401U);
    EXPECT_EQ(count("SELECT count(*) FROM webhook_deliveries"), 0);

    EXPECT_EQ(deliver("orders/create", body, "w-now").status, 200U);
    EXPECT_EQ(deliver("orders/create", body, "w-before", crypto::hmac_sha256_base64(kPreviousSecret, body)).status,
              200U);
    EXPECT_EQ(count("SELECT count(*) FROM webhook_deliveries WHERE processed_at IS NOT NULL"), 2);
    // Signed, but for a host that is not a shop.
    EXPECT_EQ(deliver("orders/create", body, "w-evil", std::nullopt, "evil.com").status, 400U);
}

TEST_F(WebhookTest, SignatureMadeByShopifyApiLibraryIsAccepted) {
    const std::string body = R"({"id":820982911946154508,"email":"jon@example.com","note":"caf\u00e9 ✓"})";
    EXPECT_EQ(deliver("orders/create", body, "lib-1", shopify_api_sign("webhook", kSecret, body)).status, 200U);
    EXPECT_EQ(deliver("orders/create", body, "lib-2", shopify_api_sign("webhook", "another-secret", body)).status,
              401U);
    EXPECT_EQ(count("SELECT count(*) FROM webhook_deliveries"), 1);
}

TEST_F(WebhookTest, DuplicatesAreAcknowledgedOnce) {
    const auto store = seed_store();
    const std::string body = R"({"shop_id":1,"shop_domain":"hooks.myshopify.test"})";
    const auto first = deliver("app/uninstalled", body, "dup-1");
    EXPECT_EQ(first.status, 200U);
    sql("UPDATE shopify_stores SET status = 'ACTIVE'");
    const auto second = deliver("app/uninstalled", body, "dup-1");
    EXPECT_EQ(second.status, 200U);
    EXPECT_NE(second.body.find("duplicate"), std::string::npos) << second.body;
    EXPECT_EQ(count("SELECT count(*) FROM webhook_deliveries"), 1);
    EXPECT_EQ(sql("SELECT status FROM shopify_stores WHERE id = $1", db::Params{store}).get<std::string>(0, 0),
              "ACTIVE");  // the repeat had no effect
}

TEST_F(WebhookTest, AppUninstalledDropsTokenAndStopsWork) {
    const auto store = seed_store();
    EXPECT_EQ(deliver("app/uninstalled", R"({"id":1})", "u-1").status, 200U);
    const auto row = sql("SELECT status, access_token_ciphertext IS NULL, key_id IS NULL FROM shopify_stores");
    EXPECT_EQ(row.get<std::string>(0, 0), "UNINSTALLED");
    EXPECT_TRUE(row.get<bool>(0, 1));
    EXPECT_TRUE(row.get<bool>(0, 2));
    EXPECT_EQ(sql("SELECT status FROM analysis_requests").get<std::string>(0, 0), "CANCELLED");
    EXPECT_EQ(sql("SELECT phase FROM store_sync_state").get<std::string>(0, 0), "CANCELLED");
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'store.uninstalled' AND subject = $1",
                    db::Params{"store:" + store}),
              1);
}

TEST_F(WebhookTest, OrderAndProductUpdatesExpireTheCachedRow) {
    seed_store();
    EXPECT_EQ(deliver("orders/updated", R"({"id":7,"admin_graphql_api_id":"gid://shopify/Order/7"})", "o-1").status,
              200U);
    EXPECT_EQ(count("SELECT count(*) FROM shop_orders WHERE expires_at <= now()"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM shop_customers WHERE expires_at <= now()"), 0);
}

TEST_F(WebhookTest, OrderWebhookQueuesOneCoalescedStoreRefreshJob) {
    const auto store = seed_store();
    const std::string body = R"({"id":8,"admin_graphql_api_id":"gid://shopify/Order/8"})";
    const std::string jobs = "SELECT count(*) FROM outbox WHERE topic = 'store_refresh'";

    // A tampered signature: refused before anything is written.
    EXPECT_EQ(deliver("orders/create", body, "r-0", crypto::hmac_sha256_base64(kSecret, body + " ")).status, 401U);
    EXPECT_EQ(count(jobs), 0);

    // The first delivery writes exactly one job for the store, in the same transaction as the delivery.
    EXPECT_EQ(deliver("orders/create", body, "r-1").status, 200U);
    EXPECT_EQ(count(jobs), 1);
    const auto job =
        sql("SELECT payload->>'type', payload->'payload'->>'store_id', headers->>'exchange', "
            "(payload->'payload'->>'requested_at')::timestamptz <= (SELECT received_at FROM webhook_deliveries WHERE "
            "webhook_id = 'r-1') FROM outbox WHERE topic = 'store_refresh'");
    EXPECT_EQ(job.get<std::string>(0, 0), "store.refresh");
    EXPECT_EQ(job.get<std::string>(0, 1), store);
    EXPECT_EQ(job.get<std::string>(0, 2), "work");
    EXPECT_TRUE(job.get<bool>(0, 3));

    // While it is unsent, other events of the shop add none; a duplicate delivery adds none either.
    EXPECT_EQ(deliver("orders/updated", body, "r-2").status, 200U);
    EXPECT_EQ(deliver("products/update", R"({"id":3})", "r-3").status, 200U);
    EXPECT_EQ(deliver("orders/create", body, "r-1").status, 200U);
    EXPECT_EQ(count(jobs), 1);
    EXPECT_EQ(count("SELECT count(*) FROM webhook_deliveries WHERE processed_at IS NOT NULL"), 3);

    // Once the relay has sent it, the next event queues a new one (its changes may postdate that sync).
    sql("UPDATE outbox SET sent_at = now() WHERE topic = 'store_refresh'");
    EXPECT_EQ(deliver("orders/create", body, "r-4").status, 200U);
    EXPECT_EQ(count(jobs), 2);
    EXPECT_EQ(count(jobs + " AND sent_at IS NULL"), 1);
}

TEST_F(WebhookTest, StoreRefreshIsQueuedOnlyForActiveStoresOfTheShop) {
    const auto store = seed_store();
    const std::string body = R"({"id":8})";
    EXPECT_EQ(deliver("orders/create", body, "a-1", std::nullopt, "other.myshopify.test").status, 200U);
    EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE topic = 'store_refresh'"), 0);  // no store of that shop
    sql("UPDATE shopify_stores SET status = 'UNINSTALLED' WHERE id = $1", db::Params{store});
    EXPECT_EQ(deliver("orders/create", body, "a-2").status, 200U);
    EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE topic = 'store_refresh'"), 0);
    // Two accounts linked to the same shop: one job each.
    sql("UPDATE shopify_stores SET status = 'ACTIVE' WHERE id = $1", db::Params{store});
    const auto other =
        sql("INSERT INTO users (email) VALUES ('hooks2@example.com') RETURNING id::text").get<std::string>(0, 0);
    sql("INSERT INTO shopify_stores (user_id, shop_domain) VALUES ($1, $2)", db::Params{other, kShop});
    EXPECT_EQ(deliver("orders/create", body, "a-3").status, 200U);
    EXPECT_EQ(count("SELECT count(DISTINCT payload->'payload'->>'store_id') FROM outbox WHERE topic = "
                    "'store_refresh'"),
              2);
}

TEST_F(WebhookTest, PrivacyRequestsExportRedactAndDelete) {
    const auto store = seed_store();
    const std::string request =
        R"({"shop_id":1,"shop_domain":"hooks.myshopify.test","customer":{"id":42,"email":"jane@example.com"},)"
        R"("orders_requested":[7],"data_request":{"id":9}})";
    EXPECT_EQ(deliver("customers/data_request", request, "p-1").status, 200U);
    const auto exported = sql(
        "SELECT payload->'export'->'customers'->0->>'email', jsonb_array_length(payload->'export'->'orders'), status, "
        "store_id::text FROM privacy_requests WHERE kind = 'customers/data_request'");
    ASSERT_EQ(exported.rows(), 1);
    EXPECT_EQ(exported.get<std::string>(0, 0), "jane@example.com");
    EXPECT_EQ(exported.get<std::int64_t>(0, 1), 1);
    EXPECT_EQ(exported.get<std::string>(0, 2), "COMPLETED");
    EXPECT_EQ(exported.get<std::string>(0, 3), store);

    const std::string redact =
        R"({"shop_id":1,"shop_domain":"hooks.myshopify.test","customer":{"id":42},"orders_to_redact":[7]})";
    EXPECT_EQ(deliver("customers/redact", redact, "p-2").status, 200U);
    EXPECT_EQ(count("SELECT count(*) FROM shop_customers"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM shop_orders WHERE customer_gid IS NOT NULL"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM shop_orders"), 1);  // the sale stays, without the person

    EXPECT_EQ(deliver("shop/redact", R"({"shop_id":1,"shop_domain":"hooks.myshopify.test"})", "p-3").status, 200U);
    EXPECT_EQ(count("SELECT count(*) FROM shopify_stores"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM shop_orders"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM privacy_requests WHERE status = 'COMPLETED'"), 3);
}

}  // namespace
}  // namespace alatar::api::test
