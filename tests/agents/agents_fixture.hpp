#pragma once
// Shared set-up of the agent runtime's integration tests: one migrated database per test binary with a
// generated tiny store seeded into the cache tables, and per test a private RabbitMQ topology (unique prefix),
// a connection pool and helpers to run workers in-process, submit requests and wait for them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "agents/builtin_tools.hpp"
#include "agents/seed_store.hpp"
#include "agents/store_data_source.hpp"
#include "agents/submission.hpp"
#include "agents/worker.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "mq/amqp_connection.hpp"
#include "mq/envelope.hpp"
#include "mq/topology.hpp"
#include "shopify_sim/generator.hpp"

namespace alatar::agents::testing {

inline std::optional<mq::AmqpUrl> test_broker_url() {
    const char* env = std::getenv("ALATAR_TEST_AMQP_URL");  // NOLINT(concurrency-mt-unsafe)
    if (env == nullptr || *env == '\0') return std::nullopt;
    return mq::parse_amqp_url(env);
}

inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= until) return done();
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return true;
}

// The suite's database and store, created once per test binary.
struct SuiteState {
    db::testing::SuiteDatabase database;
    std::optional<shopify_sim::Store> store;
    SeededStore seeded;
    std::string error;

    void open() {
        database.open();
        if (database.get() == nullptr) {
            error = database.why();
            return;
        }
        try {
            migrate(database.url());
            shopify_sim::GeneratorOptions options;
            options.profile = shopify_sim::Profile::kTiny;
            options.today = shopify_sim::current_utc_date();
            store = shopify_sim::generate_store(options);
            db::Pool pool{db::PoolOptions{.url = database.url(), .size = 2}, Logger::null()};
            seeded = seed_store(pool, *store);
        } catch (const std::exception& e) {
            error = std::string("suite set-up failed: ") + e.what();
        }
    }
};

class AgentsTest : public ::testing::Test {
  protected:
    static SuiteState& suite() {
        static SuiteState state;
        return state;
    }
    static void SetUpTestSuite() { suite().open(); }
    static void TearDownTestSuite() { suite().database.close(); }

    void SetUp() override {
        ASSERT_TRUE(suite().error.empty()) << suite().error;
        auto url = test_broker_url();
        ASSERT_TRUE(url.has_value()) << "ALATAR_TEST_AMQP_URL is not set: run `eval \"$(scripts/services --profile "
                                        "test env)\"` after `scripts/services --profile test start`";
        url_ = *url;
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        names_.emplace("ag" + std::to_string(::getpid()) + "." + mq::new_uuid().substr(0, 8) + "." +
                       std::string(info->name()).substr(0, 24));
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = suite().database.url(), .size = 16}, Logger::null());
        data_source_ = std::make_unique<CachedStoreDataSource>(*pool_);
        tools_ = builtin_tools();
    }

    void TearDown() override {
        workers_.clear();
        if (!names_) return;
        try {
            mq::AmqpConnection c(url_);
            c.open_channel(1);
            mq::delete_topology(c, 1, *names_);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "could not delete the test topology: " << e.what();
        }
    }

    WorkerOptions worker_options() const {
        WorkerOptions o;
        o.name = "test-worker-" + std::to_string(workers_.size());
        o.concurrency = 2;
        o.max_retry_tier = mq::RetryTier::k1s;
        o.delivery_limit = 3;
        o.relay.idle_poll = std::chrono::milliseconds{50};
        return o;
    }

    Worker& start_worker(std::optional<WorkerOptions> options = std::nullopt) {
        workers_.push_back(std::make_unique<Worker>(*pool_, url_, *names_, tools_, *data_source_, log_,
                                                    options.value_or(worker_options())));
        EXPECT_TRUE(workers_.back()->wait_until_consuming(std::chrono::seconds{10}));
        return *workers_.back();
    }

    const SeededStore& store() const { return suite().seeded; }
    const shopify_sim::Store& sim_store() const { return *suite().store; }

    std::string submit(std::string_view prompt, std::optional<std::string> store_id = std::nullopt) {
        const std::string user = store().user_id;
        const std::string sid = store_id.value_or(store().store_id);
        return pool_->transact_blocking(
            [&](db::Transaction& tx) { return submit_analysis_request(tx, user, sid, prompt); });
    }

    std::string status_of(const std::string& request_id) {
        return pool_->query_blocking("SELECT status FROM analysis_requests WHERE id = $1", db::Params{request_id})
            .scalar<std::string>();
    }

    // Waits until the request is COMPLETED, FAILED or CANCELLED; returns the status.
    std::string wait_finished(const std::string& request_id,
                              std::chrono::milliseconds timeout = std::chrono::seconds{30}) {
        std::string status;
        eventually(
            [&] {
                status = status_of(request_id);
                return !is_active_status(status);
            },
            timeout);
        return status;
    }

    std::int64_t count(std::string_view sql, const db::Params& params = {}) {
        return pool_->query_blocking(sql, params).scalar<std::int64_t>();
    }

    std::uint32_t ready(const std::string& queue) {
        mq::AmqpConnection c(url_);
        c.open_channel(1);
        return c.inspect_queue(1, queue).message_count;
    }

    mq::AmqpUrl url_;
    std::optional<mq::Names> names_;
    std::unique_ptr<db::Pool> pool_;
    std::unique_ptr<CachedStoreDataSource> data_source_;
    ToolRegistry tools_;
    Logger log_{"agents-test", LogLevel::kError};
    std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace alatar::agents::testing
