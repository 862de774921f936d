// Every formula on the hand-built store of fixtures.hpp; expected values are computed by hand there.
#include "intelligence/metrics.hpp"

#include <gtest/gtest.h>

#include "intelligence/fixtures.hpp"

namespace alatar::intelligence {
namespace {

using date::literals::operator""_y;
using date::August;
using date::February;
using date::March;
using date::November;
using date::October;
using date::September;
using testing::at;

const DateWindow kOctober{LocalDay{2024_y / October / 1}, LocalDay{2024_y / October / 31}};

const Kpi& find(const std::vector<Kpi>& kpis, std::string_view key) {
    for (const auto& k : kpis) {
        if (k.key == key) return k;
    }
    throw std::out_of_range(std::string(key));
}

class MetricsTest : public ::testing::Test {
  protected:
    Dataset ds_{testing::small_store()};
};

TEST_F(MetricsTest, ExcludesTestAndCancelledOrders) {
    EXPECT_EQ(ds_.orders().size(), 6u);
    EXPECT_EQ(ds_.quality().test_orders, 1u);
    EXPECT_EQ(ds_.quality().cancelled_orders, 1u);
}

TEST_F(MetricsTest, WindowCoversLocalMidnightToMidnight) {
    EXPECT_EQ(ds_.clock().window_begin(kOctober), at("2024-10-01T04:00:00Z"));
    EXPECT_EQ(ds_.clock().window_end(kOctober), at("2024-11-01T04:00:00Z"));
    EXPECT_EQ(kOctober.days(), 31);
    EXPECT_EQ(kOctober.preceding().first, LocalDay{2024_y / August / 31});
    EXPECT_EQ(kOctober.preceding().last, LocalDay{2024_y / September / 30});
}

TEST_F(MetricsTest, SalesTotalsByLocalDayAndRefundDate) {
    const SalesTotals t = sales_totals(ds_, kOctober);
    EXPECT_EQ(t.orders, 4);        // O3, O4, O7, O8; O2 is September locally
    EXPECT_EQ(t.gross, 14000);     // 40 + 65 + 15 + 20
    EXPECT_EQ(t.discounts, 1100);  // 4 + 7
    EXPECT_EQ(t.returns, 2000);    // O1's refund on Oct 5; O4's refund is in November
    EXPECT_EQ(t.net(), 10900);
    EXPECT_EQ(t.units, 8);
    EXPECT_EQ(t.returned_units, 1);
}

TEST_F(MetricsTest, SalesKpisCarryValuesChangesAndProvenance) {
    const auto kpis = sales_kpis(ds_, kOctober, kOctober.preceding());
    ASSERT_EQ(kpis.size(), 7u);
    const Kpi& net = find(kpis, "net_sales");
    EXPECT_DOUBLE_EQ(*net.value, 109.0);
    EXPECT_DOUBLE_EQ(*net.previous_value, 35.0);  // O1 + O2, no refunds dated in September
    EXPECT_NEAR(*net.change_pct, (109.0 - 35.0) / 35.0 * 100.0, 1e-9);
    EXPECT_EQ(net.formula_id, "net_sales.v1");
    EXPECT_EQ(net.unit, "USD");
    EXPECT_EQ(net.window, kOctober);
    EXPECT_DOUBLE_EQ(*find(kpis, "gross_sales").value, 140.0);
    EXPECT_DOUBLE_EQ(*find(kpis, "discounts").value, 11.0);
    EXPECT_DOUBLE_EQ(*find(kpis, "returns").value, 20.0);
    EXPECT_DOUBLE_EQ(*find(kpis, "orders").value, 4.0);
    EXPECT_DOUBLE_EQ(*find(kpis, "aov").value, 32.25);  // (140 - 11) / 4
    EXPECT_DOUBLE_EQ(*find(kpis, "aov").previous_value, 17.5);
    EXPECT_DOUBLE_EQ(*find(kpis, "units").value, 8.0);
    const auto json = to_json(net, ds_.clock());
    EXPECT_EQ(json.at("provenance").at("formulaId").as_string(), "net_sales.v1");
    EXPECT_EQ(json.at("provenance").at("window").at("from").as_string(), "2024-10-01T04:00:00Z");
    EXPECT_EQ(json.at("provenance").at("window").at("to").as_string(), "2024-11-01T04:00:00Z");
}

TEST_F(MetricsTest, EmptyWindowHasNoAovAndNoChange) {
    const DateWindow empty{LocalDay{2023_y / October / 1}, LocalDay{2023_y / October / 31}};
    const auto kpis = sales_kpis(ds_, empty, empty.preceding());
    EXPECT_FALSE(find(kpis, "aov").value.has_value());
    EXPECT_DOUBLE_EQ(*find(kpis, "net_sales").value, 0.0);
    EXPECT_FALSE(find(kpis, "net_sales").change_pct.has_value());
}

TEST_F(MetricsTest, NewReturningAndRepeatCustomers) {
    const CustomerMix mix = customer_mix(ds_, kOctober);
    EXPECT_EQ(mix.customers, 3);
    EXPECT_EQ(mix.new_customers, 2);        // C2, and C3 whose test/cancelled orders do not count
    EXPECT_EQ(mix.returning_customers, 1);  // C1
    EXPECT_EQ(mix.repeat_customers, 1);     // C1's third sale order is in October
    EXPECT_EQ(mix.new_orders, 2);
    EXPECT_EQ(mix.returning_orders, 1);
    EXPECT_EQ(mix.guest_orders, 1);
    EXPECT_EQ(mix.new_order_net, 3600 + 2000);
    EXPECT_EQ(mix.returning_order_net, 5800);
    EXPECT_EQ(mix.guest_order_net, 1500);
    const auto kpis = customer_kpis(ds_, kOctober, kOctober.preceding());
    EXPECT_NEAR(*find(kpis, "repeat_purchase_rate").value, 100.0 / 3.0, 1e-9);
    EXPECT_EQ(find(kpis, "repeat_purchase_rate").unit, "%");
}

TEST_F(MetricsTest, HistoricalCustomerLifetimeValue) {
    // Customer orders up to Oct 31: 20 + 15 + 36 + 58 + 20 = 149, minus O1's refund (20) = 129; 3 customers.
    EXPECT_DOUBLE_EQ(*customer_lifetime_value(ds_, kOctober), 43.0);
    // Up to Sep 30: 20 + 15 from C1 alone.
    EXPECT_DOUBLE_EQ(*customer_lifetime_value(ds_, kOctober.preceding()), 35.0);
}

TEST_F(MetricsTest, CohortRetention) {
    const Table t = cohort_retention(ds_, kOctober, 3);
    ASSERT_EQ(t.rows.size(), 3u);  // August, September, October cohorts
    EXPECT_EQ(t.rows[0][0].as_string(), "2024-08");
    EXPECT_EQ(t.rows[0][1].as_int64(), 0);
    EXPECT_EQ(t.rows[1][0].as_string(), "2024-09");
    EXPECT_EQ(t.rows[1][1].as_int64(), 1);
    EXPECT_DOUBLE_EQ(t.rows[1][2].as_double(), 100.0);  // m0
    EXPECT_DOUBLE_EQ(t.rows[1][3].as_double(), 100.0);  // m1: C1 ordered again in October
    EXPECT_TRUE(t.rows[1][4].is_null());                // m2 is in the future
    EXPECT_EQ(t.rows[2][1].as_int64(), 2);
    EXPECT_EQ(t.formula_id, "cohort_retention.v1");
}

TEST_F(MetricsTest, ProductStatsSumToStoreNetPlusUnallocatedDiscounts) {
    const auto stats = product_stats(ds_, kOctober);
    const auto tee = static_cast<std::size_t>(*ds_.find_product("gid://shopify/Product/1"));
    const auto mug = static_cast<std::size_t>(*ds_.find_product("gid://shopify/Product/2"));
    EXPECT_EQ(stats[tee].gross, 8000);
    EXPECT_EQ(stats[tee].discounts, 400);
    EXPECT_EQ(stats[tee].returns, 2000);
    EXPECT_EQ(stats[tee].net(), 5600);
    EXPECT_EQ(stats[tee].units, 4);
    EXPECT_EQ(stats[tee].orders, 3);
    EXPECT_EQ(stats[mug].net(), 5500);
    EXPECT_EQ(stats[mug].units_refunded_of_sold, 1);
    Money sum = 0;
    for (const auto& s : stats) sum += s.net();
    EXPECT_EQ(sum - 200, sales_totals(ds_, kOctober).net());  // 2.00 of O4's discount is not on a line
}

TEST_F(MetricsTest, RankingsTopAndBottom) {
    const Table top = product_ranking(ds_, kOctober, kOctober.preceding(), RankBy::kRevenue, RankOrder::kTop);
    ASSERT_EQ(top.rows.size(), 2u);
    EXPECT_EQ(top.rows[0][1].as_string(), "Alpha Tee");
    EXPECT_DOUBLE_EQ(top.rows[0][3].as_double(), 56.0);
    EXPECT_DOUBLE_EQ(top.rows[0][5].as_double(), 20.0);  // September: O1
    EXPECT_DOUBLE_EQ(top.rows[0][6].as_double(), 180.0);
    const Table bottom = product_ranking(ds_, kOctober, kOctober.preceding(), RankBy::kUnits, RankOrder::kBottom);
    ASSERT_EQ(bottom.rows.size(), 3u);
    EXPECT_EQ(bottom.rows[0][1].as_string(), "Gamma Cap");
    const Table growth = product_ranking(ds_, kOctober, kOctober.preceding(), RankBy::kGrowth, RankOrder::kTop);
    ASSERT_EQ(growth.rows.size(), 2u);
    EXPECT_EQ(growth.rows[0][1].as_string(), "Beta Mug");  // 15 -> 55: +266.7 %
    EXPECT_DOUBLE_EQ(growth.rows[0][6].as_double(), 266.7);
}

TEST_F(MetricsTest, ProductTypes) {
    const Table t = product_type_sales(ds_, kOctober, kOctober.preceding());
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.rows[0][0].as_string(), "Shirts");
    EXPECT_DOUBLE_EQ(t.rows[0][1].as_double(), 56.0);
}

TEST_F(MetricsTest, RefundRateByProduct) {
    const Table t = refund_rate_by_product(ds_, kOctober, 1);
    ASSERT_EQ(t.rows.size(), 3u);
    EXPECT_EQ(t.rows[0][1].as_string(), "Beta Mug");
    EXPECT_DOUBLE_EQ(t.rows[0][4].as_double(), 25.0);
    EXPECT_EQ(t.rows[2][1].as_string(), "All products");
    EXPECT_DOUBLE_EQ(t.rows[2][4].as_double(), 12.5);
}

TEST_F(MetricsTest, DiscountEffectiveness) {
    const Table t = discount_effectiveness(ds_, kOctober);
    ASSERT_EQ(t.rows.size(), 3u);
    const auto records = t.records();
    bool saw_save10 = false;
    for (const auto& r : records) {
        const auto& o = r.as_object();
        if (o.at("code").as_string() == "SAVE10") {
            saw_save10 = true;
            EXPECT_EQ(o.at("orders").as_int64(), 1);
            EXPECT_DOUBLE_EQ(o.at("discountRatePct").as_double(), 10.0);
            EXPECT_DOUBLE_EQ(o.at("netPerDiscount").as_double(), 9.0);
        }
        if (o.at("code").as_string() == "(no code)") {
            EXPECT_DOUBLE_EQ(o.at("grossSales").as_double(), 35.0);
        }
    }
    EXPECT_TRUE(saw_save10);
}

TEST_F(MetricsTest, InventoryCoverSellThroughAndStockouts) {
    const auto positions = inventory_positions(ds_, kOctober);
    const auto tee = *ds_.find_product("gid://shopify/Product/1");
    const auto mug = *ds_.find_product("gid://shopify/Product/2");
    const auto cap = *ds_.find_product("gid://shopify/Product/3");
    for (const auto& p : positions) {
        if (p.product == tee) {
            EXPECT_EQ(*p.available, 15);
            EXPECT_EQ(p.units_window, 4);
            EXPECT_EQ(p.units_last_28, 2);  // O4 and O8; O3 on Oct 1 is before Oct 4
            EXPECT_DOUBLE_EQ(*p.days_of_cover, 15.0 / (2.0 / 28.0));
            EXPECT_NEAR(*p.sell_through_pct, 400.0 / 19.0, 1e-9);
            EXPECT_EQ(p.risk, StockRisk::kSafe);
        } else if (p.product == mug) {
            EXPECT_EQ(p.risk, StockRisk::kOutOfStock);
            EXPECT_TRUE(p.suspected_stockout);
        } else if (p.product == cap) {
            EXPECT_DOUBLE_EQ(*p.sell_through_pct, 0.0);
            EXPECT_FALSE(p.days_of_cover.has_value());
        }
    }
    const Table slow = slow_movers_table(ds_, kOctober);
    ASSERT_FALSE(slow.rows.empty());
    EXPECT_EQ(slow.rows[0][1].as_string(), "Gamma Cap");
    const Table risk = inventory_risk_table(ds_, kOctober);
    ASSERT_FALSE(risk.rows.empty());
    EXPECT_EQ(risk.rows[0][1].as_string(), "Beta Mug");
}

TEST_F(MetricsTest, SilentRunAfterSteadySalesIsASuspectedStockout) {
    StoreData s = testing::small_store();
    s.inventory_levels.clear();  // no inventory data: only the sales pattern can tell
    s.orders.clear();
    // 2 tees a day for September, then nothing in October.
    for (int d = 1; d <= 30; ++d) {
        const std::string day = (d < 10 ? "2024-09-0" : "2024-09-") + std::to_string(d);
        s.orders.push_back(testing::order("O" + std::to_string(d), day + "T16:00:00Z", std::nullopt,
                                          {testing::line("L" + std::to_string(d), "gid://shopify/Product/1",
                                                         "gid://shopify/ProductVariant/11", 2, 2000)}));
    }
    const Dataset ds(std::move(s));
    const DateWindow first_week{LocalDay{2024_y / October / 1}, LocalDay{2024_y / October / 7}};
    const auto positions = inventory_positions(ds, first_week);
    ASSERT_EQ(positions.size(), 1u);
    EXPECT_EQ(positions[0].days_without_sales, 7);
    EXPECT_DOUBLE_EQ(positions[0].prior_daily_rate, 2.0);
    EXPECT_TRUE(positions[0].suspected_stockout);
    EXPECT_EQ(positions[0].risk, StockRisk::kUnknown);
}

TEST(CalendarTest, DayBucketingFollowsDaylightSavingTime) {
    const ShopClock clock("America/New_York");
    // 2024-11-03: clocks go back at 06:00 UTC (02:00 EDT -> 01:00 EST).
    EXPECT_EQ(clock.day_of(at("2024-11-03T03:59:59Z")), LocalDay{2024_y / November / 2});
    EXPECT_EQ(clock.day_of(at("2024-11-03T04:00:00Z")), LocalDay{2024_y / November / 3});
    EXPECT_EQ(clock.day_of(at("2024-11-04T04:59:59Z")), LocalDay{2024_y / November / 3});
    EXPECT_EQ(clock.day_of(at("2024-11-04T05:00:00Z")), LocalDay{2024_y / November / 4});
    DayBucketer bucketer(clock);
    EXPECT_EQ(bucketer.day_of(at("2024-11-03T03:59:59Z")), LocalDay{2024_y / November / 2});
    EXPECT_EQ(bucketer.day_of(at("2024-11-04T05:00:00Z")), LocalDay{2024_y / November / 4});
    EXPECT_EQ(clock.start_of(LocalDay{2024_y / November / 4}), at("2024-11-04T05:00:00Z"));
    EXPECT_THROW(ShopClock("Mars/Olympus_Mons"), std::invalid_argument);
}

TEST(CalendarTest, ParsesAndFormatsDays) {
    EXPECT_EQ(parse_day("2024-02-29"), LocalDay{2024_y / February / 29});
    EXPECT_FALSE(parse_day("2023-02-29").has_value());
    EXPECT_FALSE(parse_day("2023-2-1").has_value());
    EXPECT_EQ(format_day(LocalDay{2024_y / March / 5}), "2024-03-05");
}

TEST(StoreDataTest, CurrencyDecimals) {
    EXPECT_EQ(currency_decimals("USD"), 2);
    EXPECT_EQ(currency_decimals("JPY"), 0);
    EXPECT_EQ(currency_decimals("KWD"), 3);
    StoreData s;
    s.shop.currency = "JPY";
    const Dataset ds(std::move(s));
    EXPECT_DOUBLE_EQ(ds.to_major(Money{1500}), 1500.0);
}

}  // namespace
}  // namespace alatar::intelligence
