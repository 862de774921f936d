#pragma once
// The result types every formula returns: a Kpi with its provenance (formula id and data window), a
// Table, and a daily Series. to_json() gives the GraphQL Kpi shape plus a "provenance" object.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "intelligence/calendar.hpp"

namespace alatar::intelligence {

struct Kpi {
    std::string key;
    std::string label;
    std::optional<double> value;
    std::string unit;  // currency code, "%", "orders", "units", "customers", "days"
    std::optional<double> previous_value;
    std::optional<double> change_pct;  // (value - previous) / |previous| * 100; none when previous is 0
    std::string formula_id;            // e.g. "net_sales.v1", documented in docs/metrics.md
    DateWindow window;
    std::optional<DateWindow> previous_window;
};

// A Kpi with value and previous value; change_pct computed when both exist and previous != 0.
Kpi make_kpi(std::string key, std::string label, std::string unit, std::string formula_id, std::optional<double> value,
             std::optional<double> previous, const DateWindow& window,
             const std::optional<DateWindow>& previous_window);

std::optional<double> change_pct(std::optional<double> value, std::optional<double> previous);

// {key,label,value,unit,previousValue,changePct,provenance:{formulaId,window,previousWindow}}.
boost::json::object to_json(const Kpi& kpi, const ShopClock& clock);

struct Table {
    std::string id;
    std::string title;
    std::string formula_id;
    DateWindow window;
    std::vector<std::string> columns;
    std::vector<std::vector<boost::json::value>> rows;

    // Rows as objects keyed by column name.
    boost::json::array records() const;
};

boost::json::object to_json(const Table& table, const ShopClock& clock);

// One value per local day, first..first+values.size()-1.
struct DailySeries {
    std::string key;
    std::string unit;
    std::string formula_id;
    LocalDay first{};
    std::vector<double> values;

    LocalDay day(std::size_t i) const noexcept { return first + date::days{static_cast<int>(i)}; }
};

// Rounds to `digits` decimals for output, so JSON does not carry 0.30000000000000004.
double round_to(double value, int digits) noexcept;

}  // namespace alatar::intelligence
