#pragma once
// Consumer: one queue, one dedicated thread, manual acknowledgements.
//
// The thread owns its own AMQP connection: it sets basic.qos(prefetch), consumes with manual acks, and
// waits on the socket and on a wake-up fd, so acks queued from other threads are sent at once. Every ack,
// nack and retry is sent by that thread. The handler runs on that thread too; it either decides at once or
// returns Decision::deferred() and later calls settle() from any thread (e.g. after the database transaction
// that made the message's effect durable has committed).
//
// After a lost connection (broker restart) the thread reconnects with backoff and consumes again. Messages
// that were delivered but not acknowledged are redelivered by the broker, possibly after their effect was
// committed: handlers MUST be idempotent (use Envelope::id as the processed-message key).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "mq/amqp_connection.hpp"
#include "mq/amqp_url.hpp"
#include "mq/envelope.hpp"
#include "mq/topology.hpp"

namespace alatar::mq {

class Publisher;
class Wakeup;

enum class Verdict {
    kAck,       // done
    kRetry,     // try again later through a delayed-retry tier (then ack this delivery)
    kReject,    // give up: dead-letter queue
    kRequeue,   // back to the queue now (counts towards the quorum queue's delivery limit)
    kDeferred,  // the handler will call Consumer::settle() later
};

struct Decision {
    Verdict verdict{Verdict::kAck};
    std::optional<RetryTier> tier;  // for kRetry; nullopt picks tier_for_attempt(attempts)

    static Decision ack() { return {Verdict::kAck, std::nullopt}; }
    static Decision retry(std::optional<RetryTier> tier = std::nullopt) { return {Verdict::kRetry, tier}; }
    static Decision reject() { return {Verdict::kReject, std::nullopt}; }
    static Decision requeue() { return {Verdict::kRequeue, std::nullopt}; }
    static Decision deferred() { return {Verdict::kDeferred, std::nullopt}; }
};

// Identifies a delivery across reconnects: a tag from an older connection is stale and ignored by settle()
// (the broker has already put that message back).
struct DeliveryTag {
    std::uint64_t generation{0};
    std::uint64_t tag{0};
    friend bool operator==(const DeliveryTag&, const DeliveryTag&) = default;
};

struct Delivery {
    DeliveryTag tag;
    Envelope envelope;
    Message message;
    std::string work_key;     // the original routing key (x-alatar-routing-key), also after retries
    std::string routing_key;  // as delivered (e.g. "5s.dept.quantitative" after a retry)
    bool redelivered{false};
    std::int64_t delivery_count{0};  // x-delivery-count of quorum queues: times returned to the queue
    std::int64_t attempts{0};        // delayed retries so far (x-alatar-attempts)
};

// May throw: alatar::Error with a transient code means Retry, anything else Reject (both logged).
using Handler = std::function<Decision(const Delivery&)>;

// Reconnect hook: runs on the consumer thread after each (re)connect with channel 1 open, and returns the
// name of the queue to consume (e.g. a fresh exclusive queue for events).
using ConsumerSetup = std::function<std::string(AmqpConnection&, std::uint16_t channel)>;

struct ConsumerOptions {
    std::string queue;  // ignored when `setup` is set
    ConsumerSetup setup;
    std::uint16_t prefetch{1};
    std::int64_t max_retries{5};  // a Retry after this many retries is a Reject
    bool auto_ack{false};         // broker-side acks (events only); decisions are then ignored
    ConnectOptions connect{.connection_name = "alatar-consumer"};
    std::chrono::milliseconds max_backoff{5000};
};

class Consumer {
  public:
    // Starts the consumer thread at once. `retry_publisher` publishes delayed retries (Verdict::kRetry); it
    // may be null, then a Retry becomes a Reject. It must outlive the consumer.
    Consumer(AmqpUrl url, Names names, ConsumerOptions options, Handler handler, Logger log,
             Publisher* retry_publisher);
    // Stops and joins the thread; unsettled deliveries go back to the queue when the connection closes.
    ~Consumer();
    Consumer(const Consumer&) = delete;
    Consumer& operator=(const Consumer&) = delete;
    Consumer(Consumer&&) = delete;
    Consumer& operator=(Consumer&&) = delete;

    // Thread-safe. Queues the decision for a deferred delivery to the consumer thread; non-blocking.
    void settle(DeliveryTag tag, Decision decision);

    // True while subscribed to the queue (false while reconnecting).
    bool consuming() const noexcept { return consuming_.load(); }
    // Blocks until consuming() or the timeout; returns consuming().
    bool wait_until_consuming(std::chrono::milliseconds timeout) const;
    std::uint64_t connection_count() const noexcept { return connections_.load(); }

  private:
    // What the consumer thread keeps of a deferred delivery until it is settled.
    struct Pending {
        Message message;
        std::string work_key;
        std::int64_t attempts{0};
    };

    void run();
    void connect();
    void serve_once();
    void handle(ReceivedDelivery&& d);
    void apply(std::uint64_t tag, const Pending& p, Decision decision);
    void drain_settlements();

    AmqpUrl url_;
    Names names_;
    ConsumerOptions options_;
    Handler handler_;
    Logger log_;
    Publisher* retry_publisher_;
    std::unique_ptr<Wakeup> wakeup_;

    std::mutex mutex_;
    std::vector<std::pair<DeliveryTag, Decision>> settlements_;  // guarded by mutex_
    std::atomic<bool> stop_{false};
    std::atomic<bool> consuming_{false};
    std::atomic<std::uint64_t> connections_{0};

    // Consumer thread only.
    std::unique_ptr<AmqpConnection> conn_;
    std::uint64_t generation_{0};
    std::map<std::uint64_t, Pending> deferred_;

    std::thread thread_;
};

}  // namespace alatar::mq
