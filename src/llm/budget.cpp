#include "llm/budget.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace alatar::llm {

std::int64_t utc_day_now() {
    return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
}

Usage InMemoryUsageLedger::used(std::string_view user_id, std::int64_t day) {
    const std::lock_guard lock{mutex_};
    const auto it = used_.find({std::string{user_id}, day});
    return it == used_.end() ? Usage{} : it->second;
}

void InMemoryUsageLedger::add(std::string_view user_id, std::int64_t day, const Usage& usage) {
    const std::lock_guard lock{mutex_};
    used_[{std::string{user_id}, day}] += usage;
}

BudgetCheck check_budget(const BudgetLimits& limits, const Usage& request_used, const Usage& day_used) {
    BudgetCheck c;
    const std::int64_t request_left = limits.request_tokens - request_used.total_tokens();
    const std::int64_t day_left = limits.user_daily_tokens - day_used.total_tokens();
    c.tokens_left = std::min(request_left, day_left);
    if (request_left <= 0) {
        c.reason = fmt::format("the request's token budget of {} is used up", limits.request_tokens);
    } else if (day_left <= 0) {
        c.reason = fmt::format("today's token budget of {} for this user is used up", limits.user_daily_tokens);
    } else if (limits.request_usd > 0 && request_used.cost_usd >= limits.request_usd) {
        c.reason = fmt::format("the request's cost budget of ${:.2f} is used up", limits.request_usd);
    } else if (limits.user_daily_usd > 0 && day_used.cost_usd >= limits.user_daily_usd) {
        c.reason = fmt::format("today's cost budget of ${:.2f} for this user is used up", limits.user_daily_usd);
    }
    c.allowed = c.reason.empty();
    return c;
}

}  // namespace alatar::llm
