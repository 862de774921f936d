#include "mq/topology.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "mq/dlq.hpp"

namespace alatar::mq {
namespace {

TEST(Topology, ProductionNames) {
    const Names n;
    EXPECT_EQ(n.work_exchange(), "alatar.work");
    EXPECT_EQ(n.retry_exchange(), "alatar.retry");
    EXPECT_EQ(n.dead_letter_exchange(), "alatar.dlx");
    EXPECT_EQ(n.events_exchange(), "alatar.events");
    EXPECT_EQ(n.queue(WorkQueue::kOrchestrator), "alatar.orchestrator");
    EXPECT_EQ(n.queue(WorkQueue::kDataRetrieval), "alatar.dept.data_retrieval");
    EXPECT_EQ(n.queue(WorkQueue::kQuantitative), "alatar.dept.quantitative");
    EXPECT_EQ(n.queue(WorkQueue::kQualitative), "alatar.dept.qualitative");
    EXPECT_EQ(n.queue(WorkQueue::kRecommendation), "alatar.dept.recommendation");
    EXPECT_EQ(n.queue(WorkQueue::kActions), "alatar.actions");
    EXPECT_EQ(n.queue(WorkQueue::kResults), "alatar.results");
    EXPECT_EQ(n.retry_queue(RetryTier::k30s), "alatar.retry.30s");
    EXPECT_EQ(n.dead_letter_queue(), "alatar.dlq");
}

TEST(Topology, PrefixAppliesToEveryName) {
    const Names n("t123.case");
    EXPECT_EQ(n.work_exchange(), "t123.case.work");
    EXPECT_EQ(n.queue(WorkQueue::kActions), "t123.case.actions");
    EXPECT_EQ(n.retry_queue(RetryTier::k5m), "t123.case.retry.5m");
    EXPECT_EQ(n.dead_letter_queue(), "t123.case.dlq");
}

TEST(Topology, RejectsBadPrefixes) {
    for (const char* bad : {"", "has space", "sla/sh", "ü"}) {
        EXPECT_THROW(Names{bad}, Error) << bad;
    }
    EXPECT_THROW(Names(std::string(65, 'a')), Error);
}

TEST(Topology, RetryKeysAndTiers) {
    EXPECT_EQ(Names::retry_key(RetryTier::k5s, "dept.quantitative"), "5s.dept.quantitative");
    EXPECT_EQ(tier_delay(RetryTier::k1s), std::chrono::seconds(1));
    EXPECT_EQ(tier_delay(RetryTier::k5m), std::chrono::minutes(5));
    EXPECT_EQ(tier_for_attempt(0), RetryTier::k1s);
    EXPECT_EQ(tier_for_attempt(1), RetryTier::k5s);
    EXPECT_EQ(tier_for_attempt(2), RetryTier::k30s);
    EXPECT_EQ(tier_for_attempt(9), RetryTier::k5m);
}

TEST(Topology, WorkKeysRoundTrip) {
    for (const auto q : kAllWorkQueues) EXPECT_EQ(parse_work_key(work_key(q)), q);
    EXPECT_FALSE(parse_work_key("dept.unknown").has_value());
}

TEST(Dlq, OriginalWorkKeyPrefersTheHeaderThenTheFirstDeath) {
    Message m;
    m.headers.emplace(std::string(kHeaderRoutingKey), std::string("actions"));
    EXPECT_EQ(original_work_key(m, "whatever"), "actions");

    Message d;
    // x-death is newest first: the oldest entry is the retry tier expiry of "5s.dept.qualitative".
    d.deaths.push_back(DeathRecord{"p.dept.qualitative", "rejected", "p.work", {"5s.dept.qualitative"}, 1});
    d.deaths.push_back(DeathRecord{"p.retry.5s", "expired", "p.retry", {"5s.dept.qualitative"}, 1});
    EXPECT_EQ(original_work_key(d, "5s.dept.qualitative"), "dept.qualitative");

    EXPECT_EQ(original_work_key(Message{}, "1s.results"), "results");
    EXPECT_EQ(original_work_key(Message{}, "orchestrator"), "orchestrator");
}

}  // namespace
}  // namespace alatar::mq
