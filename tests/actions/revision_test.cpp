// Reject with feedback against the real simulator, PostgreSQL and RabbitMQ: the rejection queues a revision job
// through the outbox; the actions consumer (as in the worker) answers with ONE revised PENDING proposal of the same
// kind that follows the feedback, passes the validator, links to the original and has a fresh preview and a 7-day
// expiry; a redelivered or concurrent job stores nothing twice; the audit trail and the request's events show it.
#include "actions/revision.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "actions/action_consumer.hpp"
#include "actions/decisions.hpp"
#include "actions/executor.hpp"
#include "actions/target.hpp"
#include "agents/outbox_relay.hpp"
#include "agents/worker.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "intelligence/calendar.hpp"
#include "mq/publisher.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sim_process.hpp"

namespace alatar::actions {
namespace {

namespace json = boost::json;
using intelligence::ActionKind;
using namespace std::chrono_literals;

constexpr const char* kShop = "revise.myshopify.test";
const std::vector<std::string> kScopes = {"read_products", "write_products", "read_discounts", "write_discounts"};

std::string iso_in(std::chrono::hours h) {
    return intelligence::format_instant(
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now() + h));
}

intelligence::Instant now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

class RevisionTest : public ::testing::Test {
  protected:
    static shopify::testing::SimSuite& suite() {
        static shopify::testing::SimSuite s;
        return s;
    }
    static void SetUpTestSuite() { suite().open("tiny", {kShop}); }
    static void TearDownTestSuite() { suite().close(); }

    void SetUp() override {
        ASSERT_TRUE(suite().error.empty()) << suite().error;
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = suite().database.url(), .size = 4}, Logger::null());
        shopify::AdminClientOptions options;
        options.shop_url_template = suite().sim->shop_url_template();
        client_ = std::make_unique<shopify::AdminClient>(http_, options, Logger::null());
        token_ = suite().sim->issue_token(kShop);
        user_ = new_user();
        store_ = pool_
                     ->query_blocking(
                         "INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id, scopes) "
                         "VALUES ($1, $2, convert_to($3, 'UTF8'), $4, $5) RETURNING id::text",
                         db::Params{user_, std::string(kShop),
                                    keyring_.encrypt(token_, shopify::token_associated_data(kShop)),
                                    keyring_.current_kid(), kScopes})
                     .scalar<std::string>();
        request_ = pool_
                       ->query_blocking(
                           "INSERT INTO analysis_requests (user_id, store_id, prompt, status) "
                           "VALUES ($1, $2, 'test', 'COMPLETED') RETURNING id::text",
                           db::Params{user_, store_})
                       .scalar<std::string>();
        reviser_ = std::make_unique<Reviser>(*pool_, live_reader(), Logger::null(), "test");
    }

    std::string new_user() {
        return pool_->query_blocking("INSERT INTO users DEFAULT VALUES RETURNING id::text").scalar<std::string>();
    }

    // The worker's reader: the target read live from the store (the simulator).
    LiveReader live_reader() {
        return [this](const ProposalRecord& p, const json::object& params) {
            return TargetReader(*client_, shopify::ShopCredentials{kShop, token_}, Deadline::after(30s))
                .read(p.kind, params);
        };
    }

    std::string propose(ActionKind kind, const json::object& parameters) {
        NewProposal n;
        n.request_id = request_;
        n.store_id = store_;
        n.user_id = user_;
        n.kind = kind;
        n.title = "test proposal";
        const auto check = intelligence::validate_proposal(kind, parameters, {.now = now_seconds()});
        EXPECT_TRUE(check.ok());
        n.parameters = check.parameters;
        n.live = TargetReader(*client_, shopify::ShopCredentials{kShop, token_}, Deadline::after(30s))
                     .read(kind, parameters);
        n.granted_scopes = kScopes;
        n.now = std::chrono::system_clock::now();
        return pool_->transact_blocking([&](db::Transaction& tx) { return insert_proposal(tx, n, "system"); });
    }

    json::object discount(const std::string& code, int percentage) {
        return json::object{{"title", "Spring " + code}, {"code", code},
                            {"percentage", percentage},  {"scope", json::object{{"type", "ALL"}}},
                            {"startsAt", iso_in(24h)},   {"endsAt", iso_in(24h * 10)}};
    }

    db::Result row(const std::string& id) {
        return pool_->query_blocking(
            "SELECT status, kind, parameters::text AS parameters, revision_of::text AS revision_of, "
            "coalesce(decision_reason, '') AS reason, description, preview::text AS preview, "
            "extract(epoch FROM expires_at - created_at) / 86400 AS days FROM action_proposals WHERE id::text = $1",
            db::Params{id});
    }
    std::int64_t revisions_of(const std::string& id) {
        return pool_
            ->query_blocking("SELECT count(*) FROM action_proposals WHERE revision_of::text = $1", db::Params{id})
            .scalar<std::int64_t>();
    }
    std::vector<std::string> audit_actions(const std::string& id) {
        const auto r = pool_->query_blocking("SELECT action FROM audit_log WHERE subject = $1 ORDER BY id",
                                             db::Params{"action_proposal:" + id});
        std::vector<std::string> out;
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) out.push_back(r.get<std::string>(i, 0));
        return out;
    }
    std::int64_t event_seq() {
        return pool_
            ->query_blocking("SELECT event_seq FROM analysis_requests WHERE id::text = $1", db::Params{request_})
            .scalar<std::int64_t>();
    }
    Actor actor() const { return Actor{.user_id = user_, .trace_id = "revise-test"}; }

    shopify::CurlHttpClient http_;
    crypto::Keyring keyring_ = crypto::Keyring::parse(crypto::Keyring::generate_key_base64());
    std::unique_ptr<db::Pool> pool_;
    std::unique_ptr<shopify::AdminClient> client_;
    std::unique_ptr<Reviser> reviser_;
    std::string token_;
    std::string user_;
    std::string store_;
    std::string request_;
};

TEST_F(RevisionTest, TooGenerousDiscountIsRevisedLowerValidLinkedAndAudited) {
    const auto original = propose(ActionKind::kCreateDiscountCode, discount("REVISE20", 20));
    const auto rejected = Decisions(*pool_).reject(actor(), original, std::string("too generous, go lower"), true);
    ASSERT_TRUE(rejected.ok()) << rejected.message;
    const auto seq_before = event_seq();

    const auto outcome = reviser_->run(original);
    ASSERT_TRUE(outcome.created) << outcome.skipped;
    const auto r = row(outcome.revision_id);
    EXPECT_EQ(r.get<std::string>(0, "status"), "PENDING");
    EXPECT_EQ(r.get<std::string>(0, "kind"), "CREATE_DISCOUNT_CODE");
    EXPECT_EQ(r.get<std::string>(0, "revision_of"), original);
    const auto params = json::parse(r.get<std::string>(0, "parameters")).as_object();
    EXPECT_LT(params.at("percentage").to_number<std::int64_t>(), 20);
    EXPECT_GE(params.at("percentage").to_number<std::int64_t>(), 5);
    EXPECT_NE(params.at("code"), "REVISE20");
    EXPECT_TRUE(
        intelligence::validate_proposal(ActionKind::kCreateDiscountCode, json::value(params), {.now = now_seconds()})
            .ok());
    EXPECT_NE(r.get<std::string>(0, "description").find("too generous, go lower"), std::string::npos);
    EXPECT_NE(r.get<std::string>(0, "preview").find(params.at("code").as_string()), std::string::npos);
    EXPECT_NEAR(r.get<double>(0, "days"), 7.0, 0.01);
    // The original stays REJECTED with its reason.
    const auto o = row(original);
    EXPECT_EQ(o.get<std::string>(0, "status"), "REJECTED");
    EXPECT_EQ(o.get<std::string>(0, "reason"), "too generous, go lower");
    // Subscribers hear of it, and the trail has every step.
    EXPECT_GT(event_seq(), seq_before);
    EXPECT_EQ(audit_actions(original), (std::vector<std::string>{"proposal.created", "proposal.rejected",
                                                                 "proposal.revision_requested", "proposal.revised"}));
    EXPECT_EQ(audit_actions(outcome.revision_id), (std::vector<std::string>{"proposal.created"}));
}

TEST_F(RevisionTest, ARedeliveredOrConcurrentJobStoresOneRevision) {
    const auto original = propose(ActionKind::kCreateDiscountCode, discount("TWICE30", 30));
    ASSERT_TRUE(Decisions(*pool_).reject(actor(), original, std::string("lower"), true).ok());
    std::vector<RevisionOutcome> outcomes(3);
    std::vector<std::thread> threads;
    threads.reserve(outcomes.size());
    for (auto& out : outcomes) threads.emplace_back([&] { out = reviser_->run(original); });
    for (auto& t : threads) t.join();
    const auto again = reviser_->run(original);
    EXPECT_FALSE(again.created);
    EXPECT_EQ(revisions_of(original), 1);
    int created = 0;
    for (const auto& out : outcomes) {
        created += out.created ? 1 : 0;
        EXPECT_EQ(out.revision_id, again.revision_id);
    }
    EXPECT_EQ(created, 1);
    EXPECT_EQ(audit_actions(original).back(), "proposal.revised");
}

TEST_F(RevisionTest, PriceChangeTooMuchIsHalvedWithALivePreview) {
    const auto data =
        client_
            ->query(shopify::ShopCredentials{kShop, token_},
                    "query { products(first: 1) { nodes { id variants(first: 1) { nodes { id price } } } } }", {},
                    Deadline::after(30s))
            .data;
    const auto& product = data.at("products").at("nodes").as_array().at(0);
    const auto& variant = product.at("variants").at("nodes").as_array().at(0);
    const std::string price(variant.at("price").as_string());
    const auto milli = *intelligence::parse_decimal_milli(price);
    const json::object params{{"productId", product.at("id")},
                              {"variantId", variant.at("id")},
                              {"currentPrice", price},
                              {"newPrice", intelligence::format_decimal((milli + milli / 5) / 10, 2)}};
    const auto original = propose(ActionKind::kUpdateProductPrice, params);
    ASSERT_TRUE(Decisions(*pool_).reject(actor(), original, std::string("that is too much"), true).ok());
    const auto outcome = reviser_->run(original);
    ASSERT_TRUE(outcome.created) << outcome.skipped;
    const auto revised = json::parse(row(outcome.revision_id).get<std::string>(0, "parameters")).as_object();
    const auto revised_milli = *intelligence::parse_decimal_milli(revised.at("newPrice").as_string());
    EXPECT_GT(revised_milli, milli);
    EXPECT_LT(revised_milli, milli + milli / 5);
    const auto preview = json::parse(row(outcome.revision_id).get<std::string>(0, "preview")).as_array();
    ASSERT_EQ(preview.size(), 1U);
    EXPECT_TRUE(same_amount(preview.at(0).at("before").as_string(), price));
}

TEST_F(RevisionTest, ReviseWithoutFeedbackIsInvalidAndAnotherUsersProposalIsNotFound) {
    const auto original = propose(ActionKind::kCreateDiscountCode, discount("NOFEED20", 20));
    const auto empty = Decisions(*pool_).reject(actor(), original, std::string("   "), true);
    EXPECT_EQ(empty.error, DecisionError::kInvalid);
    EXPECT_EQ(Decisions(*pool_).reject(actor(), original, std::nullopt, true).error, DecisionError::kInvalid);
    EXPECT_EQ(row(original).get<std::string>(0, "status"), "PENDING");
    const auto intruder = Actor{.user_id = new_user(), .trace_id = "x"};
    EXPECT_EQ(Decisions(*pool_).reject(intruder, original, std::string("lower"), true).error, DecisionError::kNotFound);
    EXPECT_EQ(row(original).get<std::string>(0, "status"), "PENDING");
    EXPECT_EQ(pool_
                  ->query_blocking("SELECT count(*) FROM outbox WHERE payload::text LIKE '%' || $1 || '%'",
                                   db::Params{original})
                  .scalar<std::int64_t>(),
              0);
    // A job for a proposal that is not REJECTED stores nothing.
    EXPECT_FALSE(reviser_->run(original).created);
    EXPECT_EQ(revisions_of(original), 0);
}

// The whole path as in the worker: outbox -> relay -> RabbitMQ -> actions consumer -> revision.
TEST_F(RevisionTest, TheWorkersActionsConsumerAnswersTheRevisionJob) {
    const char* amqp = std::getenv("ALATAR_TEST_AMQP_URL");
    ASSERT_NE(amqp, nullptr) << "ALATAR_TEST_AMQP_URL is not set: eval \"$(scripts/services --profile test env)\"";
    const mq::Names names{"actrevise" + std::to_string(::getpid())};
    const auto url = mq::parse_amqp_url(amqp);
    agents::declare_worker_topology(url, names, agents::WorkerOptions{}.delivery_limit);
    mq::Publisher publisher{url, Logger::null()};
    agents::OutboxRelay relay{*pool_, publisher, names, Logger::null(), agents::OutboxRelayOptions{.idle_poll = 50ms}};
    ActionExecutor executor{ExecutorOptions{.database_url = suite().database.url(), .worker_name = "test"}, *pool_,
                            *client_, keyring_, Logger::null()};
    ActionConsumer consumer{executor, url, names, Logger::null(), &publisher, reviser_.get()};
    ASSERT_TRUE(consumer.wait_until_consuming(30s));

    const auto original = propose(ActionKind::kCreateDiscountCode, discount("WIRE25", 25));
    ASSERT_TRUE(Decisions(*pool_).reject(actor(), original, std::string("a bit smaller please"), true).ok());
    const auto until = std::chrono::steady_clock::now() + 60s;
    while (revisions_of(original) == 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(50ms);
    ASSERT_EQ(revisions_of(original), 1) << "no revision within 60 s";
    const auto r = pool_->query_blocking(
        "SELECT status, (parameters->>'percentage')::int FROM action_proposals WHERE revision_of::text = $1",
        db::Params{original});
    EXPECT_EQ(r.get<std::string>(0, 0), "PENDING");
    EXPECT_LE(r.get<std::int64_t>(0, 1), 20);
}

}  // namespace
}  // namespace alatar::actions
