// The purge end to end against the real simulator: a store backfilled from the simulator goes idle past the
// retention age, the purge empties its cache, and the next ensure_fresh backfills it again so that the cache holds
// exactly what the simulator has (the generator's export), as before the purge.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "agents/retention.hpp"
#include "agents/sim_store_link.hpp"
#include "db/pool.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sim_process.hpp"
#include "shopify/sync.hpp"

namespace alatar::agents {
namespace {

using std::chrono::seconds;

// demo.myshopify.test is generated from the base seed itself, so `export --seed` reproduces it exactly.
constexpr const char* kShop = "demo.myshopify.test";
constexpr const char* kSeed = "4343";

std::string today_utc() { return format_rfc3339(std::chrono::system_clock::now()).substr(0, 10); }

struct Suite : shopify::testing::SimSuite {
    std::map<std::string, std::int64_t> truth;  // records per export file of kShop
    void open() {
        const std::string today = today_utc();
        if (!SimSuite::open("tiny", {kShop}, {"--seed", kSeed, "--today", today})) return;
        try {
            const auto dir =
                std::filesystem::temp_directory_path() / ("alatar-retention-truth-" + std::to_string(::getpid()));
            truth = shopify::testing::export_ground_truth(kShop, "tiny", kSeed, today, dir.string());
            std::filesystem::remove_all(dir);
        } catch (const std::exception& e) {
            error = std::string("suite set-up failed: ") + e.what();
        }
    }
};

class RetentionSimTest : public ::testing::Test {
  protected:
    static Suite& suite() {
        static Suite s;
        return s;
    }
    static void SetUpTestSuite() { suite().open(); }
    static void TearDownTestSuite() { suite().close(); }

    void SetUp() override {
        ASSERT_TRUE(suite().error.empty()) << suite().error;
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = suite().database.url(), .size = 4}, Logger::null());
        shopify::AdminClientOptions options;
        options.shop_url_template = suite().sim->shop_url_template();
        options.base_backoff = std::chrono::milliseconds(10);
        options.bulk_poll_interval = std::chrono::milliseconds(50);
        client_ = std::make_unique<shopify::AdminClient>(http_, options, Logger::null());
        sync_ = std::make_unique<shopify::StoreSync>(
            *pool_, *client_, keyring_,
            shopify::StoreSyncOptions{.cache_ttl = std::chrono::minutes(15), .database_url = suite().database.url()},
            Logger::null());
    }

    // A linked store with a simulator token sealed by the keyring, as OAuth leaves it.
    std::string link(const std::string& shop) { return testing::link_sim_store(*pool_, *suite().sim, keyring_, shop); }

    std::map<std::string, std::int64_t> cache_counts(const std::string& store) {
        const std::pair<const char*, const char*> tables[] = {
            {"orders.jsonl", "shop_orders"},
            {"line_items.jsonl", "shop_order_line_items"},
            {"products.jsonl", "shop_products"},
            {"variants.jsonl", "shop_product_variants"},
            {"customers.jsonl", "shop_customers"},
            {"locations.jsonl", "shop_locations"},
            {"inventory_levels.jsonl", "shop_inventory_levels"},
            {"refunds.jsonl", "shop_refunds"},
            {"refund_line_items.jsonl", "shop_refund_line_items"},
        };
        std::map<std::string, std::int64_t> out;
        for (const auto& [file, table] : tables) {
            out[file] =
                pool_
                    ->query_blocking("SELECT count(*) FROM " + std::string(table) + " WHERE store_id = $1::uuid",
                                     db::Params{store})
                    .scalar<std::int64_t>();
        }
        return out;
    }
    // Every cached order with its amounts and line items, as one digest: the same data, not just as many rows.
    std::string orders_digest(const std::string& store) {
        return pool_
            ->query_blocking(
                "SELECT coalesce(md5(string_agg(o.shopify_gid || o.name || o.total_amount::text || "
                "o.total_refunded_amount::text || coalesce(l.lines, ''), ',' ORDER BY o.shopify_gid)), '') "
                "FROM shop_orders o LEFT JOIN LATERAL (SELECT string_agg(li.shopify_gid || ':' || li.quantity, ';' "
                "ORDER BY li.shopify_gid) AS lines FROM shop_order_line_items li WHERE li.store_id = o.store_id AND "
                "li.order_gid = o.shopify_gid) l ON true WHERE o.store_id = $1::uuid",
                db::Params{store})
            .scalar<std::string>();
    }

    std::unique_ptr<db::Pool> pool_;
    shopify::CurlHttpClient http_;
    crypto::Keyring keyring_ = crypto::Keyring::parse(crypto::Keyring::generate_key_base64());
    std::unique_ptr<shopify::AdminClient> client_;
    std::unique_ptr<shopify::StoreSync> sync_;
};

TEST_F(RetentionSimTest, AfterAPurgeTheNextSyncBackfillsTheSimulatorsDataAgain) {
    const auto& truth = suite().truth;
    ASSERT_GT(truth.at("orders.jsonl"), 0);
    const auto store = link(kShop);
    ASSERT_TRUE(sync_->ensure_fresh(store, Deadline::after(seconds(180))).has_value());
    const auto before = cache_counts(store);
    for (const auto& [file, n] : before) EXPECT_EQ(n, truth.at(file)) << file;
    const auto digest = orders_digest(store);
    ASSERT_FALSE(digest.empty());

    // Idle for 40 days: link, last sync and sync state all that old (the trigger would stamp updated_at now()).
    pool_->query_blocking(
        "UPDATE shopify_stores SET linked_at = now() - interval '40 days', last_synced_at = now() - interval "
        "'40 days' WHERE id = $1::uuid",
        db::Params{store});
    pool_->transact_blocking([&](db::Transaction& tx) {
        tx.exec("ALTER TABLE store_sync_state DISABLE TRIGGER store_sync_state_updated_at");
        tx.exec(
            "UPDATE store_sync_state SET started_at = now() - interval '40 days', updated_at = now() - interval "
            "'40 days' WHERE store_id = $1::uuid",
            db::Params{store});
        tx.exec("ALTER TABLE store_sync_state ENABLE TRIGGER store_sync_state_updated_at");
    });
    // Without the purge the next ensure_fresh would fetch changes only; after it the store is as if never synced.
    RetentionOptions options;
    options.database_url = suite().database.url();
    options.cache_retention = std::chrono::hours(24 * 30);
    options.batch_size = 50;
    const auto report = run_retention(options);
    ASSERT_EQ(report.purged_stores, std::vector<std::string>{store});
    for (const auto& [file, n] : cache_counts(store)) EXPECT_EQ(n, 0) << file;

    const auto again = sync_->ensure_fresh(store, Deadline::after(seconds(180)));
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->full) << "a purged store must be backfilled, not synced incrementally";
    EXPECT_EQ(cache_counts(store), before);
    EXPECT_EQ(orders_digest(store), digest);
}

}  // namespace
}  // namespace alatar::agents
