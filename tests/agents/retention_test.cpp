// The data-retention purge against a private database: an idle store loses its whole cache and its sync state is
// reset while a fresh store is untouched, old trace spans go and recent ones stay, the audit log is never touched,
// a store whose sync holds the lock is skipped, one purger at a time, batches smaller than the data, a purge cut
// short is finished by the next run, and the worker's scheduled job.
#include "agents/retention.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <chrono>
#include <thread>

#include "agents/seed_store.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"

namespace alatar::agents::testing {
namespace {

constexpr std::int64_t kRowsPerTable = 12;
constexpr std::int64_t kBatch = 5;  // smaller than kRowsPerTable: every table needs several batches
constexpr std::string_view kTables[] = {
    "shop_refund_line_items", "shop_refunds",   "shop_order_line_items", "shop_orders",   "shop_product_variants",
    "shop_products",          "shop_customers", "shop_inventory_levels", "shop_locations"};

class RetentionTest : public ::testing::Test {
  protected:
    static db::testing::SuiteDatabase& database() {
        static db::testing::SuiteDatabase d;
        return d;
    }
    static void SetUpTestSuite() {
        database().open();
        if (database().get() != nullptr) migrate(database().url());
    }
    static void TearDownTestSuite() { database().close(); }

    void SetUp() override {
        ASSERT_NE(database().get(), nullptr) << database().why();
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = database().url(), .size = 2}, Logger::null());
    }

    RetentionOptions options() const {
        RetentionOptions o;
        o.database_url = database().url();
        o.cache_retention = std::chrono::hours(24 * 30);
        o.trace_retention = std::chrono::hours(24 * 30);
        o.batch_size = kBatch;
        return o;
    }

    void exec(std::string_view sql, const db::Params& params = {}) { pool_->query_blocking(sql, params); }
    std::int64_t count(std::string_view sql, const db::Params& params = {}) {
        return pool_->query_blocking(sql, params).scalar<std::int64_t>();
    }

    // A linked store whose last sync (and link, and sync state) is `age_days` old, with kRowsPerTable rows in
    // every cache table fetched at that time.
    std::string store_synced_days_ago(int age_days) {
        const std::string user = insert_user(*pool_);
        const db::Params ago{user, "store-" + std::to_string(++stores_) + ".myshopify.test",
                             std::to_string(age_days) + " days"};
        const auto store = pool_
                               ->query_blocking(
                                   "INSERT INTO shopify_stores (user_id, shop_domain, linked_at, last_synced_at) "
                                   "VALUES ($1, $2, now() - $3::interval, now() - $3::interval) RETURNING id::text",
                                   ago)
                               .scalar<std::string>();
        const std::string age = std::to_string(age_days) + " days";
        // INSERT, not UPDATE: the updated_at trigger would stamp now().
        exec(
            "INSERT INTO store_sync_state (store_id, phase, progress, started_at, updated_at) "
            "VALUES ($1, 'DONE', 1, now() - $2::interval, now() - $2::interval)",
            db::Params{store, age});
        const db::Params p{store, age, kRowsPerTable};
        const std::string rows = " FROM generate_series(1, $3::int) i";
        const std::string at = "now() - $2::interval, now() - $2::interval + interval '15 minutes'";
        exec(
            "INSERT INTO shop_products (store_id, shopify_gid, title, fetched_at, expires_at) "
            "SELECT $1, 'gid://shopify/Product/' || i, 'P' || i, " +
                at + rows,
            p);
        exec(
            "INSERT INTO shop_product_variants (store_id, shopify_gid, product_gid, fetched_at, expires_at) "
            "SELECT $1, 'gid://shopify/ProductVariant/' || i, 'gid://shopify/Product/' || i, " +
                at + rows,
            p);
        exec(
            "INSERT INTO shop_customers (store_id, shopify_gid, fetched_at, expires_at) "
            "SELECT $1, 'gid://shopify/Customer/' || i, " +
                at + rows,
            p);
        exec(
            "INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, currency, fetched_at, expires_at) "
            "SELECT $1, 'gid://shopify/Order/' || i, '#' || i, now(), 'USD', " +
                at + rows,
            p);
        exec(
            "INSERT INTO shop_order_line_items (store_id, shopify_gid, order_gid, title, quantity, fetched_at, "
            "expires_at) SELECT $1, 'gid://shopify/LineItem/' || i, 'gid://shopify/Order/' || i, 'L', 1, " +
                at + rows,
            p);
        exec(
            "INSERT INTO shop_refunds (store_id, shopify_gid, order_gid, created_at, fetched_at, expires_at) "
            "SELECT $1, 'gid://shopify/Refund/' || i, 'gid://shopify/Order/' || i, now(), " +
                at + rows,
            p);
        exec(
            "INSERT INTO shop_refund_line_items (store_id, shopify_gid, refund_gid, line_item_gid, quantity, "
            "fetched_at, expires_at) SELECT $1, 'gid://shopify/RefundLineItem/' || i, 'gid://shopify/Refund/' || i, "
            "'gid://shopify/LineItem/' || i, 1, " +
                at + rows,
            p);
        exec(
            "INSERT INTO shop_locations (store_id, shopify_gid, name, fetched_at, expires_at) "
            "SELECT $1, 'gid://shopify/Location/' || i, 'Loc', " +
                at + rows,
            p);
        exec(
            "INSERT INTO shop_inventory_levels (store_id, shopify_gid, inventory_item_gid, location_gid, "
            "fetched_at, expires_at) SELECT $1, 'gid://shopify/InventoryLevel/' || i, 'gid://shopify/InventoryItem/' "
            "|| i, 'gid://shopify/Location/1', " +
                at + rows,
            p);
        return store;
    }

    std::int64_t cached_rows(const std::string& store, std::string_view table) {
        return count("SELECT count(*) FROM " + std::string(table) + " WHERE store_id = $1::uuid", db::Params{store});
    }
    std::int64_t cached_rows(const std::string& store) {
        std::int64_t total = 0;
        for (const auto table : kTables) total += cached_rows(store, table);
        return total;
    }
    bool never_synced(const std::string& store) {
        return pool_
            ->query_blocking(
                "SELECT s.last_synced_at IS NULL AND ss.phase = 'PENDING' AND ss.cursor IS NULL AND ss.progress = 0 "
                "AND ss.started_at IS NULL FROM shopify_stores s JOIN store_sync_state ss ON ss.store_id = s.id "
                "WHERE s.id = $1::uuid",
                db::Params{store})
            .scalar<bool>();
    }

    static bool contains(const std::vector<std::string>& ids, const std::string& id) {
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    }

    std::unique_ptr<db::Pool> pool_;
    int stores_ = 0;
};

TEST_F(RetentionTest, PurgesAnIdleStoresWholeCacheAndResetsItsSyncStateLeavingAFreshStoreAlone) {
    const auto idle = store_synced_days_ago(40);
    const auto fresh = store_synced_days_ago(2);
    ASSERT_EQ(cached_rows(idle), 9 * kRowsPerTable);

    const auto report = run_retention(options());

    EXPECT_TRUE(report.ran);
    EXPECT_FALSE(report.stopped);
    EXPECT_TRUE(contains(report.purged_stores, idle));
    EXPECT_FALSE(contains(report.purged_stores, fresh));
    EXPECT_EQ(cached_rows(idle), 0);
    for (const auto table : kTables) {
        EXPECT_EQ(report.cache_rows.count(std::string(table)) ? report.cache_rows.at(std::string(table)) : 0,
                  kRowsPerTable)
            << table;
    }
    // 12 rows in batches of 5: three statements per table.
    EXPECT_GE(report.batches, 9 * 3);
    EXPECT_TRUE(never_synced(idle)) << "the next ensure_fresh must backfill";
    EXPECT_EQ(cached_rows(fresh), 9 * kRowsPerTable);
    EXPECT_EQ(count("SELECT count(*) FROM store_sync_state WHERE store_id = $1::uuid AND phase = 'DONE' AND "
                    "started_at < now() - interval '1 day'",
                    db::Params{fresh}),
              1);
    EXPECT_EQ(count("SELECT count(*) FROM shopify_stores WHERE id = $1::uuid AND last_synced_at IS NOT NULL",
                    db::Params{fresh}),
              1);

    // Nothing left to do: a second run deletes nothing.
    const auto again = run_retention(options());
    EXPECT_TRUE(again.ran);
    EXPECT_FALSE(contains(again.purged_stores, idle));
    EXPECT_EQ(again.cache_rows_total(), 0);
    EXPECT_EQ(cached_rows(fresh), 9 * kRowsPerTable);
}

TEST_F(RetentionTest, DeletesOldTraceSpansOnlyAndNeverTheAuditLogOrAnalyses) {
    const std::string user = insert_user(*pool_);
    const auto request = pool_
                             ->query_blocking(
                                 "INSERT INTO analysis_requests (user_id, prompt, created_at) "
                                 "VALUES ($1, 'how did we do?', now() - interval '90 days') RETURNING id::text",
                                 db::Params{user})
                             .scalar<std::string>();
    // 13 spans from 40 days ago (more than two batches), 4 from an hour ago, 2 just inside the retention age.
    exec(
        "INSERT INTO trace_spans (request_id, span_id, name, kind, started_at) SELECT $1, 'old' || i, 'step', "
        "'agent', now() - interval '40 days' FROM generate_series(1, 13) i",
        db::Params{request});
    exec(
        "INSERT INTO trace_spans (request_id, span_id, name, kind, started_at) SELECT $1, 'new' || i, 'step', "
        "'tool', now() - interval '1 hour' FROM generate_series(1, 4) i",
        db::Params{request});
    exec(
        "INSERT INTO trace_spans (request_id, span_id, name, kind, started_at) SELECT $1, 'edge' || i, 'step', "
        "'llm', now() - interval '29 days' FROM generate_series(1, 2) i",
        db::Params{request});
    exec(
        "INSERT INTO audit_log (at, actor, action, subject) SELECT now() - (i || ' days')::interval, 'system', "
        "'store.link', 'store:x' FROM generate_series(1, 400, 7) i");
    const auto audit_before = count("SELECT count(*) FROM audit_log");
    const auto audit_ids_before = count("SELECT coalesce(sum(id), 0)::bigint FROM audit_log");
    const auto requests_before = count("SELECT count(*) FROM analysis_requests");
    ASSERT_GT(audit_before, 50);

    const auto report = run_retention(options());

    EXPECT_TRUE(report.ran);
    EXPECT_EQ(report.trace_spans, 13);
    EXPECT_EQ(count("SELECT count(*) FROM trace_spans WHERE request_id = $1::uuid AND span_id LIKE 'old%'",
                    db::Params{request}),
              0);
    EXPECT_EQ(count("SELECT count(*) FROM trace_spans WHERE request_id = $1::uuid", db::Params{request}), 6);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log"), audit_before);
    EXPECT_EQ(count("SELECT coalesce(sum(id), 0)::bigint FROM audit_log"), audit_ids_before);
    EXPECT_EQ(count("SELECT count(*) FROM analysis_requests"), requests_before);
}

TEST_F(RetentionTest, SkipsAStoreWhileItsSyncHoldsTheStoreLockAndPurgesItAfterwards) {
    const auto idle = store_synced_days_ago(45);
    {
        // The lock StoreSync takes for the store (src/shopify/sync.cpp, StoreLock).
        db::Connection sync(database().url());
        ASSERT_TRUE(
            sync.exec("SELECT pg_try_advisory_lock(hashtextextended('alatar.store_sync:' || $1, 0))", db::Params{idle})
                .get<bool>(0, 0));
        const auto report = run_retention(options());
        EXPECT_TRUE(report.ran);
        EXPECT_TRUE(contains(report.busy_stores, idle));
        EXPECT_FALSE(contains(report.purged_stores, idle));
        EXPECT_EQ(cached_rows(idle), 9 * kRowsPerTable);
        EXPECT_EQ(count("SELECT count(*) FROM shopify_stores WHERE id = $1::uuid AND last_synced_at IS NOT NULL",
                        db::Params{idle}),
                  1);
    }  // the sync ends: its connection closes and the lock goes with it
    const auto report = run_retention(options());
    EXPECT_TRUE(contains(report.purged_stores, idle));
    EXPECT_EQ(cached_rows(idle), 0);
    EXPECT_TRUE(never_synced(idle));
}

TEST_F(RetentionTest, OnePurgerAtATime) {
    const auto idle = store_synced_days_ago(50);
    {
        db::Connection other(database().url());
        ASSERT_TRUE(other.exec("SELECT pg_try_advisory_lock(hashtextextended('alatar.retention', 0))").get<bool>(0, 0));
        const auto report = run_retention(options());
        EXPECT_FALSE(report.ran);
        EXPECT_TRUE(report.purged_stores.empty());
        EXPECT_EQ(cached_rows(idle), 9 * kRowsPerTable);
    }
    EXPECT_TRUE(run_retention(options()).ran);
    EXPECT_EQ(cached_rows(idle), 0);
}

TEST_F(RetentionTest, APurgeCutShortIsFinishedByTheNextRunAndAStopRequestStopsARun) {
    const auto idle = store_synced_days_ago(60);
    std::stop_source stop;
    stop.request_stop();
    const auto stopped = run_retention(options(), stop.get_token());
    EXPECT_TRUE(stopped.stopped);
    EXPECT_EQ(cached_rows(idle), 9 * kRowsPerTable);

    // A store whose purge began (sync state reset, phase PURGING) but did not finish: recently touched, yet due.
    const auto half = store_synced_days_ago(1);
    exec("UPDATE shopify_stores SET last_synced_at = NULL WHERE id = $1::uuid", db::Params{half});
    exec("UPDATE store_sync_state SET phase = 'PURGING', started_at = NULL WHERE store_id = $1::uuid",
         db::Params{half});
    exec("DELETE FROM shop_refund_line_items WHERE store_id = $1::uuid", db::Params{half});
    const auto report = run_retention(options());
    EXPECT_TRUE(contains(report.purged_stores, half));
    EXPECT_TRUE(contains(report.purged_stores, idle));
    EXPECT_EQ(cached_rows(half), 0);
    EXPECT_TRUE(never_synced(half));
}

TEST_F(RetentionTest, ReportIsJsonWithTheCounts) {
    const auto idle = store_synced_days_ago(31);
    const auto report = run_retention(options());
    const auto doc = boost::json::parse(report.to_json()).as_object();
    EXPECT_TRUE(doc.at("ran").as_bool());
    bool listed = false;
    for (const auto& id : doc.at("purged_stores").as_array()) listed = listed || id.as_string() == idle;
    EXPECT_TRUE(listed);
    EXPECT_EQ(doc.at("cache_rows").as_object().at("shop_orders").as_int64(), kRowsPerTable);
    EXPECT_EQ(doc.at("batches").as_int64(), report.batches);
}

TEST_F(RetentionTest, TheScheduledJobRunsOnItsOwnThreadAndStopsOnDestruction) {
    const auto idle = store_synced_days_ago(33);
    {
        RetentionJob job(options(), std::chrono::milliseconds(20), Logger::null());
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (job.runs() < 2 && std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        EXPECT_GE(job.runs(), 2);
    }
    EXPECT_EQ(cached_rows(idle), 0);
    EXPECT_TRUE(never_synced(idle));
    // A long interval: destruction must not wait for it.
    const auto before = std::chrono::steady_clock::now();
    { RetentionJob idle_job(options(), std::chrono::hours(1), Logger::null()); }
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(30));
}

}  // namespace
}  // namespace alatar::agents::testing
