#include "api/login_throttle.hpp"

#include <algorithm>

namespace alatar::api {

namespace {
std::string account_key(std::string_view account) { return "a:" + std::string(account); }
std::string address_key(std::string_view address) { return "i:" + std::string(address); }
}  // namespace

std::chrono::seconds LoginThrottle::remaining(const std::string& key, Clock::time_point now) const {
    const auto it = entries_.find(key);
    if (it == entries_.end() || it->second.blocked_until <= now) return std::chrono::seconds{0};
    return std::chrono::ceil<std::chrono::seconds>(it->second.blocked_until - now);
}

std::chrono::seconds LoginThrottle::wait_time(std::string_view account, std::string_view address,
                                              Clock::time_point now) {
    std::lock_guard lock{mutex_};
    return std::max(remaining(account_key(account), now), remaining(address_key(address), now));
}

void LoginThrottle::fail(const std::string& key, int free_failures, Clock::time_point now) {
    Entry& e = entries_[key];
    if (e.failures > 0 && now - e.last_failure > policy_.forget_after) e = Entry{};
    ++e.failures;
    e.last_failure = now;
    if (e.failures >= free_failures) {
        const int doublings = std::min(e.failures - free_failures, 20);
        const auto delay = std::min(policy_.base_delay * (std::int64_t{1} << doublings), policy_.max_delay);
        e.blocked_until = now + delay;
    }
}

void LoginThrottle::record_failure(std::string_view account, std::string_view address, Clock::time_point now) {
    std::lock_guard lock{mutex_};
    if (entries_.size() + 2 > policy_.max_keys) evict(now);
    fail(account_key(account), policy_.account_free_failures, now);
    fail(address_key(address), policy_.address_free_failures, now);
}

void LoginThrottle::record_success(std::string_view account) {
    std::lock_guard lock{mutex_};
    entries_.erase(account_key(account));
}

void LoginThrottle::evict(Clock::time_point now) {
    // Forgotten records first; if that frees nothing, the records whose block has ended.
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.last_failure > policy_.forget_after; });
    if (entries_.size() + 2 > policy_.max_keys) {
        std::erase_if(entries_, [&](const auto& kv) { return kv.second.blocked_until <= now; });
    }
    if (entries_.size() + 2 > policy_.max_keys) entries_.clear();
}

}  // namespace alatar::api
