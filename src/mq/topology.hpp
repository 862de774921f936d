#pragma once
// The RabbitMQ topology of Alatar, named in one place so workers, API and CLI agree.
//
// Exchanges (all durable):
//   <p>.work    direct  work messages, routed by a work key ("orchestrator", "dept.quantitative", ...)
//   <p>.retry   direct  delayed retries: routing key "<tier>.<work key>", e.g. "5s.dept.quantitative"
//   <p>.dlx     fanout  dead letters from every work queue
//   <p>.events  topic   status/progress events, routing key "analysis.<id>"
// Queues:
//   <p>.<work key>      quorum, x-delivery-limit, x-dead-letter-exchange=<p>.dlx; bound to <p>.work with
//                       "<work key>" and with "<tier>.<work key>" for every tier (the way back from a retry)
//   <p>.retry.<tier>    classic durable, x-message-ttl, x-dead-letter-exchange=<p>.work; bound to <p>.retry
//                       with "<tier>.<work key>" for every work key. An expired message keeps its routing key,
//                       so dead-lettering sends it to <p>.work, which routes it back to its work queue.
//   <p>.dlq             classic durable (no delivery limit, so listing it never loses anything), bound to <p>.dlx
// <p> is the prefix ("alatar" in production; tests use their own so they never collide).
// declare_topology() is idempotent and runs at every process start.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alatar::mq {

class AmqpConnection;

enum class WorkQueue {
    kOrchestrator,
    kDataRetrieval,
    kQuantitative,
    kQualitative,
    kRecommendation,
    kActions,       // executing approved actions
    kResults,       // department reports back to the orchestrator
    kStoreRefresh,  // webhook-driven incremental sync of one store's cache
};
inline constexpr std::array kAllWorkQueues{
    WorkQueue::kOrchestrator,   WorkQueue::kDataRetrieval, WorkQueue::kQuantitative, WorkQueue::kQualitative,
    WorkQueue::kRecommendation, WorkQueue::kActions,       WorkQueue::kResults,      WorkQueue::kStoreRefresh};

// "orchestrator", "dept.data_retrieval", "dept.quantitative", "dept.qualitative", "dept.recommendation",
// "actions", "results", "store_refresh".
std::string_view work_key(WorkQueue queue) noexcept;
std::optional<WorkQueue> parse_work_key(std::string_view key) noexcept;

enum class RetryTier { k1s, k5s, k30s, k5m };
inline constexpr std::array kAllRetryTiers{RetryTier::k1s, RetryTier::k5s, RetryTier::k30s, RetryTier::k5m};

std::string_view tier_name(RetryTier tier) noexcept;  // "1s", "5s", "30s", "5m"
std::chrono::milliseconds tier_delay(RetryTier tier) noexcept;
// The tier for the n-th retry (0-based): 1s, 5s, 30s, then 5m for every later one.
RetryTier tier_for_attempt(std::int64_t attempt) noexcept;

class Names {
  public:
    static constexpr std::string_view kDefaultPrefix = "alatar";

    // Throws alatar::Error(kBadUserInput) unless the prefix is 1..64 characters of [A-Za-z0-9._-].
    explicit Names(std::string prefix = std::string(kDefaultPrefix));

    const std::string& prefix() const noexcept { return prefix_; }
    std::string work_exchange() const { return prefix_ + ".work"; }
    std::string retry_exchange() const { return prefix_ + ".retry"; }
    std::string dead_letter_exchange() const { return prefix_ + ".dlx"; }
    std::string events_exchange() const { return prefix_ + ".events"; }
    std::string queue(WorkQueue queue) const { return prefix_ + "." + std::string(work_key(queue)); }
    std::string retry_queue(RetryTier tier) const { return prefix_ + ".retry." + std::string(tier_name(tier)); }
    std::string dead_letter_queue() const { return prefix_ + ".dlq"; }

    // "5s.dept.quantitative"
    static std::string retry_key(RetryTier tier, std::string_view work_key);

  private:
    std::string prefix_;
};

struct TopologyOptions {
    // Quorum queues dead-letter a message once it has been returned (nack/requeue, consumer lost) more often
    // than this. RabbitMQ 3.10 has no default, so it is always set.
    std::int64_t delivery_limit{20};
};

// Declares every exchange, queue and binding above on `channel` (already open). Idempotent; kConflict if an
// existing queue was declared with other arguments.
void declare_topology(AmqpConnection& connection, std::uint16_t channel, const Names& names,
                      const TopologyOptions& options = {});

// Deletes everything declare_topology created (tests; never used against production names by the app).
void delete_topology(AmqpConnection& connection, std::uint16_t channel, const Names& names);

}  // namespace alatar::mq
