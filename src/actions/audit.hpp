#pragma once
// The append-only audit trail of proposals (the database refuses updates and deletes of audit_log rows).
// Every step of a proposal's life writes one entry in the same transaction as the step itself.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "db/transaction.hpp"

namespace alatar::actions {

struct AuditEntry {
    std::string actor;        // "user:<uuid>", "worker:<name>", "system"
    std::string action;       // "proposal.created", "proposal.approved", "execution.attempt", ...
    std::string proposal_id;  // subject "action_proposal:<uuid>"
    std::optional<std::string> request_id;
    std::optional<std::string> owner_id;  // the user whose trail this is
    std::string params_hash;              // parameters_hash() of the parameters involved
    boost::json::object details;          // non-secret context: status reached, Shopify's message
};

void append_audit(db::Transaction& tx, const AuditEntry& entry);

// SHA-256 (hex) of the canonical serialisation (object keys sorted, recursively) of `parameters`, so the same
// parameters always hash the same whatever order their keys arrived in.
std::string parameters_hash(const boost::json::value& parameters);
std::string canonical_json(const boost::json::value& value);

}  // namespace alatar::actions
