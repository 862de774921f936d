#include "http/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace alatar::http {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsBurstThenRefusesWithRetryAfter) {
    RateLimiter rl{BucketConfig{1.0, 3.0}};
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(rl.take("a", 1, t0).allowed);
    EXPECT_TRUE(rl.take("a", 1, t0).allowed);
    EXPECT_TRUE(rl.take("a", 1, t0).allowed);
    const auto refused = rl.take("a", 1, t0);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retry_after, 1s);
    // Other keys have their own bucket.
    EXPECT_TRUE(rl.take("b", 1, t0).allowed);
    // Refills at the configured rate.
    EXPECT_TRUE(rl.take("a", 1, t0 + 1s).allowed);
    EXPECT_FALSE(rl.take("a", 1, t0 + 1s).allowed);
}

TEST(RateLimiter, RetryAfterRoundsUpSlowRates) {
    RateLimiter rl{BucketConfig{0.1, 1.0}};
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    EXPECT_TRUE(rl.take("x", 1, t0).allowed);
    const auto d = rl.take("x", 1, t0 + 1s);
    EXPECT_FALSE(d.allowed);
    EXPECT_EQ(d.retry_after, 9s);
}

TEST(RateLimiter, MemoryIsBoundedByMaxKeys) {
    RateLimiter rl{BucketConfig{1.0, 2.0}, 100};
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    for (int i = 0; i < 10'000; ++i) rl.take("k" + std::to_string(i), 1, t0);
    EXPECT_LE(rl.size(), 100u);
}

TEST(RateLimiter, EvictsOnlyRefilledBucketsFirst) {
    RateLimiter rl{BucketConfig{1.0, 2.0}, 4};
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    rl.take("hot", 2, t0 + 10s);  // empty bucket: must survive eviction
    for (int i = 0; i < 3; ++i) rl.take("cold" + std::to_string(i), 1, t0);
    rl.take("new", 1, t0 + 10s);  // table full: the refilled cold buckets go
    EXPECT_FALSE(rl.take("hot", 1, t0 + 10s).allowed);
}

}  // namespace
}  // namespace alatar::http
