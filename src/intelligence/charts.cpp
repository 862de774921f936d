#include "intelligence/charts.hpp"

#include <algorithm>
#include <cmath>

namespace alatar::intelligence {

namespace {

// Series stretch to the container's width; rankings and tables (a discrete y) keep Vega-Lite's default
// size, since a container width would make vega-lite drop its fit and warn.
boost::json::object base_spec(const std::string& title, boost::json::array values, bool container_width = false) {
    boost::json::object spec{{"$schema", kVegaLiteSchema}, {"title", title}};
    if (container_width) spec["width"] = "container";
    spec["data"] = {{"values", std::move(values)}};
    return spec;
}

boost::json::object field(std::string_view name, std::string_view type, std::string_view title) {
    return {{"field", name}, {"type", type}, {"title", title}};
}

std::string cell_text(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_null()) return "";
    if (v.is_bool()) return v.get_bool() ? "yes" : "no";
    if (v.is_int64()) return std::to_string(v.get_int64());
    if (v.is_uint64()) return std::to_string(v.get_uint64());
    if (v.is_double()) {
        const double d = v.get_double();
        std::string s = std::to_string(std::round(d * 100.0) / 100.0);
        // "12.500000" -> "12.5"
        s.erase(s.find_last_not_of('0') + 1);
        if (!s.empty() && s.back() == '.') s.pop_back();
        return s;
    }
    return "";
}

}  // namespace

std::string_view chart_kind_name(ChartKind kind) noexcept {
    switch (kind) {
        case ChartKind::kLine:
            return "LINE";
        case ChartKind::kBar:
            return "BAR";
        case ChartKind::kPie:
            return "PIE";
        case ChartKind::kTable:
            return "TABLE";
    }
    return "TABLE";
}

boost::json::object to_json(const Chart& chart) {
    return {{"id", chart.id}, {"kind", chart_kind_name(chart.kind)}, {"title", chart.title}, {"spec", chart.spec}};
}

Chart daily_line_chart(std::string id, std::string title, const DailySeries& current, const DailySeries* previous) {
    boost::json::array values;
    for (std::size_t i = 0; i < current.values.size(); ++i) {
        values.push_back(boost::json::object{{"date", format_day(current.day(i))},
                                             {"series", "Current period"},
                                             {"value", round_to(current.values[i], 2)}});
    }
    if (previous != nullptr) {
        for (std::size_t i = 0; i < previous->values.size() && i < current.values.size(); ++i) {
            values.push_back(boost::json::object{{"date", format_day(current.day(i))},
                                                 {"actualDate", format_day(previous->day(i))},
                                                 {"series", "Previous period"},
                                                 {"value", round_to(previous->values[i], 2)}});
        }
    }
    auto spec = base_spec(title, std::move(values), true);
    spec["mark"] = {{"type", "line"}, {"point", true}, {"tooltip", true}};
    spec["encoding"] = {{"x", field("date", "temporal", "Date")},
                        {"y", field("value", "quantitative", current.unit)},
                        {"color", field("series", "nominal", "Series")},
                        {"strokeDash", field("series", "nominal", "Series")}};
    return {std::move(id), ChartKind::kLine, std::move(title), std::move(spec)};
}

Chart weekly_line_chart(std::string id, std::string title, const WeeklySeries& series) {
    boost::json::array values;
    for (const auto& p : series.points) {
        values.push_back(boost::json::object{{"week", format_day(p.week_start)},
                                             {"value", round_to(p.value, 2)},
                                             {"days", p.days},
                                             {"partial", p.days < 7}});
    }
    auto spec = base_spec(title, std::move(values), true);
    spec["mark"] = {{"type", "line"}, {"point", true}, {"tooltip", true}};
    spec["encoding"] = {{"x", field("week", "temporal", "Week starting")},
                        {"y", field("value", "quantitative", series.unit)}};
    return {std::move(id), ChartKind::kLine, std::move(title), std::move(spec)};
}

Chart forecast_chart(std::string id, std::string title, const DailySeries& history, const Forecast& forecast) {
    boost::json::array values;
    for (std::size_t i = 0; i < history.values.size(); ++i) {
        values.push_back(boost::json::object{
            {"date", format_day(history.day(i))}, {"series", "Actual"}, {"value", round_to(history.values[i], 2)}});
    }
    const LocalDay start = history.first + date::days{static_cast<int>(history.values.size())};
    for (std::size_t h = 0; h < forecast.values.size(); ++h) {
        values.push_back(boost::json::object{{"date", format_day(start + date::days{static_cast<int>(h)})},
                                             {"series", "Forecast"},
                                             {"value", round_to(forecast.values[h], 2)},
                                             {"lower", round_to(forecast.lower[h], 2)},
                                             {"upper", round_to(forecast.upper[h], 2)}});
    }
    auto spec = base_spec(title, std::move(values), true);
    boost::json::object band{
        {"transform", boost::json::array{boost::json::object{{"filter", "datum.series === 'Forecast'"}}}},
        {"mark", {{"type", "area"}, {"opacity", 0.2}}},
        {"encoding",
         {{"x", field("date", "temporal", "Date")},
          {"y", field("lower", "quantitative", history.unit)},
          {"y2", {{"field", "upper"}}}}}};
    boost::json::object lines{{"mark", {{"type", "line"}, {"tooltip", true}}},
                              {"encoding",
                               {{"x", field("date", "temporal", "Date")},
                                {"y", field("value", "quantitative", history.unit)},
                                {"color", field("series", "nominal", "Series")}}}};
    spec["layer"] = boost::json::array{std::move(band), std::move(lines)};
    return {std::move(id), ChartKind::kLine, std::move(title), std::move(spec)};
}

Chart bar_chart(std::string id, std::string title, const Table& table, std::string_view label_column,
                std::string_view value_column, std::string_view value_title) {
    boost::json::array values;
    boost::json::array order;
    for (const auto& record : table.records()) {
        const auto& r = record.as_object();
        const auto* label = r.if_contains(label_column);
        const auto* value = r.if_contains(value_column);
        if (label == nullptr || value == nullptr || !value->is_number()) continue;
        const std::string text = cell_text(*label);
        order.emplace_back(text);
        values.push_back(boost::json::object{{"label", text}, {"value", value->to_number<double>()}});
    }
    auto spec = base_spec(title, std::move(values));
    spec["mark"] = {{"type", "bar"}, {"tooltip", true}};
    boost::json::object y = field("label", "nominal", "");
    y["sort"] = std::move(order);
    spec["encoding"] = {{"y", std::move(y)}, {"x", field("value", "quantitative", value_title)}};
    return {std::move(id), ChartKind::kBar, std::move(title), std::move(spec)};
}

Chart contribution_chart(std::string id, std::string title, const std::vector<Contribution>& items,
                         double minor_per_major, std::size_t limit) {
    std::vector<const Contribution*> sorted;
    for (const auto& c : items) {
        if (c.delta() != 0) sorted.push_back(&c);
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const Contribution* a, const Contribution* b) {
        return std::llabs(a->delta()) > std::llabs(b->delta());
    });
    if (sorted.size() > limit) sorted.resize(limit);
    boost::json::array values;
    boost::json::array order;
    for (const auto* c : sorted) {
        order.emplace_back(c->label);
        values.push_back(boost::json::object{{"label", c->label},
                                             {"change", round_to(static_cast<double>(c->delta()) / minor_per_major, 2)},
                                             {"direction", c->delta() < 0 ? "decrease" : "increase"}});
    }
    auto spec = base_spec(title, std::move(values));
    spec["mark"] = {{"type", "bar"}, {"tooltip", true}};
    boost::json::object y = field("label", "nominal", "");
    y["sort"] = std::move(order);
    boost::json::object color = field("direction", "nominal", "");
    color["scale"] = {{"domain", boost::json::array{"increase", "decrease"}},
                      {"range", boost::json::array{"#2e7d32", "#c62828"}}};
    spec["encoding"] = {
        {"y", std::move(y)}, {"x", field("change", "quantitative", "Change")}, {"color", std::move(color)}};
    return {std::move(id), ChartKind::kBar, std::move(title), std::move(spec)};
}

Chart table_chart(std::string id, std::string title, const Table& table, const std::vector<std::string>& columns) {
    boost::json::array values;
    const auto records = table.records();
    for (std::size_t row = 0; row < records.size(); ++row) {
        const auto& r = records[row].as_object();
        for (const auto& column : columns) {
            const auto* v = r.if_contains(column);
            values.push_back(boost::json::object{
                {"row", static_cast<std::int64_t>(row)}, {"column", column}, {"text", v ? cell_text(*v) : ""}});
        }
    }
    boost::json::array column_order;
    for (const auto& c : columns) column_order.emplace_back(c);
    auto spec = base_spec(title, std::move(values));
    spec["mark"] = {{"type", "text"}, {"align", "left"}};
    boost::json::object x{{"field", "column"},
                          {"type", "ordinal"},
                          {"sort", std::move(column_order)},
                          {"axis", {{"orient", "top"}, {"title", nullptr}, {"labelAngle", 0}}}};
    boost::json::object y{{"field", "row"}, {"type", "ordinal"}, {"axis", nullptr}};
    spec["encoding"] = {{"x", std::move(x)}, {"y", std::move(y)}, {"text", {{"field", "text"}, {"type", "nominal"}}}};
    return {std::move(id), ChartKind::kTable, std::move(title), std::move(spec)};
}

}  // namespace alatar::intelligence
