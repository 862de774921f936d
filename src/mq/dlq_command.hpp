#pragma once
// `alatar dlq [--amqp-url URL] [--prefix P] list [--limit N] [--body] | replay [--id ID] | purge`
#include <span>
#include <string_view>

namespace alatar::mq {

// Exit code: 0 ok, 1 failure (broker unreachable, ...), 2 usage error. The URL defaults to ALATAR_AMQP_URL.
int run_dlq_command(std::span<const std::string_view> args);

}  // namespace alatar::mq
