// The chat-completions client against the scripted server over real HTTP: replies, retries with backoff and
// Retry-After, fail-fast 4xx, timeouts on a hang, malformed answers, usage, cost and budgets.
#include "llm/chat_client.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "support/scripted_llm_server.hpp"

namespace alatar::llm {
namespace {

using namespace std::chrono_literals;
using testing::ScriptedLlmServer;
using testing::ScriptedReply;

constexpr std::string_view kKey = "sk-test-secret-key";

ChatClientOptions options_for(const ScriptedLlmServer& server) {
    ChatClientOptions o;
    o.base_url = server.base_url() + "/";
    o.api_key = std::string{kKey};
    o.timeout = 5s;
    o.max_retries = 2;
    o.backoff_base = 50ms;
    o.backoff_max = 200ms;
    return o;
}

ChatRequest hello() {
    ChatRequest r;
    r.model = "vendor/model-a";
    r.messages = {Message::system("Be brief."), Message::user("Hello")};
    return r;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

class ChatClientTest : public ::testing::Test {
  protected:
    ScriptedLlmServer server_;
    CurlTransport transport_;
    ChatClient client_{transport_, options_for(server_)};
};

TEST_F(ChatClientTest, SendsTheOpenAiRequestAndReadsTheAnswer) {
    server_.enqueue(ScriptedReply::completion("Hi there", 120, 30, 0.0042));
    CallRecord record;
    const ChatResponse r = client_.complete(hello(), Deadline::after(10s), &record);
    EXPECT_EQ(r.message.content, "Hi there");
    EXPECT_EQ(r.finish_reason, "stop");
    EXPECT_EQ(r.usage.prompt_tokens, 120);
    EXPECT_EQ(r.usage.completion_tokens, 30);
    EXPECT_DOUBLE_EQ(r.usage.cost_usd, 0.0042);
    EXPECT_EQ(record.attempts, 1);
    EXPECT_EQ(record.status, 200);
    EXPECT_TRUE(record.error.empty());

    const auto requests = server_.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].method, "POST");
    EXPECT_EQ(requests[0].target, "/v1/chat/completions");
    EXPECT_EQ(requests[0].authorization, "Bearer " + std::string{kKey});
    EXPECT_EQ(requests[0].json.at("model"), "vendor/model-a");
    const auto& messages = requests[0].json.at("messages").as_array();
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_EQ(messages[0].at("role"), "system");
    EXPECT_EQ(messages[1].at("content"), "Hello");
    EXPECT_EQ(requests[0].json.at("usage").at("include"), true);
}

TEST_F(ChatClientTest, RetriesA429AfterTheRetryAfterDelay) {
    server_.enqueue(ScriptedReply::error(429, "slow down", 1));
    server_.enqueue(ScriptedReply::completion("after the wait"));
    const auto start = std::chrono::steady_clock::now();
    CallRecord record;
    EXPECT_EQ(client_.complete(hello(), Deadline::after(20s), &record).message.content, "after the wait");
    EXPECT_GE(seconds_since(start), 1.0) << "Retry-After: 1 must be honoured, not the 50 ms backoff";
    EXPECT_EQ(record.attempts, 2);
    EXPECT_EQ(server_.requests().size(), 2U);
}

TEST_F(ChatClientTest, ARetryAfterPastTheDeadlineFailsAtOnce) {
    server_.enqueue(ScriptedReply::error(429, "slow down", 60));
    const auto start = std::chrono::steady_clock::now();
    try {
        client_.complete(hello(), Deadline::after(3s));
        FAIL() << "expected a failure";
    } catch (const LlmFailure& e) {
        EXPECT_EQ(e.kind(), FailureKind::kTimeout);
        EXPECT_EQ(e.status(), 429);
    }
    EXPECT_LT(seconds_since(start), 2.5);
    EXPECT_EQ(server_.requests().size(), 1U);
}

TEST_F(ChatClientTest, RetriesServerErrorsWithBackoffThenGivesUp) {
    server_.enqueue(ScriptedReply::error(500, "boom"));
    server_.enqueue(ScriptedReply::error(503, "busy"));
    server_.enqueue(ScriptedReply::completion("third time"));
    EXPECT_EQ(client_.complete(hello(), Deadline::after(10s)).message.content, "third time");
    EXPECT_EQ(server_.requests().size(), 3U);

    for (int i = 0; i < 3; ++i) server_.enqueue(ScriptedReply::error(502, "bad gateway"));
    CallRecord record;
    try {
        client_.complete(hello(), Deadline::after(10s), &record);
        FAIL() << "expected a failure";
    } catch (const LlmFailure& e) {
        EXPECT_EQ(e.kind(), FailureKind::kUnavailable);
        EXPECT_EQ(e.status(), 502);
        EXPECT_NE(std::string{e.what()}.find("3 attempts"), std::string::npos) << e.what();
    }
    EXPECT_EQ(record.attempts, 3);
    EXPECT_FALSE(record.error.empty());
    EXPECT_EQ(server_.requests().size(), 6U);
}

TEST_F(ChatClientTest, ABadKeyIsAConfigurationErrorWithoutRetry) {
    server_.enqueue(ScriptedReply::error(401, "No auth credentials found"));
    try {
        client_.complete(hello(), Deadline::after(10s));
        FAIL() << "expected a failure";
    } catch (const LlmFailure& e) {
        EXPECT_EQ(e.kind(), FailureKind::kConfiguration);
        const std::string what = e.what();
        EXPECT_NE(what.find("llm_api_key"), std::string::npos) << what;
        EXPECT_NE(what.find("No auth credentials found"), std::string::npos) << what;
        EXPECT_EQ(what.find(kKey), std::string::npos) << "the key must never appear in a message";
    }
    EXPECT_EQ(server_.requests().size(), 1U);
}

TEST_F(ChatClientTest, OtherClientErrorsFailFast) {
    server_.enqueue(ScriptedReply::error(400, "unknown model"));
    try {
        client_.complete(hello(), Deadline::after(10s));
        FAIL() << "expected a failure";
    } catch (const LlmFailure& e) {
        EXPECT_EQ(e.kind(), FailureKind::kRejected);
        EXPECT_EQ(e.status(), 400);
    }
    EXPECT_EQ(server_.requests().size(), 1U);
}

TEST_F(ChatClientTest, AHangIsCutOffByThePerCallTimeout) {
    auto options = options_for(server_);
    options.timeout = 300ms;
    options.max_retries = 1;
    ChatClient client{transport_, options};
    server_.enqueue(ScriptedReply::hang_forever());
    server_.enqueue(ScriptedReply::completion("answered on the second attempt"));
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(client.complete(hello(), Deadline::after(10s)).message.content, "answered on the second attempt");
    EXPECT_LT(seconds_since(start), 5.0);

    server_.enqueue(ScriptedReply::hang_forever());
    server_.enqueue(ScriptedReply::hang_forever());
    try {
        client.complete(hello(), Deadline::after(10s));
        FAIL() << "expected a failure";
    } catch (const LlmFailure& e) {
        EXPECT_EQ(e.kind(), FailureKind::kTimeout);
    }
}

TEST_F(ChatClientTest, TheCallersDeadlineBoundsEveryAttempt) {
    server_.enqueue(ScriptedReply::hang_forever());
    const auto start = std::chrono::steady_clock::now();
    EXPECT_THROW(client_.complete(hello(), Deadline::after(400ms)), LlmFailure);
    EXPECT_LT(seconds_since(start), 3.0);
}

TEST_F(ChatClientTest, MalformedAnswersAreRetriedThenReported) {
    server_.enqueue(ScriptedReply::malformed());
    server_.enqueue(ScriptedReply::completion("fine now"));
    EXPECT_EQ(client_.complete(hello(), Deadline::after(10s)).message.content, "fine now");

    for (int i = 0; i < 3; ++i) server_.enqueue(ScriptedReply::malformed());
    try {
        client_.complete(hello(), Deadline::after(10s));
        FAIL() << "expected a failure";
    } catch (const LlmFailure& e) {
        EXPECT_EQ(e.kind(), FailureKind::kMalformed);
        EXPECT_NE(std::string{e.what()}.find("malformed"), std::string::npos);
    }
}

TEST_F(ChatClientTest, CostIsPricedWhenTheEndpointReportsNone) {
    auto options = options_for(server_);
    options.usd_per_mtok_prompt = 2.0;
    options.usd_per_mtok_completion = 10.0;
    ChatClient client{transport_, options};
    server_.enqueue(ScriptedReply::completion("x", 1000, 500, -1));
    const auto r = client.complete(hello(), Deadline::after(10s));
    EXPECT_FALSE(r.cost_reported);
    EXPECT_NEAR(r.usage.cost_usd, (1000 * 2.0 + 500 * 10.0) / 1e6, 1e-12);
}

TEST_F(ChatClientTest, SessionUsesItsModelSumsUsageAndEnforcesBudgets) {
    InMemoryUsageLedger ledger;
    const BudgetLimits limits{.request_tokens = 250, .user_daily_tokens = 400};
    LlmSession first{client_, ledger, "user-1", "vendor/preferred", limits, Deadline::after(10s)};
    server_.enqueue(ScriptedReply::completion("one", 100, 50, 0.01));
    server_.enqueue(ScriptedReply::completion("two", 100, 50, 0.02));
    EXPECT_EQ(first.chat(hello()).message.content, "one");
    EXPECT_EQ(first.chat(hello()).message.content, "two");
    EXPECT_EQ(first.total().total_tokens(), 300);
    EXPECT_DOUBLE_EQ(first.total().cost_usd, 0.03);
    ASSERT_EQ(first.calls().size(), 2U);
    EXPECT_EQ(first.calls()[1].usage.total_tokens(), 150);

    auto requests = server_.requests();
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_EQ(requests[0].json.at("model"), "vendor/preferred") << "the session's model, not the request's";
    EXPECT_EQ(requests[0].json.at("max_tokens"), 250) << "max_tokens is capped by what the budget leaves";
    EXPECT_EQ(requests[1].json.at("max_tokens"), 100);

    // The request budget is spent: no further call reaches the server.
    try {
        first.chat(hello());
        FAIL() << "expected the request budget to stop the call";
    } catch (const LlmFailure& e) {
        EXPECT_EQ(e.kind(), FailureKind::kBudget);
    }
    EXPECT_EQ(server_.requests().size(), 2U);

    // A new request of the same user still has its own budget but only 100 tokens left today.
    LlmSession second{client_, ledger, "user-1", "vendor/preferred", limits, Deadline::after(10s)};
    server_.enqueue(ScriptedReply::completion("three", 60, 40));
    EXPECT_EQ(second.chat(hello()).message.content, "three");
    EXPECT_EQ(server_.requests().back().json.at("max_tokens"), 100);
    EXPECT_THROW(second.chat(hello()), LlmFailure);

    // Another user is unaffected.
    LlmSession other{client_, ledger, "user-2", "vendor/preferred", limits, Deadline::after(10s)};
    server_.enqueue(ScriptedReply::completion("four"));
    EXPECT_EQ(other.chat(hello()).message.content, "four");
}

TEST(RetryAfterTest, ParsesDeltaSeconds) {
    EXPECT_EQ(parse_retry_after("3"), std::chrono::milliseconds{3000});
    EXPECT_EQ(parse_retry_after(" 0 "), std::chrono::milliseconds{0});
    EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
    EXPECT_FALSE(parse_retry_after("-1").has_value());
}

}  // namespace
}  // namespace alatar::llm
