#pragma once
// Status, progress and task events of an analysis request, written to the outbox in the caller's
// transaction (so an event exists exactly when the change it describes was committed). Each event carries
// the request's next event_seq: per request, events are numbered in commit order (the request row is locked
// by every transaction that changes it), and subscribers drop any event older than the last one they saw.
#include <optional>
#include <string>
#include <string_view>

#include "db/transaction.hpp"

namespace alatar::agents {

struct TaskUpdate {
    std::string id;
    std::string name;
    std::string department;
    std::string status;
    std::int64_t error_count{0};
    std::optional<std::string> error;
};

// Reads the request's current status and progress, bumps event_seq and writes an analysis.event.
// `event` is one of contract::kEvent*. Returns the event's seq.
std::int64_t record_event(db::Transaction& tx, std::string_view request_id, std::string_view event,
                          const std::optional<std::string>& message = std::nullopt,
                          const std::optional<TaskUpdate>& task = std::nullopt);

}  // namespace alatar::agents
