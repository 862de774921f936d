// A worker SIGKILLed in the middle of an execution (after the idempotency record, while the Shopify call is in
// flight): the message is redelivered to a fresh worker, which finds out from the store whether the write happened
// and finishes the proposal, and the inventory moved by the delta exactly once.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "actions/decisions.hpp"
#include "actions/proposals.hpp"
#include "actions/target.hpp"
#include "agents/outbox_relay.hpp"
#include "agents/worker.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "mq/publisher.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sim_process.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace alatar::actions {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr const char* kShop = "killed.myshopify.test";

class TestWorker {
  public:
    explicit TestWorker(std::vector<std::string> args) {
        args.insert(args.begin(), ALATAR_ACTIONS_TEST_WORKER_BIN);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
            throw std::runtime_error("cannot start the test worker");
        }
    }
    ~TestWorker() { kill_now(); }
    TestWorker(const TestWorker&) = delete;
    TestWorker& operator=(const TestWorker&) = delete;
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

  private:
    pid_t pid_ = -1;
};

TEST(ActionsWorkerKill, SigkillMidExecutionStillExecutesOnce) {
    const char* amqp = std::getenv("ALATAR_TEST_AMQP_URL");  // NOLINT(concurrency-mt-unsafe)
    ASSERT_NE(amqp, nullptr) << "ALATAR_TEST_AMQP_URL is not set: eval \"$(scripts/services --profile test env)\"";
    auto database = db::testing::TestDatabase::create();
    ASSERT_NE(database, nullptr) << db::testing::kMissingUrlMessage;
    shopify::testing::migrate(database->url());
    shopify::testing::SimProcess sim("tiny", {kShop});
    const std::string master_key = crypto::Keyring::generate_key_base64();
    const auto keyring = crypto::Keyring::parse(master_key);
    db::Pool pool{db::PoolOptions{.url = database->url(), .size = 4}, Logger::null()};
    const std::string token = sim.issue_token(kShop);
    const shopify::ShopCredentials shop{kShop, token};
    shopify::CurlHttpClient http;
    shopify::AdminClientOptions options;
    options.shop_url_template = sim.shop_url_template();
    shopify::AdminClient client{http, options, Logger::null()};

    const auto user = pool.query_blocking("INSERT INTO users DEFAULT VALUES RETURNING id::text").scalar<std::string>();
    const std::vector<std::string> scopes{"read_inventory", "write_inventory"};
    const auto store =
        pool.query_blocking(
                "INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id, "
                "scopes) VALUES ($1, $2, convert_to($3, 'UTF8'), $4, $5) RETURNING id::text",
                db::Params{user, std::string(kShop), keyring.encrypt(token, shopify::token_associated_data(kShop)),
                           keyring.current_kid(), scopes})
            .scalar<std::string>();
    const auto request = pool.query_blocking(
                                 "INSERT INTO analysis_requests (user_id, store_id, prompt) VALUES ($1, "
                                 "$2, 'q') RETURNING id::text",
                                 db::Params{user, store})
                             .scalar<std::string>();

    // A stocked item of the shop.
    const auto data = client
                          .query(shop,
                                 "query { inventoryItems(first: 1) { nodes { id inventoryLevels(first: 1) { nodes { "
                                 "location { id } quantities(names: [\"available\"]) { quantity } } } } } }",
                                 {}, Deadline::after(30s))
                          .data;
    const auto& item = data.at("inventoryItems").at("nodes").as_array().at(0);
    const auto& level = item.at("inventoryLevels").at("nodes").as_array().at(0);
    const std::int64_t before = level.at("quantities").as_array().at(0).at("quantity").to_number<std::int64_t>();
    const json::object params{{"inventoryItemId", item.at("id")},
                              {"locationId", level.at("location").at("id")},
                              {"currentAvailable", before},
                              {"delta", 9},
                              {"reason", "restock"}};
    NewProposal n;
    n.request_id = request;
    n.store_id = store;
    n.user_id = user;
    n.kind = intelligence::ActionKind::kAdjustInventory;
    n.title = "Restock";
    n.parameters = params;
    n.live = TargetReader(client, shop, Deadline::after(30s)).read(n.kind, params);
    n.granted_scopes = scopes;
    n.now = std::chrono::system_clock::now();
    const auto id = pool.transact_blocking([&](db::Transaction& tx) { return insert_proposal(tx, n, "system"); });

    const mq::Names names{"actkill" + std::to_string(::getpid())};
    const auto url = mq::parse_amqp_url(amqp);
    agents::declare_worker_topology(url, names, agents::WorkerOptions{}.delivery_limit);
    mq::Publisher publisher{url, Logger::null()};
    agents::OutboxRelay relay{pool, publisher, names, Logger::null(), agents::OutboxRelayOptions{.idle_poll = 50ms}};

    // Every Admin API answer now takes 2.5 s, so the mutation is in flight long enough to kill the worker.
    sim.set_faults(R"({"latency_ms": 2500})");
    const std::vector<std::string> worker_args{database->url(),         amqp,       names.prefix(),
                                               sim.shop_url_template(), master_key, "4000"};
    auto first = std::make_unique<TestWorker>(worker_args);
    ASSERT_TRUE(Decisions(pool).approve(Actor{.user_id = user, .trace_id = "kill"}, id, std::nullopt).ok());

    // Wait until the idempotency record says the call has begun, then kill the worker mid-call.
    const auto called = [&] {
        return pool.query_blocking(
                       "SELECT count(*) FROM action_executions WHERE proposal_id::text = $1 AND "
                       "called_at IS NOT NULL",
                       db::Params{id})
                   .scalar<std::int64_t>() > 0;
    };
    const auto until = std::chrono::steady_clock::now() + 90s;
    while (!called() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(called()) << "the first worker never reached the Shopify call";
    std::this_thread::sleep_for(300ms);
    first->kill_now();
    EXPECT_NE(pool.query_blocking("SELECT status FROM action_proposals WHERE id::text = $1", db::Params{id})
                  .scalar<std::string>(),
              "SUCCEEDED");

    TestWorker second(worker_args);
    std::string status;
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (std::chrono::steady_clock::now() < deadline) {
        status = pool.query_blocking("SELECT status FROM action_proposals WHERE id::text = $1", db::Params{id})
                     .scalar<std::string>();
        if (status == "SUCCEEDED" || status == "FAILED") break;
        std::this_thread::sleep_for(100ms);
    }
    sim.set_faults(R"({"latency_ms": 0})");
    EXPECT_EQ(status, "SUCCEEDED");
    const auto after = TargetReader(client, shop, Deadline::after(30s)).read(n.kind, params);
    EXPECT_EQ(after.at("available").to_number<std::int64_t>(), before + 9) << "executed more or less than once";
    EXPECT_EQ(pool.query_blocking("SELECT attempts FROM action_executions WHERE proposal_id::text = $1", db::Params{id})
                  .scalar<std::int64_t>(),
              2);
}

}  // namespace
}  // namespace alatar::actions
