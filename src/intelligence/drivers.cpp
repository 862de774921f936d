#include "intelligence/drivers.hpp"

#include <algorithm>

#include "intelligence/metrics.hpp"

namespace alatar::intelligence {

namespace {

constexpr const char* kUnallocated = "(order discounts not allocated to a line)";

Money unallocated_discounts(const Dataset& ds, const DateWindow& window) {
    const auto& o = ds.orders();
    const auto [first, last] = ds.order_rows(window);
    Money sum = 0;
    for (std::size_t i = first; i < last; ++i) sum += o.discounts[i] - o.line_discounts[i];
    return sum;
}

void sort_most_negative_first(std::vector<Contribution>& items) {
    std::stable_sort(items.begin(), items.end(),
                     [](const Contribution& a, const Contribution& b) { return a.delta() < b.delta(); });
}

}  // namespace

DriverDecomposition decompose_net_sales(const Dataset& ds, const DateWindow& window, const DateWindow& previous) {
    DriverDecomposition d;
    d.window = window;
    d.previous = previous;
    const SalesTotals cur = sales_totals(ds, window);
    const SalesTotals prev = sales_totals(ds, previous);
    d.net_current = cur.net();
    d.net_previous = prev.net();
    d.orders_current = cur.orders;
    d.orders_previous = prev.orders;

    // AOV in minor units; an empty window has AOV 0 so that the terms still sum.
    const double aov0 =
        prev.orders == 0 ? 0.0 : static_cast<double>(prev.order_net()) / static_cast<double>(prev.orders);
    const double aov1 = cur.orders == 0 ? 0.0 : static_cast<double>(cur.order_net()) / static_cast<double>(cur.orders);
    const double d_orders = static_cast<double>(cur.orders - prev.orders);
    d.volume_effect = d_orders * aov0;
    d.value_effect = static_cast<double>(prev.orders) * (aov1 - aov0);
    d.interaction_effect = d_orders * (aov1 - aov0);
    d.returns_effect = -(cur.returns - prev.returns);

    const CustomerMix mc = customer_mix(ds, window);
    const CustomerMix mp = customer_mix(ds, previous);
    d.by_segment = {{"new", "New customers", mp.new_order_net, mc.new_order_net},
                    {"returning", "Returning customers", mp.returning_order_net, mc.returning_order_net},
                    {"guest", "Guest checkouts", mp.guest_order_net, mc.guest_order_net},
                    {"returns", "Returns", -prev.returns, -cur.returns}};

    const auto pc = product_stats(ds, window);
    const auto pp = product_stats(ds, previous);
    std::vector<Contribution> types(ds.product_types().size());
    for (std::size_t t = 0; t < types.size(); ++t) types[t] = {ds.product_types()[t], ds.product_types()[t], 0, 0};
    for (std::size_t p = 0; p < pc.size(); ++p) {
        const auto pi = static_cast<Index>(p);
        auto& type = types[static_cast<std::size_t>(ds.product_type_of(pi))];
        type.previous += pp[p].net();
        type.current += pc[p].net();
        if (pc[p].net() == 0 && pp[p].net() == 0) continue;
        d.by_product.push_back({ds.product(pi).id, ds.product(pi).title, pp[p].net(), pc[p].net()});
    }
    std::erase_if(types, [](const Contribution& c) { return c.previous == 0 && c.current == 0; });
    sort_most_negative_first(d.by_product);
    sort_most_negative_first(types);
    d.by_product_type = std::move(types);
    const Contribution unallocated{"unallocated_discounts", kUnallocated, -unallocated_discounts(ds, previous),
                                   -unallocated_discounts(ds, window)};
    d.by_product.push_back(unallocated);
    d.by_product_type.push_back(unallocated);

    if (!d.by_product.empty() && d.by_product.front().delta() < 0 && d.by_product.front().key != unallocated.key) {
        TopNegativeDriver top;
        top.product = *ds.find_product(d.by_product.front().key);
        top.delta = d.by_product.front().delta();
        for (const auto& pos : inventory_positions(ds, window)) {
            if (pos.product != top.product) continue;
            top.available = pos.available;
            top.days_without_sales = pos.days_without_sales;
            top.prior_daily_units = pos.prior_daily_rate;
            top.stockout = pos.suspected_stockout || (pos.available && *pos.available <= 0);
        }
        d.top_negative = top;
    }
    return d;
}

}  // namespace alatar::intelligence
