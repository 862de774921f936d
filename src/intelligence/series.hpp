#pragma once
// Daily and weekly series (daily_series.v1, weekly_series.v1), robust anomaly detection on a daily series
// (anomaly_robust_z.v1) and the Holt-Winters forecast (forecast_holt_winters.v1).
#include <span>
#include <string>
#include <vector>

#include "intelligence/dataset.hpp"
#include "intelligence/kpi.hpp"

namespace alatar::intelligence {

// Net sales per local day: the day's orders' gross - discounts, minus refunds created that day. Major units.
DailySeries daily_net_sales(const Dataset& ds, const DateWindow& window);
// Sale orders per local day.
DailySeries daily_orders(const Dataset& ds, const DateWindow& window);

struct WeeklyPoint {
    LocalDay week_start{};  // Monday
    double value = 0;
    int days = 0;  // days of the week inside the series (7 unless the week is partial)
};

struct WeeklySeries {
    std::string key;
    std::string unit;
    std::string formula_id;
    std::vector<WeeklyPoint> points;
};

// Sums a daily series into ISO weeks (Monday to Sunday); partial weeks at the ends keep their day count.
WeeklySeries weekly(const DailySeries& daily);

// ---- Anomalies ----

struct Anomaly {
    std::size_t index = 0;
    LocalDay day{};
    double value = 0;
    double expected = 0;  // the baseline the value is compared with
    double z = 0;
};

struct AnomalyResult {
    double threshold = 3.5;
    bool weekday_adjusted = false;   // baseline = the weekday's median instead of the overall median
    std::vector<double> z;           // one robust z-score per point
    std::vector<Anomaly> anomalies;  // |z| > threshold
};

double median(std::vector<double> values);

// Robust z-score: 0.6745 * (x - median) / MAD. When the MAD is 0 the mean absolute deviation scaled by
// 1.2533 stands in; when that is 0 as well every z is 0.
std::vector<double> robust_z(std::span<const double> values);

// Flags days whose robust z-score exceeds the threshold. With three weeks of data or more, each value is
// first compared with its weekday's median so that a quiet Sunday is not an anomaly.
AnomalyResult detect_anomalies(const DailySeries& series, double threshold = 3.5);

// ---- Forecast ----

struct HoltWintersParams {
    double alpha = 0;
    double beta = 0;
    double gamma = 0;
};

struct Forecast {
    HoltWintersParams params;
    int season = 7;
    double rmse = 0;             // one-step-ahead error on the fitted tail
    std::vector<double> values;  // horizon points, clamped at 0
    std::vector<double> lower;   // ~95 % band
    std::vector<double> upper;
    bool seasonal_model = true;  // false: too little history, the forecast is the recent mean
};

// Additive Holt-Winters with a `season`-day season; alpha, beta and gamma chosen by grid search minimising
// the one-step-ahead squared error over the last min(56, n/2) points. Needs two full seasons; with less
// it forecasts the mean of the history.
Forecast holt_winters(std::span<const double> history, int horizon = 28, int season = 7);

// Runs the model with given parameters: one-step-ahead fitted values (NaN for the first season) and the
// forecast. Exposed for tests.
struct HoltWintersRun {
    std::vector<double> fitted;
    std::vector<double> forecast;
};
HoltWintersRun run_holt_winters(std::span<const double> history, const HoltWintersParams& params, int horizon,
                                int season);

}  // namespace alatar::intelligence
