// Retry, throttle and pacing decisions of the Admin client over a scripted transport.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>

#include "shopify/admin_client.hpp"

namespace alatar::shopify {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class ScriptedHttp : public HttpClient {
  public:
    std::deque<HttpResponse> answers;
    std::vector<HttpRequest> requests;
    std::vector<Clock::time_point> sent_at;

    HttpResponse send(const HttpRequest& request, Deadline /*deadline*/) override {
        requests.push_back(request);
        sent_at.push_back(Clock::now());
        if (answers.empty()) throw TransportError(false, "script exhausted");
        HttpResponse r = answers.front();
        answers.pop_front();
        return r;
    }
    long stream(const std::string& /*url*/, Deadline /*deadline*/,
                const std::function<void(std::string_view)>& /*on_chunk*/) override {
        return 404;
    }
};

HttpResponse answer(long status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

std::string cost_json(double requested, double available, double rate) {
    return R"("extensions":{"cost":{"requestedQueryCost":)" + std::to_string(requested) +
           R"(,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":)" +
           std::to_string(available) + R"(,"restoreRate":)" + std::to_string(rate) + "}}}";
}

class AdminClientUnit : public ::testing::Test {
  protected:
    AdminClientUnit() {
        options_.shop_url_template = "http://sim/shops/{shop}";
        options_.base_backoff = milliseconds(1);
        options_.max_backoff = milliseconds(5);
        options_.max_attempts = 4;
    }
    AdminClient client() { return AdminClient(http_, options_, Logger::null()); }
    ShopCredentials shop_{"a.myshopify.test", "shpat_secret"};
    ScriptedHttp http_;
    AdminClientOptions options_;
};

TEST_F(AdminClientUnit, SendsTheTokenToTheVersionedEndpoint) {
    http_.answers.push_back(answer(200, R"({"data":{"shop":{"name":"A"}}})"));
    auto c = client();
    const auto res = c.query(shop_, "{ shop { name } }", {}, Deadline::after(milliseconds(1000)));
    EXPECT_EQ(res.data.at("shop").at("name").as_string(), "A");
    ASSERT_EQ(http_.requests.size(), 1U);
    EXPECT_EQ(http_.requests[0].url, "http://sim/shops/a.myshopify.test/admin/api/2026-01/graphql.json");
    bool has_token = false;
    for (const auto& [k, v] : http_.requests[0].headers)
        has_token |= k == "X-Shopify-Access-Token" && v == "shpat_secret";
    EXPECT_TRUE(has_token);
}

TEST_F(AdminClientUnit, HonoursRetryAfterOn429) {
    http_.answers.push_back(answer(429, "{}", {{"retry-after", "0.2"}}));
    http_.answers.push_back(answer(200, R"({"data":{"x":1}})"));
    auto c = client();
    const auto res = c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)));
    EXPECT_EQ(res.attempts, 2);
    EXPECT_GE(http_.sent_at[1] - http_.sent_at[0], milliseconds(200));
}

TEST_F(AdminClientUnit, WaitsForTheBucketOnThrottled) {
    // Needs 50 more points at 500 points/s: at least 100 ms.
    http_.answers.push_back(answer(200, R"({"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}],)" +
                                            cost_json(150, 100, 500) + "}"));
    http_.answers.push_back(answer(200, R"({"data":{"x":1},)" + cost_json(150, 850, 500) + "}"));
    auto c = client();
    const auto res = c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)));
    EXPECT_EQ(res.attempts, 2);
    EXPECT_GE(http_.sent_at[1] - http_.sent_at[0], milliseconds(100));
}

TEST_F(AdminClientUnit, PacesTheNextQueryFromTheLastThrottleStatus) {
    http_.answers.push_back(answer(200, R"({"data":{"x":1},)" + cost_json(200, 0, 1000) + "}"));
    http_.answers.push_back(answer(200, R"({"data":{"x":1},)" + cost_json(200, 0, 1000) + "}"));
    auto c = client();
    c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)));
    c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)));
    // 200 points at 1000 points/s after an empty bucket.
    EXPECT_GE(http_.sent_at[1] - http_.sent_at[0], milliseconds(200));
}

TEST_F(AdminClientUnit, PacesADocumentNotSentYetByItsEstimatedCost) {
    http_.answers.push_back(answer(200, R"({"data":{"x":1},)" + cost_json(10, 0, 1000) + "}"));
    http_.answers.push_back(answer(200, R"({"data":{"products":{"nodes":[]}},)" + cost_json(32, 0, 1000) + "}"));
    auto c = client();
    c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)));
    // Never sent before, estimated at 2 + 100 + 100 x 1 = 202 points: the empty bucket needs 202 ms at 1000/s.
    c.query(shop_, "{ products(first: 100) { nodes { id image { url } } } }", {}, Deadline::after(milliseconds(5000)));
    EXPECT_GE(http_.sent_at[1] - http_.sent_at[0], milliseconds(202));
}

TEST_F(AdminClientUnit, UnauthorizedIsTokenRevokedWithoutRetry) {
    http_.answers.push_back(answer(401, R"({"errors":"[API] Invalid API key or access token"})"));
    auto c = client();
    EXPECT_THROW(c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(1000))), TokenRevoked);
    EXPECT_EQ(http_.requests.size(), 1U);
}

TEST_F(AdminClientUnit, OtherClientErrorsAreNotRetried) {
    http_.answers.push_back(answer(403, R"({"errors":"forbidden"})"));
    auto c = client();
    try {
        c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(1000)));
        FAIL() << "no error";
    } catch (const ShopifyApiError& e) {
        EXPECT_EQ(e.http_status(), 403);
        EXPECT_EQ(std::string(e.what()).find("shpat_secret"), std::string::npos);
    }
    EXPECT_EQ(http_.requests.size(), 1U);
}

TEST_F(AdminClientUnit, ServerErrorsAndTransportFailuresAreRetriedUpToTheLimit) {
    http_.answers.push_back(answer(502, "bad gateway"));
    http_.answers.push_back(answer(200, "{\"data\":"));  // truncated
    http_.answers.push_back(answer(500, "{}"));
    // then the script is exhausted: a transport error
    auto c = client();
    try {
        c.query(shop_, "{ x }", {}, Deadline::after(milliseconds(5000)));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kUpstreamUnavailable);
        EXPECT_NE(std::string(e.what()).find("4 attempts"), std::string::npos) << e.what();
    }
    EXPECT_EQ(http_.requests.size(), 4U);
}

TEST_F(AdminClientUnit, PaginationRefusesACursorThatDoesNotAdvance) {
    const std::string page =
        R"({"data":{"items":{"nodes":[{"id":"1"}],"pageInfo":{"hasNextPage":true,"endCursor":"c1"}}}})";
    http_.answers.push_back(answer(200, page));
    http_.answers.push_back(answer(200, page));
    auto c = client();
    int pages = 0;
    EXPECT_THROW(c.paginate(shop_, "q", {}, {"items"}, Deadline::after(milliseconds(1000)),
                            [&](const boost::json::array&, const std::optional<std::string>&) { ++pages; }),
                 ShopifyApiError);
    EXPECT_EQ(pages, 2);
}

}  // namespace
}  // namespace alatar::shopify
