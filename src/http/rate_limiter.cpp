#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace alatar::http {

RateLimiter::RateLimiter(BucketConfig config, std::size_t max_keys)
    : config_(config), max_keys_(std::max<std::size_t>(max_keys, 4)) {
    config_.rate_per_second = std::max(config_.rate_per_second, 1e-6);
    config_.burst = std::max(config_.burst, 1.0);
}

RateDecision RateLimiter::take(std::string_view key, double cost, Clock::time_point now) {
    std::lock_guard lock{mutex_};
    auto it = buckets_.find(std::string{key});
    if (it == buckets_.end()) {
        if (buckets_.size() >= max_keys_) evict(now);
        it = buckets_.emplace(std::string{key}, Bucket{config_.burst, now}).first;
    }
    Bucket& b = it->second;
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    if (elapsed > 0) {
        b.tokens = std::min(config_.burst, b.tokens + elapsed * config_.rate_per_second);
        b.updated = now;
    }
    if (b.tokens >= cost) {
        b.tokens -= cost;
        return {};
    }
    const double wait = (cost - b.tokens) / config_.rate_per_second;
    const auto secs = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait)));
    return RateDecision{false, std::chrono::seconds{secs}};
}

std::size_t RateLimiter::size() const {
    std::lock_guard lock{mutex_};
    return buckets_.size();
}

void RateLimiter::evict(Clock::time_point now) {
    // A bucket that would be full by now carries no information: dropping it changes no decision.
    std::erase_if(buckets_, [&](const auto& kv) {
        const double elapsed = std::chrono::duration<double>(now - kv.second.updated).count();
        return kv.second.tokens + elapsed * config_.rate_per_second >= config_.burst;
    });
    if (buckets_.size() < max_keys_) return;
    // Still full (a flood of distinct keys): forget the least recently touched quarter.
    std::vector<Clock::time_point> times;
    times.reserve(buckets_.size());
    for (const auto& kv : buckets_) times.push_back(kv.second.updated);
    auto nth = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 4);
    std::nth_element(times.begin(), nth, times.end());
    const auto cutoff = *nth;
    std::erase_if(buckets_, [&](const auto& kv) { return kv.second.updated <= cutoff; });
}

}  // namespace alatar::http
