#include "agents/contracts.hpp"

#include <array>
#include <utility>

#include "agents/json_schema.hpp"
#include "common/error.hpp"

namespace alatar::agents::contract {

namespace {

constexpr std::string_view kUuid = R"({"type": "string", "minLength": 36, "maxLength": 36})";

struct Contract {
    std::string_view type;
    boost::json::value schema;
};

std::array<Contract, 7> make_contracts() {
    const std::string uuid{kUuid};
    auto schema = [](const std::string& text) { return parse_schema(text); };
    return {{
        {kAnalysisRequested,
         schema(R"({"type": "object", "required": ["request_id"], "properties": {"request_id": )" + uuid + "}}")},
        {kTaskDispatch,
         schema(R"({"type": "object", "required": ["request_id", "task_id", "department"], "properties": {)"
                R"("request_id": )" +
                uuid + R"(, "task_id": )" + uuid + R"(, "department": {"type": "string", "minLength": 1}}})")},
        {kTaskResult,
         schema(R"({"type": "object", "required": ["request_id", "task_id", "status"], "properties": {)"
                R"("request_id": )" +
                uuid + R"(, "task_id": )" + uuid + R"(, "status": {"enum": ["SUCCEEDED", "FAILED", "CANCELLED"]}}})")},
        {kActionExecute, schema(R"({"type": "object", "required": ["proposal_id", "request_id"], "properties": {)"
                                R"("proposal_id": )" +
                                uuid + R"(, "request_id": )" + uuid + "}}")},
        {kProposalRevise, schema(R"({"type": "object", "required": ["proposal_id", "request_id"], "properties": {)"
                                 R"("proposal_id": )" +
                                 uuid + R"(, "request_id": )" + uuid + "}}")},
        {kStoreRefresh, schema(R"({"type": "object", "required": ["store_id", "requested_at"], "properties": {)"
                               R"("store_id": )" +
                               uuid + R"(, "requested_at": {"type": "string", "minLength": 20, "maxLength": 40}}})")},
        {kAnalysisEvent,
         schema(R"({"type": "object", "required": ["request_id", "user_id", "seq", "event", "status", "progress"],)"
                R"( "properties": {"request_id": )" +
                uuid + R"(, "user_id": )" + uuid +
                R"(, "seq": {"type": "integer", "minimum": 1},)"
                R"( "event": {"enum": ["STATUS_CHANGED", "PROGRESS", "TASK_UPDATED", "COMPLETED", "FAILED"]},)"
                R"( "status": {"enum": ["QUEUED", "PLANNING", "RUNNING", "REVIEWING", "COMPLETED", "FAILED",)"
                R"( "CANCELLED"]},)"
                R"( "progress": {"type": "number", "minimum": 0, "maximum": 1},)"
                R"( "message": {"type": ["string", "null"]},)"
                R"( "task": {"type": "object", "required": ["id", "name", "status", "error_count"]}}})")},
    }};
}

const std::array<Contract, 7>& contracts() {
    static const std::array<Contract, 7> kContracts = make_contracts();
    return kContracts;
}

}  // namespace

const boost::json::value* payload_schema(std::string_view type) {
    for (const auto& c : contracts()) {
        if (c.type == type) return &c.schema;
    }
    return nullptr;
}

void validate_payload(const mq::Envelope& envelope) {
    const auto* schema = payload_schema(envelope.type);
    if (schema == nullptr) throw Error(ErrorCode::kBadUserInput, "unknown message type '" + envelope.type + "'");
    const auto violations = validate_schema(*schema, envelope.payload);
    if (!violations.empty()) {
        throw Error(ErrorCode::kBadUserInput,
                    "invalid " + envelope.type + " payload: " + describe_violations(violations));
    }
}

}  // namespace alatar::agents::contract
