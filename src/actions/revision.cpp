#include "actions/revision.hpp"

#include <boost/json.hpp>

#include "actions/audit.hpp"
#include "actions/revision_rules.hpp"

namespace alatar::actions {

namespace json = boost::json;

namespace {

constexpr std::string_view kRevisedPrefix = "Revised: ";

struct Original {
    ProposalRecord record;
    std::optional<std::string> recommendation_id;
    std::string title;
    std::string feedback;
    std::vector<std::string> granted_scopes;
};

std::optional<Original> load_original(db::Transaction& tx, const std::string& id) {
    auto record = lock_proposal(tx, id);
    if (!record) return std::nullopt;
    const auto r = tx.exec(
        "SELECT p.recommendation_id, p.title, coalesce(p.decision_reason, '') AS reason, "
        "coalesce(s.scopes, '{}') AS scopes FROM action_proposals p "
        "LEFT JOIN shopify_stores s ON s.id = p.store_id WHERE p.id::text = $1",
        db::Params{id});
    Original o{.record = std::move(*record),
               .recommendation_id = r.get<std::optional<std::string>>(0, "recommendation_id"),
               .title = r.get<std::string>(0, "title"),
               .feedback = r.get<std::string>(0, "reason"),
               .granted_scopes = r.get<std::vector<std::string>>(0, "scopes")};
    return o;
}

std::optional<std::string> existing_revision(db::Transaction& tx, const std::string& id) {
    const auto r =
        tx.exec("SELECT id::text FROM action_proposals WHERE idempotency_key = $1", db::Params{revision_key(id)});
    if (r.empty()) return std::nullopt;
    return r.get<std::string>(0, 0);
}

std::string revised_title(const std::string& title) {
    return std::string(kRevisedPrefix) +
           (title.starts_with(kRevisedPrefix) ? title.substr(kRevisedPrefix.size()) : title);
}

std::string describe(const RevisedParameters& revised, const std::string& feedback) {
    if (revised.matched) return "Revised after your feedback \u201c" + feedback + "\u201d: " + revised.summary + ".";
    return "No rule matched your feedback \u201c" + feedback +
           "\u201d, so the change was adjusted conservatively (half its size): " + revised.summary + ".";
}

}  // namespace

std::string revision_key(const std::string& proposal_id) { return "revision:" + proposal_id; }

RevisionOutcome Reviser::run(const std::string& proposal_id) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    // First pass: what to revise (and whether a redelivery finds it done). The live read happens outside any
    // transaction, so no row lock is held during a network call.
    struct Plan {
        Original original;
        RevisedParameters revised;
        intelligence::ValidationResult validation;
    };
    std::optional<Plan> plan;
    RevisionOutcome outcome;
    pool_.transact_blocking([&](db::Transaction& tx) {
        auto original = load_original(tx, proposal_id);
        if (!original) {
            outcome.skipped = "no such proposal";
            return;
        }
        if (auto done = existing_revision(tx, proposal_id)) {
            outcome.revision_id = *done;
            return;
        }
        if (original->record.status != status::kRejected) {
            outcome.skipped = "the proposal is " + original->record.status + ", not REJECTED";
            return;
        }
        auto revised = revise_parameters(original->record.kind, original->record.parameters, original->feedback, now);
        auto validation =
            intelligence::validate_proposal(original->record.kind, json::value(revised.parameters), {.now = now});
        plan = Plan{std::move(*original), std::move(revised), std::move(validation)};
    });
    if (!plan) return outcome;
    const ProposalRecord& original = plan->original.record;
    if (!plan->validation.ok()) {
        // The rules could not produce valid parameters: recorded, and the merchant keeps the rejection.
        outcome.skipped = "the revised parameters break a rule";
        outcome.violations = plan->validation.violations;
        json::array rules;
        for (const auto& v : outcome.violations) rules.emplace_back(v.rule + " (" + v.field + ")");
        pool_.transact_blocking([&](db::Transaction& tx) {
            append_audit(tx, AuditEntry{.actor = "worker:" + worker_name_,
                                        .action = "proposal.revision_failed",
                                        .proposal_id = original.id,
                                        .request_id = original.request_id,
                                        .owner_id = original.user_id,
                                        .params_hash = parameters_hash(json::value(plan->revised.parameters)),
                                        .details = json::object{{"violations", std::move(rules)}}});
        });
        log_.warning("revision breaks a rule", {{"proposal", original.id}});
        return outcome;
    }
    const json::object live = live_ ? live_(original, plan->validation.parameters) : json::object{};
    pool_.transact_blocking([&](db::Transaction& tx) {
        auto locked = lock_proposal(tx, proposal_id);  // serialises concurrent deliveries of the same job
        if (!locked) return;
        const NewProposal n{.request_id = original.request_id,
                            .recommendation_id = plan->original.recommendation_id,
                            .store_id = original.store_id,
                            .user_id = original.user_id,
                            .kind = original.kind,
                            .title = revised_title(plan->original.title),
                            .description = describe(plan->revised, plan->original.feedback),
                            .parameters = plan->validation.parameters,
                            .live = live,
                            .granted_scopes = plan->original.granted_scopes,
                            .now = std::chrono::system_clock::now(),
                            .revision_of = original.id,
                            .idempotency_key = revision_key(original.id)};
        const std::string id = insert_proposal(tx, n, "worker:" + worker_name_);
        if (id.empty()) {  // a concurrent delivery stored it first
            outcome.revision_id = existing_revision(tx, proposal_id).value_or("");
            return;
        }
        append_audit(tx, AuditEntry{.actor = "worker:" + worker_name_,
                                    .action = "proposal.revised",
                                    .proposal_id = original.id,
                                    .request_id = original.request_id,
                                    .owner_id = original.user_id,
                                    .params_hash = parameters_hash(json::value(n.parameters)),
                                    .details = json::object{{"revision", id},
                                                            {"rule_matched", plan->revised.matched},
                                                            {"summary", plan->revised.summary}}});
        ProposalRecord revision = original;
        revision.id = id;
        announce(tx, revision, status::kPending);  // STATUS_CHANGED on the request: subscribers see it
        outcome.revision_id = id;
        outcome.created = true;
    });
    log_.info("proposal revised", {{"proposal", original.id}, {"revision", outcome.revision_id}});
    return outcome;
}

}  // namespace alatar::actions
