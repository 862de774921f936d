#pragma once
// Spending caps for model calls: per analysis request and per user per UTC day, in tokens and in USD.
// The daily ledger is an interface: one process can use the in-memory one; several workers share a
// database-backed one (see agents).
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "llm/chat_types.hpp"

namespace alatar::llm {

struct BudgetLimits {
    std::int64_t request_tokens{60000};
    std::int64_t user_daily_tokens{1000000};
    double request_usd{0};     // 0 = no cost cap
    double user_daily_usd{0};  // 0 = no cost cap
};

// Days since 1970-01-01 UTC.
std::int64_t utc_day_now();

class DailyUsageLedger {
  public:
    DailyUsageLedger() = default;
    virtual ~DailyUsageLedger() = default;
    DailyUsageLedger(const DailyUsageLedger&) = delete;
    DailyUsageLedger& operator=(const DailyUsageLedger&) = delete;
    DailyUsageLedger(DailyUsageLedger&&) = delete;
    DailyUsageLedger& operator=(DailyUsageLedger&&) = delete;

    virtual Usage used(std::string_view user_id, std::int64_t day) = 0;
    virtual void add(std::string_view user_id, std::int64_t day, const Usage& usage) = 0;
};

class InMemoryUsageLedger final : public DailyUsageLedger {
  public:
    Usage used(std::string_view user_id, std::int64_t day) override;
    void add(std::string_view user_id, std::int64_t day, const Usage& usage) override;

  private:
    std::mutex mutex_;
    std::map<std::pair<std::string, std::int64_t>, Usage> used_;
};

// What is still allowed, or why nothing is ("request token budget of 60000 reached").
struct BudgetCheck {
    bool allowed{true};
    std::int64_t tokens_left{0};
    std::string reason;
};

BudgetCheck check_budget(const BudgetLimits& limits, const Usage& request_used, const Usage& day_used);

}  // namespace alatar::llm
