// Webhook-driven increments against the real simulator: a store.refresh job written as the webhook handler
// writes it brings a new order into the cache (no analysis, no TTL involved), a redelivery calls no Admin API,
// a store whose backfill never completed is left alone, and the whole path (outbox relay, broker, consumer) works.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "agents/contracts.hpp"
#include "agents/outbox_relay.hpp"
#include "agents/sim_store_link.hpp"
#include "agents/store_refresh.hpp"
#include "agents/worker.hpp"
#include "common/error.hpp"
#include "db/pool.hpp"
#include "mq/amqp_connection.hpp"
#include "mq/publisher.hpp"
#include "mq/topology.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sim_process.hpp"
#include "shopify/sync.hpp"

namespace alatar::agents {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

constexpr const char* kShop = "demo.myshopify.test";
constexpr const char* kFreshShop = "fresh.myshopify.test";
constexpr const char* kWiredShop = "wired.myshopify.test";

// Counts Admin API calls and bulk runs, so a skipped job is seen to ask nothing of Shopify.
class CountingHttp : public shopify::HttpClient {
  public:
    shopify::HttpResponse send(const shopify::HttpRequest& request, Deadline deadline) override {
        if (request.url.ends_with("/graphql.json")) ++admin_calls;
        if (request.body.find("bulkOperationRunQuery") != std::string::npos) ++bulk_runs;
        return inner_.send(request, deadline);
    }
    long stream(const std::string& url, Deadline deadline,
                const std::function<void(std::string_view)>& on_chunk) override {
        return inner_.stream(url, deadline, on_chunk);
    }
    void reset() {
        admin_calls = 0;
        bulk_runs = 0;
    }
    std::atomic<int> admin_calls{0};
    std::atomic<int> bulk_runs{0};

  private:
    shopify::CurlHttpClient inner_;
};

class StoreRefreshSimTest : public ::testing::Test {
  protected:
    static shopify::testing::SimSuite& suite() {
        static shopify::testing::SimSuite s;
        return s;
    }
    static void SetUpTestSuite() { suite().open("tiny", {kShop, kFreshShop, kWiredShop}, {"--seed", "4545"}); }
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
        refresher_ = std::make_unique<StoreRefresher>(*sync_, Logger::null());
    }

    // A linked store with a simulator token sealed by the keyring, as OAuth leaves it.
    std::string link(const std::string& shop) { return testing::link_sim_store(*pool_, *suite().sim, keyring_, shop); }

    // The job exactly as the webhook handler writes it (its transaction), read back from the outbox.
    mq::Envelope queue_refresh(const std::string& shop, const std::string& store) {
        int added = 0;
        pool_->transact_blocking([&](db::Transaction& tx) { added = enqueue_store_refresh(tx, shop); });
        EXPECT_EQ(added, 1);
        const auto text = pool_
                              ->query_blocking(
                                  "SELECT payload::text FROM outbox WHERE topic = 'store_refresh' AND sent_at IS NULL "
                                  "AND payload->'payload'->>'store_id' = $1",
                                  db::Params{store})
                              .scalar<std::string>();
        // As a consumer would see it once relayed; the row is then sent, so the next job is a new one.
        pool_->query_blocking("UPDATE outbox SET sent_at = now() WHERE payload->'payload'->>'store_id' = $1",
                              db::Params{store});
        return mq::parse_envelope(text);
    }

    // A new order of one unit through the simulator's admin endpoint; returns its gid.
    std::string create_order(const std::string& shop, const std::string& store) {
        const auto variant = pool_
                                 ->query_blocking(
                                     "SELECT shopify_gid FROM shop_product_variants WHERE store_id::text = $1 "
                                     "ORDER BY shopify_gid LIMIT 1",
                                     db::Params{store})
                                 .scalar<std::string>();
        shopify::HttpRequest order;
        order.method = "POST";
        order.url = suite().sim->base_url() + "/_sim/shops/" + shop + "/orders";
        order.headers = {{"Content-Type", "application/json"}};
        order.body = R"({"lineItems":[{"variantId":")" + variant + R"(","quantity":3}]})";
        shopify::CurlHttpClient http;
        const auto created = http.send(order, Deadline::after(seconds(10)));
        EXPECT_EQ(created.status, 201) << created.body;
        return std::string(json::parse(created.body).at("order").at("id").as_string());
    }

    std::int64_t cached_orders(const std::string& store, const std::string& gid = "") {
        return pool_
            ->query_blocking(
                "SELECT count(*) FROM shop_orders WHERE store_id::text = $1 AND ($2 = '' OR shopify_gid = $2)",
                db::Params{store, gid})
            .scalar<std::int64_t>();
    }

    std::unique_ptr<db::Pool> pool_;
    CountingHttp http_;
    crypto::Keyring keyring_ = crypto::Keyring::parse(crypto::Keyring::generate_key_base64());
    std::unique_ptr<shopify::AdminClient> client_;
    std::unique_ptr<shopify::StoreSync> sync_;
    std::unique_ptr<StoreRefresher> refresher_;
};

TEST_F(StoreRefreshSimTest, JobAfterBackfillBringsTheNewOrderIntoTheCacheOnceAndRedeliveryIsANoOp) {
    const auto store = link(kShop);
    ASSERT_TRUE(sync_->backfill(store, Deadline::after(seconds(180))).full);
    const auto before = cached_orders(store);
    ASSERT_GT(before, 0);

    const auto order = create_order(kShop, store);
    const auto job = queue_refresh(kShop, store);
    EXPECT_EQ(job.type, contract::kStoreRefresh);
    // Well within the TTL: an analysis would not sync now, the job does.
    EXPECT_FALSE(sync_->ensure_fresh(store, Deadline::after(seconds(30))).has_value());
    EXPECT_EQ(cached_orders(store, order), 0);

    http_.reset();
    const auto result = refresher_->run(job);
    ASSERT_TRUE(result.report.has_value()) << result.skipped;
    EXPECT_FALSE(result.report->full);
    EXPECT_EQ(http_.bulk_runs, 0);  // the updated_at window, not a backfill
    EXPECT_GE(result.report->written.at("Order"), 1);
    EXPECT_LT(result.report->written.at("Order"), before);
    EXPECT_EQ(cached_orders(store, order), 1);
    EXPECT_EQ(cached_orders(store), before + 1);
    EXPECT_EQ(pool_
                  ->query_blocking(
                      "SELECT sum(quantity) FROM shop_order_line_items WHERE store_id::text = $1 AND order_gid = $2",
                      db::Params{store, order})
                  .scalar<std::int64_t>(),
              3);
    EXPECT_EQ(pool_->query_blocking("SELECT phase FROM store_sync_state WHERE store_id::text = $1", db::Params{store})
                  .scalar<std::string>(),
              "DONE");

    // The same job redelivered: a sync started after the webhook already ran, so Shopify is not asked.
    http_.reset();
    const auto again = refresher_->run(job);
    EXPECT_FALSE(again.report.has_value());
    EXPECT_EQ(again.skipped, "synced since");
    EXPECT_EQ(http_.admin_calls, 0);
    EXPECT_EQ(cached_orders(store), before + 1);
}

TEST_F(StoreRefreshSimTest, StoreWithoutACompletedBackfillIsLeftAlone) {
    const auto store = link(kFreshShop);
    const auto job = queue_refresh(kFreshShop, store);
    http_.reset();
    const auto result = refresher_->run(job);
    EXPECT_FALSE(result.report.has_value());
    EXPECT_EQ(result.skipped, "never backfilled");
    EXPECT_EQ(http_.admin_calls, 0);
    EXPECT_EQ(cached_orders(store), 0);
    EXPECT_EQ(
        pool_->query_blocking("SELECT count(*) FROM store_sync_state WHERE store_id::text = $1", db::Params{store})
            .scalar<std::int64_t>(),
        0);
    EXPECT_TRUE(
        pool_
            ->query_blocking("SELECT last_synced_at IS NULL FROM shopify_stores WHERE id::text = $1", db::Params{store})
            .scalar<bool>());
    // The next analysis still backfills it as before.
    const auto backfill = sync_->ensure_fresh(store, Deadline::after(seconds(180)));
    ASSERT_TRUE(backfill.has_value());
    EXPECT_TRUE(backfill->full);
}

TEST_F(StoreRefreshSimTest, GoneOrUnlinkedStoresAreSkippedAndMalformedJobsRejected) {
    auto job = mq::Envelope::make(
        std::string(contract::kStoreRefresh),
        json::object{{"store_id", "00000000-0000-4000-8000-000000000000"}, {"requested_at", "2026-01-01T00:00:00Z"}});
    EXPECT_EQ(refresher_->run(job).skipped, "store not found");

    const auto store = link(kFreshShop);
    pool_->query_blocking(
        "UPDATE shopify_stores SET status = 'UNINSTALLED', last_synced_at = now() WHERE id::text = $1",
        db::Params{store});
    job.payload.as_object()["store_id"] = store;
    http_.reset();
    EXPECT_EQ(refresher_->run(job).skipped, "store not linked");
    EXPECT_EQ(http_.admin_calls, 0);

    job.payload.as_object().erase("requested_at");
    try {
        refresher_->run(job);
        ADD_FAILURE() << "a job without requested_at was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadUserInput);
    }
    auto wrong = mq::Envelope::make(std::string(contract::kActionExecute),
                                    json::object{{"proposal_id", store}, {"request_id", store}});
    EXPECT_THROW(refresher_->run(wrong), Error);
}

// The whole path: the job goes through the outbox relay and the broker to the store_refresh consumer.
TEST_F(StoreRefreshSimTest, RelayedJobIsConsumedAndSynced) {
    const char* amqp = std::getenv("ALATAR_TEST_AMQP_URL");  // NOLINT(concurrency-mt-unsafe)
    ASSERT_NE(amqp, nullptr) << "ALATAR_TEST_AMQP_URL is not set: run `eval \"$(scripts/services --profile test "
                                "env)\"` first";
    Config config = Config::defaults();
    config.amqp_url = amqp;
    config.amqp_prefix = "t" + std::to_string(::getpid()) + ".refresh";
    const mq::Names names{config.amqp_prefix};
    const auto url = mq::parse_amqp_url(config.amqp_url);
    declare_worker_topology(url, names, 20);
    struct TopologyCleanup {
        const mq::AmqpUrl& url;
        const mq::Names& names;
        ~TopologyCleanup() {
            try {
                mq::AmqpConnection c{url, mq::ConnectOptions{.connection_name = "alatar-test-cleanup"}};
                c.open_channel(1);
                mq::delete_topology(c, 1, names);
            } catch (const std::exception&) {  // best effort: the prefix is unique to this process
            }
        }
    } cleanup{url, names};

    const auto store = link(kWiredShop);
    ASSERT_TRUE(sync_->backfill(store, Deadline::after(seconds(180))).full);
    const auto order = create_order(kWiredShop, store);
    int added = 0;
    pool_->transact_blocking([&](db::Transaction& tx) { added = enqueue_store_refresh(tx, kWiredShop); });
    ASSERT_EQ(added, 1);

    mq::Publisher publisher{url, Logger::null()};
    OutboxRelay relay{*pool_, publisher, names, Logger::null(), OutboxRelayOptions{}};
    const auto service = start_store_refresh(*sync_, config, Logger::null());
    const auto until = std::chrono::steady_clock::now() + seconds(120);
    while (cached_orders(store, order) == 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(cached_orders(store, order), 1) << "the relayed job did not sync the new order";
    EXPECT_EQ(pool_->query_blocking("SELECT count(*) FROM outbox WHERE topic = 'store_refresh' AND sent_at IS NULL")
                  .scalar<std::int64_t>(),
              0);
}

}  // namespace
}  // namespace alatar::agents
