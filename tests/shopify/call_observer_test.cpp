// What the Admin client tells a CallObserver: one record per logical call with the operation name (never the
// document, variables or token), attempts, last HTTP status, outcome, query cost and the throttle wait.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <vector>

#include "shopify/admin_client.hpp"

namespace alatar::shopify {
namespace {

using std::chrono::milliseconds;

class ScriptedHttp : public HttpClient {
  public:
    std::deque<HttpResponse> answers;
    long stream_status = 200;

    HttpResponse send(const HttpRequest& /*request*/, Deadline /*deadline*/) override {
        if (answers.empty()) throw TransportError(false, "script exhausted");
        HttpResponse r = answers.front();
        answers.pop_front();
        return r;
    }
    long stream(const std::string& /*url*/, Deadline /*deadline*/,
                const std::function<void(std::string_view)>& on_chunk) override {
        if (stream_status == 200) on_chunk("{\"id\":\"gid://shopify/Product/1\"}\n");
        return stream_status;
    }
};

class Recorder final : public CallObserver {
  public:
    std::vector<CallRecord> calls;
    void on_call(const CallRecord& call) override { calls.push_back(call); }
};

HttpResponse answer(long status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

std::string cost_json(double requested, const std::string& actual, double available, double rate) {
    return R"("extensions":{"cost":{"requestedQueryCost":)" + std::to_string(requested) + R"(,"actualQueryCost":)" +
           actual + R"(,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":)" +
           std::to_string(available) + R"(,"restoreRate":)" + std::to_string(rate) + "}}}";
}

constexpr std::string_view kThrottled = R"({"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],)";
constexpr std::string_view kOrders =
    "query($after: String, $q: String) { orders(first: 4, after: $after, query: $q) { nodes { id } "
    "pageInfo { hasNextPage endCursor } } }";

class CallObserverTest : public ::testing::Test {
  protected:
    CallObserverTest() {
        options_.shop_url_template = "http://sim/shops/{shop}";
        options_.base_backoff = milliseconds(1);
        options_.max_backoff = milliseconds(5);
        options_.max_attempts = 3;
    }
    AdminClient client() { return AdminClient(http_, options_, Logger::null()); }
    ShopCredentials shop_{"a.myshopify.test", "shpat_secret"};
    ScriptedHttp http_;
    AdminClientOptions options_;
    Recorder recorder_;
};

TEST(OperationName, NamesTheOperationWithoutItsArguments) {
    EXPECT_EQ(operation_name(kOrders), "query orders");
    EXPECT_EQ(operation_name("query ProductPage($id: ID!) { product(id: $id) { id } }"), "query ProductPage");
    EXPECT_EQ(operation_name("mutation($q: String!) { bulkOperationRunQuery(query: $q) { userErrors { message } } }"),
              "mutation bulkOperationRunQuery");
    EXPECT_EQ(operation_name("{ shop { name } }"), "query shop");
    EXPECT_EQ(operation_name("  # the shop\n query { first: products(first: 1) { nodes { id } } }"), "query products");
    EXPECT_EQ(operation_name("fragment F on Shop { name }"), "graphql");
    EXPECT_EQ(operation_name(""), "query");
}

TEST_F(CallObserverTest, AThrottledCallThatSucceedsReportsItsCostAndWait) {
    // Throttled: 50 more points at 500 points/s is a wait of at least 100 ms, then an answer with its cost.
    http_.answers.push_back(answer(200, std::string(kThrottled) + cost_json(150, "null", 100, 500) + "}"));
    http_.answers.push_back(answer(200, R"({"data":{"x":1},)" + cost_json(150, "42", 850, 500) + "}"));
    auto c = client();
    c.query(shop_, kOrders, {}, Deadline::after(milliseconds(5000)), &recorder_);
    ASSERT_EQ(recorder_.calls.size(), 1U);
    const CallRecord& call = recorder_.calls[0];
    EXPECT_EQ(call.operation, "query orders");
    EXPECT_EQ(call.outcome, "success");
    EXPECT_EQ(call.attempts, 2);
    EXPECT_EQ(call.http_status, 200);
    EXPECT_EQ(call.requested_cost, 150.0);
    EXPECT_EQ(call.actual_cost, 42.0);
    EXPECT_GE(call.throttle_wait_ms, 100.0);
    EXPECT_GE(call.duration_ms, 100.0);
    EXPECT_FALSE(call.error.has_value());
}

TEST_F(CallObserverTest, PacingBeforeSendingCountsAsThrottleWait) {
    // The first answer leaves the bucket empty at 100 points/s: the second query of 200 points waits ~2 s, less
    // whatever passed between the calls (up to half a second on a loaded machine still passes).
    http_.answers.push_back(answer(200, R"({"data":{"x":1},)" + cost_json(200, "200", 0, 100) + "}"));
    http_.answers.push_back(answer(200, R"({"data":{"x":1},)" + cost_json(200, "200", 0, 100) + "}"));
    auto c = client();
    c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)), &recorder_);
    c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)), &recorder_);
    ASSERT_EQ(recorder_.calls.size(), 2U);
    EXPECT_EQ(recorder_.calls[0].throttle_wait_ms, 0.0);
    EXPECT_GE(recorder_.calls[1].throttle_wait_ms, 1500.0);
    EXPECT_EQ(recorder_.calls[1].attempts, 1);
}

TEST_F(CallObserverTest, ARevokedTokenIsAnAuthFailureAndTheTokenIsNotInTheRecord) {
    http_.answers.push_back(answer(401, R"({"errors":"[API] Invalid API key or access token"})"));
    auto c = client();
    EXPECT_THROW(c.query(shop_, "{ shop { name } }", {}, Deadline::after(milliseconds(1000)), &recorder_),
                 TokenRevoked);
    ASSERT_EQ(recorder_.calls.size(), 1U);
    const CallRecord& call = recorder_.calls[0];
    EXPECT_EQ(call.outcome, "auth_failed");
    EXPECT_EQ(call.http_status, 401);
    EXPECT_EQ(call.attempts, 1);
    ASSERT_TRUE(call.error.has_value());
    EXPECT_EQ(call.error->find("shpat_secret"), std::string::npos);
}

TEST_F(CallObserverTest, ThrottledToTheLastAttemptIsThrottled) {
    for (int i = 0; i < 3; ++i) {
        http_.answers.push_back(answer(429, "{}"));
    }
    auto c = client();
    EXPECT_THROW(c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)), &recorder_), Error);
    ASSERT_EQ(recorder_.calls.size(), 1U);
    EXPECT_EQ(recorder_.calls[0].outcome, "throttled");
    EXPECT_EQ(recorder_.calls[0].attempts, 3);
    EXPECT_EQ(recorder_.calls[0].http_status, 429);
    EXPECT_GT(recorder_.calls[0].throttle_wait_ms, 0.0);
}

TEST_F(CallObserverTest, TransportFailuresAreErrorsWithoutAStatus) {
    auto c = client();
    EXPECT_THROW(c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)), &recorder_), Error);
    ASSERT_EQ(recorder_.calls.size(), 1U);
    EXPECT_EQ(recorder_.calls[0].outcome, "error");
    EXPECT_EQ(recorder_.calls[0].attempts, 3);
    EXPECT_EQ(recorder_.calls[0].http_status, 0);
}

TEST_F(CallObserverTest, EveryPageIsACall) {
    http_.answers.push_back(
        answer(200, R"({"data":{"orders":{"nodes":[{"id":"1"}],"pageInfo":{"hasNextPage":true,"endCursor":"c1"}}}})"));
    http_.answers.push_back(
        answer(200, R"({"data":{"orders":{"nodes":[{"id":"2"}],"pageInfo":{"hasNextPage":false,"endCursor":"c2"}}}})"));
    auto c = client();
    const auto total = c.paginate(
        shop_, kOrders, {}, {"orders"}, Deadline::after(milliseconds(5000)),
        [](const boost::json::array&, const std::optional<std::string>&) {}, std::nullopt, &recorder_);
    EXPECT_EQ(total, 2);
    ASSERT_EQ(recorder_.calls.size(), 2U);
    for (const auto& call : recorder_.calls) {
        EXPECT_EQ(call.operation, "query orders");
        EXPECT_EQ(call.outcome, "success");
    }
}

TEST_F(CallObserverTest, TheBulkResultDownloadIsACall) {
    auto c = client();
    int lines = 0;
    c.download_lines(
        "http://files/result.jsonl", Deadline::after(milliseconds(1000)), [&](std::string_view) { ++lines; },
        &recorder_);
    http_.stream_status = 403;
    EXPECT_THROW(c.download_lines(
                     "http://files/result.jsonl", Deadline::after(milliseconds(1000)),
                     [&](std::string_view) { ++lines; }, &recorder_),
                 ShopifyApiError);
    EXPECT_EQ(lines, 1);
    ASSERT_EQ(recorder_.calls.size(), 2U);
    EXPECT_EQ(recorder_.calls[0].operation, "download bulk result");
    EXPECT_EQ(recorder_.calls[0].outcome, "success");
    EXPECT_EQ(recorder_.calls[1].http_status, 403);
    EXPECT_EQ(recorder_.calls[1].outcome, "error");  // a signed file URL, not the store's credentials
}

TEST_F(CallObserverTest, WithoutAnObserverNothingIsRecorded) {
    http_.answers.push_back(answer(200, R"({"data":{"x":1}})"));
    auto c = client();
    EXPECT_EQ(c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(1000))).attempts, 1);
    EXPECT_TRUE(recorder_.calls.empty());
}

}  // namespace
}  // namespace alatar::shopify
