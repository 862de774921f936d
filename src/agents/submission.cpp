#include "agents/submission.hpp"

#include <boost/json/object.hpp>

#include "agents/analysis_events.hpp"
#include "agents/contracts.hpp"
#include "agents/outbox.hpp"
#include "common/error.hpp"
#include "mq/envelope.hpp"

namespace alatar::agents {

namespace {

// Canonical 8-4-4-4-12 hex text: checked before it reaches SQL so that comparisons stay on the uuid index.
bool is_uuid(std::string_view text) noexcept {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
        if (dash ? c != '-' : !hex) return false;
    }
    return true;
}

}  // namespace

bool is_active_status(std::string_view status) noexcept {
    return status == "QUEUED" || status == "PLANNING" || status == "RUNNING" || status == "REVIEWING";
}

std::string submit_analysis_request(db::Transaction& tx, std::string_view user_id,
                                    const std::optional<std::string>& store_id, std::string_view prompt,
                                    std::string_view trace_id) {
    if (prompt.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        throw Error(ErrorCode::kBadUserInput, "the prompt is empty");
    }
    if (prompt.size() > kMaxPromptLength) {
        throw Error(ErrorCode::kBadUserInput,
                    "the prompt is longer than " + std::to_string(kMaxPromptLength) + " characters");
    }
    if (store_id) {
        if (!is_uuid(*store_id)) throw Error(ErrorCode::kNotFound, "store not found");
        const auto owned =
            tx.exec("SELECT 1 FROM shopify_stores WHERE id = $1 AND user_id = $2", db::Params{*store_id, user_id});
        if (owned.empty()) throw Error(ErrorCode::kNotFound, "store not found");
    }
    auto id = tx.exec(
                    "INSERT INTO analysis_requests (user_id, store_id, prompt, llm_model) "
                    "VALUES ($1, $2, $3, (SELECT llm_model FROM user_preferences WHERE user_id = $1)) "
                    "RETURNING id::text",
                    db::Params{user_id, store_id, prompt})
                  .scalar<std::string>();
    record_event(tx, id, contract::kEventStatusChanged);
    enqueue_work(tx, mq::WorkQueue::kOrchestrator,
                 mq::Envelope::make(std::string(contract::kAnalysisRequested), boost::json::object{{"request_id", id}},
                                    std::string(trace_id.empty() ? id : trace_id), id));
    return id;
}

std::string cancel_analysis_request(db::Transaction& tx, std::string_view user_id, std::string_view request_id) {
    if (!is_uuid(request_id)) throw Error(ErrorCode::kNotFound, "analysis request not found");
    const auto row = tx.exec("SELECT status FROM analysis_requests WHERE id = $1 AND user_id = $2 FOR UPDATE",
                             db::Params{request_id, user_id});
    if (row.empty()) throw Error(ErrorCode::kNotFound, "analysis request not found");
    auto status = row.get<std::string>(0, 0);
    if (!is_active_status(status)) return status;
    tx.exec(
        "UPDATE analysis_requests SET status = 'CANCELLED', cancel_requested = true, error = 'cancelled by the user', "
        "completed_at = now() WHERE id = $1",
        db::Params{request_id});
    tx.exec(
        "UPDATE agent_tasks SET status = 'CANCELLED', finished_at = now() "
        "WHERE request_id = $1 AND status IN ('PENDING', 'RUNNING', 'RETRYING')",
        db::Params{request_id});
    record_event(tx, request_id, contract::kEventStatusChanged, std::string("cancelled by the user"));
    return "CANCELLED";
}

}  // namespace alatar::agents
