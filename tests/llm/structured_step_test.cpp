// Structured steps against the scripted server: tool-call sequences, the step limit, refused tools, the one
// repair turn for output that breaks the schema, and the fallback when calls fail.
#include "llm/structured_step.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "support/scripted_llm_server.hpp"

namespace alatar::llm {
namespace {

using namespace std::chrono_literals;
using testing::ScriptedLlmServer;
using testing::ScriptedReply;
namespace json = boost::json;

const ResponseSchema kSchema{"summary", json::parse(R"({"type": "object", "required": ["summary"],
    "properties": {"summary": {"type": "string"}}, "additionalProperties": false})")};

// Stand-in for the agents' schema validator: exactly one string member "summary".
std::string validate_summary(const json::value& v) {
    if (!v.is_object()) return "expected an object";
    const auto& o = v.get_object();
    if (!o.contains("summary") || !o.at("summary").is_string()) return "/summary: missing required string";
    if (o.size() != 1) return "only summary is allowed";
    return "";
}

class StructuredStepTest : public ::testing::Test {
  protected:
    StructuredStepTest() {
        ChatClientOptions o;
        o.base_url = server_.base_url();
        o.api_key = "k";
        o.timeout = 5s;
        o.max_retries = 1;
        o.backoff_base = 10ms;
        client_.emplace(transport_, o);
        session_.emplace(*client_, ledger_, "user", "m/model", BudgetLimits{}, Deadline::after(30s));
    }

    ChatRequest ask() {
        ChatRequest r;
        r.messages = {Message::system("Summarise."), Message::user("How were sales?")};
        return r;
    }

    std::vector<OfferedTool> tools() {
        return {OfferedTool{
            ToolDefinition{"get_kpi", "A computed KPI by name.", json::parse(R"({"type": "object", "required": ["name"],
                                               "properties": {"name": {"type": "string"}}})")},
            [this](const json::object& args) -> json::value {
                ++kpi_calls_;
                if (args.at("name") != "net_sales") throw std::invalid_argument("unknown KPI");
                return json::object{{"value", "1234.50"}};
            }}};
    }

    ScriptedLlmServer server_;
    CurlTransport transport_;
    InMemoryUsageLedger ledger_;
    std::optional<ChatClient> client_;
    std::optional<LlmSession> session_;
    int kpi_calls_{0};
};

TEST_F(StructuredStepTest, ValidAnswerFirstTime) {
    server_.enqueue(ScriptedReply::completion(R"({"summary": "Sales were fine."})"));
    const auto out = run_structured_step(*session_, ask(), kSchema, validate_summary, tools(), 3);
    ASSERT_TRUE(out.value.has_value()) << out.fallback_reason;
    EXPECT_EQ(out.value->at("summary"), "Sales were fine.");
    EXPECT_FALSE(out.repaired);
    const auto req = server_.requests().at(0).json;
    EXPECT_EQ(req.at("response_format").at("type"), "json_schema");
    EXPECT_EQ(req.at("response_format").at("json_schema").at("schema"), kSchema.schema);
    EXPECT_EQ(req.at("tools").at(0).at("function").at("name"), "get_kpi");
}

TEST_F(StructuredStepTest, ToolCallSequenceFeedsResultsBack) {
    server_.enqueue(ScriptedReply::tool_calls({{"get_kpi", R"({"name": "net_sales"})"}}));
    server_.enqueue(ScriptedReply::tool_calls({{"get_kpi", R"({"name": "bogus"})"}, {"get_kpi", "not json"}}));
    server_.enqueue(ScriptedReply::completion("```json\n{\"summary\": \"Net sales 1234.50.\"}\n```"));
    const auto out = run_structured_step(*session_, ask(), kSchema, validate_summary, tools(), 3);
    ASSERT_TRUE(out.value.has_value()) << out.fallback_reason;
    EXPECT_EQ(out.tool_steps, 2);
    EXPECT_EQ(kpi_calls_, 2) << "malformed arguments never reach the tool";
    EXPECT_EQ(out.tools_called.size(), 3U);

    const auto requests = server_.requests();
    ASSERT_EQ(requests.size(), 3U);
    const auto& second = requests[1].json.at("messages").as_array();
    ASSERT_EQ(second.size(), 4U);
    EXPECT_EQ(second[2].at("role"), "assistant");
    EXPECT_EQ(second[2].at("tool_calls").at(0).at("id"), "call_1");
    EXPECT_EQ(second[3].at("role"), "tool");
    EXPECT_EQ(second[3].at("tool_call_id"), "call_1");
    EXPECT_EQ(json::parse(second[3].at("content").as_string()).at("value"), "1234.50");
    const auto& third = requests[2].json.at("messages").as_array();
    ASSERT_EQ(third.size(), 7U);
    EXPECT_NE(third[5].at("content").as_string().find("unknown KPI"), std::string::npos);
    EXPECT_NE(third[6].at("content").as_string().find("arguments must be a JSON object"), std::string::npos);
}

TEST_F(StructuredStepTest, ToolsNotOfferedAreRefusedAndNothingRuns) {
    server_.enqueue(ScriptedReply::tool_calls({{"approve_proposal", R"({"id": "p1"})"}}));
    server_.enqueue(ScriptedReply::completion(R"({"summary": "ok"})"));
    const auto out = run_structured_step(*session_, ask(), kSchema, validate_summary, tools(), 3);
    ASSERT_TRUE(out.value.has_value());
    EXPECT_EQ(out.tools_refused, (std::vector<std::string>{"approve_proposal"}));
    EXPECT_TRUE(out.tools_called.empty());
    EXPECT_EQ(kpi_calls_, 0);
}

TEST_F(StructuredStepTest, StepLimitEndsInTheOfflineFallback) {
    for (int i = 0; i < 3; ++i) server_.enqueue(ScriptedReply::tool_calls({{"get_kpi", R"({"name": "net_sales"})"}}));
    const auto out = run_structured_step(*session_, ask(), kSchema, validate_summary, tools(), 2);
    EXPECT_FALSE(out.value.has_value());
    EXPECT_NE(out.fallback_reason.find("limit of 2"), std::string::npos) << out.fallback_reason;
    EXPECT_EQ(out.tool_steps, 2);
    EXPECT_EQ(server_.requests().size(), 3U);
}

TEST_F(StructuredStepTest, OutputBreakingTheSchemaGetsOneRepair) {
    server_.enqueue(ScriptedReply::completion(R"({"summary": 42, "approve": true})"));
    server_.enqueue(ScriptedReply::completion(R"({"summary": "Repaired."})"));
    const auto out = run_structured_step(*session_, ask(), kSchema, validate_summary, tools(), 3);
    ASSERT_TRUE(out.value.has_value());
    EXPECT_TRUE(out.repaired);
    EXPECT_EQ(out.value->at("summary"), "Repaired.");
    const auto requests = server_.requests();
    const auto& messages = requests.at(1).json.at("messages").as_array();
    EXPECT_EQ(messages.back().at("role"), "user");
    EXPECT_NE(messages.back().at("content").as_string().find("/summary: missing required string"), std::string::npos);
}

TEST_F(StructuredStepTest, StillInvalidAfterRepairFallsBack) {
    server_.enqueue(ScriptedReply::completion("not json at all"));
    server_.enqueue(ScriptedReply::completion(R"({"summary": "x", "extra": 1})"));
    const auto out = run_structured_step(*session_, ask(), kSchema, validate_summary, tools(), 3);
    EXPECT_FALSE(out.value.has_value());
    EXPECT_TRUE(out.repaired);
    EXPECT_NE(out.fallback_reason.find("still invalid after one repair"), std::string::npos);
    EXPECT_EQ(server_.requests().size(), 2U);
}

TEST_F(StructuredStepTest, CallFailuresFallBackWithTheirKind) {
    server_.enqueue(ScriptedReply::error(403, "key disabled"));
    const auto out = run_structured_step(*session_, ask(), kSchema, validate_summary, tools(), 3);
    EXPECT_FALSE(out.value.has_value());
    ASSERT_TRUE(out.failure.has_value());
    EXPECT_EQ(*out.failure, FailureKind::kConfiguration);
    EXPECT_NE(out.fallback_reason.find("HTTP 403"), std::string::npos);
}

}  // namespace
}  // namespace alatar::llm
