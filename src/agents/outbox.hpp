#pragma once
// The transactional outbox: a message is written as a row in the same transaction as the state change it
// announces, and the relay (outbox_relay.hpp) publishes it after commit. A crash between commit and publish
// therefore delays a message but never loses it, and a rolled-back change never announces anything.
#include <string>
#include <string_view>

#include "db/transaction.hpp"
#include "mq/envelope.hpp"
#include "mq/topology.hpp"

namespace alatar::agents {

// Outbox `headers.exchange` values: which exchange of the topology the relay publishes to.
inline constexpr std::string_view kOutboxExchangeWork = "work";
inline constexpr std::string_view kOutboxExchangeEvents = "events";

// A work message for `queue` (routing key = its work key). Returns the outbox row id.
std::int64_t enqueue_work(db::Transaction& tx, mq::WorkQueue queue, const mq::Envelope& envelope);

// An event on the events exchange, routing key "analysis.<envelope.request_id>".
std::int64_t enqueue_event(db::Transaction& tx, const mq::Envelope& envelope);

}  // namespace alatar::agents
