#pragma once
// A seeded pseudo-random generator with samplers of our own, so generated data is identical on every
// platform and standard library (std:: distributions are implementation-defined).
//
// Engine: xoshiro256** (Blackman and Vigna), seeded through splitmix64.
#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>

namespace alatar::shopify_sim {

// One splitmix64 step: advances `state` and returns a well-mixed 64-bit value.
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
}

// FNV-1a, for deriving sub-seeds from names (stable across runs and platforms).
constexpr std::uint64_t fnv1a64(std::string_view text) noexcept {
    std::uint64_t h = 0xCBF29CE484222325ULL;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001B3ULL;
    }
    return h;
}

class Rng {
  public:
    explicit Rng(std::uint64_t seed) noexcept {
        std::uint64_t sm = seed;
        for (auto& word : s_) word = splitmix64(sm);
    }

    // An independent stream for a named purpose: changing how one part of the generator draws numbers
    // does not shift the numbers every other part sees.
    Rng fork(std::string_view purpose) noexcept { return Rng{next() ^ fnv1a64(purpose)}; }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17U;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform01() noexcept { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }

    // Uniform integer in [lo, hi] (inclusive), unbiased (rejection on the top of the range).
    std::int64_t uniform_int(std::int64_t lo, std::int64_t hi) noexcept {
        if (hi <= lo) return lo;
        const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
        if (span == 0) return static_cast<std::int64_t>(next());  // the full 64-bit range
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
        std::uint64_t x = next();
        while (x >= limit) x = next();
        return lo + static_cast<std::int64_t>(x % span);
    }

    double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform01(); }
    bool bernoulli(double p) noexcept { return uniform01() < p; }

    // Standard normal by Box-Muller (one value per call; simplicity over speed).
    double normal() noexcept {
        const double u1 = 1.0 - uniform01();  // (0, 1]
        const double u2 = uniform01();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
    }
    double normal(double mean, double sd) noexcept { return mean + sd * normal(); }

    // Pareto with minimum 1 and shape alpha: heavy tail for repeat buyers.
    double pareto(double alpha) noexcept { return std::pow(1.0 - uniform01(), -1.0 / alpha); }

    // Index drawn with probability proportional to weights[i]; weights must not all be zero.
    std::size_t weighted(std::span<const double> weights) noexcept {
        double total = 0;
        for (const double w : weights) total += w;
        double u = uniform01() * total;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (u < weights[i]) return i;
            u -= weights[i];
        }
        return weights.size() - 1;
    }

    // Rounds x up or down at random so that the expected value is x (stochastic rounding).
    std::int64_t round_stochastic(double x) noexcept {
        const double fl = std::floor(x);
        return static_cast<std::int64_t>(fl) + (uniform01() < x - fl ? 1 : 0);
    }

  private:
    static constexpr double kPi = 3.14159265358979323846;
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept {
        return (x << static_cast<unsigned>(k)) | (x >> static_cast<unsigned>(64 - k));
    }
    std::uint64_t s_[4]{};
};

}  // namespace alatar::shopify_sim
