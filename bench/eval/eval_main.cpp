// alatar-eval: runs the merchant questions against the offline reasoner over a generated shop and writes
// the Markdown report. The shop is generated in memory with the same options as the ground-truth export
// the truth file was computed from (scripts/eval does both).
//
//   alatar-eval --profile small --seed 42 --today 2025-03-12 --questions bench/eval/questions.json
//               --truth truth.json --out report.md [--tiny]
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>

#include "eval/eval_harness.hpp"
#include "intelligence/sim_adapter.hpp"
#include "shopify_sim/generator.hpp"

namespace {

int usage() {
    std::fputs(
        "usage: alatar-eval --profile tiny|small|large --seed N --today YYYY-MM-DD --questions FILE "
        "--truth FILE --out FILE [--tiny]\n",
        stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace alatar;
    shopify_sim::GeneratorOptions opts;
    opts.shop_domain = "eval.myshopify.test";
    std::string questions_path;
    std::string truth_path;
    std::string out_path;
    std::string today = "2025-03-12";
    bool tiny = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        if (flag == "--tiny") {
            tiny = true;
            continue;
        }
        if (i + 1 >= argc) return usage();
        const std::string value = argv[++i];
        if (flag == "--profile") {
            const auto p = shopify_sim::parse_profile(value);
            if (!p) return usage();
            opts.profile = *p;
        } else if (flag == "--seed") {
            opts.seed = std::stoull(value);
        } else if (flag == "--today") {
            today = value;
        } else if (flag == "--shop") {
            opts.shop_domain = value;
        } else if (flag == "--questions") {
            questions_path = value;
        } else if (flag == "--truth") {
            truth_path = value;
        } else if (flag == "--out") {
            out_path = value;
        } else {
            return usage();
        }
    }
    if (questions_path.empty() || truth_path.empty() || out_path.empty()) return usage();
    try {
        const auto date = shopify_sim::parse_date(today);
        if (!date) return usage();
        opts.today = *date;
        const auto store = shopify_sim::generate_store(opts);
        const intelligence::Dataset ds(intelligence::testing::from_sim(store));
        // As in the intelligence benchmark: ten hours into the shop's "today".
        const auto now = intelligence::testing::instant(store.info.history_end) + std::chrono::hours{10};
        const auto report =
            eval::run_eval(ds, now, eval::read_json_file(questions_path), eval::read_json_file(truth_path), tiny);
        const std::string setup = "Offline reasoner (`intelligence::analyze_prompt`) over the simulator's `" +
                                  std::string(shopify_sim::profile_name(opts.profile)) + "` profile (seed " +
                                  std::to_string(opts.seed) + ", today " + today + ", " +
                                  std::to_string(ds.orders().size()) +
                                  " sale orders); ground truth by bench/eval/truth.mjs from the ground-truth export.";
        const std::string md = eval::render_markdown(report, "Evaluation " + today, setup);
        std::ofstream(out_path) << md;
        const auto& t = report.totals;
        std::printf(
            "questions %zu  intent %.1f %%  numeric %.1f %% (%zu/%zu)  proposals %.1f %% (%zu/%zu)  "
            "p50 %.1f ms  p95 %.1f ms\n",
            t.questions, 100 * t.intent_accuracy(), 100 * t.numeric_accuracy(), t.numbers_ok, t.numbers,
            100 * t.proposal_validity(), t.proposals_ok, t.proposals, t.latency_p50_ms, t.latency_p95_ms);
        for (const auto& m : report.backtest.methods)
            std::printf("forecast backtest  %-45s WAPE latest %.1f %%  pooled %.1f %%\n", m.name.c_str(), m.latest.wape,
                        m.pooled.wape);
        const bool met = t.intent_accuracy() >= 0.9 && t.numeric_accuracy() >= 0.98 && t.proposals_ok == t.proposals;
        return met ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "alatar-eval: %s\n", e.what());
        return 1;
    }
}
