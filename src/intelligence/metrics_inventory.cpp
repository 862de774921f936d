// Inventory formulas: sell-through, days of cover, stockout risk, suspected stockouts, slow movers.
#include <algorithm>

#include "intelligence/metrics.hpp"

namespace alatar::intelligence {

namespace {

constexpr int kRateDays = 28;
// A silent run counts as a suspected stockout when this many units were expected in it.
constexpr double kExpectedUnitsForStockout = 5.0;
constexpr int kMinSilentDays = 3;

int severity(StockRisk risk) {
    switch (risk) {
        case StockRisk::kOutOfStock:
            return 5;
        case StockRisk::kHigh:
            return 4;
        case StockRisk::kMedium:
            return 3;
        case StockRisk::kLow:
            return 2;
        case StockRisk::kSafe:
            return 1;
        case StockRisk::kUnknown:
            return 0;
    }
    return 0;
}

boost::json::value json_opt(const std::optional<double>& v, int digits) {
    if (!v) return nullptr;
    return round_to(*v, digits);
}

boost::json::value json_opt(const std::optional<int>& v) {
    if (!v) return nullptr;
    return *v;
}

}  // namespace

std::string_view stock_risk_name(StockRisk risk) noexcept {
    switch (risk) {
        case StockRisk::kOutOfStock:
            return "out_of_stock";
        case StockRisk::kHigh:
            return "high";
        case StockRisk::kMedium:
            return "medium";
        case StockRisk::kLow:
            return "low";
        case StockRisk::kSafe:
            return "none";
        case StockRisk::kUnknown:
            return "unknown";
    }
    return "unknown";
}

std::vector<InventoryPosition> inventory_positions(const Dataset& ds, const DateWindow& window) {
    const std::size_t n = ds.product_count();
    const auto& o = ds.orders();
    const auto& l = ds.lines();
    const std::int32_t last_day = Dataset::day_number(window.last);
    const std::int32_t first_day = Dataset::day_number(window.first);
    const std::int32_t rate_from = last_day - kRateDays + 1;
    const auto end_row =
        ds.order_rows({Dataset::local_day(std::numeric_limits<std::int32_t>::min() / 2), window.last}).second;

    std::vector<std::int64_t> units_window(n, 0);
    std::vector<std::int64_t> units_28(n, 0);
    std::vector<std::int32_t> last_sale(n, std::numeric_limits<std::int32_t>::min());
    for (std::size_t k = 0; k < o.line_begin[end_row]; ++k) {
        const auto p = static_cast<std::size_t>(l.product[k]);
        const std::int32_t day = o.day[static_cast<std::size_t>(l.order[k])];
        if (day >= first_day) units_window[p] += l.quantity[k];
        if (day >= rate_from) units_28[p] += l.quantity[k];
        last_sale[p] = std::max(last_sale[p], day);
    }
    // Units in the 28 days up to each product's last sale, for the silent-run test.
    std::vector<std::int64_t> units_before_silence(n, 0);
    for (std::size_t k = 0; k < o.line_begin[end_row]; ++k) {
        const auto p = static_cast<std::size_t>(l.product[k]);
        const std::int32_t day = o.day[static_cast<std::size_t>(l.order[k])];
        if (day > last_sale[p] - kRateDays) units_before_silence[p] += l.quantity[k];
    }

    std::vector<InventoryPosition> out;
    for (std::size_t p = 0; p < n; ++p) {
        const auto pi = static_cast<Index>(p);
        const auto available = ds.available(pi);
        const bool ever_sold = last_sale[p] != std::numeric_limits<std::int32_t>::min();
        if (!available && !ever_sold) continue;
        InventoryPosition pos;
        pos.product = pi;
        pos.available = available;
        pos.units_window = units_window[p];
        pos.units_last_28 = units_28[p];
        pos.daily_rate = static_cast<double>(units_28[p]) / kRateDays;
        if (ever_sold) {
            pos.days_without_sales = last_day - last_sale[p];
            pos.prior_daily_rate = static_cast<double>(units_before_silence[p]) / kRateDays;
        }
        const bool silent_run = pos.days_without_sales >= kMinSilentDays &&
                                pos.prior_daily_rate * pos.days_without_sales >= kExpectedUnitsForStockout;
        if (available) {
            const int on_hand = std::max(*available, 0);
            if (pos.daily_rate > 0) pos.days_of_cover = on_hand / pos.daily_rate;
            if (pos.units_window + on_hand > 0) {
                pos.sell_through_pct =
                    100.0 * static_cast<double>(pos.units_window) / static_cast<double>(pos.units_window + on_hand);
            }
            if (*available <= 0) {
                pos.risk = StockRisk::kOutOfStock;
            } else if (!pos.days_of_cover) {
                pos.risk = StockRisk::kSafe;
            } else if (*pos.days_of_cover < 7) {
                pos.risk = StockRisk::kHigh;
            } else if (*pos.days_of_cover < 14) {
                pos.risk = StockRisk::kMedium;
            } else if (*pos.days_of_cover < 30) {
                pos.risk = StockRisk::kLow;
            } else {
                pos.risk = StockRisk::kSafe;
            }
            pos.suspected_stockout = (*available <= 0 && (pos.units_last_28 > 0 || silent_run)) || silent_run;
        } else {
            pos.suspected_stockout = silent_run;
        }
        out.push_back(pos);
    }
    return out;
}

Table inventory_risk_table(const Dataset& ds, const DateWindow& window, std::size_t limit) {
    auto positions = inventory_positions(ds, window);
    std::erase_if(positions, [](const InventoryPosition& p) {
        return !(p.suspected_stockout || p.risk == StockRisk::kHigh || p.risk == StockRisk::kMedium ||
                 (p.risk == StockRisk::kOutOfStock && p.prior_daily_rate > 0));
    });
    std::stable_sort(positions.begin(), positions.end(), [](const InventoryPosition& a, const InventoryPosition& b) {
        if (a.suspected_stockout != b.suspected_stockout) return a.suspected_stockout;
        if (severity(a.risk) != severity(b.risk)) return severity(a.risk) > severity(b.risk);
        return a.prior_daily_rate + a.daily_rate > b.prior_daily_rate + b.daily_rate;
    });
    if (positions.size() > limit) positions.resize(limit);
    Table t;
    t.id = "inventory_risk";
    t.title = "Stockout risk";
    t.formula_id = std::string(formula::kDaysOfCover);
    t.window = window;
    t.columns = {"productId",   "product", "available",        "dailyUnits",
                 "daysOfCover", "risk",    "daysWithoutSales", "suspectedStockout"};
    for (const auto& p : positions) {
        t.rows.push_back({boost::json::value(ds.product(p.product).id), boost::json::value(ds.product(p.product).title),
                          json_opt(p.available), boost::json::value(round_to(p.daily_rate, 2)),
                          json_opt(p.days_of_cover, 1), boost::json::value(stock_risk_name(p.risk)),
                          boost::json::value(p.days_without_sales), boost::json::value(p.suspected_stockout)});
    }
    return t;
}

Table slow_movers_table(const Dataset& ds, const DateWindow& window, std::size_t limit) {
    auto positions = inventory_positions(ds, window);
    std::erase_if(positions, [&](const InventoryPosition& p) {
        return !p.available || *p.available <= 0 || ds.product(p.product).status != ProductStatus::kActive;
    });
    auto value_at_cost = [&](const InventoryPosition& p) -> Money {
        return ds.unit_cost(p.product).value_or(ds.price(p.product).value_or(0)) * *p.available;
    };
    std::stable_sort(positions.begin(), positions.end(), [&](const InventoryPosition& a, const InventoryPosition& b) {
        const double sa = a.sell_through_pct.value_or(0);
        const double sb = b.sell_through_pct.value_or(0);
        if (sa != sb) return sa < sb;
        return value_at_cost(a) > value_at_cost(b);
    });
    if (positions.size() > limit) positions.resize(limit);
    Table t;
    t.id = "slow_movers";
    t.title = "Slow movers (lowest sell-through with stock on hand)";
    t.formula_id = std::string(formula::kSellThrough);
    t.window = window;
    t.columns = {"productId",      "product",     "available",           "unitsSold",
                 "sellThroughPct", "daysOfCover", "inventoryValueAtCost"};
    for (const auto& p : positions) {
        t.rows.push_back({boost::json::value(ds.product(p.product).id), boost::json::value(ds.product(p.product).title),
                          json_opt(p.available), boost::json::value(p.units_window), json_opt(p.sell_through_pct, 1),
                          json_opt(p.days_of_cover, 1),
                          boost::json::value(round_to(ds.to_major(value_at_cost(p)), 2))});
    }
    return t;
}

Table sell_through_table(const Dataset& ds, const DateWindow& window, std::size_t limit) {
    auto positions = inventory_positions(ds, window);
    std::erase_if(positions, [](const InventoryPosition& p) { return !p.sell_through_pct; });
    std::stable_sort(positions.begin(), positions.end(), [](const InventoryPosition& a, const InventoryPosition& b) {
        return *a.sell_through_pct > *b.sell_through_pct;
    });
    if (positions.size() > limit) positions.resize(limit);
    Table t;
    t.id = "sell_through";
    t.title = "Sell-through by product";
    t.formula_id = std::string(formula::kSellThrough);
    t.window = window;
    t.columns = {"productId", "product", "unitsSold", "available", "sellThroughPct"};
    for (const auto& p : positions) {
        t.rows.push_back({boost::json::value(ds.product(p.product).id), boost::json::value(ds.product(p.product).title),
                          boost::json::value(p.units_window), json_opt(p.available), json_opt(p.sell_through_pct, 1)});
    }
    return t;
}

}  // namespace alatar::intelligence
