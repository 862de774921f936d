#pragma once
// The merchant's decisions on a proposal: approve (optionally with edited parameters), reject, undo.
// Each runs in one transaction holding the proposal's row lock, so a double or concurrent approval is decided
// once: the first moves the proposal on, the others find it no longer PENDING. An approval queues an
// action.execute message through the outbox (published only if the approval commits).
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.hpp"
#include "intelligence/proposal_validator.hpp"

namespace alatar::actions {

enum class DecisionError {
    kNone,
    kNotFound,      // no such proposal, or another user's (indistinguishable on purpose)
    kWrongStatus,   // not PENDING (approve/reject) or not SUCCEEDED (undo)
    kInvalid,       // edited parameters break a rule (violations name it)
    kMissingScope,  // the store lacks a write scope the kind needs; nothing is called
    kExpired,       // past its expiry
};

struct DecisionResult {
    DecisionError error = DecisionError::kNone;
    std::string message;
    std::vector<intelligence::Violation> violations;
    std::string status;  // the proposal's status afterwards
    bool ok() const noexcept { return error == DecisionError::kNone; }
};

struct Actor {
    std::string user_id;
    std::string trace_id;  // correlates the audit entries with the API request's logs
};

class Decisions {
  public:
    explicit Decisions(db::Pool& pool) : pool_(pool) {}

    DecisionResult approve(const Actor& actor, const std::string& proposal_id,
                           const std::optional<boost::json::value>& edited_parameters);
    // With `revise`, the reason is the merchant's feedback (required) and a proposal.revise job is queued through
    // the outbox in the same transaction; the worker answers with a revised proposal (revision.hpp).
    DecisionResult reject(const Actor& actor, const std::string& proposal_id, const std::optional<std::string>& reason,
                          bool revise = false);
    DecisionResult undo(const Actor& actor, const std::string& proposal_id);

  private:
    db::Pool& pool_;
};

// Parameter fields that name the target or its recorded current value: an edit may not change them (the
// staleness check and the ±50 % price rule are measured against them).
std::vector<std::string> fixed_fields(intelligence::ActionKind kind);
inline constexpr std::string_view kRuleFixedField = "edit.fixed_field";

}  // namespace alatar::actions
