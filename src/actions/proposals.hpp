#pragma once
// Rows of action_proposals: creation (PENDING, with the live preview and before-image), locked reads, status
// changes, and the event every transition pushes to the request's subscribers.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "db/params.hpp"
#include "db/transaction.hpp"
#include "intelligence/proposal_validator.hpp"

namespace alatar::actions {

inline constexpr std::chrono::hours kProposalLifetime{24 * 7};

namespace status {
inline constexpr std::string_view kPending = "PENDING";
inline constexpr std::string_view kApproved = "APPROVED";
inline constexpr std::string_view kExecuting = "EXECUTING";
inline constexpr std::string_view kSucceeded = "SUCCEEDED";
inline constexpr std::string_view kFailed = "FAILED";
inline constexpr std::string_view kRejected = "REJECTED";
inline constexpr std::string_view kExpired = "EXPIRED";
inline constexpr std::string_view kUndoing = "UNDOING";
inline constexpr std::string_view kUndone = "UNDONE";
inline constexpr std::string_view kUndoFailed = "UNDO_FAILED";
}  // namespace status

struct ProposalRecord {
    std::string id;
    std::string request_id;
    std::string user_id;
    std::string store_id;
    intelligence::ActionKind kind = intelligence::ActionKind::kCreateDiscountCode;
    std::string status;
    boost::json::object parameters;
    boost::json::object before_image;  // the target's state when the proposal was made (TargetReader)
    boost::json::object outcome;
    std::vector<std::string> required_scopes;
    db::Timestamp expires_at{};
    std::string idempotency_key;
};

// SELECT ... FOR UPDATE; with `owner` only that user's proposal (another user's answers nullopt, like a missing one).
std::optional<ProposalRecord> lock_proposal(db::Transaction& tx, const std::string& id,
                                            const std::optional<std::string>& owner = std::nullopt);

struct NewProposal {
    std::string request_id;
    std::optional<std::string> recommendation_id;
    std::string store_id;
    std::string user_id;
    intelligence::ActionKind kind = intelligence::ActionKind::kCreateDiscountCode;
    std::string title;
    std::string description;
    boost::json::object parameters;  // validated
    boost::json::object live;        // TargetReader state read just now
    std::vector<std::string> granted_scopes;
    db::Timestamp now{};
    std::optional<std::string> revision_of;      // the rejected proposal this one revises
    std::optional<std::string> idempotency_key;  // fixed key (a redelivered job inserts nothing); random if unset
};

// Inserts a PENDING proposal (preview from `live`, required and missing scopes, expiry now + 7 days) and its
// "proposal.created" audit entry. Returns its id, or "" when a proposal with the same idempotency key exists
// (nothing is written then).
std::string insert_proposal(db::Transaction& tx, const NewProposal& proposal, const std::string& actor);

// The write scopes a kind needs (none for a marketing e-mail draft).
std::vector<std::string> write_scopes(intelligence::ActionKind kind);
// Field-by-field before/after of a proposal, as ActionProposal.preview (FieldChange objects).
boost::json::array build_preview(intelligence::ActionKind kind, const boost::json::object& parameters,
                                 const boost::json::object& live);

// Sets the status (and the JSON columns given), then announces the transition.
void set_status(db::Transaction& tx, const ProposalRecord& proposal, std::string_view new_status,
                const std::optional<boost::json::object>& outcome = std::nullopt,
                const std::optional<std::string>& reason = std::nullopt);

// A STATUS_CHANGED event on the request's stream naming the proposal and its new status.
void announce(db::Transaction& tx, const ProposalRecord& proposal, std::string_view new_status);

}  // namespace alatar::actions
