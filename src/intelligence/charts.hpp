#pragma once
// Vega-Lite v5 specifications with their data inlined: lines for series (the comparison period as a
// second series aligned on the current period's days), bars for rankings and contributions, and text-mark
// tables where a table reads better. Each chart has a stable id, a kind and a title (GraphQL Visualization).
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "intelligence/drivers.hpp"
#include "intelligence/kpi.hpp"
#include "intelligence/series.hpp"

namespace alatar::intelligence {

inline constexpr std::string_view kVegaLiteSchema = "https://vega.github.io/schema/vega-lite/v5.json";

enum class ChartKind { kLine, kBar, kPie, kTable };
std::string_view chart_kind_name(ChartKind kind) noexcept;  // LINE, BAR, PIE, TABLE

struct Chart {
    std::string id;
    ChartKind kind = ChartKind::kLine;
    std::string title;
    boost::json::object spec;
};

// {id, kind, title, spec}: the GraphQL Visualization shape.
boost::json::object to_json(const Chart& chart);

// Daily series as a line; `previous` (same length or shorter) drawn as "Previous period" on the same days.
Chart daily_line_chart(std::string id, std::string title, const DailySeries& current, const DailySeries* previous);
Chart weekly_line_chart(std::string id, std::string title, const WeeklySeries& series);
// History and forecast as two lines plus the forecast's band.
Chart forecast_chart(std::string id, std::string title, const DailySeries& history, const Forecast& forecast);
// Horizontal bars of `value_column` by `label_column`, in the table's row order.
Chart bar_chart(std::string id, std::string title, const Table& table, std::string_view label_column,
                std::string_view value_column, std::string_view value_title);
// Contributions to a change (positive green, negative red), in minor units converted with `to_major`.
Chart contribution_chart(std::string id, std::string title, const std::vector<Contribution>& items,
                         double minor_per_major, std::size_t limit = 12);
// A table drawn with text marks: one row per table row, one column per listed column.
Chart table_chart(std::string id, std::string title, const Table& table, const std::vector<std::string>& columns);

}  // namespace alatar::intelligence
