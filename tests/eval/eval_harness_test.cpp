// The evaluation harness end to end on the tiny profile: ground-truth export, truth.mjs (node), the offline
// reasoner's answers to the questions marked "tiny", and the targets of issue 8.
#include "eval/eval_harness.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <set>

#include "intelligence/analyze.hpp"
#include "intelligence/sim_adapter.hpp"
#include "shopify_sim/generator.hpp"
#include "shopify_sim/ground_truth.hpp"

namespace {

namespace fs = std::filesystem;
using namespace alatar;

const std::string kSource = ALATAR_SOURCE_DIR;

struct TinyShop {
    fs::path dir;
    std::unique_ptr<intelligence::Dataset> ds;
    intelligence::Instant now;
    boost::json::object questions;
    boost::json::object truth;
};

TinyShop make_tiny_shop() {
    TinyShop shop;
    shop.dir = fs::temp_directory_path() / ("alatar-eval-" + std::to_string(std::random_device{}()));
    shopify_sim::GeneratorOptions opts;
    opts.shop_domain = "eval.myshopify.test";
    opts.profile = shopify_sim::Profile::kTiny;
    opts.seed = 7;
    opts.today = *shopify_sim::parse_date("2025-03-12");
    const auto store = shopify_sim::generate_store(opts);
    shopify_sim::export_ground_truth(store, shop.dir / "export");
    const std::string questions = kSource + "/bench/eval/questions.json";
    const std::string cmd = "node " + kSource + "/bench/eval/truth.mjs --export " + (shop.dir / "export").string() +
                            " --questions " + questions + " --out " + (shop.dir / "truth.json").string();
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("truth.mjs failed: " + cmd);
    shop.ds = std::make_unique<intelligence::Dataset>(intelligence::testing::from_sim(store));
    shop.now = intelligence::testing::instant(store.info.history_end) + std::chrono::hours{10};
    shop.questions = eval::read_json_file(questions);
    shop.truth = eval::read_json_file((shop.dir / "truth.json").string());
    return shop;
}

class EvalHarness : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { shop_ = std::make_unique<TinyShop>(make_tiny_shop()); }
    static void TearDownTestSuite() {
        std::error_code ec;
        fs::remove_all(shop_->dir, ec);
        shop_.reset();
    }
    static std::unique_ptr<TinyShop> shop_;
};

std::unique_ptr<TinyShop> EvalHarness::shop_;

TEST_F(EvalHarness, QuestionSetCoversEveryIntentWithAtLeastEightyQuestions) {
    const auto& qs = shop_->questions.at("questions").as_array();
    EXPECT_GE(qs.size(), 80u);
    std::set<std::string> intents;
    for (const auto& q : qs) intents.emplace(q.at("intent").as_string());
    EXPECT_EQ(intents.size(), static_cast<std::size_t>(intelligence::kIntentCount));
}

TEST_F(EvalHarness, OfflineReasonerMeetsTheTargetsOnTheTinySubset) {
    const auto report = eval::run_eval(*shop_->ds, shop_->now, shop_->questions, shop_->truth, true);
    const auto& t = report.totals;
    const std::string md = eval::render_markdown(report, "tiny", "");
    ASSERT_GE(t.questions, 10u);
    EXPECT_GE(t.intent_accuracy(), 0.9) << md;
    EXPECT_GE(t.numbers, 100u) << md;  // the answers state numbers and they are checked
    EXPECT_GE(t.numeric_accuracy(), 0.98) << md;
    EXPECT_GT(t.proposals, 0u) << md;
    EXPECT_EQ(t.proposals_ok, t.proposals) << md;
}

// The scoring itself: a number changed in an answer is caught, in the KPIs and in the summary text.
TEST_F(EvalHarness, AWrongNumberIsCaught) {
    const auto& q = shop_->questions.at("questions").as_array().at(0).as_object();  // a sales summary
    auto answer = intelligence::analyze_prompt(*shop_->ds, q.at("question").as_string(), shop_->now);
    const auto clean = eval::score_answer(q, answer, shop_->truth, shop_->now);
    ASSERT_TRUE(clean.intent_ok);
    for (const auto& c : clean.checks) EXPECT_TRUE(c.ok) << c.what << " stated " << c.stated << " truth " << c.truth;

    for (auto& k : answer.at("kpis").as_array()) {
        auto& kpi = k.as_object();
        if (kpi.at("key") == "orders") kpi["value"] = kpi.at("value").to_number<double>() + 1;
    }
    answer["summary"] = "Net sales were 123,456.78 USD.";
    const auto wrong = eval::score_answer(q, answer, shop_->truth, shop_->now);
    std::size_t failed = 0;
    for (const auto& c : wrong.checks) failed += c.ok ? 0 : 1;
    EXPECT_EQ(failed, 2u);
}

const boost::json::object& question(const boost::json::object& questions, std::string_view id) {
    for (const auto& q : questions.at("questions").as_array()) {
        if (q.at("id").as_string() == id) return q.as_object();
    }
    throw std::runtime_error("no question " + std::string(id));
}

std::size_t count_checks(const eval::QuestionResult& r, std::string_view prefix, bool ok) {
    std::size_t n = 0;
    for (const auto& c : r.checks) n += c.what.starts_with(prefix) && c.ok == ok ? 1 : 0;
    return n;
}

// Retention answers: the cohort table is checked cell by cell against truth.mjs's cohorts, and a changed
// cell is caught.
TEST_F(EvalHarness, CohortRetentionCellsAreCheckedAgainstTheTruth) {
    const auto& q = question(shop_->questions, "q059");
    auto answer = intelligence::analyze_prompt(*shop_->ds, q.at("question").as_string(), shop_->now);
    const auto clean = eval::score_answer(q, answer, shop_->truth, shop_->now);
    ASSERT_TRUE(clean.intent_ok);
    EXPECT_GE(count_checks(clean, "cohort_retention[", true), 12u);  // at least every cohort's m0
    EXPECT_EQ(count_checks(clean, "cohort_retention[", false), 0u);

    for (auto& t : answer.at("tables").as_array()) {
        if (t.at("id") != "cohort_retention") continue;
        auto& row = t.at("rows").as_array().at(0).as_object();
        row["customers"] = row.at("customers").to_number<double>() + 1;
    }
    const auto wrong = eval::score_answer(q, answer, shop_->truth, shop_->now);
    EXPECT_EQ(count_checks(wrong, "cohort_retention[", false), 1u);
}

// Trend answers: the stated 4-week forecast and the forecast chart equal what the forecaster computes on
// the ground-truth daily series; a changed figure is caught.
TEST_F(EvalHarness, ForecastFiguresAreConsistentWithTheForecaster) {
    const auto& q = question(shop_->questions, "q023");
    auto answer = intelligence::analyze_prompt(*shop_->ds, q.at("question").as_string(), shop_->now);
    const auto clean = eval::score_answer(q, answer, shop_->truth, shop_->now);
    ASSERT_TRUE(clean.intent_ok);
    EXPECT_EQ(count_checks(clean, "forecast next 4 weeks", true), 1u);
    EXPECT_EQ(count_checks(clean, "forecast chart", true), 112u + 3u * 28u);
    EXPECT_EQ(count_checks(clean, "forecast", false), 0u);

    std::string summary(answer.at("summary").as_string());
    const auto at = summary.find("forecast at about ");
    ASSERT_NE(at, std::string::npos);
    summary.insert(at + std::string_view("forecast at about ").size(), "1");  // 61,410.63 -> 161,410.63
    answer["summary"] = summary;
    const auto wrong = eval::score_answer(q, answer, shop_->truth, shop_->now);
    EXPECT_EQ(count_checks(wrong, "forecast next 4 weeks", false), 1u);
}

// The backtest holds out the last four complete weeks (Monday to Sunday before today) and scores the
// forecaster and both baselines on them.
TEST_F(EvalHarness, BacktestScoresTheForecasterAndTheBaselinesOnHeldOutWeeks) {
    const auto bt = eval::run_backtest(shop_->truth);
    ASSERT_EQ(bt.origins.size(), 13u);
    const auto& latest = bt.origins.front();
    ASSERT_EQ(latest.weeks.size(), 4u);
    EXPECT_EQ(latest.weeks.front().from, "2025-02-10");  // today 2025-03-12 is a Wednesday
    EXPECT_EQ(latest.weeks.back().to, "2025-03-09");
    EXPECT_EQ(latest.history_to, "2025-02-09");
    EXPECT_EQ(bt.origins.at(1).weeks.back().to, "2025-03-02");
    for (const auto& w : latest.weeks) {
        EXPECT_GT(w.actual, 0) << w.from;
        EXPECT_GE(w.holt_winters, 0) << w.from;
    }
    ASSERT_EQ(bt.methods.size(), 3u);
    for (const auto& m : bt.methods) {
        EXPECT_TRUE(std::isfinite(m.latest.wape) && std::isfinite(m.pooled.mape)) << m.name;
        EXPECT_GE(m.pooled.wape, 0) << m.name;
    }
    // WAPE by hand for the latest origin's Holt-Winters forecast.
    double err = 0;
    double act = 0;
    for (const auto& w : latest.weeks) {
        err += std::fabs(w.holt_winters - w.actual);
        act += w.actual;
    }
    EXPECT_NEAR(bt.methods.front().latest.wape, 100 * err / act, 1e-9);
    const std::string md = eval::render_markdown({{}, {}, bt}, "t", "");
    EXPECT_NE(md.find("## Forecast backtest"), std::string::npos);
}

}  // namespace
