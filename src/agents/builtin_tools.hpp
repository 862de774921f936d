#pragma once
// The tools of the thin analysis path, computed in SQL over the cached Shopify tables:
//   data_retrieval        ensure_store_data_fresh
//   quantitative_analysis sales_totals, daily_sales, top_products
//   qualitative_analysis  compose_narrative, decline_out_of_scope
//   recommendation        suggest_actions
//
// Definitions (orders processed in [from, to), neither test nor cancelled; money in the shop currency):
//   gross_sales            sum of line items' original unit price x quantity
//   discounts              sum of orders' total discounts
//   sales_after_discounts  sum of orders' subtotals (line items after discounts, before tax and shipping)
//   refunded               sum of orders' refunded totals
//   average_order_value    sales_after_discounts / orders
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
