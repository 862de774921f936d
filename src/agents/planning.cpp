#include "agents/planning.hpp"

#include <boost/json/object.hpp>

#include "agents/builtin_tools.hpp"
#include "intelligence/calendar.hpp"
#include "intelligence/intent.hpp"

namespace alatar::agents {

namespace {

namespace json = boost::json;
namespace intel = alatar::intelligence;

json::object call(std::string_view tool, json::object input = {}) {
    return json::object{{"tool", tool}, {"input", std::move(input)}};
}

json::object window_input(const intel::ShopClock& clock, const intel::DateWindow& w) {
    return json::object{{"from", intel::format_instant(clock.window_begin(w))},
                        {"to", intel::format_instant(clock.window_end(w))}};
}

json::object analysis_input(const intel::IntentResult& intent) {
    return json::object{{"intent", intel::intent_name(intent.intent)},
                        {"first", intel::format_day(intent.period.current.first)},
                        {"last", intel::format_day(intent.period.current.last)},
                        {"comparison_first", intel::format_day(intent.period.comparison.first)},
                        {"comparison_last", intel::format_day(intent.period.comparison.last)},
                        {"phrase", intent.period.phrase},
                        {"explicit", intent.period.explicit_}};
}

}  // namespace

std::string task_label(std::string_view task_name) {
    if (task_name == "load_store_data") return "the store's data";
    if (task_name == "sales_current") return "sales figures for the period";
    if (task_name == "sales_previous") return "the comparison with the period before";
    if (task_name == "top_products") return "top products";
    if (task_name == "narrative") return "the written summary";
    if (task_name == "recommendations") return "recommendations";
    return std::string(task_name);
}

AnalysisPlan make_plan(std::string_view prompt, std::string_view shop_timezone, SystemTime now) {
    const intel::ShopClock clock{shop_timezone};
    const intel::LocalDay today = clock.day_of(std::chrono::time_point_cast<std::chrono::seconds>(now));
    const intel::IntentResult intent = intel::classify(prompt, today);

    AnalysisPlan plan;
    plan.intent = std::string(intel::intent_name(intent.intent));
    plan.confidence = intent.confidence;
    plan.period_phrase = intent.period.phrase;
    const auto current = window_input(clock, intent.period.current);
    plan.window_from = current.at("from").as_string().c_str();
    plan.window_to = current.at("to").as_string().c_str();
    plan.first_day = intel::format_day(intent.period.current.first);
    plan.last_day = intel::format_day(intent.period.current.last);

    const std::string qualitative{departments::kQualitative};
    if (intent.intent == intel::Intent::kOutOfScope) {
        plan.tasks.push_back({"decline", qualitative, json::array{call("decline_out_of_scope")}, {}, true});
        return plan;
    }
    // Every in-scope intent: the sales figures (which the narrative quotes) and the intelligence analysis of the
    // intent and window (KPI pack, series, drivers, charts, recommendations) in one task sharing one dataset.
    const std::string quantitative{departments::kQuantitative};
    json::object top = current;
    top["limit"] = 5;
    std::string period =
        intent.period.explicit_ ? intent.period.phrase : "from " + plan.first_day + " to " + plan.last_day;
    plan.tasks = {
        {"load_store_data",
         std::string(departments::kDataRetrieval),
         json::array{call("ensure_store_data_fresh")},
         {},
         true},
        {"sales_current",
         quantitative,
         json::array{call("sales_totals", current), call("daily_sales", current),
                     call("analyze_store", analysis_input(intent))},
         {"load_store_data"},
         true},
        {"sales_previous",
         quantitative,
         json::array{call("sales_totals", window_input(clock, intent.period.comparison))},
         {"load_store_data"},
         false},
        {"top_products", quantitative, json::array{call("top_products", top)}, {"load_store_data"}, false},
        {"narrative",
         qualitative,
         json::array{call("compose_narrative", json::object{{"period", period}})},
         {"sales_current", "sales_previous"},
         false},
        {"recommendations",
         std::string(departments::kRecommendation),
         json::array{call("suggest_actions")},
         {"sales_current", "sales_previous"},
         false},
    };
    return plan;
}

}  // namespace alatar::agents
