// Product formulas: per-product performance, rankings, product types, refund rates, discount effectiveness.
#include <algorithm>
#include <numeric>

#include "intelligence/metrics.hpp"

namespace alatar::intelligence {

std::vector<ProductStats> product_stats(const Dataset& ds, const DateWindow& window) {
    std::vector<ProductStats> stats(ds.product_count());
    std::vector<Index> last_order(ds.product_count(), kNone);
    const auto& o = ds.orders();
    const auto& l = ds.lines();
    const auto [first, last] = ds.order_rows(window);
    for (std::size_t k = o.line_begin[first]; k < o.line_begin[last]; ++k) {
        const auto p = static_cast<std::size_t>(l.product[k]);
        auto& s = stats[p];
        s.gross += l.gross[k];
        s.discounts += l.discount[k];
        s.units += l.quantity[k];
        s.units_refunded_of_sold += l.refunded[k];
        if (last_order[p] != l.order[k]) {
            ++s.orders;
            last_order[p] = l.order[k];
        }
    }
    const auto& r = ds.returns();
    const auto [rf, rl] = ds.return_rows(window);
    for (std::size_t k = rf; k < rl; ++k) stats[static_cast<std::size_t>(r.product[k])].returns += r.amount[k];
    return stats;
}

namespace {

std::optional<double> growth(Money cur, Money prev) {
    if (prev == 0) return std::nullopt;
    return 100.0 * static_cast<double>(cur - prev) / static_cast<double>(prev < 0 ? -prev : prev);
}

boost::json::value json_opt(const std::optional<double>& v, int digits) {
    if (!v) return nullptr;
    return round_to(*v, digits);
}

std::string_view rank_name(RankBy by) {
    switch (by) {
        case RankBy::kRevenue:
            return "net sales";
        case RankBy::kUnits:
            return "units";
        case RankBy::kGrowth:
            return "growth";
    }
    return "net sales";
}

}  // namespace

Table product_ranking(const Dataset& ds, const DateWindow& window, const DateWindow& previous, RankBy by,
                      RankOrder order, std::size_t limit) {
    const auto cur = product_stats(ds, window);
    const auto prev = product_stats(ds, previous);
    std::vector<Index> candidates;
    for (std::size_t p = 0; p < cur.size(); ++p) {
        const auto pi = static_cast<Index>(p);
        const bool sold = cur[p].units > 0 || prev[p].units > 0 || cur[p].returns != 0;
        if (order == RankOrder::kBottom) {
            if (ds.product(pi).status != ProductStatus::kActive) continue;
            if (by == RankBy::kGrowth && prev[p].net() <= 0) continue;
        } else if (!sold || (by == RankBy::kGrowth && prev[p].net() <= 0)) {
            continue;
        }
        candidates.push_back(pi);
    }
    auto key = [&](Index p) -> double {
        const auto i = static_cast<std::size_t>(p);
        switch (by) {
            case RankBy::kRevenue:
                return static_cast<double>(cur[i].net());
            case RankBy::kUnits:
                return static_cast<double>(cur[i].units);
            case RankBy::kGrowth:
                return growth(cur[i].net(), prev[i].net()).value_or(0.0);
        }
        return 0.0;
    };
    std::stable_sort(candidates.begin(), candidates.end(), [&](Index a, Index b) {
        const double ka = key(a);
        const double kb = key(b);
        if (ka != kb) return order == RankOrder::kTop ? ka > kb : ka < kb;
        return a < b;
    });
    if (candidates.size() > limit) candidates.resize(limit);

    Table t;
    t.id = std::string(order == RankOrder::kTop ? "top_products_by_" : "bottom_products_by_") +
           (by == RankBy::kRevenue ? "revenue"
            : by == RankBy::kUnits ? "units"
                                   : "growth");
    t.title = std::string(order == RankOrder::kTop ? "Top" : "Bottom") + " products by " + std::string(rank_name(by));
    t.formula_id = std::string(formula::kProductPerformance);
    t.window = window;
    t.columns = {"productId", "product", "productType", "netSales", "units", "previousNetSales", "growthPct"};
    for (const Index p : candidates) {
        const auto i = static_cast<std::size_t>(p);
        t.rows.push_back({boost::json::value(ds.product(p).id), boost::json::value(ds.product(p).title),
                          boost::json::value(ds.product_types()[static_cast<std::size_t>(ds.product_type_of(p))]),
                          boost::json::value(round_to(ds.to_major(cur[i].net()), 2)), boost::json::value(cur[i].units),
                          boost::json::value(round_to(ds.to_major(prev[i].net()), 2)),
                          json_opt(growth(cur[i].net(), prev[i].net()), 1)});
    }
    return t;
}

Table product_type_sales(const Dataset& ds, const DateWindow& window, const DateWindow& previous) {
    const auto cur = product_stats(ds, window);
    const auto prev = product_stats(ds, previous);
    const std::size_t types = ds.product_types().size();
    std::vector<Money> net(types, 0);
    std::vector<Money> prev_net(types, 0);
    std::vector<std::int64_t> units(types, 0);
    for (std::size_t p = 0; p < cur.size(); ++p) {
        const auto type = static_cast<std::size_t>(ds.product_type_of(static_cast<Index>(p)));
        net[type] += cur[p].net();
        prev_net[type] += prev[p].net();
        units[type] += cur[p].units;
    }
    std::vector<std::size_t> order(types);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return net[a] > net[b]; });
    Table t;
    t.id = "sales_by_product_type";
    t.title = "Net sales by product type";
    t.formula_id = std::string(formula::kProductPerformance);
    t.window = window;
    t.columns = {"productType", "netSales", "units", "previousNetSales", "growthPct"};
    for (const auto i : order) {
        if (net[i] == 0 && prev_net[i] == 0 && units[i] == 0) continue;
        t.rows.push_back({boost::json::value(ds.product_types()[i]),
                          boost::json::value(round_to(ds.to_major(net[i]), 2)), boost::json::value(units[i]),
                          boost::json::value(round_to(ds.to_major(prev_net[i]), 2)),
                          json_opt(growth(net[i], prev_net[i]), 1)});
    }
    return t;
}

Table refund_rate_by_product(const Dataset& ds, const DateWindow& window, std::int64_t min_units, std::size_t limit) {
    const auto stats = product_stats(ds, window);
    std::vector<Index> candidates;
    std::int64_t all_units = 0;
    std::int64_t all_refunded = 0;
    for (std::size_t p = 0; p < stats.size(); ++p) {
        all_units += stats[p].units;
        all_refunded += stats[p].units_refunded_of_sold;
        if (stats[p].units >= min_units && stats[p].units > 0) candidates.push_back(static_cast<Index>(p));
    }
    auto rate = [&](Index p) {
        const auto& s = stats[static_cast<std::size_t>(p)];
        return static_cast<double>(s.units_refunded_of_sold) / static_cast<double>(s.units);
    };
    std::stable_sort(candidates.begin(), candidates.end(), [&](Index a, Index b) { return rate(a) > rate(b); });
    if (candidates.size() > limit) candidates.resize(limit);
    Table t;
    t.id = "refund_rate_by_product";
    t.title = "Refund rate by product (units refunded / units sold)";
    t.formula_id = std::string(formula::kRefundRate);
    t.window = window;
    t.columns = {"productId", "product", "unitsSold", "unitsRefunded", "refundRatePct"};
    for (const Index p : candidates) {
        const auto& s = stats[static_cast<std::size_t>(p)];
        t.rows.push_back({boost::json::value(ds.product(p).id), boost::json::value(ds.product(p).title),
                          boost::json::value(s.units), boost::json::value(s.units_refunded_of_sold),
                          boost::json::value(round_to(100.0 * rate(p), 2))});
    }
    const double store_rate =
        all_units == 0 ? 0.0 : 100.0 * static_cast<double>(all_refunded) / static_cast<double>(all_units);
    t.rows.push_back({boost::json::value(nullptr), boost::json::value("All products"), boost::json::value(all_units),
                      boost::json::value(all_refunded), boost::json::value(round_to(store_rate, 2))});
    return t;
}

Table discount_effectiveness(const Dataset& ds, const DateWindow& window, std::size_t limit) {
    const auto& o = ds.orders();
    const auto [first, last] = ds.order_rows(window);
    const std::size_t codes = ds.discount_codes().size();
    // Slot `codes` is "(no code)".
    std::vector<std::int64_t> orders(codes + 1, 0);
    std::vector<Money> gross(codes + 1, 0);
    std::vector<Money> discounts(codes + 1, 0);
    for (std::size_t i = first; i < last; ++i) {
        const auto slot = o.discount_code[i] == kNone ? codes : static_cast<std::size_t>(o.discount_code[i]);
        ++orders[slot];
        gross[slot] += o.gross[i];
        discounts[slot] += o.discounts[i];
    }
    std::vector<std::size_t> slots;
    for (std::size_t s = 0; s < codes; ++s) {
        if (orders[s] > 0) slots.push_back(s);
    }
    std::stable_sort(slots.begin(), slots.end(), [&](std::size_t a, std::size_t b) { return orders[a] > orders[b]; });
    if (slots.size() > limit) slots.resize(limit);
    slots.push_back(codes);
    Table t;
    t.id = "discount_effectiveness";
    t.title = "Discount code effectiveness";
    t.formula_id = std::string(formula::kDiscountEffectiveness);
    t.window = window;
    t.columns = {"code", "orders", "grossSales", "discounts", "netSales", "aov", "discountRatePct", "netPerDiscount"};
    for (const auto s : slots) {
        const Money net = gross[s] - discounts[s];
        const auto aov_value = orders[s] == 0
                                   ? boost::json::value(nullptr)
                                   : boost::json::value(round_to(ds.to_major(net) / static_cast<double>(orders[s]), 2));
        const auto rate = gross[s] == 0
                              ? boost::json::value(nullptr)
                              : boost::json::value(round_to(
                                    100.0 * static_cast<double>(discounts[s]) / static_cast<double>(gross[s]), 2));
        const auto per =
            discounts[s] == 0
                ? boost::json::value(nullptr)
                : boost::json::value(round_to(static_cast<double>(net) / static_cast<double>(discounts[s]), 2));
        t.rows.push_back({boost::json::value(s == codes ? std::string("(no code)") : ds.discount_codes()[s]),
                          boost::json::value(orders[s]), boost::json::value(round_to(ds.to_major(gross[s]), 2)),
                          boost::json::value(round_to(ds.to_major(discounts[s]), 2)),
                          boost::json::value(round_to(ds.to_major(net), 2)), aov_value, rate, per});
    }
    return t;
}

}  // namespace alatar::intelligence
