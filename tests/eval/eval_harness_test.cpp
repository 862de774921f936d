// The evaluation harness end to end on the tiny profile: ground-truth export, truth.mjs (node), the offline
// reasoner's answers to the questions marked "tiny", and the targets of issue 8.
#include "eval/eval_harness.hpp"

#include <gtest/gtest.h>

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

}  // namespace
