#pragma once
// Fault injection for the Admin API endpoint, so clients can be tested against a misbehaving Shopify: added
// latency, 500/502/503 answers, requests that hang past the client's timeout, truncated JSON bodies, and an
// emptied rate-limit bucket ("throttle pressure"). Set at start-up (command line) or at run time
// (POST /_sim/faults); rolled once per request.
#include <boost/json/object.hpp>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "shopify_sim/prng.hpp"

namespace alatar::shopify_sim {

struct FaultConfig {
    int latency_ms = 0;
    double error_rate_500 = 0;
    double error_rate_502 = 0;
    double error_rate_503 = 0;
    double timeout_rate = 0;
    int timeout_ms = 30000;  // how long a "timed out" request hangs before the connection is answered with 504
    double malformed_json_rate = 0;
    double throttle_pressure = 0;  // 0..1: the bucket is kept at most (1 - pressure) full

    boost::json::object to_json() const;
};

enum class FaultKind { kNone, kError500, kError502, kError503, kTimeout, kMalformedJson };

// Applies the members present in `patch` to `config` (rates in 0..1, times >= 0); the error names the member.
std::optional<std::string> apply_fault_patch(FaultConfig& config, const boost::json::object& patch);

// Thread-safe.
class FaultInjector {
  public:
    explicit FaultInjector(const FaultConfig& config = {}, std::uint64_t seed = 1) : config_(config), rng_(seed) {}
    FaultConfig config() const;
    void set(const FaultConfig& config);
    // One roll per request: at most one fault, each with its configured probability.
    FaultKind roll();

  private:
    mutable std::mutex mutex_;
    FaultConfig config_;
    Rng rng_;
};

}  // namespace alatar::shopify_sim
