#include "actions/decisions.hpp"

#include <boost/json.hpp>

#include "actions/audit.hpp"
#include "actions/proposals.hpp"
#include "agents/contracts.hpp"
#include "agents/outbox.hpp"

namespace alatar::actions {

namespace json = boost::json;
using intelligence::ActionKind;

namespace {

std::string actor_name(const Actor& a) { return "user:" + a.user_id; }

intelligence::Instant now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

AuditEntry entry(const Actor& actor, const ProposalRecord& p, std::string action, const json::value& parameters,
                 json::object details) {
    details["trace_id"] = actor.trace_id;
    return AuditEntry{.actor = actor_name(actor),
                      .action = std::move(action),
                      .proposal_id = p.id,
                      .request_id = p.request_id,
                      .owner_id = p.user_id,
                      .params_hash = parameters_hash(parameters),
                      .details = std::move(details)};
}

DecisionResult fail(DecisionError error, std::string message, std::string status) {
    return DecisionResult{.error = error, .message = std::move(message), .violations = {}, .status = std::move(status)};
}

void queue_execution(db::Transaction& tx, const ProposalRecord& p, const Actor& actor) {
    agents::enqueue_work(tx, mq::WorkQueue::kActions,
                         mq::Envelope::make(std::string(agents::contract::kActionExecute),
                                            json::object{{"proposal_id", p.id}, {"request_id", p.request_id}},
                                            actor.trace_id, p.request_id));
}

}  // namespace

std::vector<std::string> fixed_fields(ActionKind kind) {
    switch (kind) {
        case ActionKind::kUpdateProductDescription:
            return {"productId"};
        case ActionKind::kUpdateProductPrice:
            return {"productId", "variantId", "currentPrice"};
        case ActionKind::kAdjustInventory:
            return {"inventoryItemId", "locationId", "currentAvailable"};
        case ActionKind::kCreateDiscountCode:
        case ActionKind::kDraftMarketingEmail:
            return {};
    }
    return {};
}

DecisionResult Decisions::approve(const Actor& actor, const std::string& proposal_id,
                                  const std::optional<json::value>& edited) {
    return pool_.transact_blocking([&](db::Transaction& tx) -> DecisionResult {
        auto p = lock_proposal(tx, proposal_id, actor.user_id);
        if (!p) return fail(DecisionError::kNotFound, "No action proposal with this id.", "");
        const json::value candidate = edited ? *edited : json::value(p->parameters);
        if (p->status != status::kPending) {
            append_audit(tx, entry(actor, *p, "proposal.approve_refused", candidate,
                                   json::object{{"reason", "not pending"}, {"status", p->status}}));
            return fail(DecisionError::kWrongStatus,
                        "This proposal is " + p->status + "; only a PENDING proposal can be approved.", p->status);
        }
        if (p->expires_at <= std::chrono::system_clock::now()) {
            set_status(tx, *p, status::kExpired, std::nullopt, std::string("the proposal expired before approval"));
            append_audit(tx,
                         entry(actor, *p, "proposal.expired", candidate, json::object{{"status", status::kExpired}}));
            return fail(DecisionError::kExpired, "This proposal expired before it was approved.",
                        std::string(status::kExpired));
        }
        // Edited parameters go through the same validator the rules used, plus: the target stays the same.
        DecisionResult result;
        if (edited && edited->is_object()) {
            for (const auto& field : fixed_fields(p->kind)) {
                const auto* before = p->parameters.if_contains(field);
                const auto* after = edited->get_object().if_contains(field);
                if (before != nullptr && (after == nullptr || *after != *before)) {
                    result.violations.push_back({std::string(kRuleFixedField), field,
                                                 "cannot be changed when approving (it names the target or its "
                                                 "current value)"});
                }
            }
        }
        auto validation = intelligence::validate_proposal(p->kind, candidate, {.now = now_seconds()});
        for (auto& v : validation.violations) result.violations.push_back(std::move(v));
        if (!result.violations.empty()) {
            std::string message = "The parameters break ";
            for (std::size_t i = 0; i < result.violations.size(); ++i) {
                const auto& v = result.violations[i];
                message +=
                    (i > 0 ? "; " : "") + std::string("rule ") + v.rule + " (" + v.field + ": " + v.message + ")";
            }
            append_audit(tx, entry(actor, *p, "proposal.approve_refused", candidate,
                                   json::object{{"reason", "invalid parameters"}, {"message", message}}));
            result.error = DecisionError::kInvalid;
            result.message = std::move(message);
            result.status = p->status;
            return result;
        }
        // The store must hold the write scope now (it may have changed since the proposal was made).
        const auto granted = tx.exec("SELECT scopes FROM shopify_stores WHERE id::text = $1", db::Params{p->store_id});
        const auto scopes = granted.empty() ? std::vector<std::string>{} : granted.get<std::vector<std::string>>(0, 0);
        for (const auto& scope : write_scopes(p->kind)) {
            if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
                tx.exec("UPDATE action_proposals SET missing_scopes = $2 WHERE id::text = $1",
                        db::Params{p->id, std::vector<std::string>{scope}});
                std::string message = "The store has not granted the ";
                message += scope;
                message += " scope this action needs; nothing was sent to Shopify. Link the store again and grant ";
                message += scope;
                message += ".";
                append_audit(tx, entry(actor, *p, "proposal.approve_refused", candidate,
                                       json::object{{"reason", "missing scope"}, {"scope", scope}}));
                return fail(DecisionError::kMissingScope, message, p->status);
            }
        }
        tx.exec("UPDATE action_proposals SET parameters = $2::jsonb, decided_at = now() WHERE id::text = $1",
                db::Params{p->id, db::Json{json::serialize(validation.parameters)}});
        append_audit(tx, entry(actor, *p, "proposal.approved", json::value(validation.parameters),
                               json::object{{"edited", edited.has_value()}}));
        if (p->kind == ActionKind::kDraftMarketingEmail) {
            // Nothing to write to the store: the approved draft is recorded for export.
            const json::object outcome{{"succeeded", true},
                                       {"message", "Draft approved and recorded for export; no store change."},
                                       {"shopifyUserErrors", json::array{}},
                                       {"executedAt", nullptr},
                                       {"draft", validation.parameters}};
            set_status(tx, *p, status::kSucceeded, outcome);
            tx.exec(
                "UPDATE action_proposals SET outcome = jsonb_set(outcome, '{executedAt}', "
                "to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))) WHERE id::text = $1",
                db::Params{p->id});
            return DecisionResult{.error = DecisionError::kNone,
                                  .message = {},
                                  .violations = {},
                                  .status = std::string(status::kSucceeded)};
        }
        set_status(tx, *p, status::kApproved);
        queue_execution(tx, *p, actor);
        return DecisionResult{
            .error = DecisionError::kNone, .message = {}, .violations = {}, .status = std::string(status::kApproved)};
    });
}

DecisionResult Decisions::reject(const Actor& actor, const std::string& proposal_id,
                                 const std::optional<std::string>& reason, bool revise) {
    if (revise && (!reason || reason->find_first_not_of(" \t\r\n") == std::string::npos)) {
        return fail(DecisionError::kInvalid,
                    "A revised proposal needs your feedback: say in the reason what should change (for example "
                    "\"too generous, go lower\").",
                    "");
    }
    return pool_.transact_blocking([&](db::Transaction& tx) -> DecisionResult {
        auto p = lock_proposal(tx, proposal_id, actor.user_id);
        if (!p) return fail(DecisionError::kNotFound, "No action proposal with this id.", "");
        if (p->status != status::kPending) {
            return fail(DecisionError::kWrongStatus,
                        "This proposal is " + p->status + "; only a PENDING proposal can be rejected.", p->status);
        }
        tx.exec("UPDATE action_proposals SET decided_at = now() WHERE id::text = $1", db::Params{p->id});
        set_status(tx, *p, status::kRejected, std::nullopt, reason);
        json::object details{{"status", status::kRejected}};
        if (reason) details["reason"] = *reason;
        append_audit(tx, entry(actor, *p, "proposal.rejected", json::value(p->parameters), std::move(details)));
        if (revise) {
            // The revision job rides the outbox: it is published only if the rejection commits, and a broker
            // outage delays it without losing it.
            append_audit(tx, entry(actor, *p, "proposal.revision_requested", json::value(p->parameters),
                                   json::object{{"feedback", *reason}}));
            agents::enqueue_work(tx, mq::WorkQueue::kActions,
                                 mq::Envelope::make(std::string(agents::contract::kProposalRevise),
                                                    json::object{{"proposal_id", p->id}, {"request_id", p->request_id}},
                                                    actor.trace_id, p->request_id));
        }
        return DecisionResult{
            .error = DecisionError::kNone, .message = {}, .violations = {}, .status = std::string(status::kRejected)};
    });
}

DecisionResult Decisions::undo(const Actor& actor, const std::string& proposal_id) {
    return pool_.transact_blocking([&](db::Transaction& tx) -> DecisionResult {
        auto p = lock_proposal(tx, proposal_id, actor.user_id);
        if (!p) return fail(DecisionError::kNotFound, "No action proposal with this id.", "");
        if (p->status != status::kSucceeded || p->kind == ActionKind::kDraftMarketingEmail) {
            return fail(DecisionError::kWrongStatus,
                        "This proposal is " + p->status + "; only an executed store change can be undone.", p->status);
        }
        set_status(tx, *p, status::kUndoing);
        append_audit(tx, entry(actor, *p, "proposal.undo_requested", json::value(p->parameters),
                               json::object{{"status", status::kUndoing}}));
        queue_execution(tx, *p, actor);
        return DecisionResult{
            .error = DecisionError::kNone, .message = {}, .violations = {}, .status = std::string(status::kUndoing)};
    });
}

}  // namespace alatar::actions
