// Customer formulas: new vs returning, repeat purchase rate, historical CLV, cohort retention.
#include <date/date.h>

#include "intelligence/metrics.hpp"

namespace alatar::intelligence {

CustomerMix customer_mix(const Dataset& ds, const DateWindow& window) {
    CustomerMix mix;
    const auto& o = ds.orders();
    const auto [first, last] = ds.order_rows(window);
    const std::int64_t begin = ds.clock().window_begin(window).time_since_epoch().count();
    // Per customer: 0 = not seen in the window, 1 = seen; the max ordinal decides "repeat".
    std::vector<std::uint32_t> max_ordinal(ds.customer_count(), 0);
    for (std::size_t i = first; i < last; ++i) {
        const Money net = o.gross[i] - o.discounts[i];
        const Index c = o.customer[i];
        if (c == kNone) {
            ++mix.guest_orders;
            mix.guest_order_net += net;
            continue;
        }
        const auto ci = static_cast<std::size_t>(c);
        const bool is_new = *ds.first_order_time(c) >= begin;
        if (is_new) {
            ++mix.new_orders;
            mix.new_order_net += net;
        } else {
            ++mix.returning_orders;
            mix.returning_order_net += net;
        }
        if (max_ordinal[ci] == 0) {
            ++mix.customers;
            if (is_new) {
                ++mix.new_customers;
            } else {
                ++mix.returning_customers;
            }
        }
        max_ordinal[ci] = std::max(max_ordinal[ci], o.ordinal[i]);
    }
    for (const auto n : max_ordinal) {
        if (n >= 2) ++mix.repeat_customers;
    }
    return mix;
}

std::optional<double> customer_lifetime_value(const Dataset& ds, const DateWindow& window) {
    const auto& o = ds.orders();
    const std::int64_t end = ds.clock().window_end(window).time_since_epoch().count();
    Money net = 0;
    std::int64_t customers = 0;
    std::size_t i = 0;
    for (; i < o.size() && o.time[i] < end; ++i) {
        if (o.customer[i] == kNone) continue;
        net += o.gross[i] - o.discounts[i];
        if (o.ordinal[i] == 1) ++customers;
    }
    const std::size_t orders_end = i;
    const auto& r = ds.returns();
    for (std::size_t k = 0; k < r.size() && r.time[k] < end; ++k) {
        const auto row = static_cast<std::size_t>(r.order[k]);
        if (row < orders_end && o.customer[row] != kNone) net -= r.amount[k];
    }
    if (customers == 0) return std::nullopt;
    return ds.to_major(net) / static_cast<double>(customers);
}

std::vector<Kpi> customer_kpis(const Dataset& ds, const DateWindow& window, const DateWindow& previous) {
    const CustomerMix cur = customer_mix(ds, window);
    const CustomerMix prev = customer_mix(ds, previous);
    auto count = [](std::int64_t n) -> std::optional<double> { return static_cast<double>(n); };
    auto rate = [](const CustomerMix& m) -> std::optional<double> {
        if (m.customers == 0) return std::nullopt;
        return 100.0 * static_cast<double>(m.repeat_customers) / static_cast<double>(m.customers);
    };
    std::vector<Kpi> out;
    out.push_back(make_kpi("new_customers", "New customers", "customers", std::string(formula::kNewCustomers),
                           count(cur.new_customers), count(prev.new_customers), window, previous));
    out.push_back(make_kpi("returning_customers", "Returning customers", "customers",
                           std::string(formula::kReturningCustomers), count(cur.returning_customers),
                           count(prev.returning_customers), window, previous));
    out.push_back(make_kpi("repeat_purchase_rate", "Repeat purchase rate", "%",
                           std::string(formula::kRepeatPurchaseRate), rate(cur), rate(prev), window, previous));
    out.push_back(make_kpi("customer_lifetime_value", "Customer lifetime value (historical)", ds.currency(),
                           std::string(formula::kCustomerLifetimeValue), customer_lifetime_value(ds, window),
                           customer_lifetime_value(ds, previous), window, previous));
    return out;
}

namespace {

int month_number(std::int32_t day) {
    const date::year_month_day ymd{Dataset::local_day(day)};
    return static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
}

std::string month_label(int month_no) {
    const int year = month_no / 12;
    const int month = month_no % 12 + 1;
    return std::to_string(year) + (month < 10 ? "-0" : "-") + std::to_string(month);
}

}  // namespace

Table cohort_retention(const Dataset& ds, const DateWindow& window, int months) {
    Table t;
    t.id = "cohort_retention";
    t.title = "Monthly cohort retention (% of each cohort ordering k months after its first order)";
    t.formula_id = std::string(formula::kCohortRetention);
    t.window = window;
    t.columns = {"cohort", "customers"};
    for (int k = 0; k < months; ++k) t.columns.push_back("m" + std::to_string(k));

    const int last_month = month_number(Dataset::day_number(window.last));
    const int first_month = last_month - months + 1;
    const auto& o = ds.orders();
    const std::int64_t end = ds.clock().window_end(window).time_since_epoch().count();
    std::vector<int> cohort_of(ds.customer_count(), -1);
    // active[cohort][k]: customers of the cohort with an order k months later (counted once).
    std::vector<std::vector<std::int64_t>> active(static_cast<std::size_t>(months),
                                                  std::vector<std::int64_t>(static_cast<std::size_t>(months), 0));
    std::vector<std::int64_t> size(static_cast<std::size_t>(months), 0);
    std::vector<int> last_counted(ds.customer_count(), -1);
    for (std::size_t i = 0; i < o.size() && o.time[i] < end; ++i) {
        const Index c = o.customer[i];
        if (c == kNone) continue;
        const auto ci = static_cast<std::size_t>(c);
        const int m = month_number(o.day[i]);
        if (o.ordinal[i] == 1) {
            if (m < first_month) continue;
            cohort_of[ci] = m;
            ++size[static_cast<std::size_t>(m - first_month)];
        }
        const int cohort = cohort_of[ci];
        if (cohort < 0) continue;
        const int k = m - cohort;
        if (k < 0 || k >= months || last_counted[ci] == m) continue;
        last_counted[ci] = m;
        ++active[static_cast<std::size_t>(cohort - first_month)][static_cast<std::size_t>(k)];
    }
    for (int cohort = first_month; cohort <= last_month; ++cohort) {
        const auto ci = static_cast<std::size_t>(cohort - first_month);
        std::vector<boost::json::value> row{boost::json::value(month_label(cohort)), boost::json::value(size[ci])};
        for (int k = 0; k < months; ++k) {
            if (cohort + k > last_month || size[ci] == 0) {
                row.emplace_back(nullptr);
            } else {
                row.emplace_back(round_to(100.0 * static_cast<double>(active[ci][static_cast<std::size_t>(k)]) /
                                              static_cast<double>(size[ci]),
                                          1));
            }
        }
        t.rows.push_back(std::move(row));
    }
    return t;
}

}  // namespace alatar::intelligence
