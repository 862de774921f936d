#include "agents/analysis_events.hpp"

#include <boost/json/object.hpp>

#include "agents/contracts.hpp"
#include "agents/outbox.hpp"
#include "mq/envelope.hpp"

namespace alatar::agents {

std::int64_t record_event(db::Transaction& tx, std::string_view request_id, std::string_view event,
                          const std::optional<std::string>& message, const std::optional<TaskUpdate>& task) {
    const auto row = tx.exec(
        "UPDATE analysis_requests SET event_seq = event_seq + 1 WHERE id = $1 "
        "RETURNING event_seq, status, progress, user_id::text",
        db::Params{request_id});
    const auto seq = row.get<std::int64_t>(0, 0);
    boost::json::object payload{
        {"request_id", request_id}, {"user_id", row.get<std::string>(0, 3)}, {"seq", seq},
        {"event", event},           {"status", row.get<std::string>(0, 1)},  {"progress", row.get<double>(0, 2)}};
    if (message) payload["message"] = *message;
    if (task) {
        boost::json::object t{{"id", task->id},
                              {"name", task->name},
                              {"department", task->department},
                              {"status", task->status},
                              {"error_count", task->error_count}};
        if (task->error) t["error"] = *task->error;
        payload["task"] = std::move(t);
    }
    enqueue_event(tx, mq::Envelope::make(std::string(contract::kAnalysisEvent), std::move(payload), std::string{},
                                         std::string(request_id)));
    return seq;
}

}  // namespace alatar::agents
