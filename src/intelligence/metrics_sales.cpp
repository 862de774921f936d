// Sales formulas: gross sales, discounts, returns, net sales, orders, AOV, units.
#include "intelligence/metrics.hpp"

namespace alatar::intelligence {

SalesTotals sales_totals(const Dataset& ds, const DateWindow& window) {
    SalesTotals t;
    const auto& o = ds.orders();
    const auto [first, last] = ds.order_rows(window);
    for (std::size_t i = first; i < last; ++i) {
        t.gross += o.gross[i];
        t.discounts += o.discounts[i];
        t.units += o.units[i];
    }
    t.orders = static_cast<std::int64_t>(last - first);
    const auto& r = ds.returns();
    const auto [rf, rl] = ds.return_rows(window);
    for (std::size_t i = rf; i < rl; ++i) {
        t.returns += r.amount[i];
        t.returned_units += r.quantity[i];
    }
    return t;
}

std::optional<double> aov(const Dataset& ds, const SalesTotals& totals) {
    if (totals.orders == 0) return std::nullopt;
    return ds.to_major(totals.order_net()) / static_cast<double>(totals.orders);
}

std::vector<Kpi> sales_kpis(const Dataset& ds, const DateWindow& window, const DateWindow& previous) {
    const SalesTotals cur = sales_totals(ds, window);
    const SalesTotals prev = sales_totals(ds, previous);
    const std::string& ccy = ds.currency();
    auto money = [&](Money m) -> std::optional<double> { return ds.to_major(m); };
    auto count = [](std::int64_t n) -> std::optional<double> { return static_cast<double>(n); };
    std::vector<Kpi> out;
    out.push_back(make_kpi("gross_sales", "Gross sales", ccy, std::string(formula::kGrossSales), money(cur.gross),
                           money(prev.gross), window, previous));
    out.push_back(make_kpi("discounts", "Discounts", ccy, std::string(formula::kDiscounts), money(cur.discounts),
                           money(prev.discounts), window, previous));
    out.push_back(make_kpi("returns", "Returns", ccy, std::string(formula::kReturns), money(cur.returns),
                           money(prev.returns), window, previous));
    out.push_back(make_kpi("net_sales", "Net sales", ccy, std::string(formula::kNetSales), money(cur.net()),
                           money(prev.net()), window, previous));
    out.push_back(make_kpi("orders", "Orders", "orders", std::string(formula::kOrders), count(cur.orders),
                           count(prev.orders), window, previous));
    out.push_back(make_kpi("aov", "Average order value", ccy, std::string(formula::kAov), aov(ds, cur), aov(ds, prev),
                           window, previous));
    out.push_back(make_kpi("units", "Units sold", "units", std::string(formula::kUnits), count(cur.units),
                           count(prev.units), window, previous));
    return out;
}

}  // namespace alatar::intelligence
