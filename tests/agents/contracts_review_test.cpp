#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "agents/contracts.hpp"
#include "agents/department.hpp"
#include "agents/planning.hpp"
#include "agents/review.hpp"
#include "agents/tracing.hpp"
#include "common/error.hpp"

namespace alatar::agents {
namespace {

namespace json = boost::json;
constexpr std::string_view kId = "0b7c1a52-4f4e-4f5e-9d43-6f6d7a0e2b11";

TEST(Contracts, ValidPayloadsPass) {
    EXPECT_NO_THROW(contract::validate_payload(
        mq::Envelope::make(std::string(contract::kAnalysisRequested), json::object{{"request_id", kId}})));
    EXPECT_NO_THROW(contract::validate_payload(
        mq::Envelope::make(std::string(contract::kTaskResult),
                           json::object{{"request_id", kId}, {"task_id", kId}, {"status", "FAILED"}})));
}

TEST(Contracts, MalformedPayloadsAndUnknownTypesAreBadInput) {
    try {
        contract::validate_payload(mq::Envelope::make(std::string(contract::kTaskResult),
                                                      json::object{{"request_id", kId}, {"status", "DONE"}}));
        FAIL() << "expected a validation error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kBadUserInput);
        EXPECT_NE(std::string(e.what()).find("/task_id: missing required property"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("/status: must be one of"), std::string::npos) << e.what();
    }
    EXPECT_THROW(contract::validate_payload(mq::Envelope::make("no.such.type", json::object{})), Error);
}

TEST(Planning, SalesLastMonthCoversThePreviousLocalMonth) {
    // 2025-03-10T05:00:00Z is still 2025-03-09 in Phoenix (UTC-7): last month is February, local midnights.
    const auto now = std::chrono::sys_days{std::chrono::year{2025} / 3 / 10} + std::chrono::hours{5};
    const AnalysisPlan p = make_plan("How were sales last month?", "America/Phoenix", now);
    EXPECT_EQ(p.intent, "sales_summary");
    EXPECT_EQ(p.window_from, "2025-02-01T07:00:00Z");
    EXPECT_EQ(p.window_to, "2025-03-01T07:00:00Z");
    EXPECT_EQ(p.first_day, "2025-02-01");
    EXPECT_EQ(p.last_day, "2025-02-28");
    ASSERT_EQ(p.tasks.size(), 6U);
    EXPECT_EQ(p.tasks[0].name, "load_store_data");
    EXPECT_TRUE(p.tasks[0].essential);
    EXPECT_EQ(p.tasks[4].depends_on, (std::vector<std::string>{"sales_current", "sales_previous"}));
}

TEST(Planning, OutOfScopeIsDeclinedByOneTask) {
    const AnalysisPlan p = make_plan("What is the capital of France?", "UTC", std::chrono::system_clock::now());
    EXPECT_EQ(p.intent, "out_of_scope");
    ASSERT_EQ(p.tasks.size(), 1U);
    EXPECT_EQ(p.tasks[0].name, "decline");
}

json::object totals(std::string_view sales, std::int64_t orders) {
    return json::object{{"results", json::object{{"sales_totals", json::object{{"orders", orders},
                                                                               {"units", orders * 2},
                                                                               {"gross_sales", "0"},
                                                                               {"discounts", "0"},
                                                                               {"sales_after_discounts", sales},
                                                                               {"refunded", "0"},
                                                                               {"average_order_value", "0"},
                                                                               {"currency", "USD"}}}}}};
}

TEST(Review, PartialResultNamesWhatIsMissing) {
    const std::vector<FinishedTask> tasks{
        {"load_store_data", "SUCCEEDED", {}, std::nullopt, true},
        {"sales_current", "SUCCEEDED", totals("150.00", 3), std::nullopt, true},
        {"sales_previous", "SUCCEEDED", totals("100.00", 2), std::nullopt, false},
        {"top_products", "FAILED", {}, std::string("tool top_products failed: boom"), false},
    };
    const auto out = review(tasks, json::object{{"period", "last month"}});
    ASSERT_TRUE(out.completed);
    EXPECT_EQ(out.missing, (std::vector<std::string>{"top products"}));
    EXPECT_NE(out.summary.find("Partial result: top products could not be computed"), std::string::npos) << out.summary;
    const auto& first = out.kpis.at(0).as_object();
    EXPECT_EQ(first.at("key").as_string(), "sales_after_discounts");
    EXPECT_DOUBLE_EQ(first.at("value").as_double(), 150.0);
    EXPECT_DOUBLE_EQ(first.at("previousValue").as_double(), 100.0);
    EXPECT_DOUBLE_EQ(first.at("changePct").as_double(), 50.0);
}

TEST(Review, FailedEssentialTaskFailsWithItsError) {
    const std::vector<FinishedTask> tasks{
        {"load_store_data", "FAILED", {}, std::string("tool ensure_store_data_fresh failed: not synced"), true}};
    const auto out = review(tasks, {});
    EXPECT_FALSE(out.completed);
    EXPECT_EQ(out.error, "Could not compute the store's data: tool ensure_store_data_fresh failed: not synced");
}

TEST(Department, RetryTierGrowsAndIsCapped) {
    EXPECT_EQ(retry_tier_for(1, mq::RetryTier::k5m), mq::RetryTier::k1s);
    EXPECT_EQ(retry_tier_for(2, mq::RetryTier::k5m), mq::RetryTier::k5s);
    EXPECT_EQ(retry_tier_for(3, mq::RetryTier::k5m), mq::RetryTier::k30s);
    EXPECT_EQ(retry_tier_for(4, mq::RetryTier::k1s), mq::RetryTier::k1s);
}

TEST(Tracing, AttributesAreMasked) {
    const auto masked = mask_attributes(json::object{{"email", "jane@example.com"},
                                                     {"access_token", "shpat_abc"},
                                                     {"nested", json::object{{"note", "mail bob@example.org"}}}});
    EXPECT_EQ(masked.at("access_token").as_string(), "***");
    EXPECT_EQ(std::string(masked.at("email").as_string()).find("jane@example.com"), std::string::npos);
    EXPECT_EQ(std::string(masked.at("nested").at("note").as_string()).find("bob@example.org"), std::string::npos);
    EXPECT_EQ(root_span_id("0b7c1a52-4f4e-4f5e-9d43-6f6d7a0e2b11"), "0b7c1a524f4e4f5e");
    EXPECT_EQ(new_span_id().size(), 16U);
}

}  // namespace
}  // namespace alatar::agents
