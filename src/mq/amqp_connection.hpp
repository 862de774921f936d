#pragma once
// RAII over one rabbitmq-c connection (amqp_connection_state_t) and the few AMQP 0-9-1 operations Alatar uses.
//
// THREADING: an AmqpConnection is owned by exactly one thread. rabbitmq-c is not thread-safe; create,
// use and destroy a connection on the same thread, and never share it. Publisher and Consumer each own a
// thread for this reason; other threads talk to them through queues.
//
// ERRORS: every method throws alatar::Error. Socket and connection failures (broker down or restarted,
// heartbeat timeout) are kUpstreamUnavailable and leave the connection broken() for good: drop it and
// connect again. A broker refusal is mapped by its reply code (404 kNotFound, 406 kConflict for a declaration
// that disagrees with the existing one, 403 kForbidden) and also breaks the connection, to keep recovery
// to one path. Error messages name host, port, vhost and user, never the password.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "mq/amqp_url.hpp"
#include "mq/message.hpp"

struct amqp_connection_state_t_;

namespace alatar::mq {

struct ConnectOptions {
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds rpc_timeout{10000};  // for declare/bind/qos/... round trips
    std::string connection_name{"alatar"};         // shown by rabbitmqctl list_connections
};

struct QueueSpec {
    std::string name;  // empty: the broker picks a name (returned by declare_queue)
    bool durable{true};
    bool exclusive{false};
    bool auto_delete{false};
    Headers arguments;  // x-queue-type, x-delivery-limit, x-message-ttl, x-dead-letter-exchange, ...
};

struct QueueInfo {
    std::string name;
    std::uint32_t message_count{0};
    std::uint32_t consumer_count{0};
};

// basic.deliver with its content.
struct ReceivedDelivery {
    std::uint16_t channel{0};
    std::uint64_t delivery_tag{0};
    bool redelivered{false};
    std::string exchange;
    std::string routing_key;
    Message message;
};

// A publisher confirm (basic.ack / basic.nack from the broker) in confirm mode.
struct ConfirmEvent {
    std::uint64_t delivery_tag{0};
    bool multiple{false};
    bool ack{true};
};

// A mandatory message the broker could not route (basic.return); its confirm follows.
struct ReturnEvent {
    int reply_code{0};
    std::string reply_text;
    std::string routing_key;
    Message message;
};

// std::monostate: nothing arrived before the timeout.
using ConnectionEvent = std::variant<std::monostate, ReceivedDelivery, ConfirmEvent, ReturnEvent>;

// basic.get-ok with its content.
struct GetResult {
    std::uint64_t delivery_tag{0};
    bool redelivered{false};
    std::string exchange;
    std::string routing_key;
    std::uint32_t message_count{0};  // messages left in the queue
    Message message;
};

class AmqpConnection {
  public:
    // Opens the socket and logs in (blocking, bounded by connect_timeout and rpc_timeout). Heartbeats are
    // negotiated from url.heartbeat_seconds and serviced while the owner calls wait_event() or publish().
    explicit AmqpConnection(const AmqpUrl& url, const ConnectOptions& options = {});
    ~AmqpConnection();
    AmqpConnection(const AmqpConnection&) = delete;
    AmqpConnection& operator=(const AmqpConnection&) = delete;
    AmqpConnection(AmqpConnection&&) = delete;
    AmqpConnection& operator=(AmqpConnection&&) = delete;

    bool broken() const noexcept { return broken_; }
    const AmqpUrl& url() const noexcept { return url_; }

    void open_channel(std::uint16_t channel);

    // Idempotent as long as the arguments match what exists (otherwise kConflict).
    void declare_exchange(std::uint16_t channel, std::string_view name, std::string_view type, bool durable = true);
    QueueInfo declare_queue(std::uint16_t channel, const QueueSpec& spec);
    // Passive declare: kNotFound if the queue does not exist.
    QueueInfo inspect_queue(std::uint16_t channel, std::string_view name);
    void bind_queue(std::uint16_t channel, std::string_view queue, std::string_view exchange, std::string_view key);
    void delete_queue(std::uint16_t channel, std::string_view queue);
    void delete_exchange(std::uint16_t channel, std::string_view exchange);
    // Returns the number of messages removed.
    std::uint32_t purge_queue(std::uint16_t channel, std::string_view queue);

    void set_prefetch(std::uint16_t channel, std::uint16_t prefetch_count);
    // Puts the channel in confirm mode: every later publish gets a ConfirmEvent with tags 1, 2, 3, ...
    void enable_confirms(std::uint16_t channel);
    // Returns the consumer tag.
    std::string consume(std::uint16_t channel, std::string_view queue, bool no_ack, bool exclusive = false);

    // Sends basic.publish; does not wait for anything (see enable_confirms).
    void publish(std::uint16_t channel, std::string_view exchange, std::string_view routing_key, const Message& message,
                 bool mandatory);
    void ack(std::uint16_t channel, std::uint64_t delivery_tag, bool multiple = false);
    void nack(std::uint16_t channel, std::uint64_t delivery_tag, bool multiple, bool requeue);
    // basic.get without auto-ack; nullopt when the queue is empty.
    std::optional<GetResult> get(std::uint16_t channel, std::string_view queue);

    // For owners that also wait on other file descriptors: the socket, and whether rabbitmq-c already holds
    // received data (then wait_event(0ms) must be called before waiting on the socket again).
    int socket_fd() const noexcept;
    bool has_buffered_input() const noexcept;

    // Waits up to `timeout` for the next delivery, confirm or return on any channel; services heartbeats.
    ConnectionEvent wait_event(std::chrono::milliseconds timeout);

  private:
    [[noreturn]] void fail_status(int status, std::string_view what);
    void check_reply(std::string_view what);

    AmqpUrl url_;
    amqp_connection_state_t_* conn_{nullptr};
    bool broken_{false};
};

}  // namespace alatar::mq
