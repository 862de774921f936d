#pragma once
// The revision job (proposal.revise, queued by rejectActionProposal(revise: true) through the outbox): takes the
// rejected proposal and the merchant's feedback (its rejection reason), applies the feedback rules
// (revision_rules.hpp), re-validates with the same validator the recommendations use, and stores ONE new PENDING
// proposal of the same kind linked to the original (revision_of), with a fresh preview from the live store and a
// 7-day expiry. Idempotent: the revision's idempotency key is "revision:<original id>", so a redelivered job finds
// the revision already there and stores nothing. Reads the store, never writes to it.
#include <boost/json/object.hpp>
#include <functional>
#include <string>
#include <vector>

#include "actions/proposals.hpp"
#include "common/log.hpp"
#include "db/pool.hpp"

namespace alatar::actions {

// The target's live state for a proposal's parameters (TargetReader::read in the worker).
using LiveReader =
    std::function<boost::json::object(const ProposalRecord& original, const boost::json::object& parameters)>;

struct RevisionOutcome {
    std::string revision_id;                          // the revision's id (new or found); "" when none was stored
    bool created = false;                             // false for a redelivery, or when nothing could be revised
    std::string skipped;                              // why no revision was stored ("" when one exists)
    std::vector<intelligence::Violation> violations;  // the revised parameters broke these rules
};

class Reviser {
  public:
    Reviser(db::Pool& pool, LiveReader live, Logger log, std::string worker_name = "actions")
        : pool_(pool), live_(std::move(live)), log_(std::move(log)), worker_name_(std::move(worker_name)) {}

    RevisionOutcome run(const std::string& proposal_id);

  private:
    db::Pool& pool_;
    LiveReader live_;
    Logger log_;
    std::string worker_name_;
};

// The idempotency key of the revision of `proposal_id`.
std::string revision_key(const std::string& proposal_id);

}  // namespace alatar::actions
