#include "mq/topology.hpp"

#include "common/error.hpp"
#include "mq/amqp_connection.hpp"

namespace alatar::mq {

std::string_view work_key(WorkQueue queue) noexcept {
    switch (queue) {
        case WorkQueue::kOrchestrator:
            return "orchestrator";
        case WorkQueue::kDataRetrieval:
            return "dept.data_retrieval";
        case WorkQueue::kQuantitative:
            return "dept.quantitative";
        case WorkQueue::kQualitative:
            return "dept.qualitative";
        case WorkQueue::kRecommendation:
            return "dept.recommendation";
        case WorkQueue::kActions:
            return "actions";
        case WorkQueue::kResults:
            return "results";
        case WorkQueue::kStoreRefresh:
            return "store_refresh";
    }
    return "orchestrator";
}

std::optional<WorkQueue> parse_work_key(std::string_view key) noexcept {
    for (const auto q : kAllWorkQueues) {
        if (work_key(q) == key) return q;
    }
    return std::nullopt;
}

std::string_view tier_name(RetryTier tier) noexcept {
    switch (tier) {
        case RetryTier::k1s:
            return "1s";
        case RetryTier::k5s:
            return "5s";
        case RetryTier::k30s:
            return "30s";
        case RetryTier::k5m:
            return "5m";
    }
    return "1s";
}

std::chrono::milliseconds tier_delay(RetryTier tier) noexcept {
    switch (tier) {
        case RetryTier::k1s:
            return std::chrono::seconds{1};
        case RetryTier::k5s:
            return std::chrono::seconds{5};
        case RetryTier::k30s:
            return std::chrono::seconds{30};
        case RetryTier::k5m:
            return std::chrono::minutes{5};
    }
    return std::chrono::seconds{1};
}

RetryTier tier_for_attempt(std::int64_t attempt) noexcept {
    if (attempt <= 0) return RetryTier::k1s;
    if (attempt == 1) return RetryTier::k5s;
    if (attempt == 2) return RetryTier::k30s;
    return RetryTier::k5m;
}

Names::Names(std::string prefix) : prefix_(std::move(prefix)) {
    const bool ok_size = !prefix_.empty() && prefix_.size() <= 64;
    const bool ok_chars = prefix_.find_first_not_of(
                              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == std::string::npos;
    if (!ok_size || !ok_chars)
        throw Error(ErrorCode::kBadUserInput, "queue name prefix must be 1..64 characters of [A-Za-z0-9._-]");
}

std::string Names::retry_key(RetryTier tier, std::string_view key) {
    return std::string(tier_name(tier)) + "." + std::string(key);
}

void declare_topology(AmqpConnection& c, std::uint16_t ch, const Names& names, const TopologyOptions& options) {
    c.declare_exchange(ch, names.work_exchange(), "direct");
    c.declare_exchange(ch, names.retry_exchange(), "direct");
    c.declare_exchange(ch, names.dead_letter_exchange(), "fanout");
    c.declare_exchange(ch, names.events_exchange(), "topic");

    QueueSpec dlq{names.dead_letter_queue()};
    c.declare_queue(ch, dlq);
    c.bind_queue(ch, dlq.name, names.dead_letter_exchange(), "");

    for (const auto q : kAllWorkQueues) {
        QueueSpec spec{names.queue(q)};
        spec.arguments.emplace("x-queue-type", std::string("quorum"));
        spec.arguments.emplace("x-delivery-limit", options.delivery_limit);
        spec.arguments.emplace("x-dead-letter-exchange", names.dead_letter_exchange());
        c.declare_queue(ch, spec);
        c.bind_queue(ch, spec.name, names.work_exchange(), work_key(q));
        for (const auto tier : kAllRetryTiers) {
            c.bind_queue(ch, spec.name, names.work_exchange(), Names::retry_key(tier, work_key(q)));
        }
    }

    for (const auto tier : kAllRetryTiers) {
        QueueSpec spec{names.retry_queue(tier)};
        spec.arguments.emplace("x-message-ttl", static_cast<std::int64_t>(tier_delay(tier).count()));
        spec.arguments.emplace("x-dead-letter-exchange", names.work_exchange());
        c.declare_queue(ch, spec);
        for (const auto q : kAllWorkQueues) {
            c.bind_queue(ch, spec.name, names.retry_exchange(), Names::retry_key(tier, work_key(q)));
        }
    }
}

void delete_topology(AmqpConnection& c, std::uint16_t ch, const Names& names) {
    for (const auto q : kAllWorkQueues) c.delete_queue(ch, names.queue(q));
    for (const auto tier : kAllRetryTiers) c.delete_queue(ch, names.retry_queue(tier));
    c.delete_queue(ch, names.dead_letter_queue());
    c.delete_exchange(ch, names.work_exchange());
    c.delete_exchange(ch, names.retry_exchange());
    c.delete_exchange(ch, names.dead_letter_exchange());
    c.delete_exchange(ch, names.events_exchange());
}

}  // namespace alatar::mq
