#pragma once
// Publisher: reliable publishing with publisher confirms, shared by many threads.
//
// A dedicated thread owns one AMQP connection and a channel in confirm mode. Any thread may call
// publish_blocking(); the request is queued to that thread, which publishes (pipelining up to
// max_in_flight messages) and hands back the broker's verdict. After a broker restart or a lost connection the
// thread reconnects with backoff and re-publishes every message that was not yet confirmed, so a confirmed
// message is never lost and an unconfirmed one is retried until its deadline (at-least-once: a message may
// arrive twice with the same message_id; consumers are idempotent).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/log.hpp"
#include "common/time.hpp"
#include "mq/amqp_connection.hpp"
#include "mq/amqp_url.hpp"
#include "mq/envelope.hpp"
#include "mq/message.hpp"

namespace alatar::mq {

class Wakeup;

struct PublisherOptions {
    ConnectOptions connect{.connection_name = "alatar-publisher"};
    std::size_t max_in_flight{256};  // unconfirmed messages on the wire
    std::chrono::milliseconds max_backoff{2000};
};

class Publisher {
  public:
    // Starts the publishing thread; it connects lazily on the first publish.
    Publisher(AmqpUrl url, Logger log, PublisherOptions options = {});
    // Stops the thread; requests still queued fail with kUpstreamUnavailable.
    ~Publisher();
    Publisher(const Publisher&) = delete;
    Publisher& operator=(const Publisher&) = delete;
    Publisher(Publisher&&) = delete;
    Publisher& operator=(Publisher&&) = delete;

    // Queues the message and returns at once; the future becomes ready when the broker confirms it, or holds
    // the alatar::Error publish_blocking() would throw. Messages queued back to back are pipelined on the wire
    // and share confirms, so a caller with several messages waits for the slowest instead of the sum.
    // Thread-safe. Throws kUpstreamUnavailable at once when the publisher is stopping.
    std::future<void> publish(std::string exchange, std::string routing_key, Message message, Deadline deadline,
                              bool mandatory = true);
    std::future<void> publish(std::string exchange, std::string routing_key, const Envelope& envelope,
                              Deadline deadline, bool mandatory = true);
    // Waits for a future of publish() and rethrows its error; kTimeout if the publishing thread has not
    // settled it shortly after `deadline` (it enforces deadlines itself; this guards against a blocking connect).
    static void wait_confirmed(std::future<void>& confirmed, Deadline deadline);

    // BLOCKS the calling thread until the broker confirms the message. Thread-safe.
    // `mandatory`: fail with kNotFound when no queue is bound for the routing key (instead of the broker
    // silently dropping the message). Sets the x-alatar-routing-key header to `routing_key` unless present.
    // Throws alatar::Error: kTimeout when the deadline passes first, kUpstreamUnavailable when the broker
    // nacks or the publisher is stopping, kNotFound for unroutable mandatory messages or a missing exchange.
    void publish_blocking(std::string exchange, std::string routing_key, Message message, Deadline deadline,
                          bool mandatory = true);
    void publish_blocking(std::string exchange, std::string routing_key, const Envelope& envelope, Deadline deadline,
                          bool mandatory = true);

    // Connections opened so far (1 after the first publish; more after reconnects).
    std::uint64_t connection_count() const noexcept { return connections_.load(); }

  private:
    struct Request;
    using RequestPtr = std::shared_ptr<Request>;
    struct Session;

    void run();

    AmqpUrl url_;
    Logger log_;
    PublisherOptions options_;
    std::unique_ptr<Wakeup> wakeup_;  // interrupts the thread's wait for confirms
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<RequestPtr> queue_;  // guarded by mutex_
    bool stop_{false};              // guarded by mutex_
    std::atomic<std::uint64_t> connections_{0};
    std::thread thread_;
};

}  // namespace alatar::mq
