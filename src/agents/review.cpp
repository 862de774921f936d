#include "agents/review.hpp"

#include <fmt/format.h>

#include <cmath>

#include "agents/planning.hpp"

namespace alatar::agents {

namespace {

namespace json = boost::json;

const FinishedTask* find(const std::vector<FinishedTask>& tasks, std::string_view name) {
    for (const auto& t : tasks) {
        if (t.name == name && t.status == "SUCCEEDED") return &t;
    }
    return nullptr;
}

const json::object* tool_output(const FinishedTask* task, std::string_view tool) {
    if (task == nullptr) return nullptr;
    const auto* results = task->output.if_contains("results");
    if (results == nullptr || !results->is_object()) return nullptr;
    const auto* out = results->get_object().if_contains(tool);
    return out != nullptr && out->is_object() ? &out->get_object() : nullptr;
}

std::optional<double> number(const json::object* o, std::string_view key) {
    if (o == nullptr) return std::nullopt;
    const auto* v = o->if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) return std::stod(std::string(v->get_string()));
    if (v->is_number()) return v->to_number<double>();
    return std::nullopt;
}

json::object kpi(std::string_view key, std::string_view label, std::string_view unit, const json::object* current,
                 const json::object* previous) {
    json::object k{{"key", key}, {"label", label}, {"unit", unit}};
    const auto now = number(current, key);
    const auto before = number(previous, key);
    k["value"] = now ? json::value(*now) : json::value(nullptr);
    k["previousValue"] = before ? json::value(*before) : json::value(nullptr);
    if (now && before && *before != 0) {
        k["changePct"] = std::round((*now - *before) / *before * 10000.0) / 100.0;
    } else {
        k["changePct"] = nullptr;
    }
    return k;
}

json::object line_chart(const json::object& daily, const std::string& currency) {
    json::array values;
    if (const auto* days = daily.if_contains("days"); days != nullptr && days->is_array()) {
        for (const auto& d : days->get_array()) {
            const auto& o = d.get_object();
            values.push_back(json::object{{"day", o.at("day")},
                                          {"sales", std::stod(std::string(o.at("sales").as_string()))},
                                          {"orders", o.at("orders")}});
        }
    }
    return json::object{
        {"id", "viz-daily-sales"},
        {"kind", "LINE"},
        {"title", "Sales after discounts per day"},
        {"spec",
         json::object{
             {"$schema", "https://vega.github.io/schema/vega-lite/v5.json"},
             {"data", json::object{{"values", std::move(values)}}},
             {"mark", json::object{{"type", "line"}, {"point", true}}},
             {"encoding", json::object{{"x", json::object{{"field", "day"}, {"type", "temporal"}, {"title", "Day"}}},
                                       {"y", json::object{{"field", "sales"},
                                                          {"type", "quantitative"},
                                                          {"title", "Sales (" + currency + ")"}}}}}}}};
}

json::object bar_chart(const json::object& top, const std::string& currency) {
    json::array values;
    if (const auto* products = top.if_contains("products"); products != nullptr && products->is_array()) {
        for (const auto& p : products->get_array()) {
            const auto& o = p.get_object();
            values.push_back(json::object{{"product", o.at("title")},
                                          {"revenue", std::stod(std::string(o.at("revenue").as_string()))},
                                          {"units", o.at("units")}});
        }
    }
    return json::object{
        {"id", "viz-top-products"},
        {"kind", "BAR"},
        {"title", "Top products by sales"},
        {"spec",
         json::object{
             {"$schema", "https://vega.github.io/schema/vega-lite/v5.json"},
             {"data", json::object{{"values", std::move(values)}}},
             {"mark", "bar"},
             {"encoding", json::object{{"y", json::object{{"field", "product"}, {"type", "nominal"}, {"sort", "-x"}}},
                                       {"x", json::object{{"field", "revenue"},
                                                          {"type", "quantitative"},
                                                          {"title", "Sales (" + currency + ")"}}}}}}}};
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
        out += items[i];
    }
    return out;
}

}  // namespace

ReviewOutcome review(const std::vector<FinishedTask>& tasks, const json::object& meta) {
    ReviewOutcome out;
    for (const auto& t : tasks) {
        if (t.status == "SUCCEEDED") continue;
        if (t.essential) {
            out.error = fmt::format("Could not compute {}: {}", task_label(t.name),
                                    t.error.value_or(std::string("the task did not finish")));
            return out;
        }
        out.missing.push_back(task_label(t.name));
    }
    out.completed = true;

    if (const auto* decline = tool_output(find(tasks, "decline"), "decline_out_of_scope")) {
        out.summary = std::string(decline->at("summary").as_string());
        return out;
    }
    const auto* current = tool_output(find(tasks, "sales_current"), "sales_totals");
    const auto* previous = tool_output(find(tasks, "sales_previous"), "sales_totals");
    const auto* analysis = tool_output(find(tasks, "sales_current"), "analyze_store");
    const std::string currency =
        current != nullptr && current->contains("currency") ? std::string(current->at("currency").as_string()) : "";
    if (analysis != nullptr) {
        // The intelligence KPIs, each with its formula id and window (provenance), and its Vega-Lite charts.
        out.kpis = analysis->at("kpis").as_array();
        out.visualizations = analysis->at("visualizations").as_array();
    } else {
        out.kpis = {kpi("sales_after_discounts", "Sales after discounts", currency, current, previous),
                    kpi("gross_sales", "Gross sales", currency, current, previous),
                    kpi("discounts", "Discounts", currency, current, previous),
                    kpi("refunded", "Refunded", currency, current, previous),
                    kpi("orders", "Orders", "orders", current, previous),
                    kpi("average_order_value", "Average order value", currency, current, previous),
                    kpi("units", "Units sold", "units", current, previous)};
        if (const auto* daily = tool_output(find(tasks, "sales_current"), "daily_sales")) {
            out.visualizations.push_back(line_chart(*daily, currency));
        }
    }
    if (const auto* top = tool_output(find(tasks, "top_products"), "top_products")) {
        out.visualizations.push_back(bar_chart(*top, currency));
    }
    if (const auto* recs = tool_output(find(tasks, "recommendations"), "suggest_actions")) {
        for (const auto& r : recs->at("recommendations").as_array()) {
            json::object rec = r.as_object();
            if (!rec.contains("proposals")) rec["proposals"] = json::array{};
            out.recommendations.push_back(std::move(rec));
        }
    }
    if (const auto* narrative = tool_output(find(tasks, "narrative"), "compose_narrative")) {
        out.summary = std::string(narrative->at("summary").as_string());
    } else if (analysis != nullptr) {
        out.summary = std::string(analysis->at("summary").as_string());
    } else if (current != nullptr) {
        const auto* period = meta.if_contains("period");
        out.summary = fmt::format("Sales {}: {} {} after discounts from {} orders.",
                                  period != nullptr && period->is_string() ? std::string(period->as_string()) : "",
                                  std::string(current->at("sales_after_discounts").as_string()), currency,
                                  current->at("orders").to_number<std::int64_t>());
    }
    if (!out.missing.empty()) {
        out.summary += " Partial result: " + join(out.missing) + " could not be computed and " +
                       (out.missing.size() == 1 ? "is" : "are") + " missing.";
    }
    return out;
}

}  // namespace alatar::agents
