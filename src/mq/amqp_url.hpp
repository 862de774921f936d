#pragma once
// amqp:// URLs (RabbitMQ URI spec): amqp://[user[:password]@]host[:port][/vhost][?heartbeat=N].
#include <cstdint>
#include <string>
#include <string_view>

namespace alatar::mq {

struct AmqpUrl {
    std::string user{"guest"};
    std::string password{"guest"};  // secret: never log it; use redacted() for display
    std::string host{"localhost"};
    std::uint16_t port{5672};
    std::string vhost{"/"};
    int heartbeat_seconds{30};  // 0 disables heartbeats

    // "amqp://user:***@host:port/vhost": safe for logs and error messages.
    std::string redacted() const;

    friend bool operator==(const AmqpUrl&, const AmqpUrl&) = default;
};

// Parses an amqp:// URL; user, password and vhost are percent-decoded. A missing or empty path means the
// default vhost "/" (so ".../" and "..." both reach "/"; "%2F" spells it explicitly). amqps:// is not
// supported (the broker is on a private network). Throws alatar::Error(kBadUserInput) whose message never
// contains the password.
AmqpUrl parse_amqp_url(std::string_view text);

}  // namespace alatar::mq
