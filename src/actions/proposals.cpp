#include "actions/proposals.hpp"

#include <boost/json.hpp>

#include "actions/audit.hpp"
#include "agents/analysis_events.hpp"
#include "agents/contracts.hpp"
#include "common/error.hpp"

namespace alatar::actions {

namespace json = boost::json;
using intelligence::ActionKind;

namespace {

json::object parse_object(const db::Result& r, int row, std::string_view column) {
    if (r.is_null(row, column)) return {};
    const auto value = json::parse(r.text(row, r.column(column)));
    return value.is_object() ? value.get_object() : json::object{};
}

std::string str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return {};
    return v->is_string() ? std::string(v->get_string()) : json::serialize(*v);
}

json::object change(std::string target, std::string field, const std::string& before, std::string after) {
    return json::object{{"target", std::move(target)},
                        {"field", std::move(field)},
                        {"before", before.empty() ? json::value(nullptr) : json::value(before)},
                        {"after", std::move(after)}};
}

}  // namespace

std::vector<std::string> write_scopes(ActionKind kind) {
    switch (kind) {
        case ActionKind::kCreateDiscountCode:
            return {"write_discounts"};
        case ActionKind::kUpdateProductDescription:
        case ActionKind::kUpdateProductPrice:
            return {"write_products"};
        case ActionKind::kAdjustInventory:
            return {"write_inventory"};
        case ActionKind::kDraftMarketingEmail:
            return {};
    }
    return {};
}

json::array build_preview(ActionKind kind, const json::object& p, const json::object& live) {
    const std::string target = str(live, "title");
    switch (kind) {
        case ActionKind::kCreateDiscountCode:
            return json::array{change("discount " + str(p, "code"), "percentage", "", str(p, "percentage") + "%"),
                               change("discount " + str(p, "code"), "startsAt", "", str(p, "startsAt")),
                               change("discount " + str(p, "code"), "endsAt", "", str(p, "endsAt"))};
        case ActionKind::kUpdateProductDescription:
            return json::array{
                change(target, "descriptionHtml", str(live, "descriptionHtml"), str(p, "descriptionHtml"))};
        case ActionKind::kUpdateProductPrice:
            return json::array{change(target, "price", str(live, "price"), str(p, "newPrice"))};
        case ActionKind::kAdjustInventory: {
            const auto available = live.if_contains("available");
            const std::int64_t before = available != nullptr ? available->to_number<std::int64_t>() : 0;
            return json::array{change(target, "available", std::to_string(before),
                                      std::to_string(before + p.at("delta").to_number<std::int64_t>()))};
        }
        case ActionKind::kDraftMarketingEmail:
            return json::array{change("e-mail draft", "subject", "", str(p, "subject"))};
    }
    return {};
}

std::optional<ProposalRecord> lock_proposal(db::Transaction& tx, const std::string& id,
                                            const std::optional<std::string>& owner) {
    const auto r = tx.exec(
        "SELECT id::text AS id, request_id::text AS request_id, user_id::text AS user_id, store_id::text AS store_id, "
        "kind, status, parameters, before_image, outcome, required_scopes, expires_at, idempotency_key "
        "FROM action_proposals WHERE id::text = $1 AND ($2::text IS NULL OR user_id::text = $2) FOR UPDATE",
        db::Params{id, owner});
    if (r.empty()) return std::nullopt;
    ProposalRecord p;
    p.id = r.get<std::string>(0, "id");
    p.request_id = r.get<std::string>(0, "request_id");
    p.user_id = r.get<std::string>(0, "user_id");
    p.store_id = r.get<std::string>(0, "store_id");
    const auto kind = intelligence::parse_action_kind(r.get<std::string>(0, "kind"));
    if (!kind) throw Error(ErrorCode::kInternal, "unknown proposal kind in the database");
    p.kind = *kind;
    p.status = r.get<std::string>(0, "status");
    p.parameters = parse_object(r, 0, "parameters");
    p.before_image = parse_object(r, 0, "before_image");
    p.outcome = parse_object(r, 0, "outcome");
    p.required_scopes = r.get<std::vector<std::string>>(0, "required_scopes");
    p.expires_at = r.get<db::Timestamp>(0, "expires_at");
    p.idempotency_key = r.get<std::string>(0, "idempotency_key");
    return p;
}

std::string insert_proposal(db::Transaction& tx, const NewProposal& n, const std::string& actor) {
    const auto required = write_scopes(n.kind);
    std::vector<std::string> missing;
    for (const auto& scope : required) {
        if (std::find(n.granted_scopes.begin(), n.granted_scopes.end(), scope) == n.granted_scopes.end()) {
            missing.push_back(scope);
        }
    }
    const auto r = tx.exec(
        "INSERT INTO action_proposals (request_id, recommendation_id, store_id, user_id, kind, title, description, "
        "parameters, preview, required_scopes, missing_scopes, expires_at, idempotency_key, before_image, "
        "revision_of) VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, "
        "coalesce($14, gen_random_uuid()::text), $13::jsonb, $15::uuid) ON CONFLICT (idempotency_key) DO NOTHING "
        "RETURNING id::text",
        db::Params{n.request_id, n.recommendation_id, n.store_id, n.user_id,
                   std::string(intelligence::action_kind_name(n.kind)), n.title, n.description,
                   db::Json{json::serialize(n.parameters)},
                   db::Json{json::serialize(build_preview(n.kind, n.parameters, n.live))}, required, missing,
                   n.now + kProposalLifetime, db::Json{json::serialize(n.live)}, n.idempotency_key, n.revision_of});
    if (r.empty()) return {};
    auto id = r.scalar<std::string>();
    append_audit(tx, AuditEntry{.actor = actor,
                                .action = "proposal.created",
                                .proposal_id = id,
                                .request_id = n.request_id,
                                .owner_id = n.user_id,
                                .params_hash = parameters_hash(n.parameters),
                                .details = json::object{{"kind", intelligence::action_kind_name(n.kind)},
                                                        {"status", status::kPending}}});
    return id;
}

void announce(db::Transaction& tx, const ProposalRecord& proposal, std::string_view new_status) {
    agents::record_event(tx, proposal.request_id, agents::contract::kEventStatusChanged,
                         "action proposal " + proposal.id + " is " + std::string(new_status));
}

void set_status(db::Transaction& tx, const ProposalRecord& proposal, std::string_view new_status,
                const std::optional<json::object>& outcome, const std::optional<std::string>& reason) {
    tx.exec(
        "UPDATE action_proposals SET status = $2, "
        "outcome = CASE WHEN $3::text IS NULL THEN outcome ELSE $3::jsonb END, "
        "decision_reason = COALESCE($4, decision_reason), "
        "executed_at = CASE WHEN $2 IN ('SUCCEEDED', 'FAILED') THEN now() ELSE executed_at END, "
        "undone_at = CASE WHEN $2 = 'UNDONE' THEN now() ELSE undone_at END "
        "WHERE id::text = $1",
        db::Params{proposal.id, std::string(new_status),
                   outcome ? std::optional<std::string>(json::serialize(*outcome)) : std::nullopt, reason});
    announce(tx, proposal, new_status);
}

}  // namespace alatar::actions
