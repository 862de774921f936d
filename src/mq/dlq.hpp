#pragma once
// Operator tools for the dead-letter queue (<prefix>.dlq), used by `alatar dlq list|replay|purge`.
// Each call opens its own short-lived connection on the calling thread (blocking) and throws alatar::Error.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mq/amqp_url.hpp"
#include "mq/message.hpp"
#include "mq/topology.hpp"

namespace alatar::mq {

struct DeadLetter {
    std::string message_id;
    std::string type;
    std::string work_key;  // where replay sends it
    std::string reason;    // latest x-death reason: rejected, delivery_limit, expired, ...
    std::string queue;     // the queue it died in
    std::int64_t deaths{0};
    std::string body;
};

// The work key a dead letter came from: the x-alatar-routing-key header, else the routing key of its first
// death in x-death (with a retry tier prefix such as "5s." removed), else `delivered_routing_key`.
std::string original_work_key(const Message& message, std::string_view delivered_routing_key);

// Up to `limit` messages from the head of the DLQ, left in place and in order (fetched without ack, then
// returned with nack+requeue).
std::vector<DeadLetter> dlq_list(const AmqpUrl& url, const Names& names, std::size_t limit = 100);

struct ReplayResult {
    std::size_t replayed{0};
    std::size_t failed{0};  // unroutable (unknown work key) or not confirmed: left in the DLQ
};

// Publishes dead letters back to <prefix>.work with their original work key (death headers removed, retry
// count reset), waits for the broker's confirm, then removes them from the DLQ. With `message_id`, only
// matching messages are replayed; the others stay in place.
ReplayResult dlq_replay(const AmqpUrl& url, const Names& names, const std::optional<std::string>& message_id = {});

// Removes every message from the DLQ; returns how many.
std::size_t dlq_purge(const AmqpUrl& url, const Names& names);

}  // namespace alatar::mq
