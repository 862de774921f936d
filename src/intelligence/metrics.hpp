#pragma once
// The fixed formulas behind every number (definitions in docs/metrics.md). Each has a stable formula id;
// a changed definition gets a new id (".v2"), never a silent change.
//
// What counts as a sale: an order that is neither a test order nor cancelled, attributed to the local day
// (shop time zone) of its processed_at. Refunds count on their own date ("returns by refund date").
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "intelligence/dataset.hpp"
#include "intelligence/kpi.hpp"

namespace alatar::intelligence {

namespace formula {
inline constexpr std::string_view kGrossSales = "gross_sales.v1";
inline constexpr std::string_view kDiscounts = "discounts.v1";
inline constexpr std::string_view kReturns = "returns.v1";
inline constexpr std::string_view kNetSales = "net_sales.v1";
inline constexpr std::string_view kOrders = "orders.v1";
inline constexpr std::string_view kAov = "aov.v1";
inline constexpr std::string_view kUnits = "units.v1";
inline constexpr std::string_view kNewCustomers = "new_customers.v1";
inline constexpr std::string_view kReturningCustomers = "returning_customers.v1";
inline constexpr std::string_view kRepeatPurchaseRate = "repeat_purchase_rate.v1";
inline constexpr std::string_view kCustomerLifetimeValue = "clv_historical.v1";
inline constexpr std::string_view kCohortRetention = "cohort_retention.v1";
inline constexpr std::string_view kProductPerformance = "product_performance.v1";
inline constexpr std::string_view kSellThrough = "sell_through.v1";
inline constexpr std::string_view kDaysOfCover = "days_of_cover.v1";
inline constexpr std::string_view kRefundRate = "refund_rate.v1";
inline constexpr std::string_view kDiscountEffectiveness = "discount_effectiveness.v1";
inline constexpr std::string_view kDailySeries = "daily_series.v1";
inline constexpr std::string_view kWeeklySeries = "weekly_series.v1";
inline constexpr std::string_view kAnomaly = "anomaly_robust_z.v1";
inline constexpr std::string_view kForecast = "forecast_holt_winters.v1";
inline constexpr std::string_view kDrivers = "driver_decomposition.v1";
}  // namespace formula

// ---- Sales ----

struct SalesTotals {
    Money gross = 0;
    Money discounts = 0;
    Money returns = 0;  // refunds created within the window, whatever the order date
    std::int64_t orders = 0;
    std::int64_t units = 0;
    std::int64_t returned_units = 0;

    Money net() const noexcept { return gross - discounts - returns; }
    // Gross minus discounts of the window's orders: what AOV divides.
    Money order_net() const noexcept { return gross - discounts; }
};

SalesTotals sales_totals(const Dataset& ds, const DateWindow& window);

// The sales KPIs for a window against a comparison window: gross_sales, discounts, returns, net_sales,
// orders, aov, units (in that order).
std::vector<Kpi> sales_kpis(const Dataset& ds, const DateWindow& window, const DateWindow& previous);

// AOV = (gross - discounts) / orders; nullopt without orders. In shop currency major units.
std::optional<double> aov(const Dataset& ds, const SalesTotals& totals);

// ---- Customers ----

struct CustomerMix {
    std::int64_t customers = 0;            // distinct customers with a sale order in the window
    std::int64_t new_customers = 0;        // ... whose first sale order ever is in the window
    std::int64_t returning_customers = 0;  // ... who had a sale order before the window
    std::int64_t repeat_customers = 0;     // ... with at least two sale orders up to the window's end
    std::int64_t new_orders = 0;
    std::int64_t returning_orders = 0;
    std::int64_t guest_orders = 0;
    Money new_order_net = 0;  // gross - discounts of the segment's orders
    Money returning_order_net = 0;
    Money guest_order_net = 0;
};

CustomerMix customer_mix(const Dataset& ds, const DateWindow& window);

// new_customers, returning_customers, repeat_purchase_rate (%), customer_lifetime_value.
std::vector<Kpi> customer_kpis(const Dataset& ds, const DateWindow& window, const DateWindow& previous);

// Historical CLV at the end of the window: net sales (refunds up to the window's end) of all sale orders
// with a customer, processed up to the window's end, divided by the customers who placed them.
std::optional<double> customer_lifetime_value(const Dataset& ds, const DateWindow& window);

// Monthly cohorts by the local month of the first sale order, the `months` cohorts ending with the
// window's last month; column "m<k>" is the % of the cohort with a sale order k months later.
Table cohort_retention(const Dataset& ds, const DateWindow& window, int months = 12);

// ---- Products ----

struct ProductStats {
    Money gross = 0;
    Money discounts = 0;  // line allocations
    Money returns = 0;    // refunds created within the window
    std::int64_t units = 0;
    std::int64_t orders = 0;
    std::int64_t units_refunded_of_sold = 0;  // of this window's units, refunded at any date

    Money net() const noexcept { return gross - discounts - returns; }
};

// Indexed by product index (Dataset::product(p)).
std::vector<ProductStats> product_stats(const Dataset& ds, const DateWindow& window);

enum class RankBy { kRevenue, kUnits, kGrowth };
enum class RankOrder { kTop, kBottom };

// Products ranked by net sales, units or growth in net sales against `previous`. Bottom rankings list
// active products only (a bottom seller may have sold nothing). Columns: productId, product, productType,
// netSales, units, previousNetSales, growthPct.
Table product_ranking(const Dataset& ds, const DateWindow& window, const DateWindow& previous, RankBy by,
                      RankOrder order, std::size_t limit = 10);

// Net sales by product type in the window (the same columns without productId/productType + type).
Table product_type_sales(const Dataset& ds, const DateWindow& window, const DateWindow& previous);

// ---- Inventory ----

enum class StockRisk { kUnknown, kSafe, kLow, kMedium, kHigh, kOutOfStock };
std::string_view stock_risk_name(StockRisk risk) noexcept;

struct InventoryPosition {
    Index product = kNone;
    std::optional<int> available;
    std::int64_t units_window = 0;   // units sold in the window
    std::int64_t units_last_28 = 0;  // units sold in the 28 days ending with the window
    double daily_rate = 0;           // units_last_28 / 28
    std::optional<double> days_of_cover;
    std::optional<double> sell_through_pct;  // units_window / (units_window + available)
    StockRisk risk = StockRisk::kUnknown;
    // A product that sold steadily and then stopped: the run of days without a sale up to the window's end.
    int days_without_sales = 0;
    double prior_daily_rate = 0;  // in the 28 days before that run
    bool suspected_stockout = false;
};

// Every product with inventory data or sales; ordered by product index.
std::vector<InventoryPosition> inventory_positions(const Dataset& ds, const DateWindow& window);

// Tables: stockout risk (risky products first) and slow movers (lowest sell-through with stock).
Table inventory_risk_table(const Dataset& ds, const DateWindow& window, std::size_t limit = 15);
Table slow_movers_table(const Dataset& ds, const DateWindow& window, std::size_t limit = 10);
Table sell_through_table(const Dataset& ds, const DateWindow& window, std::size_t limit = 20);

// ---- Refunds and discounts ----

// Units refunded (any date) / units sold in the window, per product with at least min_units sold, highest
// rate first; the store-wide rate is the last row ("All products").
Table refund_rate_by_product(const Dataset& ds, const DateWindow& window, std::int64_t min_units = 5,
                             std::size_t limit = 15);

// Per discount code (orders attributed to their first code) and "(no code)": orders, gross, discounts,
// net (gross - discounts), AOV, discount rate = discounts / gross, net sales per unit of discount.
Table discount_effectiveness(const Dataset& ds, const DateWindow& window, std::size_t limit = 15);

}  // namespace alatar::intelligence
