#pragma once
// The entry points the agent runtime calls: the full KPI pack, analyze() for a classified intent, and
// analyze_prompt() which classifies, plans and analyses a merchant's question offline.
//
// analyze() returns the GraphQL AnalysisResult shape:
//   {summary, kpis[Kpi + provenance], visualizations[{id,kind,title,spec}], recommendations[...],
//    dataWindow{from,to}}
// plus "intent", "period" {current, comparison, phrase}, "tables" (the computed tables behind charts and
// rules) and "caveats" (data freshness, partial periods, small samples, excluded orders).
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "intelligence/dataset.hpp"
#include "intelligence/drivers.hpp"
#include "intelligence/intent.hpp"
#include "intelligence/kpi.hpp"
#include "intelligence/series.hpp"

namespace alatar::intelligence {

// Every formula over one window and its comparison: what the benchmark times.
struct KpiPack {
    std::vector<Kpi> sales;
    std::vector<Kpi> customers;
    DailySeries daily;
    DailySeries daily_previous;
    DailySeries daily_orders;
    WeeklySeries weekly;
    AnomalyResult anomalies;
    DailySeries history;  // the 16 weeks ending with the window, the forecast's input
    Forecast forecast;
    DriverDecomposition drivers;
    std::vector<Table> tables;  // rankings, product types, inventory, refunds, discounts, cohorts
};

KpiPack compute_kpi_pack(const Dataset& ds, const PeriodSelection& period);

boost::json::object analyze(const Dataset& ds, Intent intent, const PeriodSelection& period, Instant now);

// classify() + plan() + analyze(); adds "confidence", "cues" and "plan".
boost::json::object analyze_prompt(const Dataset& ds, std::string_view prompt, Instant now);

// Caveats for a window: data freshness, a window reaching today or beyond the data, few orders, orders
// excluded as test or cancelled, refunds that could not be matched to a line.
std::vector<std::string> caveats(const Dataset& ds, const DateWindow& window, Instant now);

}  // namespace alatar::intelligence
