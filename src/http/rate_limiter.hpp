#pragma once
// Token buckets keyed by a string (client address, user key). Thread-safe; memory is bounded by `max_keys`:
// when the table is full, buckets that have refilled completely (equivalent to absent) are dropped first, and if
// none has, the oldest-touched quarter is dropped.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace alatar::http {

struct BucketConfig {
    double rate_per_second = 10.0;  // refill rate
    double burst = 20.0;            // bucket capacity
};

struct RateDecision {
    bool allowed = true;
    // When refused: whole seconds until one token is available again (at least 1).
    std::chrono::seconds retry_after{0};
};

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(BucketConfig config, std::size_t max_keys = 100'000);

    // Takes `cost` tokens from the bucket of `key` if it has them.
    RateDecision take(std::string_view key, double cost = 1.0) { return take(key, cost, Clock::now()); }
    RateDecision take(std::string_view key, double cost, Clock::time_point now);

    std::size_t size() const;
    const BucketConfig& config() const noexcept { return config_; }

  private:
    struct Bucket {
        double tokens;
        Clock::time_point updated;
    };
    void evict(Clock::time_point now);

    BucketConfig config_;
    std::size_t max_keys_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace alatar::http
