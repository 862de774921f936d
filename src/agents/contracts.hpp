#pragma once
// Message contracts between API, relay, orchestrator and departments: the envelope `type` names and the JSON
// Schema of each payload. Every consumer validates a payload before acting on it, so a malformed message is
// rejected (dead-lettered) instead of half-processed.
//
//   analysis.requested  API -> orchestrator queue        {request_id}
//   task.dispatch       orchestrator -> department queue {request_id, task_id, department}
//   task.result         department -> results queue      {request_id, task_id, status}
//   action.execute      API -> actions queue             {proposal_id, request_id}
//   proposal.revise     API -> actions queue             {proposal_id, request_id} (a rejection with feedback)
//   store.refresh       API -> store_refresh queue       {store_id, requested_at} (a Shopify webhook: sync changes)
//   analysis.event      worker/API -> events exchange    {request_id, user_id, seq, event, status, progress,
//                                                         message?, task?}
#include <boost/json/value.hpp>
#include <string_view>

#include "mq/envelope.hpp"

namespace alatar::agents::contract {

inline constexpr std::string_view kAnalysisRequested = "analysis.requested";
inline constexpr std::string_view kTaskDispatch = "task.dispatch";
inline constexpr std::string_view kTaskResult = "task.result";
inline constexpr std::string_view kActionExecute = "action.execute";
inline constexpr std::string_view kProposalRevise = "proposal.revise";
inline constexpr std::string_view kStoreRefresh = "store.refresh";
inline constexpr std::string_view kAnalysisEvent = "analysis.event";

// Values of analysis.event's `event` (AnalysisRequestUpdate.event in the API).
inline constexpr std::string_view kEventStatusChanged = "STATUS_CHANGED";
inline constexpr std::string_view kEventProgress = "PROGRESS";
inline constexpr std::string_view kEventTaskUpdated = "TASK_UPDATED";
inline constexpr std::string_view kEventCompleted = "COMPLETED";
inline constexpr std::string_view kEventFailed = "FAILED";

// The payload schema of a message type; nullptr for a type without a contract.
const boost::json::value* payload_schema(std::string_view type);

// Throws alatar::Error(kBadUserInput) naming the violations when the type is unknown or the payload does not
// match its schema.
void validate_payload(const mq::Envelope& envelope);

}  // namespace alatar::agents::contract
