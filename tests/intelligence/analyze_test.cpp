// End to end on the simulator's tiny store: analyze() finds the three planted situations, returns the
// GraphQL AnalysisResult shape, and every produced chart compiles with the vega-lite npm package.
#include "intelligence/analyze.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "intelligence/charts.hpp"
#include "intelligence/metrics.hpp"
#include "intelligence/planner.hpp"
#include "intelligence/proposal_validator.hpp"
#include "intelligence/sim_adapter.hpp"
#include "shopify_sim/generator.hpp"

namespace alatar::intelligence {
namespace {

struct SimStore {
    shopify_sim::Store sim;
    Dataset ds;
    Instant now;
};

const SimStore& store() {
    static const SimStore kStore = [] {
        shopify_sim::GeneratorOptions opts;
        opts.profile = shopify_sim::Profile::kTiny;
        opts.seed = 7;
        opts.today = shopify_sim::date_from_civil({2025, 3, 12});  // a Wednesday
        auto sim = shopify_sim::generate_store(opts);
        Dataset ds(testing::from_sim(sim));
        const Instant now = testing::instant(sim.info.history_end) + std::chrono::hours{10};
        return SimStore{std::move(sim), std::move(ds), now};
    }();
    return kStore;
}

boost::json::object run(std::string_view prompt) { return analyze_prompt(store().ds, prompt, store().now); }

const boost::json::object* find_recommendation(const boost::json::object& result, std::string_view kind,
                                               std::string_view product_gid) {
    for (const auto& r : result.at("recommendations").as_array()) {
        for (const auto& p : r.at("proposals").as_array()) {
            if (p.at("kind").as_string() != kind) continue;
            if (boost::json::serialize(p.at("parameters")).find(product_gid) != std::string::npos)
                return &p.as_object();
        }
    }
    return nullptr;
}

void expect_analysis_shape(const boost::json::object& r) {
    ASSERT_TRUE(r.at("summary").is_string());
    EXPECT_FALSE(r.at("summary").as_string().empty());
    for (const auto& k : r.at("kpis").as_array()) {
        const auto& o = k.as_object();
        for (const char* key : {"key", "label", "value", "unit", "previousValue", "changePct", "provenance"}) {
            EXPECT_TRUE(o.contains(key)) << key;
        }
        EXPECT_TRUE(o.at("provenance").at("formulaId").is_string());
    }
    for (const auto& v : r.at("visualizations").as_array()) {
        const auto& o = v.as_object();
        EXPECT_TRUE(o.at("id").is_string());
        const auto kind = o.at("kind").as_string();
        EXPECT_TRUE(kind == "LINE" || kind == "BAR" || kind == "PIE" || kind == "TABLE");
        EXPECT_EQ(o.at("spec").at("$schema").as_string(), kVegaLiteSchema);
        EXPECT_TRUE(o.at("spec").at("data").at("values").is_array());
        EXPECT_TRUE(o.at("spec").as_object().contains("mark") || o.at("spec").as_object().contains("layer"));
    }
    for (const auto& rec : r.at("recommendations").as_array()) {
        for (const char* key : {"id", "title", "rationale", "expectedImpact", "proposals"}) {
            EXPECT_TRUE(rec.as_object().contains(key)) << key;
        }
        for (const auto& p : rec.at("proposals").as_array()) {
            const auto kind = parse_action_kind(p.at("kind").as_string());
            ASSERT_TRUE(kind.has_value());
            // Proposals are re-validated exactly as the action executor will.
            const auto check = validate_proposal(*kind, p.at("parameters"), {store().now});
            EXPECT_TRUE(check.ok()) << boost::json::serialize(p);
        }
    }
}

TEST(AnalyzeTest, SalesDropFindsThePlantedStockout) {
    const auto r = run("Why did sales drop last week?");
    EXPECT_EQ(r.at("intent").as_string(), "sales_drop_diagnosis");
    expect_analysis_shape(r);
    const auto& planted = store().sim.planted.stockout;
    EXPECT_EQ(r.at("period").at("current").at("firstDay").as_string(), shopify_sim::format_date(planted.week_start));
    const auto& top = r.at("drivers").at("topNegative");
    EXPECT_EQ(top.at("productId").as_string(), testing::gid("Product", planted.product_id));
    EXPECT_TRUE(top.at("stockout").as_bool());
    EXPECT_NE(r.at("summary").as_string().find(planted.title), std::string::npos);
    EXPECT_NE(find_recommendation(r, "ADJUST_INVENTORY", "InventoryItem/"), nullptr);
    EXPECT_FALSE(r.at("plan").as_array().empty());
}

TEST(AnalyzeTest, SalesDropProposesADiscountOnlyForFallingProductsStillInStock) {
    const auto r = run("Why did sales drop last week?");
    const auto window = [&](const char* which) {
        const auto& w = r.at("period").at(which);
        return DateWindow{*parse_day(w.at("firstDay").as_string()), *parse_day(w.at("lastDay").as_string())};
    };
    const auto now_stats = product_stats(store().ds, window("current"));
    const auto before_stats = product_stats(store().ds, window("comparison"));
    const auto stockout_gid = testing::gid("Product", store().sim.planted.stockout.product_id);
    int discounts = 0;
    for (const auto& rec : r.at("recommendations").as_array()) {
        for (const auto& p : rec.at("proposals").as_array()) {
            if (p.at("kind").as_string() != "CREATE_DISCOUNT_CODE") continue;
            ++discounts;
            const auto& ids = p.at("parameters").at("scope").at("productIds").as_array();
            ASSERT_EQ(ids.size(), 1U);
            const std::string gid{ids[0].as_string()};
            EXPECT_NE(gid, stockout_gid) << "the stockout is restocked, not discounted";
            const auto product = store().ds.find_product(gid);
            ASSERT_TRUE(product.has_value());
            EXPECT_GT(store().ds.available(*product).value_or(0), 0) << gid;
            const auto i = static_cast<std::size_t>(*product);
            // Net sales fell by at least a fifth against the comparison window.
            EXPECT_LE(now_stats[i].net() * 5, before_stats[i].net() * 4) << gid;
        }
    }
    EXPECT_GE(discounts, 1) << boost::json::serialize(r.at("recommendations"));
    // The restock proposal for the planted stockout is still there.
    EXPECT_NE(find_recommendation(r, "ADJUST_INVENTORY", "InventoryItem/"), nullptr);
}

TEST(AnalyzeTest, SlowMoversProposeADiscountOnThePlantedOverstock) {
    const auto r = run("Which products are not selling?");
    EXPECT_EQ(r.at("intent").as_string(), "slow_movers");
    expect_analysis_shape(r);
    const auto gid = testing::gid("Product", store().sim.planted.overstock.product_id);
    const auto* p = find_recommendation(r, "CREATE_DISCOUNT_CODE", gid);
    ASSERT_NE(p, nullptr) << boost::json::serialize(r.at("recommendations"));
    const auto pct = p->at("parameters").at("percentage").to_number<double>();
    EXPECT_GE(pct, 1.0);
    EXPECT_LE(pct, 90.0);
}

// A summary states a table's figure at the precision the table holds: sell-through is rounded to one
// decimal, so "0.10 %" would claim a digit the figure does not have; an order count is never "11.00".
TEST(AnalyzeTest, SummariesStateFiguresAtTheirOwnPrecision) {
    const std::regex two_decimal_pct(R"(\d\.\d\d % sell-through)");
    const auto slow = run("Which products are not selling?");
    const std::string slow_text(slow.at("summary").as_string());
    EXPECT_FALSE(std::regex_search(slow_text, two_decimal_pct)) << slow_text;
    EXPECT_TRUE(std::regex_search(slow_text, std::regex(R"(\d\.\d % sell-through)"))) << slow_text;
    const auto codes = run("Which discount code performs best?");
    const std::string codes_text(codes.at("summary").as_string());
    EXPECT_FALSE(std::regex_search(codes_text, std::regex(R"(\.\d+ orders)"))) << codes_text;
    EXPECT_TRUE(std::regex_search(codes_text, std::regex(R"(\d orders)"))) << codes_text;
}

// The summary counts every product at risk, not only the rows the table keeps.
TEST(AnalyzeTest, InventoryRiskCountsEveryProductAtRisk) {
    const auto r = run("Which products are about to run out of stock?");
    const auto period = default_period(Intent::kInventoryRisk, store().ds.clock().day_of(store().now));
    const auto all = inventory_risk_table(store().ds, period.current, 1000).rows.size();
    ASSERT_GT(all, 0u);
    EXPECT_TRUE(r.at("summary").as_string().starts_with(std::to_string(all) + " product(s)")) << r.at("summary");
}

TEST(AnalyzeTest, DescriptionRuleFindsThePlantedWeakDescription) {
    const auto r = run("Improve my product descriptions");
    EXPECT_EQ(r.at("intent").as_string(), "description_improvement");
    expect_analysis_shape(r);
    const auto gid = testing::gid("Product", store().sim.planted.weak_description.product_id);
    const auto* p = find_recommendation(r, "UPDATE_PRODUCT_DESCRIPTION", gid);
    ASSERT_NE(p, nullptr) << boost::json::serialize(r.at("recommendations"));
    EXPECT_NE(p->at("parameters").at("descriptionHtml").as_string().find("<ul>"), std::string::npos);
}

TEST(AnalyzeTest, RefundRateMatchesTheSimulatorsFigure) {
    const auto& wd = store().sim.planted.weak_description;
    const auto& ds = store().ds;
    const DateWindow all{LocalDay{date::year{2000} / 1 / 1}, ds.clock().day_of(store().now)};
    const auto stats = product_stats(ds, all);
    const auto p = static_cast<std::size_t>(*ds.find_product(testing::gid("Product", wd.product_id)));
    EXPECT_EQ(stats[p].units, wd.units_sold);
    EXPECT_EQ(stats[p].units_refunded_of_sold, wd.units_refunded);
}

TEST(AnalyzeTest, OutOfScopeIsDeclinedHonestly) {
    const auto r = run("What's the weather in Paris?");
    EXPECT_EQ(r.at("intent").as_string(), "out_of_scope");
    EXPECT_NE(r.at("summary").as_string().find("can't answer that from store data"), std::string::npos);
    EXPECT_TRUE(r.at("kpis").as_array().empty());
    EXPECT_TRUE(r.at("dataWindow").is_null());
}

TEST(AnalyzeTest, EveryIntentProducesAValidResult) {
    for (int i = 0; i < kIntentCount; ++i) {
        const auto intent = static_cast<Intent>(i);
        const auto period = default_period(intent, store().ds.clock().day_of(store().now));
        const auto r = analyze(store().ds, intent, period, store().now);
        SCOPED_TRACE(std::string(intent_name(intent)));
        expect_analysis_shape(r);
        if (intent != Intent::kOutOfScope) {
            EXPECT_FALSE(r.at("visualizations").as_array().empty());
            EXPECT_TRUE(r.at("dataWindow").at("from").is_string());
        }
        const auto tasks = plan(intent, period);
        ASSERT_FALSE(tasks.empty());
        if (intent != Intent::kOutOfScope) {
            EXPECT_EQ(tasks.front().tool, "load_store_data");
            EXPECT_EQ(tasks.front().department, department::kDataRetrieval);
        }
    }
}

// Writes every chart an analysis produces to a file and runs tests/intelligence/compile_vega_lite.mjs on
// them: the test fails if vega-lite throws or logs a warning or an error for any spec.
TEST(AnalyzeTest, EveryChartCompilesWithVegaLite) {
    boost::json::array specs;
    for (int i = 0; i < kIntentCount; ++i) {
        const auto intent = static_cast<Intent>(i);
        const auto r =
            analyze(store().ds, intent, default_period(intent, store().ds.clock().day_of(store().now)), store().now);
        for (const auto& v : r.at("visualizations").as_array()) {
            specs.push_back(boost::json::object{{"id", v.at("id")}, {"spec", v.at("spec")}});
        }
    }
    ASSERT_GE(specs.size(), 15u);
    const auto dir = std::filesystem::temp_directory_path() / ("alatar-vl-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "specs.json";
    std::ofstream(file) << boost::json::serialize(specs);
    const std::string cmd = "node tests/intelligence/compile_vega_lite.mjs " + file.string() + " 2>&1";
    std::string output;
    int status = -1;
    if (FILE* pipe = ::popen(cmd.c_str(), "r")) {
        std::array<char, 512> buf{};
        while (std::fgets(buf.data(), buf.size(), pipe) != nullptr) output += buf.data();
        status = ::pclose(pipe);
    }
    std::filesystem::remove_all(dir);
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("compiled " + std::to_string(specs.size()) + " specs"), std::string::npos) << output;
}

}  // namespace
}  // namespace alatar::intelligence
