#include "eval/eval_harness.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cctype>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "intelligence/analyze.hpp"
#include "intelligence/proposal_validator.hpp"
#include "intelligence/series.hpp"

namespace alatar::eval {

namespace json = boost::json;

namespace {

const json::object* object_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

const json::array* array_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}

std::string string_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

std::optional<double> number_at(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_number()) return std::nullopt;
    return v->to_number<double>();
}

// Equal at `decimals` digits: within half a unit of the last digit shown.
bool matches(double stated, double truth, int decimals) {
    return std::fabs(stated - truth) <= 0.5 * std::pow(10.0, -decimals) + 1e-9;
}

struct Checker {
    std::vector<NumericCheck>& out;

    void check(std::string what, const std::optional<double>& stated, const std::optional<double>& truth,
               int decimals) {
        if (!stated && !truth) return;
        NumericCheck c{std::move(what), stated.value_or(NAN), truth.value_or(NAN), false};
        c.ok = stated && truth && matches(*stated, *truth, decimals);
        out.push_back(std::move(c));
    }
};

int kpi_decimals(const json::object& kpi) {
    const std::string unit = string_at(kpi, "unit");
    if (unit == "%") return 1;
    if (unit.size() == 3 && std::all_of(unit.begin(), unit.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
        return 2;  // a currency code
    return 0;
}

std::optional<double> change_pct(const std::optional<double>& value, const std::optional<double>& previous) {
    if (!value || !previous || *previous == 0) return std::nullopt;
    return (*value - *previous) / std::fabs(*previous) * 100.0;
}

// Table columns with a ground-truth counterpart: answer column -> (truth field, decimals).
const std::map<std::string, std::pair<std::string, int>, std::less<>>& product_columns() {
    static const std::map<std::string, std::pair<std::string, int>, std::less<>> kColumns{
        {"netSales", {"netSales", 2}},
        {"units", {"units", 0}},
        {"unitsSold", {"units", 0}},
        {"unitsRefunded", {"unitsRefunded", 0}},
        {"previousNetSales", {"previousNetSales", 2}},
        {"growthPct", {"growthPct", 1}},
        {"available", {"available", 0}},
        {"dailyUnits", {"dailyUnits", 2}},
        {"daysOfCover", {"daysOfCover", 1}},
        {"sellThroughPct", {"sellThroughPct", 1}},
        {"refundRatePct", {"refundRatePct", 1}},
        {"daysWithoutSales", {"daysWithoutSales", 0}}};
    return kColumns;
}

const std::map<std::string, int, std::less<>>& discount_columns() {
    static const std::map<std::string, int, std::less<>> kColumns{
        {"orders", 0}, {"grossSales", 2}, {"discounts", 2}, {"netSales", 2}, {"aov", 2}, {"discountRatePct", 1}};
    return kColumns;
}

// The truth window whose current and comparison windows are the answer's period; nullptr when none.
const json::object* truth_window_for(const json::object& answer, const json::object& truth) {
    const auto* period = object_at(answer, "period");
    const auto* windows = object_at(truth, "windows");
    if (period == nullptr || windows == nullptr) return nullptr;
    const auto* cur = object_at(*period, "current");
    const auto* cmp = object_at(*period, "comparison");
    if (cur == nullptr || cmp == nullptr) return nullptr;
    for (const auto& [spec, w] : *windows) {
        const auto& tw = w.get_object();
        const auto& tc = tw.at("current").get_object();
        const auto& tp = tw.at("comparison").get_object();
        if (string_at(*cur, "firstDay") == string_at(tc, "from") && string_at(*cur, "lastDay") == string_at(tc, "to") &&
            string_at(*cmp, "firstDay") == string_at(tp, "from") && string_at(*cmp, "lastDay") == string_at(tp, "to"))
            return &tw;
    }
    return nullptr;
}

void check_kpis(Checker& ck, const json::object& answer, const json::object& tw) {
    const auto* kpis = array_at(answer, "kpis");
    if (kpis == nullptr) return;
    const auto& truth = tw.at("kpis").get_object();
    const auto& previous = tw.at("previous").get_object();
    for (const auto& v : *kpis) {
        const auto& k = v.get_object();
        const std::string key = string_at(k, "key");
        if (!truth.contains(key)) continue;
        const int d = kpi_decimals(k);
        ck.check("kpi " + key, number_at(k, "value"), number_at(truth, key), d);
        ck.check("kpi " + key + ".previous", number_at(k, "previousValue"), number_at(previous, key), d);
        ck.check("kpi " + key + ".changePct", number_at(k, "changePct"),
                 change_pct(number_at(truth, key), number_at(previous, key)), 1);
    }
}

void check_tables(Checker& ck, const json::object& answer, const json::object& tw) {
    const auto* tables = array_at(answer, "tables");
    if (tables == nullptr) return;
    const auto& products = tw.at("products").get_object();
    const auto& discounts = tw.at("discounts").get_object();
    for (const auto& tv : *tables) {
        const auto& table = tv.get_object();
        const std::string id = string_at(table, "id");
        const auto* rows = array_at(table, "rows");
        if (rows == nullptr) continue;
        for (const auto& rv : *rows) {
            const auto& row = rv.get_object();
            const std::string pid = string_at(row, "productId");
            if (const auto* p = pid.empty() ? nullptr : object_at(products, pid)) {
                for (const auto& [column, field] : product_columns()) {
                    if (!row.contains(column)) continue;
                    ck.check(fmt::format("{}[{}].{}", id, string_at(row, "product"), column), number_at(row, column),
                             number_at(*p, field.first), field.second);
                }
            }
            const std::string code = string_at(row, "code");
            if (const auto* c = code.empty() ? nullptr : object_at(discounts, code)) {
                for (const auto& [column, d] : discount_columns()) {
                    if (row.contains(column))
                        ck.check(fmt::format("{}[{}].{}", id, code, column), number_at(row, column),
                                 number_at(*c, column), d);
                }
            }
        }
    }
}

void check_drivers(Checker& ck, const json::object& answer, const json::object& tw) {
    const auto* d = object_at(answer, "drivers");
    if (d == nullptr) return;
    const auto& truth = tw.at("drivers").get_object();
    for (const char* key : {"delta", "volumeEffect", "valueEffect", "interactionEffect", "returnsEffect"})
        ck.check(std::string("drivers.") + key, number_at(*d, key), number_at(truth, key), 2);
    const auto* top = object_at(*d, "topNegative");
    const auto* truth_top = object_at(truth, "topNegative");
    if (top != nullptr || truth_top != nullptr) {
        const bool same = top != nullptr && truth_top != nullptr &&
                          string_at(*top, "productId") == string_at(*truth_top, "productId");
        ck.out.push_back({"drivers.topNegative is " + (truth_top ? string_at(*truth_top, "product") : "none"),
                          same ? 1.0 : 0.0, 1.0, same});
        if (same) ck.check("drivers.topNegative.delta", number_at(*top, "delta"), number_at(*truth_top, "delta"), 2);
    }
}

// The cohort retention table: each cohort's size and its m<k> cells (null where the truth is null).
void check_cohorts(Checker& ck, const json::object& answer, const json::object& tw) {
    const auto* tables = array_at(answer, "tables");
    const auto* truth = object_at(tw, "cohorts");
    if (tables == nullptr || truth == nullptr) return;
    for (const auto& tv : *tables) {
        const auto& table = tv.get_object();
        const auto* rows = array_at(table, "rows");
        if (string_at(table, "id") != "cohort_retention" || rows == nullptr) continue;
        for (const auto& rv : *rows) {
            const auto& row = rv.get_object();
            const std::string cohort = string_at(row, "cohort");
            const auto* t = object_at(*truth, cohort);
            if (t == nullptr) {
                ck.out.push_back({"cohort_retention[" + cohort + "] has no ground-truth cohort", 1.0, NAN, false});
                continue;
            }
            for (const auto& [column, v] : row) {
                if (column == "cohort") continue;
                ck.check(fmt::format("cohort_retention[{}].{}", cohort, std::string_view(column)),
                         number_at(row, column), number_at(*t, column), column == "customers" ? 0 : 1);
            }
        }
    }
}

// The win-back recommendation states how many customers lapsed ("Win back 1980 lapsed customers").
void check_lapsed(Checker& ck, const json::object& answer, const json::object& tw) {
    const auto* recs = array_at(answer, "recommendations");
    if (recs == nullptr) return;
    static const std::regex kTitle(R"(Win back (\d+) lapsed customers)");
    for (const auto& rv : *recs) {
        const std::string title = string_at(rv.get_object(), "title");
        std::smatch m;
        if (std::regex_search(title, m, kTitle))
            ck.check("recommendation lapsed customers", std::stod(m[1].str()), number_at(tw, "lapsedCustomers"), 0);
    }
}

// A stated amount such as "61,410.63" as a number.
double parse_amount(std::string text) {
    std::erase(text, ',');
    return std::stod(text);
}

int decimals_of(const std::string& text) {
    const auto dot = text.find('.');
    return dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
}

// Forecast consistency: the forecaster (intelligence::holt_winters) run here on the ground-truth daily net
// sales of the 16 weeks ending with the window must reproduce every forecast figure the answer states: the
// 4-week total in the summary and the chart's daily forecast with its band (and the chart's actual days).
void check_forecast(Checker& ck, const std::string& summary, const json::object& answer, const json::object& tw) {
    std::vector<double> history;
    for (const auto& [day, v] : tw.at("daily").get_object()) history.push_back(v.to_number<double>());
    const auto forecast = intelligence::holt_winters(history, 28, 7);
    static const std::regex kStated(R"(forecast at about ([\d,]+(?:\.\d+)?))");
    std::smatch m;
    if (std::regex_search(summary, m, kStated)) {
        double total = 0;
        for (const double v : forecast.values) total += v;
        ck.check("forecast next 4 weeks (text)", parse_amount(m[1].str()), total, decimals_of(m[1].str()));
    }
    const auto* charts = array_at(answer, "visualizations");
    if (charts == nullptr) return;
    for (const auto& cv : *charts) {
        const auto& chart = cv.get_object();
        if (string_at(chart, "id") != "forecast_net_sales") continue;
        const auto* spec = object_at(chart, "spec");
        const auto* data = spec != nullptr ? object_at(*spec, "data") : nullptr;
        const auto* values = data != nullptr ? array_at(*data, "values") : nullptr;
        if (values == nullptr) {
            ck.out.push_back({"forecast chart has no inline data", 0.0, 1.0, false});
            continue;
        }
        const auto& daily = tw.at("daily").get_object();
        std::size_t h = 0;
        for (const auto& pv : *values) {
            const auto& p = pv.get_object();
            const std::string date = string_at(p, "date");
            if (string_at(p, "series") == "Actual") {
                ck.check("forecast chart actual " + date, number_at(p, "value"),
                         daily.contains(date) ? number_at(daily, date) : std::nullopt, 2);
                continue;
            }
            const bool in_range = h < forecast.values.size();
            auto at = [&](const std::vector<double>& v) { return in_range ? std::optional(v[h]) : std::nullopt; };
            ck.check("forecast chart " + date, number_at(p, "value"), at(forecast.values), 2);
            ck.check("forecast chart lower " + date, number_at(p, "lower"), at(forecast.lower), 2);
            ck.check("forecast chart upper " + date, number_at(p, "upper"), at(forecast.upper), 2);
            ++h;
        }
        if (h != forecast.values.size())
            ck.out.push_back({"forecast chart horizon (days)", static_cast<double>(h),
                              static_cast<double>(forecast.values.size()), false});
    }
}

// The figures the summary may state: KPIs and their changes, drivers, the answer's products and codes,
// the daily series and the number of products at risk.
std::vector<double> text_candidates(const json::object& answer, const json::object& tw) {
    std::vector<double> out;
    auto add_all = [&](const json::object& o) {
        for (const auto& [k, v] : o) {
            if (v.is_number()) out.push_back(std::fabs(v.to_number<double>()));
        }
    };
    const auto& kpis = tw.at("kpis").get_object();
    const auto& previous = tw.at("previous").get_object();
    add_all(kpis);
    add_all(previous);
    for (const auto& [k, v] : kpis) {
        if (const auto c = change_pct(number_at(kpis, k), number_at(previous, k))) out.push_back(std::fabs(*c));
    }
    const auto& drivers = tw.at("drivers").get_object();
    add_all(drivers);
    out.push_back(
        std::fabs(number_at(drivers, "valueEffect").value_or(0) + number_at(drivers, "interactionEffect").value_or(0)));
    const auto& products = tw.at("products").get_object();
    if (const auto* top = object_at(drivers, "topNegative")) {
        add_all(*top);
        if (const auto* p = object_at(products, string_at(*top, "productId"))) add_all(*p);
    }
    if (const auto* tables = array_at(answer, "tables")) {
        for (const auto& tv : *tables) {
            for (const auto& rv : tv.get_object().at("rows").get_array()) {
                const auto& row = rv.get_object();
                if (const auto* p = object_at(products, string_at(row, "productId"))) add_all(*p);
                if (const auto* c = object_at(tw.at("discounts").get_object(), string_at(row, "code"))) add_all(*c);
            }
        }
    }
    add_all(tw.at("daily").get_object());
    out.push_back(number_at(tw, "atRisk").value_or(0));
    return out;
}

// Numbers stated in the summary's findings. Left out: the caveats and recommendation titles (checked by
// the proposal validator), dates, and the forecast and "typical" level, which are model estimates with no
// ground-truth counterpart.
void check_text(Checker& ck, const std::string& summary, const json::object& answer, const json::object& tw) {
    std::string text = summary;
    for (const char* cut : {" Caveats: ", " Recommended: "}) {
        if (const auto at = text.find(cut); at != std::string::npos) text.resize(at);
    }
    static const std::regex kLeftOut(
        R"(\d{4}-\d{2}-\d{2}|forecast at about [\d,.]+|against a typical [\d,.]+|\d+ unusual day\(s\)|next 4 weeks)");
    text = std::regex_replace(text, kLeftOut, " ");
    const auto candidates = text_candidates(answer, tw);
    static const std::regex kNumber(R"((\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?)");
    auto is_word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_'; };
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kNumber); it != std::sregex_iterator(); ++it) {
        // Digits inside a word are part of a name ("HOLIDAY24"), not a stated figure.
        const auto begin = static_cast<std::size_t>(it->position());
        const std::size_t end = begin + static_cast<std::size_t>(it->length());
        if ((begin > 0 && is_word(text[begin - 1])) || (end < text.size() && is_word(text[end]))) continue;
        std::string whole = (*it)[1].str();
        std::erase(whole, ',');
        const std::string frac = (*it)[2].str();
        const double stated = std::stod(whole + frac);
        const int decimals = frac.empty() ? 0 : static_cast<int>(frac.size()) - 1;
        const auto hit =
            std::find_if(candidates.begin(), candidates.end(), [&](double c) { return matches(stated, c, decimals); });
        ck.out.push_back(
            {"text " + (*it).str(), stated, hit != candidates.end() ? *hit : NAN, hit != candidates.end()});
    }
}

void check_proposals(QuestionResult& r, const json::object& answer, intelligence::Instant now) {
    const auto* recs = array_at(answer, "recommendations");
    if (recs == nullptr) return;
    for (const auto& rv : *recs) {
        const auto* proposals = array_at(rv.get_object(), "proposals");
        if (proposals == nullptr) continue;
        for (const auto& pv : *proposals) {
            const auto& p = pv.get_object();
            ++r.proposals;
            const std::string kind_name = string_at(p, "kind");
            const auto kind = intelligence::parse_action_kind(kind_name);
            if (!kind) {
                r.invalid_proposals.push_back(kind_name + ": unknown kind");
                continue;
            }
            const auto* params = p.if_contains("parameters");
            const auto v = intelligence::validate_proposal(*kind, params ? *params : json::value(), {now});
            for (const auto& violation : v.violations)
                r.invalid_proposals.push_back(kind_name + ": " + violation.rule + " at " + violation.field);
        }
    }
}

double percentile(std::vector<double> values, double q) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

double ratio(std::size_t num, std::size_t den) { return den == 0 ? 1.0 : static_cast<double>(num) / den; }

}  // namespace

namespace {

// Errors of one method over a set of origins' weeks; `pick` selects the method's forecast of a week.
template <typename Pick>
ForecastError forecast_error(const std::vector<const BacktestOrigin*>& origins, Pick pick) {
    ForecastError e;
    double abs_error = 0;
    double abs_actual = 0;
    std::size_t weeks = 0;
    for (const auto* o : origins) {
        double f_sum = 0;
        double a_sum = 0;
        for (const auto& w : o->weeks) {
            const double err = std::fabs(pick(w) - w.actual);
            e.mape += w.actual != 0 ? 100.0 * err / std::fabs(w.actual) : 0.0;
            abs_error += err;
            abs_actual += std::fabs(w.actual);
            f_sum += pick(w);
            a_sum += w.actual;
            ++weeks;
        }
        e.total_error += a_sum != 0 ? 100.0 * std::fabs(f_sum - a_sum) / std::fabs(a_sum) : 0.0;
    }
    if (weeks > 0) e.mape /= static_cast<double>(weeks);
    if (!origins.empty()) e.total_error /= static_cast<double>(origins.size());
    e.wape = abs_actual != 0 ? 100.0 * abs_error / abs_actual : 0.0;
    return e;
}

}  // namespace

Backtest run_backtest(const json::object& truth) {
    Backtest bt;
    const auto* origins = array_at(truth, "backtests");
    if (origins == nullptr) return bt;
    for (const auto& ov : *origins) {
        const auto& o = ov.get_object();
        std::vector<double> history;
        for (const auto& v : o.at("history").get_array()) history.push_back(v.to_number<double>());
        const auto& weeks = o.at("weeks").get_array();
        const auto forecast = intelligence::holt_winters(history, static_cast<int>(7 * weeks.size()), 7);
        BacktestOrigin origin{string_at(o, "historyFrom"), string_at(o, "historyTo"), {}};
        for (std::size_t k = 0; k < weeks.size(); ++k) {
            const auto& w = weeks[k].get_object();
            double predicted = 0;
            for (std::size_t d = 0; d < 7; ++d) predicted += forecast.values[7 * k + d];
            origin.weeks.push_back({string_at(w, "from"), string_at(w, "to"), number_at(w, "actual").value_or(0),
                                    predicted, number_at(w, "sameWeekLastYear").value_or(0),
                                    number_at(w, "last4WeeksMean").value_or(0)});
        }
        bt.origins.push_back(std::move(origin));
    }
    if (bt.origins.empty()) return bt;
    std::vector<const BacktestOrigin*> all;
    for (const auto& o : bt.origins) all.push_back(&o);
    const std::vector<const BacktestOrigin*> latest{&bt.origins.front()};
    auto method = [&](std::string name, auto pick) {
        bt.methods.push_back({std::move(name), forecast_error(latest, pick), forecast_error(all, pick)});
    };
    method("Holt-Winters (forecast_holt_winters.v1)", [](const BacktestWeek& w) { return w.holt_winters; });
    method("Baseline: same week last year", [](const BacktestWeek& w) { return w.same_week_last_year; });
    method("Baseline: mean of the previous 4 weeks", [](const BacktestWeek& w) { return w.last4_weeks_mean; });
    return bt;
}

double EvalTotals::intent_accuracy() const noexcept { return ratio(intent_ok, questions); }
double EvalTotals::numeric_accuracy() const noexcept { return ratio(numbers_ok, numbers); }
double EvalTotals::proposal_validity() const noexcept { return ratio(proposals_ok, proposals); }

QuestionResult score_answer(const json::object& question, const json::object& answer, const json::object& truth,
                            intelligence::Instant now) {
    QuestionResult r;
    r.id = string_at(question, "id");
    r.question = string_at(question, "question");
    r.expected_intent = string_at(question, "intent");
    r.intent = string_at(answer, "intent");
    r.summary = string_at(answer, "summary");
    r.intent_ok = r.intent == r.expected_intent;
    const std::string spec = string_at(question, "window");
    const json::object* expected = spec.empty() ? nullptr : object_at(truth.at("windows").get_object(), spec);
    const json::object* actual = truth_window_for(answer, truth);
    // Windows are compared by their dates: two specs may name the same days ("past week", "last 7 days").
    r.period_ok =
        spec.empty() || (expected != nullptr && actual != nullptr && expected->at("current") == actual->at("current") &&
                         expected->at("comparison") == actual->at("comparison"));
    check_proposals(r, answer, now);
    if (r.intent == "out_of_scope" || actual == nullptr) return r;
    Checker ck{r.checks};
    check_kpis(ck, answer, *actual);
    check_tables(ck, answer, *actual);
    check_drivers(ck, answer, *actual);
    check_text(ck, r.summary, answer, *actual);
    check_cohorts(ck, answer, *actual);
    check_lapsed(ck, answer, *actual);
    check_forecast(ck, r.summary, answer, *actual);
    return r;
}

EvalReport run_eval(const intelligence::Dataset& ds, intelligence::Instant now, const json::object& questions,
                    const json::object& truth, bool tiny_only) {
    EvalReport report;
    std::vector<double> latencies;
    for (const auto& qv : questions.at("questions").get_array()) {
        const auto& q = qv.get_object();
        if (tiny_only && !(q.contains("tiny") && q.at("tiny").is_bool() && q.at("tiny").get_bool())) continue;
        const auto started = std::chrono::steady_clock::now();
        const json::object answer = intelligence::analyze_prompt(ds, string_at(q, "question"), now);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        QuestionResult r = score_answer(q, answer, truth, now);
        r.latency_ms = ms;
        latencies.push_back(ms);
        auto& t = report.totals;
        ++t.questions;
        t.intent_ok += r.intent_ok ? 1 : 0;
        t.period_ok += r.period_ok ? 1 : 0;
        t.numbers += r.checks.size();
        t.numbers_ok += static_cast<std::size_t>(
            std::count_if(r.checks.begin(), r.checks.end(), [](const NumericCheck& c) { return c.ok; }));
        t.proposals += r.proposals;
        t.proposals_ok += r.proposals - std::min(r.proposals, r.invalid_proposals.size());
        report.results.push_back(std::move(r));
    }
    report.totals.latency_p50_ms = percentile(latencies, 0.50);
    report.totals.latency_p95_ms = percentile(latencies, 0.95);
    report.totals.latency_max_ms = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
    report.backtest = run_backtest(truth);
    return report;
}

namespace {

void render_backtest(std::ostringstream& md, const Backtest& bt) {
    md << "\n## Forecast backtest\n\n";
    if (bt.origins.empty()) {
        md << "No backtest in the truth file.\n";
        return;
    }
    const auto& latest = bt.origins.front();
    md << fmt::format(
        "The last {} complete weeks of the export are held out and forecast by `holt_winters` from the daily net "
        "sales of {} to {} (16 weeks), as the trend answers do; actual weekly net sales and both baselines come "
        "from truth.mjs. The same is repeated for {} origins one week apart (pooled).\n\n",
        latest.weeks.size(), latest.history_from, latest.history_to, bt.origins.size());
    md << "| Week | Actual | Holt-Winters | Same week last year | Mean of previous 4 weeks |\n|---|---|---|---|---|\n";
    for (const auto& w : latest.weeks)
        md << fmt::format("| {} to {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} |\n", w.from, w.to, w.actual, w.holt_winters,
                          w.same_week_last_year, w.last4_weeks_mean);
    md << fmt::format(
        "\n| Method | MAPE (latest) | WAPE (latest) | 4-week total error (latest) | MAPE ({0} origins) | "
        "WAPE ({0} origins) | 4-week total error (mean of {0}) |\n|---|---|---|---|---|---|---|\n",
        bt.origins.size());
    for (const auto& m : bt.methods)
        md << fmt::format("| {} | {:.1f} % | {:.1f} % | {:.1f} % | {:.1f} % | {:.1f} % | {:.1f} % |\n", m.name,
                          m.latest.mape, m.latest.wape, m.latest.total_error, m.pooled.mape, m.pooled.wape,
                          m.pooled.total_error);
    md << "\n| Held-out weeks | WAPE Holt-Winters | WAPE same week last year | WAPE mean of previous 4 weeks |\n"
          "|---|---|---|---|\n";
    for (const auto& o : bt.origins) {
        const std::vector<const BacktestOrigin*> one{&o};
        md << fmt::format("| {} to {} | {:.1f} % | {:.1f} % | {:.1f} % |\n", o.weeks.front().from, o.weeks.back().to,
                          forecast_error(one, [](const BacktestWeek& w) { return w.holt_winters; }).wape,
                          forecast_error(one, [](const BacktestWeek& w) { return w.same_week_last_year; }).wape,
                          forecast_error(one, [](const BacktestWeek& w) { return w.last4_weeks_mean; }).wape);
    }
}

}  // namespace

std::string render_markdown(const EvalReport& report, const std::string& title, const std::string& setup) {
    const auto& t = report.totals;
    auto pct = [](double v) { return fmt::format("{:.1f} %", 100 * v); };
    auto verdict = [](bool ok) { return ok ? "met" : "**missed**"; };
    std::ostringstream md;
    md << "# " << title << "\n\n" << setup << "\n\n";
    md << "| Measure | Result | Target | |\n|---|---|---|---|\n";
    md << fmt::format("| Intent accuracy | {} ({}/{}) | ≥ 90 % | {} |\n", pct(t.intent_accuracy()), t.intent_ok,
                      t.questions, verdict(t.intent_accuracy() >= 0.9));
    md << fmt::format("| Numeric accuracy | {} ({}/{} numbers) | ≥ 98 % | {} |\n", pct(t.numeric_accuracy()),
                      t.numbers_ok, t.numbers, verdict(t.numeric_accuracy() >= 0.98));
    md << fmt::format("| Proposal validity | {} ({}/{} proposals) | 100 % | {} |\n", pct(t.proposal_validity()),
                      t.proposals_ok, t.proposals, verdict(t.proposals_ok == t.proposals));
    md << fmt::format("| Period accuracy (window understood) | {} ({}/{}) | | |\n",
                      pct(ratio(t.period_ok, t.questions)), t.period_ok, t.questions);
    md << fmt::format("| Latency per question (analyze_prompt) | p50 {:.1f} ms, p95 {:.1f} ms, max {:.1f} ms | | |\n\n",
                      t.latency_p50_ms, t.latency_p95_ms, t.latency_max_ms);

    std::map<std::string, std::array<std::size_t, 5>> by_intent;  // questions, intent ok, numbers, ok, proposals
    for (const auto& r : report.results) {
        auto& row = by_intent[r.expected_intent];
        ++row[0];
        row[1] += r.intent_ok ? 1 : 0;
        row[2] += r.checks.size();
        row[3] += static_cast<std::size_t>(
            std::count_if(r.checks.begin(), r.checks.end(), [](const NumericCheck& c) { return c.ok; }));
        row[4] += r.proposals;
    }
    md << "## Per intent\n\n| Expected intent | Questions | Intent correct | Numbers correct | Proposals |\n"
          "|---|---|---|---|---|\n";
    for (const auto& [intent, row] : by_intent)
        md << fmt::format("| {} | {} | {} | {}/{} | {} |\n", intent, row[0], row[1], row[3], row[2], row[4]);

    md << "\n## Misclassified questions\n\n";
    bool any = false;
    for (const auto& r : report.results) {
        if (r.intent_ok && r.period_ok) continue;
        any = true;
        md << fmt::format("- {} \"{}\": expected {}, got {}{}\n", r.id, r.question, r.expected_intent, r.intent,
                          r.period_ok ? "" : " (period differs from the expected window)");
    }
    if (!any) md << "None.\n";
    md << "\n## Numbers that do not match the ground truth\n\n";
    any = false;
    for (const auto& r : report.results) {
        for (const auto& c : r.checks) {
            if (c.ok) continue;
            any = true;
            md << fmt::format("- {} {}: stated {}, truth {}\n", r.id, c.what, c.stated, c.truth);
        }
    }
    if (!any) md << "None.\n";
    md << "\n## Invalid proposals\n\n";
    any = false;
    for (const auto& r : report.results) {
        for (const auto& p : r.invalid_proposals) {
            any = true;
            md << "- " << r.id << " " << p << "\n";
        }
    }
    if (!any) md << "None.\n";
    render_backtest(md, report.backtest);
    md << "\n## Answers\n\n| Id | Question | Intent | Latency | Summary |\n|---|---|---|---|---|\n";
    for (const auto& r : report.results) {
        std::string summary = r.summary;
        std::replace(summary.begin(), summary.end(), '|', '/');
        md << fmt::format("| {} | {} | {} | {:.1f} ms | {} |\n", r.id, r.question, r.intent, r.latency_ms, summary);
    }
    return md.str();
}

json::object read_json_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream buf;
    buf << in.rdbuf();
    return json::parse(buf.str()).as_object();
}

}  // namespace alatar::eval
