#include "intelligence/analyze.hpp"

#include <cmath>
#include <limits>

#include "intelligence/charts.hpp"
#include "intelligence/metrics.hpp"
#include "intelligence/planner.hpp"
#include "intelligence/recommendations.hpp"
#include "intelligence/text_format.hpp"

namespace alatar::intelligence {

namespace {

constexpr int kForecastHistoryDays = 112;

const Kpi* find_kpi(const std::vector<Kpi>& kpis, std::string_view key) {
    for (const auto& k : kpis) {
        if (k.key == key) return &k;
    }
    return nullptr;
}

const Table* find_table(const std::vector<Table>& tables, std::string_view id) {
    for (const auto& t : tables) {
        if (t.id == id) return &t;
    }
    return nullptr;
}

std::string kpi_text(const Dataset& ds, const Kpi& k) {
    if (!k.value) return k.label + " n/a";
    std::string value;
    if (k.unit == ds.currency()) {
        value = format_major(ds, *k.value);
    } else if (k.unit == "%") {
        value = format_number(*k.value, 1) + " %";
    } else {
        value = format_number(*k.value, 0);
    }
    return k.label + " " + value + " (" + format_change(k.change_pct) + ")";
}

std::string window_text(const DateWindow& w) {
    return w.days() == 1 ? format_day(w.first) : format_day(w.first) + " to " + format_day(w.last);
}

std::string direction(std::optional<double> pct) {
    if (!pct) return "had no comparable earlier period";
    if (std::fabs(*pct) < 1.0) return "were flat";
    return *pct > 0 ? "rose " + format_number(*pct, 1) + " %" : "fell " + format_number(-*pct, 1) + " %";
}

std::string drivers_text(const Dataset& ds, const DriverDecomposition& d) {
    std::string s = "Of the " + format_money(ds, d.delta()) + " change, order count contributed " +
                    format_major(ds, ds.to_major(d.volume_effect)) + ", order value " +
                    format_major(ds, ds.to_major(d.value_effect + d.interaction_effect)) + " and returns " +
                    format_money(ds, d.returns_effect) + ".";
    if (d.top_negative) {
        const auto& t = *d.top_negative;
        s += " The largest negative contributor is " + ds.product(t.product).title + " (" + format_money(ds, t.delta) +
             ")";
        if (t.stockout) {
            s += ", which appears to be out of stock: " +
                 (t.available ? std::to_string(*t.available) + " units available" : std::string("no inventory data")) +
                 (t.days_without_sales > 0 ? ", no sales for " + std::to_string(t.days_without_sales) + " days after " +
                                                 format_number(t.prior_daily_units, 1) + " units a day before"
                                           : std::string()) +
                 ".";
        } else {
            s += ".";
        }
    }
    return s;
}

// The first rows as "label value suffix"; `decimals` is the precision the table holds (a summary must not
// state digits the figure does not have: a count is never "11.00").
std::string first_rows(const Table& t, std::size_t n, std::string_view label, std::string_view value, int decimals,
                       std::string_view suffix) {
    std::string s;
    const auto records = t.records();
    for (std::size_t i = 0; i < records.size() && i < n; ++i) {
        const auto& r = records[i].as_object();
        const auto* l = r.if_contains(label);
        const auto* v = r.if_contains(value);
        if (l == nullptr || !l->is_string()) continue;
        if (!s.empty()) s += "; ";
        s += std::string(l->as_string());
        if (v != nullptr && v->is_number())
            s += " " + format_number(v->to_number<double>(), decimals) + std::string(suffix);
    }
    return s;
}

std::string narrative(const Dataset& ds, Intent intent, const PeriodSelection& period, const KpiPack& pack,
                      const std::vector<Recommendation>& recs) {
    const Kpi* net = find_kpi(pack.sales, "net_sales");
    const Kpi* orders = find_kpi(pack.sales, "orders");
    const Kpi* aov = find_kpi(pack.sales, "aov");
    const std::string when = window_text(period.current);
    const std::string versus = " versus " + window_text(period.comparison);
    std::string s;
    switch (intent) {
        case Intent::kOutOfScope:
            return "I can't answer that from store data. I can analyse sales, trends, products, inventory, customers, "
                   "discounts, descriptions and prices of your store.";
        case Intent::kSalesSummary:
            s = "Net sales " + direction(net->change_pct) + " to " + format_major(ds, net->value.value_or(0)) + " (" +
                when + versus + "). " + kpi_text(ds, *orders) + "; " + kpi_text(ds, *aov) + "; " +
                kpi_text(ds, *find_kpi(pack.sales, "returns")) + "; " +
                kpi_text(ds, *find_kpi(pack.customers, "new_customers")) + ".";
            break;
        case Intent::kSalesTrend: {
            double next4 = 0;
            for (const double v : pack.forecast.values) next4 += v;
            s = "Net sales " + direction(net->change_pct) + " (" + when + versus + ") and are forecast at about " +
                format_major(ds, next4) + " over the next 4 weeks (Holt-Winters, weekly seasonality). ";
            if (pack.anomalies.anomalies.empty()) {
                s += "No unusual days were found.";
            } else {
                s += std::to_string(pack.anomalies.anomalies.size()) + " unusual day(s), e.g. " +
                     format_day(pack.anomalies.anomalies.front().day) + " at " +
                     format_major(ds, pack.anomalies.anomalies.front().value) + " against a typical " +
                     format_major(ds, pack.anomalies.anomalies.front().expected) + ".";
            }
            break;
        }
        case Intent::kSalesDropDiagnosis:
            if (pack.drivers.delta() >= 0) {
                s = "Net sales did not drop: they " + direction(net->change_pct) + " to " +
                    format_major(ds, net->value.value_or(0)) + " (" + when + versus + "). ";
            } else {
                s = "Net sales fell " + format_money(ds, -pack.drivers.delta()) + " (" +
                    format_change(net->change_pct) + ") to " + format_major(ds, net->value.value_or(0)) + " (" + when +
                    versus + "). ";
            }
            s += drivers_text(ds, pack.drivers) + " " + kpi_text(ds, *orders) + "; " + kpi_text(ds, *aov) + ".";
            break;
        case Intent::kTopProducts:
            s = "Top products by net sales (" + when + "): " +
                first_rows(*find_table(pack.tables, "top_products_by_revenue"), 5, "product", "netSales", ds.decimals(),
                           " " + ds.currency()) +
                ".";
            break;
        case Intent::kSlowMovers:
            s = "Slowest movers with stock on hand (" + when + "): " +
                first_rows(*find_table(pack.tables, "slow_movers"), 5, "product", "sellThroughPct", 1,
                           " % sell-through") +
                ".";
            break;
        case Intent::kInventoryRisk: {
            const Table* risk = find_table(pack.tables, "inventory_risk");
            // The table keeps the first rows; the count stated is of every product at risk.
            const std::size_t at_risk =
                inventory_risk_table(ds, period.current, std::numeric_limits<std::size_t>::max()).rows.size();
            s = risk->rows.empty()
                    ? "No product is at risk of a stockout at the current sales rate."
                    : std::to_string(at_risk) + " product(s) are out of stock or at risk within two weeks: " +
                          first_rows(*risk, 5, "product", "daysOfCover", 1, " days of cover") + ".";
            break;
        }
        case Intent::kCustomerRetention:
            s = kpi_text(ds, *find_kpi(pack.customers, "repeat_purchase_rate")) + " (" + when + "). " +
                kpi_text(ds, *find_kpi(pack.customers, "new_customers")) + "; " +
                kpi_text(ds, *find_kpi(pack.customers, "returning_customers")) + "; " +
                kpi_text(ds, *find_kpi(pack.customers, "customer_lifetime_value")) + ".";
            break;
        case Intent::kDiscountSuggestion:
            s = "Discount codes in use (" + when + "): " +
                first_rows(*find_table(pack.tables, "discount_effectiveness"), 4, "code", "orders", 0, " orders") + ".";
            break;
        case Intent::kDescriptionImprovement:
            s = "Highest refund rates (" + when + "): " +
                first_rows(*find_table(pack.tables, "refund_rate_by_product"), 4, "product", "refundRatePct", 1, " %") +
                ".";
            break;
        case Intent::kPricingSuggestion:
            s = "Pricing review of your products (" + when + "). ";
            break;
    }
    if (!recs.empty()) {
        s += " Recommended: ";
        for (std::size_t i = 0; i < recs.size() && i < 3; ++i) s += (i ? "; " : "") + recs[i].title;
        s += ".";
    } else if (intent == Intent::kPricingSuggestion || intent == Intent::kDescriptionImprovement) {
        s += " No product meets the rule for a change right now.";
    }
    return s;
}

void add_kpis(boost::json::array& out, const std::vector<Kpi>& kpis, const ShopClock& clock) {
    for (const auto& k : kpis) out.push_back(to_json(k, clock));
}

}  // namespace

KpiPack compute_kpi_pack(const Dataset& ds, const PeriodSelection& period) {
    const DateWindow& w = period.current;
    const DateWindow& p = period.comparison;
    KpiPack pack;
    pack.sales = sales_kpis(ds, w, p);
    pack.customers = customer_kpis(ds, w, p);
    pack.daily = daily_net_sales(ds, w);
    pack.daily_previous = daily_net_sales(ds, p);
    pack.daily_orders = daily_orders(ds, w);
    pack.weekly = weekly(pack.daily);
    pack.history = daily_net_sales(ds, {w.last - date::days{kForecastHistoryDays - 1}, w.last});
    pack.anomalies = detect_anomalies(pack.history);
    pack.forecast = holt_winters(pack.history.values, 28, 7);
    pack.drivers = decompose_net_sales(ds, w, p);
    pack.tables.push_back(product_ranking(ds, w, p, RankBy::kRevenue, RankOrder::kTop));
    pack.tables.push_back(product_ranking(ds, w, p, RankBy::kRevenue, RankOrder::kBottom));
    pack.tables.push_back(product_ranking(ds, w, p, RankBy::kUnits, RankOrder::kTop));
    pack.tables.push_back(product_ranking(ds, w, p, RankBy::kUnits, RankOrder::kBottom));
    pack.tables.push_back(product_ranking(ds, w, p, RankBy::kGrowth, RankOrder::kTop));
    pack.tables.push_back(product_ranking(ds, w, p, RankBy::kGrowth, RankOrder::kBottom));
    pack.tables.push_back(product_type_sales(ds, w, p));
    pack.tables.push_back(inventory_risk_table(ds, w));
    pack.tables.push_back(slow_movers_table(ds, w));
    pack.tables.push_back(sell_through_table(ds, w));
    pack.tables.push_back(refund_rate_by_product(ds, w));
    pack.tables.push_back(discount_effectiveness(ds, w));
    pack.tables.push_back(cohort_retention(ds, w));
    return pack;
}

std::vector<std::string> caveats(const Dataset& ds, const DateWindow& window, Instant now) {
    std::vector<std::string> out;
    const auto& synced = ds.raw().synced_at;
    if (synced) {
        const auto hours = std::chrono::duration_cast<std::chrono::hours>(now - *synced).count();
        if (hours >= 1)
            out.push_back("Data last synced " + std::to_string(hours) + " hours ago (" + format_instant(*synced) +
                          ").");
    } else {
        out.push_back("The data's sync time is unknown.");
    }
    const LocalDay today = ds.clock().day_of(now);
    if (window.last >= today) out.push_back("The period includes today, which is not over yet.");
    if (const auto last = ds.last_activity_day(); last && window.last > *last && window.last < today) {
        out.push_back("The data has no orders after " + format_day(*last) + ".");
    }
    const auto t = sales_totals(ds, window);
    if (t.orders < 30)
        out.push_back("Only " + std::to_string(t.orders) + " orders in the period: percentages move a lot.");
    const auto& q = ds.quality();
    if (q.test_orders + q.cancelled_orders > 0) {
        out.push_back(std::to_string(q.test_orders) + " test and " + std::to_string(q.cancelled_orders) +
                      " cancelled orders are excluded from every figure.");
    }
    if (q.unmatched_refund_lines > 0) {
        out.push_back(std::to_string(q.unmatched_refund_lines) +
                      " refund lines name an unknown order line; they count in "
                      "returns but not per product.");
    }
    return out;
}

boost::json::object analyze(const Dataset& ds, Intent intent, const PeriodSelection& period, Instant now) {
    const ShopClock& clock = ds.clock();
    boost::json::object result;
    result["intent"] = intent_name(intent);
    result["period"] = {{"current", window_json(period.current, clock)},
                        {"comparison", window_json(period.comparison, clock)},
                        {"phrase", period.phrase}};
    if (intent == Intent::kOutOfScope) {
        result["summary"] = narrative(ds, intent, period, {}, {});
        result["kpis"] = boost::json::array{};
        result["visualizations"] = boost::json::array{};
        result["recommendations"] = boost::json::array{};
        result["dataWindow"] = nullptr;
        result["tables"] = boost::json::array{};
        result["caveats"] = boost::json::array{};
        return result;
    }
    const KpiPack pack = compute_kpi_pack(ds, period);
    const RuleContext rule_ctx{ds, period.current, now, period.comparison};
    const auto recs = recommend(rule_ctx, intent);

    boost::json::array kpis;
    boost::json::array charts;
    std::vector<std::string> table_ids;
    auto chart = [&](const Chart& c) { charts.push_back(to_json(c)); };
    auto table = [&](std::string_view id) -> const Table& {
        table_ids.emplace_back(id);
        return *find_table(pack.tables, id);
    };
    const double minor_per_major = std::pow(10.0, ds.decimals());
    switch (intent) {
        case Intent::kSalesSummary:
            add_kpis(kpis, pack.sales, clock);
            add_kpis(kpis, pack.customers, clock);
            chart(daily_line_chart("daily_net_sales", "Net sales per day", pack.daily, &pack.daily_previous));
            break;
        case Intent::kSalesTrend:
            add_kpis(kpis, pack.sales, clock);
            chart(daily_line_chart("daily_net_sales", "Net sales per day", pack.daily, &pack.daily_previous));
            chart(weekly_line_chart("weekly_net_sales", "Net sales per week", pack.weekly));
            chart(forecast_chart("forecast_net_sales", "Net sales: last 16 weeks and 4-week forecast", pack.history,
                                 pack.forecast));
            break;
        case Intent::kSalesDropDiagnosis:
            add_kpis(kpis, pack.sales, clock);
            chart(daily_line_chart("daily_net_sales", "Net sales per day", pack.daily, &pack.daily_previous));
            chart(contribution_chart("drivers_by_product", "Change in net sales by product", pack.drivers.by_product,
                                     minor_per_major));
            chart(contribution_chart("drivers_by_segment", "Change in net sales by customer segment",
                                     pack.drivers.by_segment, minor_per_major));
            chart(contribution_chart("drivers_by_product_type", "Change in net sales by product type",
                                     pack.drivers.by_product_type, minor_per_major));
            break;
        case Intent::kTopProducts: {
            add_kpis(kpis, pack.sales, clock);
            const Table& top = table("top_products_by_revenue");
            chart(bar_chart("top_products_by_revenue", "Top products by net sales", top, "product", "netSales",
                            "Net sales (" + ds.currency() + ")"));
            chart(bar_chart("top_products_by_units", "Top products by units", table("top_products_by_units"), "product",
                            "units", "Units"));
            chart(table_chart("top_products_by_growth", "Fastest growing products", table("top_products_by_growth"),
                              {"product", "netSales", "previousNetSales", "growthPct"}));
            chart(bar_chart("sales_by_product_type", "Net sales by product type", table("sales_by_product_type"),
                            "productType", "netSales", "Net sales (" + ds.currency() + ")"));
            break;
        }
        case Intent::kSlowMovers:
            chart(table_chart("slow_movers", "Slow movers", table("slow_movers"),
                              {"product", "available", "unitsSold", "sellThroughPct", "inventoryValueAtCost"}));
            chart(bar_chart("bottom_products_by_units", "Fewest units sold", table("bottom_products_by_units"),
                            "product", "units", "Units"));
            break;
        case Intent::kInventoryRisk:
            chart(table_chart("inventory_risk", "Stockout risk", table("inventory_risk"),
                              {"product", "available", "dailyUnits", "daysOfCover", "risk", "daysWithoutSales"}));
            chart(bar_chart("sell_through", "Sell-through by product", table("sell_through"), "product",
                            "sellThroughPct", "Sell-through (%)"));
            break;
        case Intent::kCustomerRetention: {
            add_kpis(kpis, pack.customers, clock);
            std::vector<std::string> cols{"cohort", "customers"};
            for (int k = 0; k < 6; ++k) cols.push_back("m" + std::to_string(k));
            chart(table_chart("cohort_retention", "Monthly cohort retention (%)", table("cohort_retention"), cols));
            break;
        }
        case Intent::kDiscountSuggestion:
            add_kpis(kpis, {pack.sales[1], pack.sales[3]}, clock);
            chart(table_chart("discount_effectiveness", "Discount code effectiveness", table("discount_effectiveness"),
                              {"code", "orders", "netSales", "aov", "discountRatePct", "netPerDiscount"}));
            table_ids.emplace_back("slow_movers");
            break;
        case Intent::kDescriptionImprovement:
            chart(bar_chart("refund_rate_by_product", "Refund rate by product (%)", table("refund_rate_by_product"),
                            "product", "refundRatePct", "Refund rate (%)"));
            break;
        case Intent::kPricingSuggestion:
            add_kpis(kpis, {pack.sales[3], pack.sales[5]}, clock);
            chart(table_chart("top_products_by_revenue", "Top products by net sales", table("top_products_by_revenue"),
                              {"product", "netSales", "units", "growthPct"}));
            break;
        case Intent::kOutOfScope:
            break;
    }
    boost::json::array recommendations;
    for (const auto& r : recs) recommendations.push_back(to_json(r, now));
    boost::json::array tables;
    for (const auto& id : table_ids) tables.push_back(to_json(*find_table(pack.tables, id), clock));
    if (intent == Intent::kSalesDropDiagnosis) {
        boost::json::object d{{"formulaId", formula::kDrivers},
                              {"delta", ds.to_major(pack.drivers.delta())},
                              {"volumeEffect", round_to(ds.to_major(pack.drivers.volume_effect), 2)},
                              {"valueEffect", round_to(ds.to_major(pack.drivers.value_effect), 2)},
                              {"interactionEffect", round_to(ds.to_major(pack.drivers.interaction_effect), 2)},
                              {"returnsEffect", ds.to_major(pack.drivers.returns_effect)}};
        if (pack.drivers.top_negative) {
            const auto& t = *pack.drivers.top_negative;
            d["topNegative"] = {{"productId", ds.product(t.product).id},
                                {"product", ds.product(t.product).title},
                                {"delta", ds.to_major(t.delta)},
                                {"stockout", t.stockout},
                                {"daysWithoutSales", t.days_without_sales}};
        }
        result["drivers"] = std::move(d);
    }
    boost::json::array caveat_list;
    const auto cav = caveats(ds, period.current, now);
    for (const auto& c : cav) caveat_list.emplace_back(c);
    std::string summary = narrative(ds, intent, period, pack, recs);
    if (!cav.empty())
        summary +=
            " Caveats: " + cav.front() + (cav.size() > 1 ? " (and " + std::to_string(cav.size() - 1) + " more)" : "");
    result["summary"] = summary;
    result["kpis"] = std::move(kpis);
    result["visualizations"] = std::move(charts);
    result["recommendations"] = std::move(recommendations);
    result["dataWindow"] = {{"from", format_instant(clock.window_begin(period.current))},
                            {"to", format_instant(clock.window_end(period.current))}};
    result["tables"] = std::move(tables);
    result["caveats"] = std::move(caveat_list);
    return result;
}

boost::json::object analyze_prompt(const Dataset& ds, std::string_view prompt, Instant now) {
    const IntentResult ir = classify(prompt, ds.clock().day_of(now));
    boost::json::object result = analyze(ds, ir.intent, ir.period, now);
    result["confidence"] = round_to(ir.confidence, 3);
    boost::json::array cues;
    for (const auto& c : ir.cues) cues.emplace_back(c);
    result["cues"] = std::move(cues);
    result["plan"] = to_json(plan(ir.intent, ir.period));
    return result;
}

}  // namespace alatar::intelligence
