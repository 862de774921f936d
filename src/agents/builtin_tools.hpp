#pragma once
// The analysis tools. The quantitative ones compute with src/intelligence over the store's dataset, loaded from
// the cached Shopify tables (store_dataset_loader.hpp) once per task:
//   data_retrieval        ensure_store_data_fresh
//   quantitative_analysis sales_totals, daily_sales, top_products, analyze_store (KPI pack with provenance,
//                         series, anomalies, forecast, drivers, Vega-Lite charts, recommendations)
//   qualitative_analysis  compose_narrative (the analysis' summary and caveats), decline_out_of_scope
//   recommendation        suggest_actions (the analysis' recommendations, proposals re-validated)
//
// Definitions (docs/metrics.md; local days of the shop covering [from, to); sale orders only):
//   gross_sales            gross_sales.v1
//   discounts              discounts.v1
//   sales_after_discounts  gross - discounts of the window's orders (what aov.v1 divides)
//   refunded               returns.v1 (refunds created in the window)
//   average_order_value    aov.v1
#include "agents/tools.hpp"

namespace alatar::agents {

namespace departments {
inline constexpr std::string_view kDataRetrieval = "data_retrieval";
inline constexpr std::string_view kQuantitative = "quantitative_analysis";
inline constexpr std::string_view kQualitative = "qualitative_analysis";
inline constexpr std::string_view kRecommendation = "recommendation_generation";
}  // namespace departments

// A registry holding every tool above.
ToolRegistry builtin_tools();

}  // namespace alatar::agents
