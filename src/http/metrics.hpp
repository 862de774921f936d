#pragma once
// A small Prometheus registry: counters, gauges and histograms with label sets, exposed in the text format 0.0.4.
//
//     Registry reg;
//     auto& requests = reg.counter("alatar_http_requests_total", "HTTP requests.", {"route", "method", "status"});
//     requests.with({"/graphql", "POST", "200"}).inc();
//     std::string text = reg.expose();
//
// Everything is thread-safe. Families and series are created once and never destroyed while the registry lives,
// so the references returned by counter()/with() stay valid. A family caps its number of series
// (label values chosen by clients must not grow memory); past the cap every label reads "_other".
#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::http::metrics {

using LabelValues = std::vector<std::string>;

class Counter {
  public:
    void inc(double by = 1.0) noexcept;
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

class Gauge {
  public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void inc(double by = 1.0) noexcept;
    void dec(double by = 1.0) noexcept { inc(-by); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

  private:
    std::atomic<double> value_{0.0};
};

class Histogram {
  public:
    explicit Histogram(std::vector<double> upper_bounds);
    void observe(double v) noexcept;
    std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
    const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
    // Non-cumulative count of bucket i (i == upper_bounds().size() is the +Inf bucket).
    std::uint64_t bucket(std::size_t i) const noexcept { return buckets_[i].load(std::memory_order_relaxed); }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> sum_{0.0};
};

// Default latency buckets in seconds (5 ms .. 30 s).
std::vector<double> default_latency_buckets();

enum class MetricType { kCounter, kGauge, kHistogram };

// All series of one metric name. T is Counter, Gauge or Histogram.
template <class T>
class Family {
  public:
    Family(std::vector<std::string> label_names, std::size_t max_series, std::function<std::unique_ptr<T>()> make)
        : label_names_(std::move(label_names)), max_series_(max_series), make_(std::move(make)) {}

    // The series for `values` (one per label name, in order); created on first use. Throws std::invalid_argument
    // when the number of values is wrong.
    T& with(const LabelValues& values);
    // Only for families without labels.
    T& get() { return with({}); }

    const std::vector<std::string>& label_names() const noexcept { return label_names_; }
    // Snapshot of series for exposition.
    std::vector<std::pair<LabelValues, const T*>> series() const;

  private:
    std::vector<std::string> label_names_;
    std::size_t max_series_;
    std::function<std::unique_ptr<T>()> make_;
    mutable std::mutex mutex_;
    std::map<LabelValues, std::unique_ptr<T>> series_;
};

class Registry {
  public:
    static constexpr std::size_t kDefaultMaxSeries = 1000;

    Registry();
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // Get-or-create. Names must match [a-zA-Z_:][a-zA-Z0-9_:]* and counters end in _total; re-registering a name
    // with another type or other labels throws std::invalid_argument.
    Family<Counter>& counter(std::string_view name, std::string_view help, std::vector<std::string> labels = {},
                             std::size_t max_series = kDefaultMaxSeries);
    Family<Gauge>& gauge(std::string_view name, std::string_view help, std::vector<std::string> labels = {},
                         std::size_t max_series = kDefaultMaxSeries);
    Family<Histogram>& histogram(std::string_view name, std::string_view help, std::vector<std::string> labels = {},
                                 std::vector<double> buckets = default_latency_buckets(),
                                 std::size_t max_series = kDefaultMaxSeries);
    // A gauge sampled at scrape time (pool sizes, queue depths). `sample` must be thread-safe and must not throw.
    void gauge_callback(std::string_view name, std::string_view help, std::function<double()> sample);

    // Text exposition format 0.0.4 (Content-Type: text/plain; version=0.0.4; charset=utf-8).
    std::string expose() const;

  private:
    struct Entry;
    Entry& entry(std::string_view name, std::string_view help, MetricType type, const std::vector<std::string>& labels);

    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
};

inline constexpr std::string_view kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

// Escapes a label value (backslash, double quote, newline) per the text format.
std::string escape_label_value(std::string_view v);
// Formats a sample value: integers without exponent, +Inf/-Inf/NaN spelled as Prometheus expects.
std::string format_value(double v);

}  // namespace alatar::http::metrics
