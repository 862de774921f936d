#pragma once
// The evaluation harness: asks the offline reasoner (intelligence::analyze_prompt, the worker's code path)
// each merchant question and scores the answer against ground truth computed independently (truth.mjs over
// the simulator's ground-truth export):
//   intent     the answer's intent is the expected one (and, reported apart, its period the expected window)
//   numeric    every number the answer states that has a ground-truth counterpart (KPIs, table cells,
//              drivers, figures in the summary text) matches after rounding to the precision shown
//   proposals  every proposal passes intelligence::validate_proposal, the executor's validator
//   latency    wall time of analyze_prompt per question
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "intelligence/dataset.hpp"

namespace alatar::eval {

struct NumericCheck {
    std::string what;  // "kpi net_sales", "table top_products_by_revenue[Cascade ...].netSales", "text 12.3"
    double stated = 0;
    double truth = 0;
    bool ok = false;
};

struct QuestionResult {
    std::string id;
    std::string question;
    std::string expected_intent;
    std::string intent;
    bool intent_ok = false;
    bool period_ok = false;  // the analysed window is the expected one (out_of_scope: trivially true)
    std::vector<NumericCheck> checks;
    std::size_t proposals = 0;
    std::vector<std::string> invalid_proposals;  // "<kind>: <rule> at <field>"
    double latency_ms = 0;
    std::string summary;
};

struct EvalTotals {
    std::size_t questions = 0;
    std::size_t intent_ok = 0;
    std::size_t period_ok = 0;
    std::size_t numbers = 0;
    std::size_t numbers_ok = 0;
    std::size_t proposals = 0;
    std::size_t proposals_ok = 0;
    double latency_p50_ms = 0;
    double latency_p95_ms = 0;
    double latency_max_ms = 0;

    double intent_accuracy() const noexcept;
    double numeric_accuracy() const noexcept;
    double proposal_validity() const noexcept;
};

// The forecast backtest (truth.mjs "backtests"): the last 4 complete weeks held out, forecast by
// intelligence::holt_winters from the 16 weeks before them, against the actual weekly net sales and two naive
// baselines; repeated for origins one week apart (origin 0 = the most recent).
struct BacktestWeek {
    std::string from;
    std::string to;
    double actual = 0;
    double holt_winters = 0;
    double same_week_last_year = 0;
    double last4_weeks_mean = 0;
};

struct BacktestOrigin {
    std::string history_from;
    std::string history_to;
    std::vector<BacktestWeek> weeks;
};

struct ForecastError {
    double mape = 0;         // mean of |forecast - actual| / |actual| over the weeks, %
    double wape = 0;         // sum |forecast - actual| / sum |actual|, %
    double total_error = 0;  // |sum forecast - sum actual| / |sum actual| over the held-out weeks, %
};

struct BacktestMethod {
    std::string name;
    ForecastError latest;  // origin 0
    ForecastError pooled;  // over the weeks of every origin (total_error: mean over origins)
};

struct Backtest {
    std::vector<BacktestOrigin> origins;
    std::vector<BacktestMethod> methods;  // Holt-Winters first, then the baselines
};

// Runs the forecaster on each backtest origin of the truth file; empty when the truth has none.
Backtest run_backtest(const boost::json::object& truth);

struct EvalReport {
    std::vector<QuestionResult> results;
    EvalTotals totals;
    Backtest backtest;
};

// questions: questions.json's object ({"questions": [{id, question, intent, window, tiny?}]});
// truth: truth.mjs's output. tiny_only keeps the questions marked "tiny".
EvalReport run_eval(const intelligence::Dataset& ds, intelligence::Instant now, const boost::json::object& questions,
                    const boost::json::object& truth, bool tiny_only);

// Scores one answer (exposed for tests).
QuestionResult score_answer(const boost::json::object& question, const boost::json::object& answer,
                            const boost::json::object& truth, intelligence::Instant now);

// The report as Markdown: targets, totals, per-intent table, failures.
std::string render_markdown(const EvalReport& report, const std::string& title, const std::string& setup);

boost::json::object read_json_file(const std::string& path);

}  // namespace alatar::eval
