#include "intelligence/kpi.hpp"

#include <cmath>

namespace alatar::intelligence {

std::optional<double> change_pct(std::optional<double> value, std::optional<double> previous) {
    if (!value || !previous || *previous == 0.0) return std::nullopt;
    return (*value - *previous) / std::fabs(*previous) * 100.0;
}

Kpi make_kpi(std::string key, std::string label, std::string unit, std::string formula_id, std::optional<double> value,
             std::optional<double> previous, const DateWindow& window,
             const std::optional<DateWindow>& previous_window) {
    Kpi kpi;
    kpi.key = std::move(key);
    kpi.label = std::move(label);
    kpi.unit = std::move(unit);
    kpi.formula_id = std::move(formula_id);
    kpi.value = value;
    kpi.previous_value = previous;
    kpi.change_pct = change_pct(value, previous);
    kpi.window = window;
    kpi.previous_window = previous_window;
    return kpi;
}

double round_to(double value, int digits) noexcept {
    const double scale = std::pow(10.0, digits);
    return std::round(value * scale) / scale;
}

namespace {

boost::json::value optional_number(const std::optional<double>& v, int digits) {
    if (!v || !std::isfinite(*v)) return nullptr;
    return round_to(*v, digits);
}

}  // namespace

boost::json::object to_json(const Kpi& kpi, const ShopClock& clock) {
    boost::json::object provenance{{"formulaId", kpi.formula_id}, {"window", window_json(kpi.window, clock)}};
    provenance["previousWindow"] = kpi.previous_window ? boost::json::value(window_json(*kpi.previous_window, clock))
                                                       : boost::json::value(nullptr);
    return {{"key", kpi.key},
            {"label", kpi.label},
            {"value", optional_number(kpi.value, 4)},
            {"unit", kpi.unit},
            {"previousValue", optional_number(kpi.previous_value, 4)},
            {"changePct", optional_number(kpi.change_pct, 2)},
            {"provenance", std::move(provenance)}};
}

boost::json::array Table::records() const {
    boost::json::array out;
    out.reserve(rows.size());
    for (const auto& row : rows) {
        boost::json::object record;
        for (std::size_t c = 0; c < columns.size() && c < row.size(); ++c) record[columns[c]] = row[c];
        out.emplace_back(std::move(record));
    }
    return out;
}

boost::json::object to_json(const Table& table, const ShopClock& clock) {
    boost::json::array columns;
    for (const auto& c : table.columns) columns.emplace_back(c);
    return {{"id", table.id},
            {"title", table.title},
            {"columns", std::move(columns)},
            {"rows", table.records()},
            {"provenance", {{"formulaId", table.formula_id}, {"window", window_json(table.window, clock)}}}};
}

}  // namespace alatar::intelligence
