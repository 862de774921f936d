#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "agents/builtin_tools.hpp"
#include "agents/contracts.hpp"
#include "agents/department.hpp"
#include "agents/orchestrator.hpp"
#include "agents/planning.hpp"
#include "agents/review.hpp"
#include "agents/tracing.hpp"
#include "common/error.hpp"
#include "intelligence/dataset.hpp"

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

TEST(Planning, TheSalesTaskAsksForTheIntelligenceAnalysisOfTheIntentAndWindow) {
    const AnalysisPlan p = make_plan("How were sales last month?", "UTC", std::chrono::system_clock::now());
    const auto& calls = p.tasks.at(1).calls;
    ASSERT_EQ(p.tasks.at(1).name, "sales_current");
    ASSERT_EQ(calls.size(), 3U);
    const auto& analysis = calls.at(2).as_object();
    EXPECT_EQ(analysis.at("tool").as_string(), "analyze_store");
    EXPECT_EQ(analysis.at("input").at("intent").as_string(), "sales_summary");
    EXPECT_EQ(analysis.at("input").at("first").as_string(), p.first_day);
    EXPECT_EQ(analysis.at("input").at("last").as_string(), p.last_day);
}

// One sale order on 2026-02-01 (2 x 12.50, 2.00 discount), a test order and a customer, in memory.
std::shared_ptr<const intelligence::Dataset> small_dataset() {
    namespace intel = alatar::intelligence;
    intel::StoreData d;
    d.shop = {.name = "Shop", .currency = "USD", .timezone = "UTC"};
    d.products.push_back({.id = "gid://shopify/Product/1", .title = "Mug", .product_type = "Kitchen"});
    d.variants.push_back({.id = "gid://shopify/ProductVariant/1",
                          .product_id = "gid://shopify/Product/1",
                          .price = 1250,
                          .inventory_item_id = "gid://shopify/InventoryItem/1"});
    intel::Order o;
    o.id = "gid://shopify/Order/1";
    o.created_at = o.processed_at = intel::Instant{std::chrono::seconds{1769940000}};  // 2026-02-01T10:00:00Z
    o.lines.push_back(
        {"gid://shopify/LineItem/1", "gid://shopify/Product/1", "gid://shopify/ProductVariant/1", 2, 1250, 200});
    o.subtotal = 2300;
    o.total = 2300;
    o.total_discounts = 200;
    d.orders.push_back(o);
    o.id = "gid://shopify/Order/2";
    o.test = true;
    d.orders.push_back(o);
    return std::make_shared<const intel::Dataset>(std::move(d));
}

TEST(Tools, QuantitativeToolsComputeWithTheIntelligenceFormulas) {
    const ToolRegistry tools = builtin_tools();
    ToolContext ctx;
    ctx.dataset = small_dataset();
    const json::object feb{{"from", "2026-02-01T00:00:00Z"}, {"to", "2026-03-01T00:00:00Z"}};
    const auto totals = tools.call("quantitative_analysis", "sales_totals", ctx, feb).as_object();
    EXPECT_EQ(totals.at("orders").as_int64(), 1);  // the test order is excluded
    EXPECT_EQ(totals.at("units").as_int64(), 2);
    EXPECT_EQ(totals.at("gross_sales").as_string(), "25.00");
    EXPECT_EQ(totals.at("discounts").as_string(), "2.00");
    EXPECT_EQ(totals.at("sales_after_discounts").as_string(), "23.00");
    EXPECT_EQ(totals.at("refunded").as_string(), "0.00");
    EXPECT_EQ(totals.at("average_order_value").as_string(), "23.00");
    EXPECT_EQ(totals.at("currency").as_string(), "USD");

    const auto daily = tools.call("quantitative_analysis", "daily_sales", ctx, feb).as_object();
    ASSERT_EQ(daily.at("days").as_array().size(), 1U);
    EXPECT_EQ(daily.at("days").at(0).at("day").as_string(), "2026-02-01");
    EXPECT_EQ(daily.at("days").at(0).at("sales").as_string(), "23.00");

    json::object top = feb;
    top["limit"] = 5;
    const auto products = tools.call("quantitative_analysis", "top_products", ctx, top).as_object();
    ASSERT_EQ(products.at("products").as_array().size(), 1U);
    EXPECT_EQ(products.at("products").at(0).at("title").as_string(), "Mug");
    EXPECT_EQ(products.at("products").at(0).at("revenue").as_string(), "23.00");

    const json::object analysis_input{
        {"intent", "sales_summary"},        {"first", "2026-02-01"},           {"last", "2026-02-28"},
        {"comparison_first", "2026-01-01"}, {"comparison_last", "2026-01-31"}, {"phrase", "in February"}};
    const auto analysis = tools.call("quantitative_analysis", "analyze_store", ctx, analysis_input).as_object();
    bool net_sales = false;
    for (const auto& k : analysis.at("kpis").as_array()) {
        if (k.at("key").as_string() != "net_sales") continue;
        net_sales = true;
        EXPECT_DOUBLE_EQ(k.at("value").to_number<double>(), 23.0);
        EXPECT_EQ(k.at("provenance").at("formulaId").as_string(), "net_sales.v1");
    }
    EXPECT_TRUE(net_sales);

    // The narrative and the recommendations read the analysis from the sales task's output.
    ToolContext later;
    later.dependencies["sales_current"] = json::object{{"results", json::object{{"analyze_store", analysis}}}};
    const auto narrative =
        tools.call("qualitative_analysis", "compose_narrative", later, json::object{{"period", "in February"}});
    EXPECT_EQ(narrative.at("summary").as_string().subview(0, analysis.at("summary").as_string().size()),
              analysis.at("summary").as_string());
    const auto recs = tools.call("recommendation_generation", "suggest_actions", later, json::object{});
    EXPECT_TRUE(recs.at("recommendations").is_array());
}

TEST(Review, TheAnalysisGivesKpisWithProvenanceChartsAndRecommendations) {
    const json::object kpi{{"key", "net_sales"},
                           {"label", "Net sales"},
                           {"value", 23.0},
                           {"provenance", json::object{{"formulaId", "net_sales.v1"}, {"window", json::object{}}}}};
    const json::object analysis{{"summary", "Net sales 23.00 USD."},
                                {"kpis", json::array{kpi}},
                                {"visualizations", json::array{json::object{{"id", "viz-daily"}}}},
                                {"recommendations", json::array{}},
                                {"caveats", json::array{}}};
    const json::object rec{{"id", "rec-1"}, {"title", "t"}, {"rationale", "r"}, {"proposals", json::array{}}};
    const std::vector<FinishedTask> tasks{
        {"load_store_data", "SUCCEEDED", {}, std::nullopt, true},
        {"sales_current", "SUCCEEDED", json::object{{"results", json::object{{"analyze_store", analysis}}}},
         std::nullopt, true},
        {"recommendations", "SUCCEEDED",
         json::object{
             {"results", json::object{{"suggest_actions", json::object{{"recommendations", json::array{rec}}}}}}},
         std::nullopt, false},
    };
    const auto out = review(tasks, {});
    ASSERT_TRUE(out.completed);
    EXPECT_EQ(out.summary, "Net sales 23.00 USD.");
    ASSERT_EQ(out.kpis.size(), 1U);
    EXPECT_EQ(out.kpis.at(0).at("provenance").at("formulaId").as_string(), "net_sales.v1");
    EXPECT_EQ(out.visualizations.size(), 1U);
    ASSERT_EQ(out.recommendations.size(), 1U);
    EXPECT_EQ(out.recommendations.at(0).at("id").as_string(), "rec-1");
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

TEST(Proposals, ADescriptionChangeKeepsTheHtmlItReplacesAsItsBeforeImage) {
    const auto description = json::parse(R"({"kind": "UPDATE_PRODUCT_DESCRIPTION", "parameters": {},
        "preview": [{"target": "Mug", "field": "descriptionHtml", "before": "<p>A mug</p>", "after": "<p>New</p>"}]})");
    EXPECT_EQ(proposal_before_image(description.as_object()), json::parse(R"({"descriptionHtml": "<p>A mug</p>"})"));
    // No description before: an empty one, which the live store must still hold when the change is approved.
    const auto empty = json::parse(R"({"kind": "UPDATE_PRODUCT_DESCRIPTION",
        "preview": [{"target": "Mug", "field": "descriptionHtml", "before": null, "after": "<p>New</p>"}]})");
    EXPECT_EQ(proposal_before_image(empty.as_object()), json::parse(R"({"descriptionHtml": ""})"));
    const auto price = json::parse(R"({"kind": "UPDATE_PRODUCT_PRICE",
        "preview": [{"target": "Mug", "field": "price", "before": "10.00", "after": "11.00"}]})");
    EXPECT_TRUE(proposal_before_image(price.as_object()).empty());
}

}  // namespace
}  // namespace alatar::agents
