// Daily/weekly series, robust anomaly detection and the Holt-Winters forecast on series with known answers.
#include "intelligence/series.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "intelligence/fixtures.hpp"

namespace alatar::intelligence {
namespace {

using date::literals::operator""_y;
using date::October;

const DateWindow kOctober{LocalDay{2024_y / October / 1}, LocalDay{2024_y / October / 31}};

TEST(SeriesTest, DailyNetSalesByOrderDayAndRefundDay) {
    const Dataset ds(testing::small_store());
    const auto s = daily_net_sales(ds, kOctober);
    ASSERT_EQ(s.values.size(), 31u);
    EXPECT_DOUBLE_EQ(s.values[0], 36.0);   // O3 on Oct 1 (local)
    EXPECT_DOUBLE_EQ(s.values[4], -20.0);  // O1's refund on Oct 5
    EXPECT_DOUBLE_EQ(s.values[9], 58.0);   // O4
    EXPECT_DOUBLE_EQ(s.values[30], 35.0);  // O7 + O8 on Oct 31 local
    double sum = 0;
    for (const double v : s.values) sum += v;
    EXPECT_DOUBLE_EQ(sum, 109.0);  // equals net sales
    const auto orders = daily_orders(ds, kOctober);
    EXPECT_DOUBLE_EQ(orders.values[30], 2.0);
}

TEST(SeriesTest, WeeklySumsIsoWeeksWithPartialEnds) {
    DailySeries d{"x", "u", "daily_series.v1", LocalDay{2024_y / October / 1}, std::vector<double>(31, 1.0)};
    const auto w = weekly(d);
    // Oct 1 2024 is a Tuesday: Sep 30 week has 6 days, then four full weeks, then Oct 28..31 (4 days).
    ASSERT_EQ(w.points.size(), 5u);
    EXPECT_EQ(w.points[0].week_start, LocalDay{2024_y / date::September / 30});
    EXPECT_EQ(w.points[0].days, 6);
    EXPECT_DOUBLE_EQ(w.points[0].value, 6.0);
    EXPECT_EQ(w.points[4].days, 4);
    double total = 0;
    for (const auto& p : w.points) total += p.value;
    EXPECT_DOUBLE_EQ(total, 31.0);
}

TEST(AnomalyTest, RobustZKnownValues) {
    // median 3, |dev| = 2 1 0 1 2 -> MAD 1, scale 1 / 0.6745.
    const std::vector<double> v{1, 2, 3, 4, 5};
    const auto z = robust_z(v);
    EXPECT_NEAR(z[0], -2 * 0.6745, 1e-12);
    EXPECT_NEAR(z[4], 2 * 0.6745, 1e-12);
    EXPECT_DOUBLE_EQ(z[2], 0.0);
    EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
}

TEST(AnomalyTest, ZeroMadFallsBackToMeanAbsoluteDeviation) {
    std::vector<double> v(10, 100.0);
    v[3] = 400.0;
    const auto z = robust_z(v);
    // mean |dev| = 30, scale = 1.2533 * 30.
    EXPECT_NEAR(z[3], 300.0 / (1.2533 * 30.0), 1e-9);
    EXPECT_DOUBLE_EQ(z[0], 0.0);
    EXPECT_EQ(robust_z(std::vector<double>(5, 7.0)), std::vector<double>(5, 0.0));
}

TEST(AnomalyTest, FlagsTheSpikeButNotTheWeeklyPattern) {
    // Weekends sell three times as much; one Wednesday has a tenfold spike and one Thursday a near-zero dip.
    DailySeries d{"net_sales", "USD", "daily_series.v1", LocalDay{2024_y / date::September / 2}, {}};  // a Monday
    for (int i = 0; i < 56; ++i) {
        const bool weekend = i % 7 >= 5;
        d.values.push_back((weekend ? 300.0 : 100.0) + ((i * 37) % 11) - 5.0);
    }
    d.values[23] = 1000.0;  // Wednesday Sep 25
    d.values[31] = 2.0;     // Thursday Oct 3
    const auto r = detect_anomalies(d);
    EXPECT_TRUE(r.weekday_adjusted);
    ASSERT_EQ(r.anomalies.size(), 2u);
    EXPECT_EQ(r.anomalies[0].index, 23u);
    EXPECT_GT(r.anomalies[0].z, 3.5);
    EXPECT_EQ(r.anomalies[0].day, LocalDay{2024_y / date::September / 25});
    EXPECT_EQ(r.anomalies[1].index, 31u);
    EXPECT_LT(r.anomalies[1].z, -3.5);
}

TEST(ForecastTest, ExactOnTrendPlusSeasonality) {
    const std::array<double, 7> season{10, -5, 0, 5, -10, 20, -20};
    std::vector<double> history;
    for (int t = 0; t < 112; ++t) history.push_back(100.0 + 0.5 * t + season[static_cast<std::size_t>(t % 7)]);
    const auto f = holt_winters(history, 28, 7);
    ASSERT_TRUE(f.seasonal_model);
    ASSERT_EQ(f.values.size(), 28u);
    for (int h = 1; h <= 28; ++h) {
        const int t = 111 + h;
        EXPECT_NEAR(f.values[static_cast<std::size_t>(h - 1)],
                    100.0 + 0.5 * t + season[static_cast<std::size_t>(t % 7)], 1e-6)
            << "h=" << h;
    }
    EXPECT_NEAR(f.rmse, 0.0, 1e-6);
}

TEST(ForecastTest, TracksALevelShiftAndKeepsTheWeeklyShape) {
    // 10 weeks at ~100 with a weekend bump, then 4 weeks at ~200: the forecast follows the new level.
    std::vector<double> history;
    for (int t = 0; t < 98; ++t) {
        const double base = t < 70 ? 100.0 : 200.0;
        history.push_back(base + (t % 7 == 5 ? 50.0 : 0.0) + ((t * 13) % 7) - 3.0);
    }
    const auto f = holt_winters(history, 28, 7);
    double week = 0;
    for (std::size_t i = 0; i < 7; ++i) week += f.values[i];
    EXPECT_NEAR(week / 7.0, 200.0 + 50.0 / 7.0, 15.0);
    // Day 98 + 5 (t % 7 == 5) keeps the bump.
    EXPECT_GT(f.values[5], f.values[4] + 25.0);
    for (std::size_t i = 0; i < f.values.size(); ++i) {
        EXPECT_LE(f.lower[i], f.values[i]);
        EXPECT_GE(f.upper[i], f.values[i]);
    }
}

TEST(ForecastTest, ShortHistoryForecastsTheMean) {
    const std::vector<double> history{10, 20, 30};
    const auto f = holt_winters(history, 28, 7);
    EXPECT_FALSE(f.seasonal_model);
    ASSERT_EQ(f.values.size(), 28u);
    EXPECT_DOUBLE_EQ(f.values[0], 20.0);
}

}  // namespace
}  // namespace alatar::intelligence
