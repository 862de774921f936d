#include "mq/dlq.hpp"

#include <chrono>
#include <variant>

#include "common/error.hpp"
#include "common/time.hpp"
#include "mq/amqp_connection.hpp"

namespace alatar::mq {

namespace {

constexpr std::uint16_t kChannel = 1;

std::string strip_retry_tier(std::string_view key) {
    for (const auto tier : kAllRetryTiers) {
        const auto prefix = std::string(tier_name(tier)) + ".";
        if (key.starts_with(prefix) && parse_work_key(key.substr(prefix.size())))
            return std::string(key.substr(prefix.size()));
    }
    return std::string(key);
}

ConnectOptions dlq_connect_options() {
    ConnectOptions o;
    o.connection_name = "alatar-dlq";
    return o;
}

Message prepared_for_replay(Message m, const std::string& work_key) {
    m.deaths.clear();
    std::erase_if(m.headers, [](const auto& h) {
        return h.first.starts_with("x-first-death-") || h.first.starts_with("x-last-death-") ||
               h.first == kHeaderDeliveryCount;
    });
    m.headers.insert_or_assign(std::string(kHeaderAttempts), std::int64_t{0});
    m.headers.insert_or_assign(std::string(kHeaderRoutingKey), work_key);
    return m;
}

// Waits for the confirm of publish number `seq`; false when the broker nacked or returned it.
bool await_confirm(AmqpConnection& c, std::uint64_t seq) {
    const auto deadline = Deadline::after(std::chrono::seconds{10});
    bool returned = false;
    while (!deadline.expired()) {
        const auto event = c.wait_event(std::chrono::milliseconds{100});
        if (std::holds_alternative<ReturnEvent>(event)) returned = true;
        if (const auto* confirm = std::get_if<ConfirmEvent>(&event)) {
            if (confirm->delivery_tag >= seq) return confirm->ack && !returned;
        }
    }
    throw Error(ErrorCode::kTimeout, "replayed message not confirmed by the broker");
}

}  // namespace

std::string original_work_key(const Message& message, std::string_view delivered_routing_key) {
    if (auto key = message.header_string(kHeaderRoutingKey)) return *key;
    // x-death lists the newest death first: the oldest entry has the key it was first published with.
    for (auto it = message.deaths.rbegin(); it != message.deaths.rend(); ++it) {
        if (!it->routing_keys.empty()) return strip_retry_tier(it->routing_keys.front());
    }
    return strip_retry_tier(delivered_routing_key);
}

std::vector<DeadLetter> dlq_list(const AmqpUrl& url, const Names& names, std::size_t limit) {
    AmqpConnection c(url, dlq_connect_options());
    c.open_channel(kChannel);
    std::vector<DeadLetter> out;
    std::uint64_t last_tag = 0;
    while (out.size() < limit) {
        auto got = c.get(kChannel, names.dead_letter_queue());
        if (!got) break;
        last_tag = got->delivery_tag;
        DeadLetter d;
        d.message_id = got->message.message_id;
        d.type = got->message.type;
        d.work_key = original_work_key(got->message, got->routing_key);
        if (!got->message.deaths.empty()) {
            d.reason = got->message.deaths.front().reason;
            d.queue = got->message.deaths.front().queue;
        }
        for (const auto& death : got->message.deaths) d.deaths += death.count;
        d.body = std::move(got->message.body);
        out.push_back(std::move(d));
    }
    if (last_tag != 0) c.nack(kChannel, last_tag, true, true);
    return out;
}

ReplayResult dlq_replay(const AmqpUrl& url, const Names& names, const std::optional<std::string>& message_id) {
    AmqpConnection c(url, dlq_connect_options());
    c.open_channel(kChannel);
    c.enable_confirms(kChannel);
    ReplayResult result;
    std::uint64_t seq = 0;
    std::uint64_t last_kept = 0;  // highest tag of a message left unacknowledged (to be requeued)
    while (auto got = c.get(kChannel, names.dead_letter_queue())) {
        if (message_id && got->message.message_id != *message_id) {
            last_kept = got->delivery_tag;
            continue;
        }
        const auto key = original_work_key(got->message, got->routing_key);
        c.publish(kChannel, names.work_exchange(), key, prepared_for_replay(std::move(got->message), key), true);
        if (await_confirm(c, ++seq)) {
            c.ack(kChannel, got->delivery_tag);
            ++result.replayed;
        } else {
            last_kept = got->delivery_tag;
            ++result.failed;
        }
    }
    // nack(multiple) covers only tags not yet acknowledged, i.e. exactly the kept ones.
    if (last_kept != 0) c.nack(kChannel, last_kept, true, true);
    return result;
}

std::size_t dlq_purge(const AmqpUrl& url, const Names& names) {
    AmqpConnection c(url, dlq_connect_options());
    c.open_channel(kChannel);
    return c.purge_queue(kChannel, names.dead_letter_queue());
}

}  // namespace alatar::mq
