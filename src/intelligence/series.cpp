#include "intelligence/series.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "intelligence/metrics.hpp"

namespace alatar::intelligence {

DailySeries daily_net_sales(const Dataset& ds, const DateWindow& window) {
    DailySeries s{"net_sales", ds.currency(), std::string(formula::kDailySeries), window.first,
                  std::vector<double>(static_cast<std::size_t>(window.days()), 0.0)};
    std::vector<Money> minor(s.values.size(), 0);
    const std::int32_t first = Dataset::day_number(window.first);
    const auto& o = ds.orders();
    const auto [of, ol] = ds.order_rows(window);
    for (std::size_t i = of; i < ol; ++i) {
        minor[static_cast<std::size_t>(o.day[i] - first)] += o.gross[i] - o.discounts[i];
    }
    const auto& r = ds.returns();
    const auto [rf, rl] = ds.return_rows(window);
    for (std::size_t i = rf; i < rl; ++i) minor[static_cast<std::size_t>(r.day[i] - first)] -= r.amount[i];
    for (std::size_t d = 0; d < minor.size(); ++d) s.values[d] = ds.to_major(minor[d]);
    return s;
}

DailySeries daily_orders(const Dataset& ds, const DateWindow& window) {
    DailySeries s{"orders", "orders", std::string(formula::kDailySeries), window.first,
                  std::vector<double>(static_cast<std::size_t>(window.days()), 0.0)};
    const std::int32_t first = Dataset::day_number(window.first);
    const auto& o = ds.orders();
    const auto [of, ol] = ds.order_rows(window);
    for (std::size_t i = of; i < ol; ++i) s.values[static_cast<std::size_t>(o.day[i] - first)] += 1.0;
    return s;
}

WeeklySeries weekly(const DailySeries& daily) {
    WeeklySeries w{daily.key, daily.unit, std::string(formula::kWeeklySeries), {}};
    for (std::size_t i = 0; i < daily.values.size(); ++i) {
        const LocalDay day = daily.day(i);
        const date::weekday wd{day};
        const LocalDay monday = day - (wd - date::Monday);
        if (w.points.empty() || w.points.back().week_start != monday) w.points.push_back({monday, 0.0, 0});
        w.points.back().value += daily.values[i];
        ++w.points.back().days;
    }
    return w;
}

double median(std::vector<double> values) {
    if (values.empty()) return 0.0;
    const auto mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
    const double upper = values[mid];
    if (values.size() % 2 == 1) return upper;
    const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lower + upper) / 2.0;
}

std::vector<double> robust_z(std::span<const double> values) {
    std::vector<double> z(values.size(), 0.0);
    if (values.empty()) return z;
    const double med = median({values.begin(), values.end()});
    std::vector<double> dev;
    dev.reserve(values.size());
    double mean_abs = 0;
    for (const double v : values) {
        dev.push_back(std::fabs(v - med));
        mean_abs += std::fabs(v - med);
    }
    mean_abs /= static_cast<double>(values.size());
    const double mad = median(dev);
    // 0.6745 / MAD makes the MAD comparable to a standard deviation; 1.2533 * mean |dev| likewise.
    double scale = 0;
    if (mad > 0) {
        scale = mad / 0.6745;
    } else if (mean_abs > 0) {
        scale = 1.2533 * mean_abs;
    }
    if (scale == 0) return z;
    for (std::size_t i = 0; i < values.size(); ++i) z[i] = (values[i] - med) / scale;
    return z;
}

AnomalyResult detect_anomalies(const DailySeries& series, double threshold) {
    AnomalyResult result;
    result.threshold = threshold;
    const auto& v = series.values;
    std::vector<double> baseline(v.size(), median(v));
    if (v.size() >= 21) {
        result.weekday_adjusted = true;
        for (unsigned wd = 0; wd < 7; ++wd) {
            std::vector<double> same_day;
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (date::weekday{series.day(i)}.c_encoding() == wd) same_day.push_back(v[i]);
            }
            const double m = median(same_day);
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (date::weekday{series.day(i)}.c_encoding() == wd) baseline[i] = m;
            }
        }
    }
    std::vector<double> residual(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) residual[i] = v[i] - baseline[i];
    result.z = robust_z(residual);
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (std::fabs(result.z[i]) > threshold)
            result.anomalies.push_back({i, series.day(i), v[i], baseline[i], result.z[i]});
    }
    return result;
}

HoltWintersRun run_holt_winters(std::span<const double> history, const HoltWintersParams& params, int horizon,
                                int season) {
    HoltWintersRun run;
    const auto m = static_cast<std::size_t>(season);
    const std::size_t n = history.size();
    run.fitted.assign(n, std::numeric_limits<double>::quiet_NaN());
    // Initial state from the first two seasons: level = first season's mean, trend = mean difference per
    // step between the seasons, seasonal = deviation from the first season's mean.
    double mean1 = 0;
    double mean2 = 0;
    for (std::size_t i = 0; i < m; ++i) {
        mean1 += history[i];
        mean2 += history[m + i];
    }
    mean1 /= static_cast<double>(m);
    mean2 /= static_cast<double>(m);
    double trend = (mean2 - mean1) / static_cast<double>(m);
    // The level at the end of the first season (the mean sits at its centre).
    double level = mean1 + trend * (static_cast<double>(m) - 1.0) / 2.0;
    std::vector<double> seasonal(m);
    for (std::size_t i = 0; i < m; ++i) {
        seasonal[i] = history[i] - (mean1 + trend * (static_cast<double>(i) - (static_cast<double>(m) - 1.0) / 2.0));
    }
    for (std::size_t t = m; t < n; ++t) {
        const std::size_t s = t % m;
        run.fitted[t] = level + trend + seasonal[s];
        const double prev_level = level;
        level = params.alpha * (history[t] - seasonal[s]) + (1 - params.alpha) * (level + trend);
        trend = params.beta * (level - prev_level) + (1 - params.beta) * trend;
        seasonal[s] = params.gamma * (history[t] - level) + (1 - params.gamma) * seasonal[s];
    }
    for (int h = 1; h <= horizon; ++h) {
        const std::size_t s = (n + static_cast<std::size_t>(h) - 1) % m;
        run.forecast.push_back(level + trend * h + seasonal[s]);
    }
    return run;
}

Forecast holt_winters(std::span<const double> history, int horizon, int season) {
    Forecast f;
    f.season = season;
    const std::size_t n = history.size();
    const auto m = static_cast<std::size_t>(season);
    if (n < 2 * m || season < 2) {
        f.seasonal_model = false;
        double mean = 0;
        for (const double v : history) mean += v;
        mean = n == 0 ? 0.0 : mean / static_cast<double>(n);
        double sq = 0;
        for (const double v : history) sq += (v - mean) * (v - mean);
        f.rmse = n < 2 ? 0.0 : std::sqrt(sq / static_cast<double>(n - 1));
        f.values.assign(static_cast<std::size_t>(horizon), std::max(mean, 0.0));
        f.lower.assign(f.values.size(), std::max(mean - 1.96 * f.rmse, 0.0));
        f.upper.assign(f.values.size(), mean + 1.96 * f.rmse);
        return f;
    }
    static constexpr double kAlphas[] = {0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9};
    static constexpr double kBetas[] = {0.0, 0.01, 0.05, 0.1, 0.2};
    static constexpr double kGammas[] = {0.01, 0.05, 0.1, 0.2, 0.3, 0.5};
    const std::size_t tail = std::min<std::size_t>(56, n / 2);
    double best_sse = std::numeric_limits<double>::infinity();
    for (const double a : kAlphas) {
        for (const double b : kBetas) {
            for (const double g : kGammas) {
                const auto run = run_holt_winters(history, {a, b, g}, 0, season);
                double sse = 0;
                for (std::size_t t = n - tail; t < n; ++t) {
                    const double e = history[t] - run.fitted[t];
                    sse += e * e;
                }
                if (sse < best_sse) {
                    best_sse = sse;
                    f.params = {a, b, g};
                }
            }
        }
    }
    const auto run = run_holt_winters(history, f.params, horizon, season);
    f.rmse = std::sqrt(best_sse / static_cast<double>(tail));
    for (int h = 1; h <= horizon; ++h) {
        const double v = run.forecast[static_cast<std::size_t>(h - 1)];
        // The band widens with the horizon as the level's error accumulates.
        const double spread = 1.96 * f.rmse * std::sqrt(1.0 + (h - 1) * f.params.alpha * f.params.alpha);
        f.values.push_back(std::max(v, 0.0));
        f.lower.push_back(std::max(v - spread, 0.0));
        f.upper.push_back(std::max(v + spread, 0.0));
    }
    return f;
}

}  // namespace alatar::intelligence
