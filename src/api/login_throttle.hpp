#pragma once
// Growing delays after failed logins, per account and per client address.
//
// Kept in memory per API process (documented in docs/api.md): no database write on the hot path and nothing to
// clean up, at the price that N processes allow N times the attempts; the HTTP layer's strict per-address
// bucket for login/register applies on top. After `free_failures` failures in a row the next attempt must wait
// base_delay * 2^(failures - free_failures), capped at max_delay; a success clears the account's record, and a
// record with no failure for `forget_after` is forgotten. Thread-safe; memory bounded by max_keys.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace alatar::api {

struct LoginThrottlePolicy {
    int account_free_failures = 5;
    int address_free_failures = 20;
    std::chrono::seconds base_delay{1};
    std::chrono::seconds max_delay{15 * 60};
    std::chrono::seconds forget_after{60 * 60};
    std::size_t max_keys = 100'000;
};

class LoginThrottle {
  public:
    using Clock = std::chrono::steady_clock;

    explicit LoginThrottle(LoginThrottlePolicy policy = {}) : policy_(policy) {}

    // How long the caller must still wait before an attempt for this account from this address is allowed
    // (zero: allowed now). Does not count the attempt.
    std::chrono::seconds wait_time(std::string_view account, std::string_view address, Clock::time_point now);
    void record_failure(std::string_view account, std::string_view address, Clock::time_point now);
    void record_success(std::string_view account);

    std::chrono::seconds wait_time(std::string_view account, std::string_view address) {
        return wait_time(account, address, Clock::now());
    }
    void record_failure(std::string_view account, std::string_view address) {
        record_failure(account, address, Clock::now());
    }

  private:
    struct Entry {
        int failures = 0;
        Clock::time_point last_failure;
        Clock::time_point blocked_until;
    };
    std::chrono::seconds remaining(const std::string& key, Clock::time_point now) const;
    void fail(const std::string& key, int free_failures, Clock::time_point now);
    void evict(Clock::time_point now);

    LoginThrottlePolicy policy_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;  // "a:<email>" and "i:<address>"
};

}  // namespace alatar::api
