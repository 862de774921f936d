// Upstream calls in the trace and in the worker's metrics: the data-retrieval tool syncing a store through the
// real Admin client and StoreSync (against a scripted Shopify that throttles once, and refuses a revoked token),
// and the narrative asking the scripted OpenAI-compatible server, each call stored as a "shopify" or "llm" child
// of its tool span with its cost; the worker's /metrics then counts them once.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <mutex>
#include <sstream>
#include <string>

#include "agents/agents_fixture.hpp"
#include "agents/llm_narrative.hpp"
#include "agents/store_sync.hpp"
#include "agents/tracing.hpp"
#include "agents/worker_metrics.hpp"
#include "common/crypto.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sync.hpp"
#include "support/scripted_llm_server.hpp"

namespace alatar::agents {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::eventually;
using testing::test_broker_url;

constexpr const char* kToken = "shpat_good_0123456789";
constexpr const char* kRevokedToken = "shpat_revoked_0123456789";
constexpr const char* kWorker = "spans-test-worker";
constexpr const char* kProductsFile = "http://files.test/products.jsonl";

std::string cost(double requested, double available) {
    return R"("extensions":{"cost":{"requestedQueryCost":)" + std::to_string(requested) + R"(,"actualQueryCost":)" +
           std::to_string(requested) + R"(,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":)" +
           std::to_string(available) + R"(,"restoreRate":50.0}}})";
}

// Just enough of the Admin API for a backfill: bulk runs (the products one throttled once, then with a result
// file of one product), their polls, and an empty refunds page. 401 for the revoked token.
class ScriptedShopify : public shopify::HttpClient {
  public:
    shopify::HttpResponse send(const shopify::HttpRequest& request, Deadline /*deadline*/) override {
        const std::scoped_lock lock{mutex_};
        ++calls;
        shopify::HttpResponse r;
        r.status = 200;
        for (const auto& [name, value] : request.headers) {
            if (name == "X-Shopify-Access-Token" && value == kRevokedToken) {
                r.status = 401;
                r.body = R"({"errors":"[API] Invalid API key or access token"})";
                return r;
            }
        }
        const auto body = json::parse(request.body).as_object();
        const std::string query{body.at("query").as_string()};
        const auto& variables = body.at("variables").as_object();
        if (query.find("bulkOperationRunQuery") != std::string::npos) {
            const std::string bulk{variables.at("q").as_string()};
            const bool products = bulk.starts_with("{ products");
            if (products && !throttled_once_) {
                throttled_once_ = true;  // 5 points short at 50 points/s: a 100 ms wait
                r.body =
                    R"({"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],)" + cost(10, 5) + "}";
                return r;
            }
            const std::string id = "gid://shopify/BulkOperation/" + std::string(products ? "1" : "2");
            r.body = R"({"data":{"bulkOperationRunQuery":{"bulkOperation":{"id":")" + id +
                     R"(","status":"CREATED"},"userErrors":[]}},)" + cost(10, 990) + "}";
        } else if (query.find("bulkOperation(id:") != std::string::npos) {
            const bool products = variables.at("id").as_string().ends_with("/1");
            r.body = R"({"data":{"bulkOperation":{"id":")" + std::string(variables.at("id").as_string()) +
                     R"(","status":"COMPLETED","errorCode":null,"objectCount":")" + (products ? "1" : "0") +
                     R"(","url":)" + (products ? "\"" + std::string(kProductsFile) + "\"" : "null") + "}}," +
                     cost(1, 990) + "}";
        } else if (query.find("orders(") != std::string::npos) {
            r.body = R"({"data":{"orders":{"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}},)" +
                     cost(677, 990) + "}";
        } else {
            r.status = 400;
            r.body = R"({"errors":"unexpected query"})";
        }
        return r;
    }

    long stream(const std::string& url, Deadline /*deadline*/,
                const std::function<void(std::string_view)>& on_chunk) override {
        ++calls;
        if (url != kProductsFile) return 404;
        on_chunk(
            R"({"id":"gid://shopify/Product/1","title":"Ceramic mug","handle":"ceramic-mug","status":"ACTIVE",)"
            R"("tags":[],"totalInventory":3,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"})"
            "\n");
        return 200;
    }

    std::atomic<int> calls{0};

  private:
    std::mutex mutex_;
    bool throttled_once_{false};
};

json::object narrative_dependencies() {
    return json::parse(R"({"sales_current": {"results": {"sales_totals": {"orders": 42, "units": 97,
        "gross_sales": "5310.00", "discounts": "210.00", "sales_after_discounts": "5100.00", "refunded": "120.00",
        "average_order_value": "121.43", "currency": "USD"}}}})")
        .as_object();
}

// The value of one exposition line `series value`, or -1 when absent.
double sample_of(const std::string& exposition, const std::string& series) {
    std::istringstream lines(exposition);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
    }
    return -1;
}

class CallSpansTest : public ::testing::Test {
  protected:
    static db::testing::SuiteDatabase& database() {
        static db::testing::SuiteDatabase d;
        return d;
    }
    static void SetUpTestSuite() {
        database().open();
        if (database().get() != nullptr) testing::migrate(database().url());
    }
    static void TearDownTestSuite() { database().close(); }

    void SetUp() override {
        ASSERT_NE(database().get(), nullptr) << database().why();
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = database().url(), .size = 4}, Logger::null());
        shopify::AdminClientOptions options;
        options.shop_url_template = "http://shopify.test/{shop}";
        options.base_backoff = 1ms;
        options.bulk_poll_interval = 1ms;
        client_ = std::make_unique<shopify::AdminClient>(http_, options, Logger::null());
        sync_ = std::make_unique<shopify::StoreSync>(
            *pool_, *client_, keyring_, shopify::StoreSyncOptions{.cache_ttl = 15min, .database_url = database().url()},
            Logger::null());
        source_ = std::make_unique<SyncingStoreDataSource>(*pool_, *sync_);
    }

    // A linked store (token sealed as complete_oauth leaves it) and an analysis request of it.
    std::pair<std::string, std::string> store_and_request(const std::string& shop, const std::string& token) {
        const auto user = testing::insert_user(*pool_);
        const auto store = pool_
                               ->query_blocking(
                                   "INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id) "
                                   "VALUES ($1, $2, convert_to($3, 'UTF8'), $4) RETURNING id::text",
                                   db::Params{user, shop, keyring_.encrypt(token, shopify::token_associated_data(shop)),
                                              keyring_.current_kid()})
                               .scalar<std::string>();
        const auto request = pool_
                                 ->query_blocking(
                                     "INSERT INTO analysis_requests (user_id, store_id, prompt) VALUES ($1::uuid, "
                                     "$2::uuid, 'how did sales go?') RETURNING id::text",
                                     db::Params{user, store})
                                 .scalar<std::string>();
        return {store, request};
    }

    // Runs `tool` of `department` under a tool span the way a department task does; stores the trace.
    // Returns the tool span's id; `failure` gets the tool's error, if any.
    std::string run_tool(const ToolRegistry& tools, std::string_view department, const std::string& tool,
                         ToolContext context, const std::string& request_id, std::string& failure) {
        Trace trace{request_id};
        std::string span_id;
        {
            SpanTimer tool_span{trace, "tool." + tool, "tool", root_span_id(request_id)};
            span_id = tool_span.id();
            context.request_id = request_id;
            context.span = ParentSpan{&trace, tool_span.id(), kWorker};
            try {
                tools.call(department, tool, context, json::object{});
            } catch (const std::exception& e) {
                failure = e.what();
                tool_span.fail(failure);
            }
        }
        pool_->transact_blocking([&](db::Transaction& tx) { trace.flush(tx); });
        return span_id;
    }

    // The stored spans of a request's kind, oldest first, as JSON objects.
    std::vector<json::object> spans(const std::string& request_id, const std::string& kind) {
        const auto r = pool_->query_blocking(
            "SELECT json_build_object('name', name, 'parent_id', parent_id, 'error', error, "
            "'attributes', attributes)::text FROM trace_spans WHERE request_id = $1::uuid AND kind = $2 "
            "ORDER BY started_at, name",
            db::Params{request_id, kind});
        std::vector<json::object> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(json::parse(r.text(i, 0)).as_object());
        return out;
    }

    std::string scrape(std::uint16_t port) {
        shopify::CurlHttpClient http;
        const auto res = http.send(shopify::HttpRequest::get("http://127.0.0.1:" + std::to_string(port) + "/metrics"),
                                   Deadline::after(10s));
        EXPECT_EQ(res.status, 200);
        return res.body;
    }

    std::unique_ptr<db::Pool> pool_;
    ScriptedShopify http_;
    crypto::Keyring keyring_ = crypto::Keyring::parse(crypto::Keyring::generate_key_base64());
    std::unique_ptr<shopify::AdminClient> client_;
    std::unique_ptr<shopify::StoreSync> sync_;
    std::unique_ptr<SyncingStoreDataSource> source_;
};

TEST_F(CallSpansTest, ShopifyAndLlmCallsAreChildSpansWithCostsAndTheWorkerCountsThem) {
    const auto broker = test_broker_url();
    ASSERT_TRUE(broker.has_value()) << "ALATAR_TEST_AMQP_URL is not set: run `eval \"$(scripts/services --profile "
                                       "test env)\"` after `scripts/services --profile test start`";

    // 1. The data-retrieval tool backfills the store: every Admin API call and the download is a span.
    const auto [store, request] = store_and_request("spans.myshopify.test", kToken);
    ToolContext context;
    context.store_id = store;
    context.data_source = source_.get();
    context.deadline = Deadline::after(60s);
    std::string failure;
    const std::string fresh_span =
        run_tool(builtin_tools(), departments::kDataRetrieval, "ensure_store_data_fresh", context, request, failure);
    ASSERT_EQ(failure, "");
    const auto shopify = spans(request, "shopify");
    // One span per call: the throttled attempt was retried within its call.
    ASSERT_EQ(static_cast<int>(shopify.size()), http_.calls.load() - 1);
    std::map<std::string, int> by_name;
    bool saw_throttle = false;
    double throttle_wait_ms = 0;
    for (const auto& s : shopify) {
        ++by_name[std::string(s.at("name").as_string())];
        EXPECT_EQ(s.at("parent_id").as_string(), fresh_span);
        const auto& a = s.at("attributes").as_object();
        EXPECT_EQ(a.at("worker"), kWorker);
        EXPECT_EQ(a.at("outcome"), "success");
        EXPECT_EQ(a.at("http_status"), 200);
        throttle_wait_ms += a.at("throttle_wait_ms").to_number<double>();
        if (s.at("name") != "shopify.download bulk result") {
            EXPECT_GT(a.at("requested_cost").to_number<double>(), 0) << json::serialize(s);
            EXPECT_EQ(a.at("actual_cost"), a.at("requested_cost"));
        }
        if (a.at("attempts") == 2) {
            saw_throttle = true;
            EXPECT_EQ(s.at("name"), "shopify.mutation bulkOperationRunQuery");
            EXPECT_GE(a.at("throttle_wait_ms").to_number<double>(), 100.0);
        }
        // The operation name only: never the document, its variables or the token.
        const std::string text = json::serialize(s);
        EXPECT_EQ(text.find("shpat_"), std::string::npos) << text;
        EXPECT_EQ(text.find("descriptionHtml"), std::string::npos) << text;
    }
    EXPECT_TRUE(saw_throttle);
    EXPECT_EQ(by_name["shopify.mutation bulkOperationRunQuery"], 5);  // the five bulk phases
    EXPECT_EQ(by_name["shopify.query bulkOperation"], 5);
    EXPECT_EQ(by_name["shopify.download bulk result"], 1);
    EXPECT_EQ(by_name["shopify.query orders"], 1);  // the refunds page

    // 2. A revoked token: the failed call is an auth_failed span with the status, and the tool span failed.
    const auto [revoked_store, revoked_request] = store_and_request("revoked.myshopify.test", kRevokedToken);
    context.store_id = revoked_store;
    failure.clear();
    run_tool(builtin_tools(), departments::kDataRetrieval, "ensure_store_data_fresh", context, revoked_request,
             failure);
    EXPECT_NE(failure.find("link"), std::string::npos) << failure;
    const auto revoked = spans(revoked_request, "shopify");
    ASSERT_EQ(revoked.size(), 1U);
    EXPECT_EQ(revoked[0].at("attributes").at("outcome"), "auth_failed");
    EXPECT_EQ(revoked[0].at("attributes").at("http_status"), 401);
    EXPECT_FALSE(revoked[0].at("error").is_null());

    // 3. The narrative asks the model twice (a tool call, then the answer): two llm spans with tokens and cost.
    alatar::testing::ScriptedLlmServer llm_server;
    llm_server.enqueue(alatar::testing::ScriptedReply::tool_calls({{"get_computed_figures", "{}"}}));
    llm_server.enqueue(alatar::testing::ScriptedReply::completion(
        R"({"summary": "Sales were 5,100.00 USD from 42 orders."})", 300, 60, 0.002));
    LlmNarrativeSettings settings;
    settings.transport = std::make_shared<llm::CurlTransport>();
    settings.client.base_url = llm_server.base_url();
    settings.client.api_key = "sk-test-secret";
    settings.client.max_retries = 0;
    settings.step_timeout = 20s;
    auto ledger = std::make_shared<llm::InMemoryUsageLedger>();
    settings.ledger = [ledger](ToolContext&) { return ledger; };
    settings.request_owner = [](ToolContext&) { return std::pair<std::string, std::string>{"vendor/model", "u"}; };
    settings.store_content = [](ToolContext&) { return json::array{}; };
    ToolRegistry narrative_tools;
    narrative_tools.add(llm_compose_narrative(*builtin_tools().find("compose_narrative"), std::move(settings)));
    ToolContext narrative_context;
    narrative_context.currency = "USD";
    narrative_context.dependencies = narrative_dependencies();
    narrative_context.deadline = Deadline::after(30s);
    // Under a tool span of its own, as the department runs it (compose_narrative takes a period).
    Trace trace{request};
    std::string narrative_span;
    {
        SpanTimer tool_span{trace, "tool.compose_narrative", "tool", root_span_id(request)};
        narrative_span = tool_span.id();
        narrative_context.request_id = request;
        narrative_context.span = ParentSpan{&trace, tool_span.id(), kWorker};
        narrative_tools.call(departments::kQualitative, "compose_narrative", narrative_context,
                             json::object{{"period", "last week"}});
    }
    pool_->transact_blocking([&](db::Transaction& tx) { trace.flush(tx); });
    const auto llm_spans = spans(request, "llm");
    ASSERT_EQ(llm_spans.size(), 2U);
    std::int64_t prompt = 0;
    std::int64_t completion = 0;
    double cost_usd = 0;
    for (const auto& s : llm_spans) {
        EXPECT_EQ(s.at("name"), "llm.chat");
        EXPECT_EQ(s.at("parent_id").as_string(), narrative_span);
        const auto& a = s.at("attributes").as_object();
        EXPECT_EQ(a.at("model"), "vendor/model");
        EXPECT_EQ(a.at("outcome"), "success");
        EXPECT_EQ(a.at("worker"), kWorker);
        EXPECT_EQ(a.at("attempts"), 1);
        prompt += a.at("prompt_tokens").as_int64();
        completion += a.at("completion_tokens").as_int64();
        cost_usd += a.at("cost_usd").to_number<double>();
        EXPECT_EQ(json::serialize(s).find("sk-test-secret"), std::string::npos);
    }
    EXPECT_EQ(prompt, 300 + 100);  // the scripted tool-call turn reports 100 prompt and 20 completion tokens
    EXPECT_EQ(completion, 60 + 20);
    EXPECT_GT(cost_usd, 0.002 - 1e-9);

    // 4. The worker's /metrics counts this worker's call spans, once.
    WorkerMetricsOptions options;
    options.port = 0;
    options.worker_name = kWorker;
    options.sample_interval = 1h;  // only the explicit samples below
    WorkerMetrics metrics{*pool_, *broker, mq::Names{"spans_test"}, Logger::null(), options};
    std::string text;
    ASSERT_TRUE(eventually(
        [&] {
            metrics.sample_now();
            text = scrape(metrics.port());
            return sample_of(text, R"(alatar_llm_requests_total{outcome="success"})") == 2;
        },
        10s))
        << text;
    metrics.sample_now();  // a second sample must not count the same spans again
    text = scrape(metrics.port());
    EXPECT_EQ(sample_of(text, R"(alatar_shopify_requests_total{outcome="success"})"),
              static_cast<double>(shopify.size()))
        << text;
    EXPECT_EQ(sample_of(text, R"(alatar_shopify_requests_total{outcome="auth_failed"})"), 1) << text;
    EXPECT_NEAR(sample_of(text, "alatar_shopify_throttle_wait_seconds_total"), throttle_wait_ms / 1000.0, 1e-6);
    EXPECT_GE(sample_of(text, "alatar_shopify_throttle_wait_seconds_total"), 0.1);
    EXPECT_EQ(sample_of(text, R"(alatar_llm_requests_total{outcome="success"})"), 2) << text;
    EXPECT_EQ(sample_of(text, R"(alatar_llm_tokens_total{kind="prompt"})"), static_cast<double>(prompt)) << text;
    EXPECT_EQ(sample_of(text, R"(alatar_llm_tokens_total{kind="completion"})"), static_cast<double>(completion));
    EXPECT_NEAR(sample_of(text, "alatar_llm_cost_usd_total"), cost_usd, 1e-9) << text;
}

}  // namespace
}  // namespace alatar::agents
