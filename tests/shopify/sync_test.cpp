// Sync of simulated shops (profile tiny) into a private database: the cache against the generator's ground truth,
// the TTL (no Admin API request while fresh), increments after changes, one sync for concurrent callers, a
// resumed backfill, and a revoked token.
#include "shopify/sync.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sim_process.hpp"

namespace alatar::shopify {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

// demo.myshopify.test is generated from the base seed itself, so `export --seed` reproduces it exactly.
constexpr const char* kShop = "demo.myshopify.test";
constexpr const char* kTwinShop = "twin.myshopify.test";
constexpr const char* kResumeShop = "resume.myshopify.test";
constexpr const char* kGoneShop = "gone.myshopify.test";
constexpr const char* kSeed = "4242";

std::string today_utc() { return format_rfc3339(std::chrono::system_clock::now()).substr(0, 10); }

struct Suite : testing::SimSuite {
    std::map<std::string, std::int64_t> ground_truth;  // records per export file of kShop
    // kShop's refund lines in the ground truth: units and merchandise subtotal (cents).
    std::int64_t refunded_units = 0;
    std::int64_t refunded_subtotal_cents = 0;
    void open() {
        const std::string today = today_utc();
        if (!SimSuite::open("tiny", {kShop, kTwinShop, kResumeShop, kGoneShop}, {"--seed", kSeed, "--today", today}))
            return;
        try {
            const auto dir =
                std::filesystem::temp_directory_path() / ("alatar-sync-truth-" + std::to_string(::getpid()));
            ground_truth = testing::export_ground_truth(kShop, "tiny", kSeed, today, dir.string());
            std::ifstream lines(dir / "refund_line_items.jsonl");
            for (std::string line; std::getline(lines, line);) {
                const auto o = json::parse(line).as_object();
                refunded_units += o.at("quantity").to_number<std::int64_t>();
                refunded_subtotal_cents += std::llround(std::stod(std::string(o.at("subtotal").as_string())) * 100);
            }
            std::filesystem::remove_all(dir);
        } catch (const std::exception& e) {
            error = std::string("suite set-up failed: ") + e.what();
        }
    }
};

// Counts what Alatar sends: Admin API calls, bulk runs among them, and bulk file downloads.
class CountingHttp : public HttpClient {
  public:
    HttpResponse send(const HttpRequest& request, Deadline deadline) override {
        if (request.url.ends_with("/graphql.json")) ++admin_calls;
        if (request.body.find("bulkOperationRunQuery") != std::string::npos) ++bulk_runs;
        return inner_.send(request, deadline);
    }
    long stream(const std::string& url, Deadline deadline,
                const std::function<void(std::string_view)>& on_chunk) override {
        ++downloads;
        return inner_.stream(url, deadline, on_chunk);
    }
    void reset() {
        admin_calls = 0;
        bulk_runs = 0;
        downloads = 0;
    }

    std::atomic<int> admin_calls{0};
    std::atomic<int> bulk_runs{0};
    std::atomic<int> downloads{0};

  private:
    CurlHttpClient inner_;
};

class SyncTest : public ::testing::Test {
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
        AdminClientOptions options;
        options.shop_url_template = suite().sim->shop_url_template();
        options.base_backoff = std::chrono::milliseconds(10);
        options.bulk_poll_interval = std::chrono::milliseconds(50);
        client_ = std::make_unique<AdminClient>(http_, options, Logger::null());
        sync_ = make_sync();
    }

    std::unique_ptr<StoreSync> make_sync() {
        return std::make_unique<StoreSync>(
            *pool_, *client_, keyring_,
            StoreSyncOptions{.cache_ttl = std::chrono::minutes(15), .database_url = suite().database.url()},
            Logger::null());
    }

    // A linked store as complete_oauth leaves it, with a token from the simulator sealed by the Keyring.
    std::string link(const std::string& shop, std::string& token) {
        token = suite().sim->issue_token(shop);
        const auto user =
            pool_->query_blocking("INSERT INTO users DEFAULT VALUES RETURNING id::text").scalar<std::string>();
        return pool_
            ->query_blocking(
                "INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id) "
                "VALUES ($1, $2, convert_to($3, 'UTF8'), $4) RETURNING id::text",
                db::Params{user, shop, keyring_.encrypt(token, token_associated_data(shop)), keyring_.current_kid()})
            .scalar<std::string>();
    }

    std::int64_t rows(const std::string& table, const std::string& store) {
        return pool_->query_blocking("SELECT count(*) FROM " + table + " WHERE store_id::text = $1", db::Params{store})
            .scalar<std::int64_t>();
    }
    std::int64_t api_count(const ShopCredentials& shop, std::string_view field) {
        const auto res =
            client_->query(shop, "{ " + std::string(field) + " { count } }", {}, Deadline::after(seconds(30)));
        return res.data.at(field).at("count").to_number<std::int64_t>();
    }
    // As if the TTL had passed since the last sync.
    void age_cache(const std::string& store) {
        pool_->query_blocking(
            "UPDATE shopify_stores SET last_synced_at = last_synced_at - interval '20 minutes' WHERE id::text = $1",
            db::Params{store});
    }

    std::unique_ptr<db::Pool> pool_;
    CountingHttp http_;
    crypto::Keyring keyring_ = crypto::Keyring::parse(crypto::Keyring::generate_key_base64());
    std::unique_ptr<AdminClient> client_;
    std::unique_ptr<StoreSync> sync_;
};

TEST_F(SyncTest, BackfillEqualsGroundTruthTtlSkipsShopifyIncrementPicksUpChanges) {
    const auto& truth = suite().ground_truth;
    ASSERT_GT(truth.at("orders.jsonl"), 0);
    std::string token;
    const auto store = link(kShop, token);
    const ShopCredentials shop{kShop, token};

    // Never synced: a backfill by bulk operations.
    http_.reset();
    const auto started = std::chrono::steady_clock::now();
    // For the figures: when the REFUNDS phase (pages, after the bulk phases) starts.
    std::atomic<bool> done{false};
    double bulk_ms = 0;
    int bulk_calls = 0;
    std::thread watcher([&] {
        while (!done) {
            const auto phase = pool_->query_blocking(
                "SELECT phase FROM store_sync_state WHERE store_id::text = $1 AND phase = 'REFUNDS'",
                db::Params{store});
            if (!phase.empty()) {
                bulk_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
                bulk_calls = http_.admin_calls;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    const auto backfill = sync_->ensure_fresh(store, Deadline::after(seconds(180)));
    const double backfill_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    done = true;
    watcher.join();
    std::cout << "[ FIGURE   ] tiny backfill until REFUNDS: " << bulk_ms << " ms, " << bulk_calls
              << " Admin API calls\n";
    ASSERT_TRUE(backfill.has_value());
    EXPECT_TRUE(backfill->full);
    EXPECT_EQ(http_.bulk_runs, 5);
    EXPECT_EQ(backfill->orphans, 0);
    std::cout << "[ FIGURE   ] tiny backfill: " << truth.at("orders.jsonl") << " orders, "
              << truth.at("line_items.jsonl") << " line items in " << backfill_ms << " ms, " << http_.admin_calls
              << " Admin API calls\n";

    EXPECT_EQ(rows("shop_orders", store), truth.at("orders.jsonl"));
    EXPECT_EQ(rows("shop_order_line_items", store), truth.at("line_items.jsonl"));
    EXPECT_EQ(rows("shop_products", store), truth.at("products.jsonl"));
    EXPECT_EQ(rows("shop_product_variants", store), truth.at("variants.jsonl"));
    EXPECT_EQ(rows("shop_customers", store), truth.at("customers.jsonl"));
    EXPECT_EQ(rows("shop_locations", store), truth.at("locations.jsonl"));
    EXPECT_EQ(rows("shop_inventory_levels", store), truth.at("inventory_levels.jsonl"));
    // Refunds with their lines, each line pointing at a cached line item of the refund's order.
    ASSERT_GT(truth.at("refund_line_items.jsonl"), 0);
    EXPECT_EQ(rows("shop_refunds", store), truth.at("refunds.jsonl"));
    EXPECT_EQ(rows("shop_refund_line_items", store), truth.at("refund_line_items.jsonl"));
    const auto refunded = pool_->query_blocking(
        "SELECT sum(rl.quantity), round(sum(rl.subtotal_amount) * 100)::bigint, "
        "count(*) FILTER (WHERE li.order_gid IS DISTINCT FROM r.order_gid) FROM shop_refund_line_items rl "
        "JOIN shop_refunds r ON r.store_id = rl.store_id AND r.shopify_gid = rl.refund_gid "
        "LEFT JOIN shop_order_line_items li ON li.store_id = rl.store_id AND li.shopify_gid = rl.line_item_gid "
        "WHERE rl.store_id::text = $1",
        db::Params{store});
    EXPECT_EQ(refunded.get<std::int64_t>(0, 0), suite().refunded_units);
    EXPECT_EQ(refunded.get<std::int64_t>(0, 1), suite().refunded_subtotal_cents);
    EXPECT_EQ(refunded.get<std::int64_t>(0, 2), 0) << "refund lines whose line item is not of the refund's order";
    const auto summary = cache_summary(*pool_, store);
    EXPECT_EQ(summary.orders, truth.at("orders.jsonl"));
    EXPECT_EQ(summary.products, truth.at("products.jsonl"));
    EXPECT_FALSE(summary.stale);
    EXPECT_TRUE(summary.fetched_at.has_value());
    const auto state = pool_->query_blocking(
        "SELECT phase, progress, cursor IS NULL FROM store_sync_state WHERE store_id::text = $1", db::Params{store});
    EXPECT_EQ(state.get<std::string>(0, 0), "DONE");
    EXPECT_EQ(state.get<double>(0, 1), 1.0);
    EXPECT_TRUE(state.get<bool>(0, 2));

    // Money as the API reports it (summed over a bulk export of its own).
    double api_total = 0;
    const auto op = client_->wait_for_bulk(
        shop,
        client_->start_bulk_query(shop, "{ orders { edges { node { totalPriceSet { shopMoney { amount } } } } } }",
                                  Deadline::after(seconds(60))),
        Deadline::after(seconds(60)));
    ASSERT_TRUE(op.url.has_value());
    client_->download_lines(*op.url, Deadline::after(seconds(60)), [&](std::string_view line) {
        api_total +=
            std::stod(std::string(json::parse(line).at("totalPriceSet").at("shopMoney").at("amount").as_string()));
    });
    EXPECT_NEAR(pool_
                    ->query_blocking("SELECT sum(total_amount)::float8 FROM shop_orders WHERE store_id::text = $1",
                                     db::Params{store})
                    .scalar<double>(),
                api_total, 0.01);

    // Within the TTL: nothing is asked of Shopify.
    http_.reset();
    EXPECT_FALSE(sync_->ensure_fresh(store, Deadline::after(seconds(30))).has_value());
    EXPECT_EQ(http_.admin_calls, 0);
    EXPECT_EQ(http_.downloads, 0);

    // The shop changes: a new order (simulator admin API) and a renamed product (Admin API).
    const auto variant =
        pool_
            ->query_blocking("SELECT shopify_gid FROM shop_product_variants WHERE store_id::text = $1 LIMIT 1",
                             db::Params{store})
            .scalar<std::string>();
    HttpRequest order;
    order.method = "POST";
    order.url = suite().sim->base_url() + "/_sim/shops/" + kShop + "/orders";
    order.headers = {{"Content-Type", "application/json"}};
    order.body = R"({"lineItems":[{"variantId":")" + variant + R"(","quantity":2}]})";
    const auto created = http_.send(order, Deadline::after(seconds(10)));
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string new_order(json::parse(created.body).at("order").at("id").as_string());
    const auto product = pool_
                             ->query_blocking(
                                 "SELECT shopify_gid FROM shop_products WHERE store_id::text = $1 ORDER BY shopify_gid "
                                 "LIMIT 1",
                                 db::Params{store})
                             .scalar<std::string>();
    const auto renamed = client_->query(
        shop, "mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } }",
        json::object{{"p", json::object{{"id", product}, {"title", "Renamed by the sync test"}}}},
        Deadline::after(seconds(10)));
    ASSERT_TRUE(renamed.data.at("productUpdate").at("userErrors").as_array().empty());

    // Still within the TTL: the change is not fetched yet.
    EXPECT_FALSE(sync_->ensure_fresh(store, Deadline::after(seconds(30))).has_value());
    EXPECT_EQ(rows("shop_orders", store), truth.at("orders.jsonl"));

    // TTL passed: an increment by updated_at (pages, no bulk operation) picks both up.
    age_cache(store);
    http_.reset();
    const auto increment = sync_->ensure_fresh(store, Deadline::after(seconds(120)));
    ASSERT_TRUE(increment.has_value());
    EXPECT_FALSE(increment->full);
    EXPECT_EQ(http_.bulk_runs, 0);
    EXPECT_EQ(http_.downloads, 0);
    EXPECT_GT(http_.admin_calls, 0);
    EXPECT_GE(increment->written.at("Order"), 1);
    EXPECT_LT(increment->written.at("Order"), truth.at("orders.jsonl"));  // a window, not everything again
    EXPECT_EQ(rows("shop_orders", store), truth.at("orders.jsonl") + 1);
    EXPECT_EQ(rows("shop_orders", store), api_count(shop, "ordersCount"));
    EXPECT_EQ(pool_
                  ->query_blocking(
                      "SELECT sum(quantity) FROM shop_order_line_items WHERE store_id::text = $1 AND order_gid = $2",
                      db::Params{store, new_order})
                  .scalar<std::int64_t>(),
              2);
    EXPECT_EQ(pool_
                  ->query_blocking("SELECT title FROM shop_products WHERE store_id::text = $1 AND shopify_gid = $2",
                                   db::Params{store, product})
                  .scalar<std::string>(),
              "Renamed by the sync test");
    EXPECT_FALSE(cache_summary(*pool_, store).stale);

    // Fresh again.
    http_.reset();
    EXPECT_FALSE(sync_->ensure_fresh(store, Deadline::after(seconds(30))).has_value());
    EXPECT_EQ(http_.admin_calls, 0);
}

TEST_F(SyncTest, ConcurrentCallersSyncOnce) {
    std::string token;
    const auto store = link(kTwinShop, token);
    auto other = make_sync();  // as a second worker would have
    http_.reset();
    std::optional<SyncReport> first;
    std::optional<SyncReport> second;
    std::thread t1([&] { first = sync_->ensure_fresh(store, Deadline::after(seconds(180))); });
    std::thread t2([&] { second = other->ensure_fresh(store, Deadline::after(seconds(180))); });
    t1.join();
    t2.join();
    EXPECT_NE(first.has_value(), second.has_value()) << "exactly one of the two callers syncs";
    EXPECT_EQ(http_.bulk_runs, 5);
    const ShopCredentials shop{kTwinShop, token};
    EXPECT_EQ(rows("shop_orders", store), api_count(shop, "ordersCount"));
    EXPECT_EQ(rows("shop_products", store), api_count(shop, "productsCount"));
}

TEST_F(SyncTest, CutShortBackfillResumesAfterItsLastFinishedPhase) {
    std::string token;
    const auto store = link(kResumeShop, token);
    ASSERT_TRUE(sync_->backfill(store, Deadline::after(seconds(180))).full);
    const auto orders = rows("shop_orders", store);
    const auto levels = rows("shop_inventory_levels", store);
    const auto refunds = rows("shop_refunds", store);
    const auto refund_lines = rows("shop_refund_line_items", store);
    ASSERT_GT(orders, 0);
    ASSERT_GT(refund_lines, 0);
    // As an attempt stopped after PRODUCTS, CUSTOMERS and ORDERS would have left it.
    pool_->query_blocking(
        "UPDATE store_sync_state SET phase = 'FAILED', cursor = 'backfill ' || "
        "to_char(s.last_synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || ' 3' "
        "FROM shopify_stores s WHERE s.id = store_sync_state.store_id AND s.id::text = $1",
        db::Params{store});
    pool_->query_blocking("UPDATE shopify_stores SET last_synced_at = NULL WHERE id::text = $1", db::Params{store});
    http_.reset();
    const auto report = sync_->ensure_fresh(store, Deadline::after(seconds(180)));
    ASSERT_TRUE(report.has_value());
    EXPECT_TRUE(report->full);
    EXPECT_EQ(http_.bulk_runs, 2);  // LOCATIONS and INVENTORY only, then the REFUNDS pages
    EXPECT_EQ(report->written.count("Order"), 0U);
    EXPECT_EQ(rows("shop_refunds", store), refunds);
    EXPECT_EQ(rows("shop_refund_line_items", store), refund_lines);

    // Cut short within REFUNDS (all bulk phases done): no bulk operation again, the refunds are read again.
    pool_->query_blocking("DELETE FROM shop_refunds WHERE store_id::text = $1", db::Params{store});
    pool_->query_blocking(
        "UPDATE store_sync_state SET phase = 'FAILED', cursor = 'backfill ' || "
        "to_char(s.last_synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') || ' 5' "
        "FROM shopify_stores s WHERE s.id = store_sync_state.store_id AND s.id::text = $1",
        db::Params{store});
    pool_->query_blocking("UPDATE shopify_stores SET last_synced_at = NULL WHERE id::text = $1", db::Params{store});
    http_.reset();
    const auto started = std::chrono::steady_clock::now();
    const auto refunds_only = sync_->ensure_fresh(store, Deadline::after(seconds(180)));
    std::cout << "[ FIGURE   ] tiny REFUNDS phase alone: " << refunds << " refunds in "
              << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count()
              << " ms, " << http_.admin_calls << " Admin API calls\n";
    ASSERT_TRUE(refunds_only.has_value());
    EXPECT_EQ(http_.bulk_runs, 0);
    EXPECT_EQ(refunds_only->written.at("Refund"), refunds);
    EXPECT_EQ(rows("shop_refunds", store), refunds);
    EXPECT_EQ(rows("shop_refund_line_items", store), refund_lines);
    EXPECT_EQ(rows("shop_orders", store), orders);
    EXPECT_EQ(rows("shop_orders", store), orders);  // rows of the earlier phases are kept
    EXPECT_EQ(rows("shop_inventory_levels", store), levels);
    EXPECT_FALSE(
        pool_
            ->query_blocking("SELECT last_synced_at IS NULL FROM shopify_stores WHERE id::text = $1", db::Params{store})
            .scalar<bool>());
}

TEST_F(SyncTest, RevokedTokenMarksTheStore) {
    std::string token;
    const auto store = link(kGoneShop, token);
    suite().sim->set_faults(std::string(R"({"revoke_token":")") + kGoneShop + "\"}");
    try {
        sync_->ensure_fresh(store, Deadline::after(seconds(30)));
        FAIL() << "no error";
    } catch (const TokenRevoked& e) {
        EXPECT_NE(std::string(e.what()).find("linked again"), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find(token), std::string::npos) << "the token is never in a message";
    }
    const auto r = pool_->query_blocking(
        "SELECT status, access_token_ciphertext IS NULL FROM shopify_stores WHERE id::text = $1", db::Params{store});
    EXPECT_EQ(r.get<std::string>(0, 0), "TOKEN_REVOKED");
    EXPECT_TRUE(r.get<bool>(0, 1));
    const auto state = pool_->query_blocking("SELECT phase, last_error FROM store_sync_state WHERE store_id::text = $1",
                                             db::Params{store});
    EXPECT_EQ(state.get<std::string>(0, 0), "FAILED");
    EXPECT_EQ(state.get<std::string>(0, 1).find(token), std::string::npos);
    // Afterwards the store cannot be analysed until it is linked again, even with a cache inside the TTL.
    pool_->query_blocking("UPDATE shopify_stores SET last_synced_at = now() WHERE id::text = $1", db::Params{store});
    try {
        sync_->ensure_fresh(store, Deadline::after(seconds(10)));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kShopifyError);
        EXPECT_NE(std::string(e.what()).find("link it again"), std::string::npos) << e.what();
    }
}

TEST_F(SyncTest, UnknownStoreIsNotFound) {
    try {
        sync_->ensure_fresh("00000000-0000-0000-0000-000000000000", Deadline::after(seconds(10)));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    }
}

}  // namespace
}  // namespace alatar::shopify
