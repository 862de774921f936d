// The thin path end to end in-process: submit -> outbox relay -> orchestrator -> departments -> review.
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <mutex>

#include "agents/agents_fixture.hpp"
#include "agents/contracts.hpp"
#include "agents/outbox.hpp"
#include "common/crypto.hpp"
#include "common/error.hpp"
#include "mq/dlq.hpp"
#include "mq/events.hpp"
#include "mq/publisher.hpp"

namespace alatar::agents::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

json::object result_kpis(db::Pool& pool, const std::string& request_id) {
    const auto r =
        pool.query_blocking("SELECT kpis::text FROM analysis_results WHERE request_id = $1", db::Params{request_id});
    json::object by_key;
    if (r.empty()) return by_key;
    const json::value parsed = json::parse(r.text(0, 0));
    for (const auto& k : parsed.as_array()) {
        by_key[k.at("key").as_string()] = k;
    }
    return by_key;
}

double value_of(const json::object& kpis, std::string_view key) { return kpis.at(key).at("value").to_number<double>(); }

ToolSpec failing(const ToolRegistry& tools, std::string_view name, std::atomic<int>& calls) {
    ToolSpec spec = *tools.find(name);
    spec.run = [&calls](ToolContext&, const json::object&) -> json::value {
        ++calls;
        throw Error(ErrorCode::kShopifyError, "injected failure");
    };
    return spec;
}

TEST_F(AgentsTest, SalesLastMonthMatchesTheGeneratedStoresGroundTruth) {
    start_worker();
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string id = submit("How were sales last month?");
    ASSERT_EQ(wait_finished(id), "COMPLETED");

    const Window window = last_month(sim_store(), now);
    const Totals truth = ground_truth(sim_store(), window.from, window.to);
    ASSERT_GT(truth.orders, 10) << "the generated store should have sales last month";
    const Window before = last_month(sim_store(), window.from);
    const Totals previous = ground_truth(sim_store(), before.from, before.to);

    const auto kpis = result_kpis(*pool_, id);
    ASSERT_FALSE(kpis.empty());
    // The intelligence KPI pack (docs/metrics.md), each with its formula id and window.
    EXPECT_EQ(value_of(kpis, "orders"), static_cast<double>(truth.orders));
    EXPECT_EQ(value_of(kpis, "units"), static_cast<double>(truth.units));
    EXPECT_NEAR(value_of(kpis, "gross_sales"), truth.gross / 100.0, 0.005);
    EXPECT_NEAR(value_of(kpis, "discounts"), truth.discounts / 100.0, 0.005);
    EXPECT_NEAR(value_of(kpis, "aov"), static_cast<double>(truth.gross - truth.discounts) / truth.orders / 100.0,
                0.006);
    EXPECT_NEAR(kpis.at("gross_sales").at("previousValue").to_number<double>(), previous.gross / 100.0, 0.005);
    // The cache has no refund lines: returns are estimated, but net sales is gross - discounts - returns.
    EXPECT_GE(value_of(kpis, "returns"), 0.0);
    EXPECT_NEAR(value_of(kpis, "net_sales"), (truth.gross - truth.discounts) / 100.0 - value_of(kpis, "returns"),
                0.005);
    for (const auto& [key, formula] : {std::pair{"net_sales", "net_sales.v1"}, std::pair{"orders", "orders.v1"}}) {
        const auto& provenance = kpis.at(key).at("provenance").as_object();
        EXPECT_EQ(provenance.at("formulaId").as_string(), formula);
        EXPECT_TRUE(provenance.at("window").is_object()) << key;
    }

    const auto r = pool_->query_blocking(
        "SELECT extract(epoch FROM data_window_from)::bigint, extract(epoch FROM data_window_to)::bigint, summary, "
        "jsonb_array_length(visualizations) FROM analysis_results WHERE request_id = $1",
        db::Params{id});
    EXPECT_EQ(r.get<std::int64_t>(0, 0), window.from);
    EXPECT_EQ(r.get<std::int64_t>(0, 1), window.to);
    EXPECT_NE(r.get<std::string>(0, 2).find("Orders " + std::to_string(truth.orders)), std::string::npos)
        << r.get<std::string>(0, 2);
    EXPECT_GE(r.get<std::int64_t>(0, 3), 2);  // the analysis' Vega-Lite charts and the top products bar chart

    EXPECT_EQ(count("SELECT count(*) FROM agent_tasks WHERE request_id = $1 AND status = 'SUCCEEDED'", db::Params{id}),
              7);  // the orchestrator and six department tasks
    EXPECT_DOUBLE_EQ(
        pool_->query_blocking("SELECT progress FROM analysis_requests WHERE id = $1", db::Params{id}).scalar<double>(),
        1.0);
    // A span for every step and tool call, parented to the request's root span.
    EXPECT_EQ(count("SELECT count(*) FROM trace_spans WHERE request_id = $1 AND kind = 'tool'", db::Params{id}), 8);
    EXPECT_EQ(count("SELECT count(*) FROM trace_spans WHERE request_id = $1 AND kind = 'agent'", db::Params{id}), 8);
    EXPECT_EQ(count("SELECT count(*) FROM trace_spans t WHERE request_id = $1 AND kind = 'tool' AND NOT EXISTS "
                    "(SELECT 1 FROM trace_spans p WHERE p.request_id = t.request_id AND p.span_id = t.parent_id)",
                    db::Params{id}),
              0);
}

TEST_F(AgentsTest, RedeliveredMessagesChangeNothing) {
    start_worker();
    const std::string id = submit("How were sales last month?");
    ASSERT_EQ(wait_finished(id), "COMPLETED");
    const auto snapshot = [&] {
        return pool_
            ->query_blocking(
                "SELECT (SELECT count(*) FROM agent_tasks WHERE request_id = $1)::text || '/' || "
                "(SELECT sum(attempts) FROM agent_tasks WHERE request_id = $1) || '/' || "
                "(SELECT count(*) FROM analysis_results WHERE request_id = $1) || '/' || "
                "(SELECT count(*) FROM trace_spans WHERE request_id = $1) || '/' || "
                "(SELECT count(*) FROM outbox WHERE payload->>'request_id' = $1::text) || '/' || "
                "(SELECT event_seq FROM analysis_requests WHERE id = $1)",
                db::Params{id})
            .scalar<std::string>();
    };
    const std::string before = snapshot();

    // Publish every work message of the request again, as a broker redelivery or a relay re-run would.
    const auto rows = pool_->query_blocking(
        "SELECT topic, payload::text FROM outbox WHERE headers->>'exchange' = 'work' AND payload->>'request_id' = $1",
        db::Params{id});
    ASSERT_GE(rows.rows(), 1 + 6 + 6);  // requested, six dispatches, six results
    {
        mq::Publisher publisher{url_, log_};
        for (int i = 0; i < rows.rows(); ++i) {
            publisher.publish_blocking(names_->work_exchange(), rows.get<std::string>(i, 0),
                                       mq::parse_envelope(rows.text(i, 1)), Deadline::after(5s));
        }
    }
    ASSERT_TRUE(eventually(
        [&] {
            return ready(names_->queue(mq::WorkQueue::kOrchestrator)) == 0 &&
                   ready(names_->queue(mq::WorkQueue::kResults)) == 0 &&
                   ready(names_->queue(mq::WorkQueue::kQuantitative)) == 0;
        },
        10s));
    std::this_thread::sleep_for(500ms);  // the last deliveries are being handled
    const std::string after = snapshot();
    EXPECT_EQ(after, before);
    EXPECT_EQ(status_of(id), "COMPLETED");
}

TEST_F(AgentsTest, FailingToolCountsToFiveThenThePartialResultSaysWhatIsMissing) {
    std::atomic<int> calls{0};
    tools_.replace(failing(tools_, "top_products", calls));
    start_worker();
    const std::string id = submit("How were sales last month?");
    ASSERT_EQ(wait_finished(id, 60s), "COMPLETED");

    EXPECT_EQ(calls.load(), 5);
    const auto t = pool_->query_blocking(
        "SELECT status, error_count, attempts, error FROM agent_tasks WHERE request_id = $1 AND name = 'top_products'",
        db::Params{id});
    EXPECT_EQ(t.get<std::string>(0, 0), "FAILED");
    EXPECT_EQ(t.get<std::int64_t>(0, 1), 5);
    EXPECT_EQ(t.get<std::int64_t>(0, 2), 5);
    EXPECT_NE(t.get<std::string>(0, 3).find("injected failure"), std::string::npos);
    const auto summary =
        pool_->query_blocking("SELECT summary FROM analysis_results WHERE request_id = $1", db::Params{id})
            .scalar<std::string>();
    EXPECT_NE(summary.find("Partial result: top products could not be computed and is missing."), std::string::npos)
        << summary;
    EXPECT_EQ(
        count("SELECT jsonb_array_length(visualizations) FROM analysis_results WHERE request_id = $1", db::Params{id}),
        1);  // the daily chart is there, the top-products chart is not
    EXPECT_EQ(count("SELECT count(*) FROM trace_spans WHERE request_id = $1 AND name = 'tool.top_products' "
                    "AND error IS NOT NULL",
                    db::Params{id}),
              5);
}

TEST_F(AgentsTest, EssentialTaskFailureFailsTheRequestWithAClearMessage) {
    std::atomic<int> calls{0};
    tools_.replace(failing(tools_, "ensure_store_data_fresh", calls));
    start_worker();
    const std::string id = submit("How were sales last month?");
    ASSERT_EQ(wait_finished(id, 60s), "FAILED");
    EXPECT_EQ(calls.load(), 5);
    const auto error = pool_->query_blocking("SELECT error FROM analysis_requests WHERE id = $1", db::Params{id})
                           .scalar<std::string>();
    EXPECT_EQ(error, "Could not compute the store's data: tool ensure_store_data_fresh failed: injected failure");
    EXPECT_EQ(count("SELECT count(*) FROM agent_tasks WHERE request_id = $1 AND status = 'CANCELLED' "
                    "AND dispatched_at IS NULL",
                    db::Params{id}),
              5);
    EXPECT_EQ(count("SELECT count(*) FROM analysis_results WHERE request_id = $1", db::Params{id}), 0);
}

TEST_F(AgentsTest, PoisonMessageEndsInTheDeadLetterQueueAndIsReplayed) {
    start_worker();
    // A request the database does not know (yet): the orchestrator rejects it.
    const std::string id = mq::new_uuid();
    {
        mq::Publisher publisher{url_, log_};
        publisher.publish_blocking(
            names_->work_exchange(), std::string(mq::work_key(mq::WorkQueue::kOrchestrator)),
            mq::Envelope::make(std::string(contract::kAnalysisRequested), json::object{{"request_id", id}}, id, id),
            Deadline::after(5s));
    }
    std::vector<mq::DeadLetter> dead;
    ASSERT_TRUE(eventually(
        [&] {
            dead = mq::dlq_list(url_, *names_);
            return !dead.empty();
        },
        10s));
    ASSERT_EQ(dead.size(), 1U);
    EXPECT_EQ(dead[0].work_key, "orchestrator");
    EXPECT_EQ(dead[0].reason, "rejected");

    // The cause is repaired (the row exists now); replaying delivers it again and the analysis runs.
    pool_->query_blocking("INSERT INTO analysis_requests (id, user_id, store_id, prompt) VALUES ($1, $2, $3, $4)",
                          db::Params{id, store().user_id, store().store_id, "How were sales last month?"});
    const auto replayed = mq::dlq_replay(url_, *names_);
    EXPECT_EQ(replayed.replayed, 1U);
    EXPECT_EQ(wait_finished(id), "COMPLETED");
    EXPECT_TRUE(mq::dlq_list(url_, *names_).empty());
}

TEST_F(AgentsTest, CancelStopsFurtherWork) {
    ToolSpec slow = *tools_.find("ensure_store_data_fresh");
    auto inner = slow.run;
    slow.run = [inner](ToolContext& ctx, const json::object& input) {
        std::this_thread::sleep_for(1500ms);
        return inner(ctx, input);
    };
    tools_.replace(std::move(slow));
    start_worker();
    const std::string id = submit("How were sales last month?");
    ASSERT_TRUE(eventually(
        [&] {
            return count(
                       "SELECT count(*) FROM agent_tasks WHERE request_id = $1 AND status = 'RUNNING' "
                       "AND name = 'load_store_data'",
                       db::Params{id}) == 1;
        },
        10s));
    const auto status =
        pool_->transact_blocking([&](db::Transaction& tx) { return cancel_analysis_request(tx, store().user_id, id); });
    EXPECT_EQ(status, "CANCELLED");
    std::this_thread::sleep_for(2500ms);  // the running task finishes its tool call and must drop its result
    EXPECT_EQ(status_of(id), "CANCELLED");
    EXPECT_EQ(count("SELECT count(*) FROM agent_tasks WHERE request_id = $1 AND status = 'SUCCEEDED'", db::Params{id}),
              0);
    EXPECT_EQ(
        count("SELECT count(*) FROM agent_tasks WHERE request_id = $1 AND dispatched_at IS NOT NULL", db::Params{id}),
        1);
    EXPECT_EQ(count("SELECT count(*) FROM analysis_results WHERE request_id = $1", db::Params{id}), 0);
    // Cancelling again, or somebody else's request, changes nothing.
    EXPECT_EQ(
        pool_->transact_blocking([&](db::Transaction& tx) { return cancel_analysis_request(tx, store().user_id, id); }),
        "CANCELLED");
    const std::string stranger = insert_user(*pool_);
    EXPECT_THROW(
        pool_->transact_blocking([&](db::Transaction& tx) { return cancel_analysis_request(tx, stranger, id); }),
        Error);
}

TEST_F(AgentsTest, EventsArriveInOrderAndEndWithCompletion) {
    std::mutex mutex;
    std::vector<json::object> events;
    mq::EventSubscriber subscriber{url_, *names_,
                                   [&](const mq::Event& e) {
                                       const std::lock_guard lock(mutex);
                                       events.push_back(e.envelope.payload.as_object());
                                   },
                                   log_};
    start_worker();
    ASSERT_TRUE(subscriber.wait_until_ready(10s));
    const std::string id = submit("How were sales last month?");
    ASSERT_EQ(wait_finished(id), "COMPLETED");
    const auto last_seq = count("SELECT event_seq FROM analysis_requests WHERE id = $1", db::Params{id});
    ASSERT_TRUE(eventually(
        [&] {
            const std::lock_guard lock(mutex);
            return static_cast<std::int64_t>(events.size()) >= last_seq;
        },
        10s));
    const std::lock_guard lock(mutex);
    ASSERT_EQ(static_cast<std::int64_t>(events.size()), last_seq);
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].at("seq").to_number<std::int64_t>(), static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(events[i].at("request_id").as_string(), id);
        EXPECT_EQ(events[i].at("user_id").as_string(), store().user_id);
    }
    EXPECT_EQ(events.front().at("status").as_string(), "QUEUED");
    EXPECT_EQ(events.back().at("event").as_string(), "COMPLETED");
    EXPECT_EQ(events.back().at("progress").to_number<double>(), 1.0);
    double progress = 0;
    std::size_t task_updates = 0;
    for (const auto& e : events) {
        EXPECT_GE(e.at("progress").to_number<double>(), progress);
        progress = e.at("progress").to_number<double>();
        task_updates += e.at("event").as_string() == "TASK_UPDATED" ? 1 : 0;
    }
    EXPECT_EQ(task_updates, 12U);  // RUNNING and SUCCEEDED for six tasks
}

TEST_F(AgentsTest, RecommendedProposalsAreStoredPendingAndEmbeddedWithTheirIds) {
    // The seeded cache has no inventory, costs or customers, so no rule fires on it: the recommendation step
    // returns one fixed recommendation with an e-mail draft and a discount code (the rules' shapes).
    ToolSpec fixed = *tools_.find("suggest_actions");
    fixed.run = [](ToolContext&, const json::object&) -> json::value {
        return json::parse(R"({"recommendations": [{"id": "rec-winback", "title": "Win back lapsed customers",
            "rationale": "12 customers have not ordered for 90 days.", "expectedImpact": "A few orders",
            "proposals": [{"id": "p1", "kind": "DRAFT_MARKETING_EMAIL", "title": "Win-back e-mail",
              "description": "A draft", "parameters": {"subject": "We miss you", "bodyHtml": "<p>Hello</p>",
              "audience": {"segment": "lapsed"}}, "preview": [], "requiredScopes": []},
             {"id": "p2", "kind": "CREATE_DISCOUNT_CODE", "title": "Win-back code", "description": "10 % off",
              "parameters": {"title": "Win back", "code": "COMEBACK10", "percentage": 10,
                "scope": {"type": "ALL"}, "startsAt": "2099-01-01T00:00:00Z", "endsAt": "2099-01-15T00:00:00Z"},
              "preview": [], "requiredScopes": ["write_discounts"]}]}]})");
    };
    tools_.replace(std::move(fixed));
    start_worker();
    const std::string id = submit("How were sales last month?");
    ASSERT_EQ(wait_finished(id), "COMPLETED");

    const auto rows = pool_->query_blocking(
        "SELECT id::text, kind, status, recommendation_id, missing_scopes, expires_at > now() + interval '6 days' "
        "FROM action_proposals WHERE request_id = $1 ORDER BY kind DESC",
        db::Params{id});
    ASSERT_EQ(rows.rows(), 2);
    EXPECT_EQ(rows.get<std::string>(0, 1), "DRAFT_MARKETING_EMAIL");
    EXPECT_EQ(rows.get<std::string>(0, 2), "PENDING");
    EXPECT_EQ(rows.get<std::string>(0, 3), "rec-winback");
    EXPECT_TRUE(rows.get<std::vector<std::string>>(0, 4).empty());
    EXPECT_TRUE(rows.get<bool>(0, 5));
    EXPECT_EQ(rows.get<std::string>(1, 1), "CREATE_DISCOUNT_CODE");
    EXPECT_EQ(rows.get<std::vector<std::string>>(1, 4), std::vector<std::string>{"write_discounts"});

    const auto recs = json::parse(
        pool_
            ->query_blocking("SELECT recommendations::text FROM analysis_results WHERE request_id = $1", db::Params{id})
            .scalar<std::string>());
    const auto& proposals = recs.at(0).at("proposals").as_array();
    ASSERT_EQ(proposals.size(), 2U);
    EXPECT_EQ(proposals.at(0).at("id").as_string(),
              crypto::base64url_encode("ActionProposal:" + rows.get<std::string>(0, 0)));
    EXPECT_EQ(proposals.at(0).at("status").as_string(), "PENDING");
}

TEST_F(AgentsTest, OutOfScopeQuestionsAreDeclinedPolitely) {
    start_worker();
    const std::string id = submit("What is the capital of France?");
    ASSERT_EQ(wait_finished(id), "COMPLETED");
    const auto summary =
        pool_->query_blocking("SELECT summary FROM analysis_results WHERE request_id = $1", db::Params{id})
            .scalar<std::string>();
    EXPECT_NE(summary.find("cannot be answered from your store"), std::string::npos) << summary;
}

TEST_F(AgentsTest, SubmissionValidatesItsInput) {
    const std::string user = store().user_id;
    try {
        pool_->transact_blocking(
            [&](db::Transaction& tx) { return submit_analysis_request(tx, user, store().store_id, "  "); });
        FAIL() << "an empty prompt was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadUserInput);
    }
    const std::string stranger = insert_user(*pool_);
    try {
        pool_->transact_blocking(
            [&](db::Transaction& tx) { return submit_analysis_request(tx, stranger, store().store_id, "sales?"); });
        FAIL() << "another user's store was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    }
    // Nothing was written by the failed submissions.
    EXPECT_EQ(count("SELECT count(*) FROM analysis_requests WHERE user_id = $1", db::Params{stranger}), 0);
}

TEST_F(AgentsTest, ToolsCannotWrite) {
    ReadOnlyDb read_only{*pool_};
    try {
        read_only.query("DELETE FROM shop_orders", {}, Deadline::after(5s));
        FAIL() << "a tool query deleted rows";
    } catch (const db::DbError& e) {
        EXPECT_EQ(e.sqlstate(), "25006");  // read_only_sql_transaction
    }
    EXPECT_GT(count("SELECT count(*) FROM shop_orders"), 0);
}

TEST_F(AgentsTest, ToolInputAndOutputAreValidatedOnEveryCall) {
    ReadOnlyDb read_only{*pool_};
    ToolContext ctx;
    ctx.store_id = store().store_id;
    ctx.db = &read_only;
    ctx.shop_timezone = "UTC";
    try {
        (void)tools_.call("quantitative_analysis", "top_products", ctx, json::object{{"from", "x"}, {"limit", 500}});
        FAIL() << "bad input accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadUserInput);
        EXPECT_NE(std::string(e.what()).find("/to: missing required property"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("/limit: must be <= 50"), std::string::npos) << e.what();
    }
    ToolSpec liar = *tools_.find("sales_totals");
    liar.run = [](ToolContext&, const json::object&) -> json::value { return json::object{{"orders", -1}}; };
    tools_.replace(std::move(liar));
    const json::object window{{"from", "2025-01-01T00:00:00Z"}, {"to", "2025-02-01T00:00:00Z"}};
    try {
        (void)tools_.call("quantitative_analysis", "sales_totals", ctx, window);
        FAIL() << "bad output accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kInternal);
    }
    EXPECT_THROW((void)tools_.call("data_retrieval", "sales_totals", ctx, window), Error);  // wrong department
}

}  // namespace
}  // namespace alatar::agents::testing
