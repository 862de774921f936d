#pragma once
// An AMQP message as this layer sends and receives it: body plus the basic properties Alatar uses.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace alatar::mq {

// Header values Alatar reads and writes. Nested tables and arrays (RabbitMQ's x-death) are decoded into
// DeathRecord instead and are never re-published.
using HeaderValue = std::variant<std::string, std::int64_t, bool>;
using Headers = std::map<std::string, HeaderValue, std::less<>>;

// Header names set by Alatar (the x-alatar- prefix keeps them apart from RabbitMQ's own).
inline constexpr std::string_view kHeaderRoutingKey = "x-alatar-routing-key";  // the target work key
inline constexpr std::string_view kHeaderAttempts = "x-alatar-attempts";       // retries so far
inline constexpr std::string_view kHeaderTraceId = "x-alatar-trace-id";
inline constexpr std::string_view kHeaderEnvelopeType = "x-alatar-type";
// Set by quorum queues on redelivery: how many times the message was returned to the queue.
inline constexpr std::string_view kHeaderDeliveryCount = "x-delivery-count";

// One entry of RabbitMQ's x-death header (newest first).
struct DeathRecord {
    std::string queue;
    std::string reason;  // rejected, expired, maxlen, delivery_limit
    std::string exchange;
    std::vector<std::string> routing_keys;
    std::int64_t count{0};
};

struct Message {
    std::string body;
    std::string content_type{"application/json"};
    std::string message_id;
    std::string type;
    bool persistent{true};
    Headers headers;
    std::vector<DeathRecord> deaths;  // received only

    std::optional<std::string> header_string(std::string_view name) const;
    std::optional<std::int64_t> header_int(std::string_view name) const;
};

}  // namespace alatar::mq
