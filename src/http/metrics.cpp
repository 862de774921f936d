#include "http/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <variant>

namespace alatar::http::metrics {

namespace {

void atomic_add(std::atomic<double>& a, double by) noexcept {
    double cur = a.load(std::memory_order_relaxed);
    while (!a.compare_exchange_weak(cur, cur + by, std::memory_order_relaxed)) {
    }
}

bool valid_name(std::string_view n, bool allow_colon) {
    if (n.empty()) return false;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const char c = n[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) return false;
    }
    return true;
}

std::string escape_help(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string_view type_name(MetricType t) {
    switch (t) {
        case MetricType::kCounter:
            return "counter";
        case MetricType::kGauge:
            return "gauge";
        case MetricType::kHistogram:
            return "histogram";
    }
    return "untyped";
}

// `{a="x",b="y"}` with an optional extra label (le for buckets); empty when there are no labels.
std::string label_set(const std::vector<std::string>& names, const LabelValues& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
    if (names.empty() && extra_name.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += ',';
        out += names[i];
        out += "=\"";
        out += escape_label_value(values[i]);
        out += '"';
    }
    if (!extra_name.empty()) {
        if (!names.empty()) out += ',';
        out += extra_name;
        out += "=\"";
        out += extra_value;
        out += '"';
    }
    out += '}';
    return out;
}

}  // namespace

void Counter::inc(double by) noexcept {
    if (by < 0) return;  // counters only go up
    atomic_add(value_, by);
}

void Gauge::inc(double by) noexcept { atomic_add(value_, by); }

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)) {
    std::sort(bounds_.begin(), bounds_.end());
    bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
    std::erase_if(bounds_, [](double b) { return std::isinf(b) || std::isnan(b); });
    buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
    for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) noexcept {
    const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);  // first bound >= v: le is inclusive
    buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
    atomic_add(sum_, v);
    count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<double> default_latency_buckets() { return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}; }

template <class T>
T& Family<T>::with(const LabelValues& values) {
    if (values.size() != label_names_.size()) {
        throw std::invalid_argument("metrics: wrong number of label values");
    }
    std::lock_guard lock{mutex_};
    if (auto it = series_.find(values); it != series_.end()) return *it->second;
    if (series_.size() >= max_series_) {
        LabelValues other(label_names_.size(), "_other");
        auto& slot = series_[other];
        if (!slot) slot = make_();
        return *slot;
    }
    auto& slot = series_[values];
    slot = make_();
    return *slot;
}

template <class T>
std::vector<std::pair<LabelValues, const T*>> Family<T>::series() const {
    std::lock_guard lock{mutex_};
    std::vector<std::pair<LabelValues, const T*>> out;
    out.reserve(series_.size());
    for (const auto& [k, v] : series_) out.emplace_back(k, v.get());
    return out;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

struct Registry::Entry {
    std::string name;
    std::string help;
    MetricType type;
    std::vector<std::string> labels;
    std::variant<std::monostate, std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>,
                 std::unique_ptr<Family<Histogram>>, std::function<double()>>
        impl;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Entry& Registry::entry(std::string_view name, std::string_view help, MetricType type,
                                 const std::vector<std::string>& labels) {
    if (!valid_name(name, true)) throw std::invalid_argument(fmt::format("metrics: invalid name '{}'", name));
    for (const auto& l : labels) {
        if (!valid_name(l, false) || l.starts_with("__") || l == "le") {
            throw std::invalid_argument(fmt::format("metrics: invalid label '{}' on '{}'", l, name));
        }
    }
    if (type == MetricType::kCounter && !name.ends_with("_total")) {
        throw std::invalid_argument(fmt::format("metrics: counter '{}' must end in _total", name));
    }
    auto it = entries_.find(name);
    if (it != entries_.end()) {
        if (it->second->type != type || it->second->labels != labels) {
            throw std::invalid_argument(fmt::format("metrics: '{}' registered twice with different shapes", name));
        }
        return *it->second;
    }
    auto e = std::make_unique<Entry>();
    e->name = std::string{name};
    e->help = std::string{help};
    e->type = type;
    e->labels = labels;
    return *entries_.emplace(e->name, std::move(e)).first->second;
}

Family<Counter>& Registry::counter(std::string_view name, std::string_view help, std::vector<std::string> labels,
                                   std::size_t max_series) {
    std::lock_guard lock{mutex_};
    auto& e = entry(name, help, MetricType::kCounter, labels);
    if (std::holds_alternative<std::monostate>(e.impl)) {
        e.impl = std::make_unique<Family<Counter>>(std::move(labels), max_series,
                                                   [] { return std::make_unique<Counter>(); });
    }
    return *std::get<std::unique_ptr<Family<Counter>>>(e.impl);
}

Family<Gauge>& Registry::gauge(std::string_view name, std::string_view help, std::vector<std::string> labels,
                               std::size_t max_series) {
    std::lock_guard lock{mutex_};
    auto& e = entry(name, help, MetricType::kGauge, labels);
    if (std::holds_alternative<std::function<double()>>(e.impl)) {
        throw std::invalid_argument(fmt::format("metrics: '{}' is a callback gauge", name));
    }
    if (std::holds_alternative<std::monostate>(e.impl)) {
        e.impl =
            std::make_unique<Family<Gauge>>(std::move(labels), max_series, [] { return std::make_unique<Gauge>(); });
    }
    return *std::get<std::unique_ptr<Family<Gauge>>>(e.impl);
}

Family<Histogram>& Registry::histogram(std::string_view name, std::string_view help, std::vector<std::string> labels,
                                       std::vector<double> buckets, std::size_t max_series) {
    std::lock_guard lock{mutex_};
    auto& e = entry(name, help, MetricType::kHistogram, labels);
    if (std::holds_alternative<std::monostate>(e.impl)) {
        e.impl = std::make_unique<Family<Histogram>>(
            std::move(labels), max_series, [b = std::move(buckets)] { return std::make_unique<Histogram>(b); });
    }
    return *std::get<std::unique_ptr<Family<Histogram>>>(e.impl);
}

void Registry::gauge_callback(std::string_view name, std::string_view help, std::function<double()> sample) {
    std::lock_guard lock{mutex_};
    auto& e = entry(name, help, MetricType::kGauge, {});
    if (!std::holds_alternative<std::monostate>(e.impl)) {
        throw std::invalid_argument(fmt::format("metrics: '{}' registered twice", name));
    }
    e.impl = std::move(sample);
}

std::string Registry::expose() const {
    std::string out;
    std::lock_guard lock{mutex_};
    for (const auto& [name, e] : entries_) {
        out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(e->help), name, type_name(e->type));
        if (const auto* c = std::get_if<std::unique_ptr<Family<Counter>>>(&e->impl)) {
            for (const auto& [labels, s] : (*c)->series()) {
                out += fmt::format("{}{} {}\n", name, label_set(e->labels, labels), format_value(s->value()));
            }
        } else if (const auto* g = std::get_if<std::unique_ptr<Family<Gauge>>>(&e->impl)) {
            for (const auto& [labels, s] : (*g)->series()) {
                out += fmt::format("{}{} {}\n", name, label_set(e->labels, labels), format_value(s->value()));
            }
        } else if (const auto* h = std::get_if<std::unique_ptr<Family<Histogram>>>(&e->impl)) {
            for (const auto& [labels, s] : (*h)->series()) {
                // Buckets are cumulative in the exposition; read them once so _count matches +Inf.
                std::uint64_t cumulative = 0;
                const auto& bounds = s->upper_bounds();
                for (std::size_t i = 0; i < bounds.size(); ++i) {
                    cumulative += s->bucket(i);
                    out += fmt::format("{}_bucket{} {}\n", name,
                                       label_set(e->labels, labels, "le", format_value(bounds[i])), cumulative);
                }
                cumulative += s->bucket(bounds.size());
                out += fmt::format("{}_bucket{} {}\n", name, label_set(e->labels, labels, "le", "+Inf"), cumulative);
                out += fmt::format("{}_sum{} {}\n", name, label_set(e->labels, labels), format_value(s->sum()));
                out += fmt::format("{}_count{} {}\n", name, label_set(e->labels, labels), cumulative);
            }
        } else if (const auto* f = std::get_if<std::function<double()>>(&e->impl)) {
            out += fmt::format("{} {}\n", name, format_value((*f)()));
        }
    }
    return out;
}

std::string escape_label_value(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string format_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
    return fmt::format("{}", v);
}

}  // namespace alatar::http::metrics
