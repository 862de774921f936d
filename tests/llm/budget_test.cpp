#include "llm/budget.hpp"

#include <gtest/gtest.h>

namespace alatar::llm {
namespace {

TEST(BudgetTest, RequestAndDailyCapsInTokensAndCost) {
    const BudgetLimits limits{
        .request_tokens = 1000, .user_daily_tokens = 5000, .request_usd = 0.10, .user_daily_usd = 1.00};
    EXPECT_TRUE(check_budget(limits, {}, {}).allowed);
    EXPECT_EQ(check_budget(limits, Usage{300, 200, 0}, Usage{300, 200, 0}).tokens_left, 500);
    EXPECT_EQ(check_budget(limits, Usage{300, 200, 0}, Usage{4000, 700, 0}).tokens_left, 300);

    const auto request_spent = check_budget(limits, Usage{600, 400, 0}, {});
    EXPECT_FALSE(request_spent.allowed);
    EXPECT_NE(request_spent.reason.find("request's token budget of 1000"), std::string::npos);

    const auto day_spent = check_budget(limits, {}, Usage{4000, 1000, 0});
    EXPECT_FALSE(day_spent.allowed);
    EXPECT_NE(day_spent.reason.find("today's token budget"), std::string::npos);

    EXPECT_FALSE(check_budget(limits, Usage{1, 1, 0.10}, {}).allowed);
    EXPECT_FALSE(check_budget(limits, {}, Usage{1, 1, 1.00}).allowed);
    EXPECT_TRUE(check_budget(BudgetLimits{.request_tokens = 10, .user_daily_tokens = 10}, Usage{1, 1, 99}, {}).allowed)
        << "a zero cost cap means no cost cap";
}

TEST(BudgetTest, LedgerSumsPerUserAndDay) {
    InMemoryUsageLedger ledger;
    ledger.add("u1", 100, Usage{10, 5, 0.01});
    ledger.add("u1", 100, Usage{1, 1, 0.02});
    ledger.add("u1", 101, Usage{7, 0, 0});
    ledger.add("u2", 100, Usage{3, 0, 0});
    EXPECT_EQ(ledger.used("u1", 100).total_tokens(), 17);
    EXPECT_DOUBLE_EQ(ledger.used("u1", 100).cost_usd, 0.03);
    EXPECT_EQ(ledger.used("u1", 101).total_tokens(), 7);
    EXPECT_EQ(ledger.used("u2", 100).total_tokens(), 3);
    EXPECT_EQ(ledger.used("u3", 100).total_tokens(), 0);
}

}  // namespace
}  // namespace alatar::llm
