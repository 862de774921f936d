#include "actions/executor.hpp"

#include <boost/json.hpp>
#include <ctime>
#include <thread>

#include "actions/audit.hpp"
#include "actions/proposals.hpp"
#include "actions/store_writer.hpp"
#include "actions/target.hpp"
#include "db/connection.hpp"
#include "shopify/sync.hpp"

namespace alatar::actions {

namespace json = boost::json;
using intelligence::ActionKind;

namespace {

enum class Phase { kExecute, kUndo };

struct Claim {
    ProposalRecord proposal;
    Phase phase = Phase::kExecute;
    std::int64_t attempt = 1;
    std::optional<json::object> before_state;  // committed before a previous call
    std::chrono::milliseconds since_call{0};   // how long ago that call began
};

std::string iso_now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf.data();
}

std::string str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

std::int64_t integer(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_number() ? v->to_number<std::int64_t>() : 0;
}

bool exists(const json::object& live) {
    const auto* v = live.if_contains("exists");
    return v != nullptr && v->is_bool() && v->get_bool();
}

// The proposal's view of the target before the change: its before-image, else its parameters.
json::object expected_before(const ProposalRecord& p) {
    json::object b = p.before_image;
    if (p.kind == ActionKind::kUpdateProductPrice && !b.contains("price")) b["price"] = p.parameters.at("currentPrice");
    if (p.kind == ActionKind::kAdjustInventory && !b.contains("available"))
        b["available"] = p.parameters.at("currentAvailable");
    return b;
}

// Does `live` hold what the proposal saw? (first attempt of an execution)
std::optional<std::string> staleness(const ProposalRecord& p, const json::object& live) {
    const json::object before = expected_before(p);
    const auto& params = p.parameters;
    switch (p.kind) {
        case ActionKind::kCreateDiscountCode:
            if (exists(live)) return "the discount code " + str(params, "code") + " exists in the store now";
            return std::nullopt;
        case ActionKind::kUpdateProductDescription:
            if (!exists(live)) return std::string("the product no longer exists");
            if (str(live, "descriptionHtml") != str(before, "descriptionHtml"))
                return std::string("the product's description changed since the proposal was made");
            return std::nullopt;
        case ActionKind::kUpdateProductPrice:
            if (!exists(live)) return std::string("the variant no longer exists");
            if (!same_amount(str(live, "price"), str(before, "price")))
                return "the price is now " + str(live, "price") + ", not " + str(before, "price") +
                       " as when the proposal was made";
            return std::nullopt;
        case ActionKind::kAdjustInventory:
            if (!exists(live)) return std::string("the item is no longer stocked at that location");
            if (integer(live, "available") != integer(before, "available"))
                return "available inventory is now " + std::to_string(integer(live, "available")) + ", not " +
                       std::to_string(integer(before, "available")) + " as when the proposal was made";
            return std::nullopt;
        case ActionKind::kDraftMarketingEmail:
            return std::nullopt;
    }
    return std::nullopt;
}

// Before undoing (first attempt): the executed change must still be what the store holds.
std::optional<std::string> undo_blocker(const ProposalRecord& p, const json::object& live) {
    const auto& params = p.parameters;
    switch (p.kind) {
        case ActionKind::kCreateDiscountCode:
            return exists(live) ? std::nullopt : std::optional<std::string>("the discount no longer exists");
        case ActionKind::kUpdateProductDescription:
            if (str(live, "descriptionHtml") != str(params, "descriptionHtml"))
                return std::string("the description was changed again after the action; not overwritten");
            return std::nullopt;
        case ActionKind::kUpdateProductPrice:
            if (!same_amount(str(live, "price"), str(params, "newPrice")))
                return "the price was changed again after the action (now " + str(live, "price") + "); not overwritten";
            return std::nullopt;
        case ActionKind::kAdjustInventory:
            if (integer(live, "available") - integer(params, "delta") < 0)
                return std::string("undoing would take available inventory below zero");
            return std::nullopt;
        case ActionKind::kDraftMarketingEmail:
            return std::nullopt;
    }
    return std::nullopt;
}

// After a previous attempt committed `before_state`: did its write reach the store?
bool already_applied(const ProposalRecord& p, Phase phase, const json::object& before_state, const json::object& live) {
    const auto& params = p.parameters;
    const json::object original = expected_before(p);
    switch (p.kind) {
        case ActionKind::kCreateDiscountCode:
            return phase == Phase::kExecute ? exists(live) : str(live, "status") == "EXPIRED";
        case ActionKind::kUpdateProductDescription:
            return str(live, "descriptionHtml") ==
                   (phase == Phase::kExecute ? str(params, "descriptionHtml") : str(original, "descriptionHtml"));
        case ActionKind::kUpdateProductPrice:
            return same_amount(str(live, "price"),
                               phase == Phase::kExecute ? str(params, "newPrice") : str(original, "price"));
        case ActionKind::kAdjustInventory: {
            const std::int64_t delta = integer(params, "delta");
            return integer(live, "available") ==
                   integer(before_state, "available") + (phase == Phase::kExecute ? delta : -delta);
        }
        case ActionKind::kDraftMarketingEmail:
            return true;
    }
    return false;
}

bool same_state(const json::object& a, const json::object& b) { return canonical_json(a) == canonical_json(b); }

}  // namespace

ActionExecutor::ActionExecutor(ExecutorOptions options, db::Pool& pool, shopify::AdminClient& client,
                               crypto::Keyring keyring, Logger log)
    : options_(std::move(options)), pool_(pool), client_(client), keyring_(std::move(keyring)), log_(std::move(log)) {}

std::string ActionExecutor::run(const std::string& proposal_id) {
    db::Connection conn(options_.database_url);
    // Session-level: held across the transactions below, dropped with the connection if this process dies.
    conn.exec("SELECT pg_advisory_lock(hashtext($1))", db::Params{"alatar.action:" + proposal_id});
    const std::string actor = "worker:" + options_.worker_name;
    const db::TxOptions once{.isolation = db::Isolation::kReadCommitted,
                             .read_only = false,
                             .max_attempts = 1,
                             .deadline = Deadline::never()};

    auto audit = [&](db::Transaction& tx, const ProposalRecord& p, std::string action, json::object details) {
        append_audit(tx, AuditEntry{.actor = actor,
                                    .action = std::move(action),
                                    .proposal_id = p.id,
                                    .request_id = p.request_id,
                                    .owner_id = p.user_id,
                                    .params_hash = parameters_hash(p.parameters),
                                    .details = std::move(details)});
    };

    // 1. Claim.
    std::string final_status;
    const auto claim = db::run_transaction(
        conn,
        [&](db::Transaction& tx) -> std::optional<Claim> {
            auto p = lock_proposal(tx, proposal_id);
            if (!p) return std::nullopt;
            final_status = p->status;
            Claim c;
            if (p->status == status::kApproved || p->status == status::kExecuting) {
                c.phase = Phase::kExecute;
            } else if (p->status == status::kUndoing) {
                c.phase = Phase::kUndo;
            } else {
                return std::nullopt;  // decided, done, or a duplicate delivery: nothing to do
            }
            const std::string phase = c.phase == Phase::kExecute ? "EXECUTE" : "UNDO";
            const auto r = tx.exec(
                "INSERT INTO action_executions (proposal_id, phase) VALUES ($1::uuid, $2) "
                "ON CONFLICT (proposal_id, phase) DO UPDATE SET attempts = action_executions.attempts + 1 "
                "RETURNING attempts, state, before_state, "
                "COALESCE(EXTRACT(EPOCH FROM (now() - called_at)) * 1000, 0)::bigint AS since_call_ms",
                db::Params{p->id, phase});
            if (r.get<std::string>(0, "state") == "DONE") return std::nullopt;
            c.attempt = r.get<std::int64_t>(0, "attempts");
            c.since_call = std::chrono::milliseconds(r.get<std::int64_t>(0, "since_call_ms"));
            if (!r.is_null(0, "before_state"))
                c.before_state = json::parse(r.text(0, r.column("before_state"))).as_object();
            if (p->status == status::kApproved) set_status(tx, *p, status::kExecuting);
            audit(tx, *p, "execution.attempt", json::object{{"phase", phase}, {"attempt", c.attempt}});
            c.proposal = std::move(*p);
            return c;
        },
        once);
    if (!claim) return final_status;
    const ProposalRecord& p = claim->proposal;
    const bool undo = claim->phase == Phase::kUndo;
    const std::string phase_name = undo ? "UNDO" : "EXECUTE";

    auto finish = [&](std::string_view new_status, json::object outcome, const json::object& result) {
        db::run_transaction(
            conn,
            [&](db::Transaction& tx) {
                tx.exec(
                    "UPDATE action_executions SET state = 'DONE', result = $3::jsonb, finished_at = now() "
                    "WHERE proposal_id::text = $1 AND phase = $2",
                    db::Params{p.id, phase_name, db::Json{json::serialize(result)}});
                if (undo) {
                    tx.exec("UPDATE action_proposals SET undo_outcome = $2::jsonb WHERE id::text = $1",
                            db::Params{p.id, db::Json{json::serialize(outcome)}});
                    set_status(tx, p, new_status);
                } else {
                    set_status(tx, p, new_status, outcome,
                               new_status == status::kExpired
                                   ? std::optional<std::string>(std::string(outcome.at("message").as_string()))
                                   : std::nullopt);
                }
                audit(tx, p, undo ? "undo.outcome" : "execution.outcome",
                      json::object{{"status", new_status},
                                   {"message", outcome.at("message")},
                                   {"shopifyUserErrors", outcome.at("shopifyUserErrors")}});
            },
            once);
        final_status = std::string(new_status);
    };
    auto outcome = [](bool succeeded, std::string message, const std::vector<std::string>& errors = {}) {
        json::array e;
        for (const auto& m : errors) e.emplace_back(m);
        return json::object{{"succeeded", succeeded},
                            {"message", std::move(message)},
                            {"shopifyUserErrors", std::move(e)},
                            {"executedAt", iso_now()}};
    };

    const auto shop = shopify::load_store_credentials(pool_, p.store_id, keyring_);
    const Deadline deadline = Deadline::after(options_.call_timeout);
    TargetReader reader(client_, shop, deadline);
    StoreWriter writer(client_, shop, deadline);

    // 2. Where does the store stand? A previous attempt's request may still be in flight (its worker died, the
    // request did not): wait until it can no longer land before looking.
    if (claim->before_state && claim->since_call < options_.in_flight_grace) {
        std::this_thread::sleep_for(options_.in_flight_grace - claim->since_call);
    }
    const json::object live = reader.read(p.kind, p.parameters);
    json::object executed = p.outcome.contains("result") && p.outcome.at("result").is_object()
                                ? p.outcome.at("result").as_object()
                                : json::object{};
    if (claim->before_state) {
        if (already_applied(p, claim->phase, *claim->before_state, live)) {
            if (!undo && p.kind == ActionKind::kCreateDiscountCode) executed["discountId"] = live.at("id");
            auto o = outcome(true, "The change was already in the store (an earlier attempt wrote it); not repeated.");
            o["result"] = executed;
            o["recovered"] = true;
            finish(undo ? status::kUndone : status::kSucceeded, o, executed);
            return final_status;
        }
        if (!same_state(*claim->before_state, live)) {
            finish(undo ? status::kUndoFailed : status::kFailed,
                   outcome(false,
                           "The store changed during an interrupted attempt; whether the change was "
                           "applied cannot be told, so it was not repeated."),
                   {});
            return final_status;
        }
    } else {
        if (auto reason = undo ? undo_blocker(p, live) : staleness(p, live)) {
            finish(undo ? status::kUndoFailed : status::kExpired, outcome(false, "Not executed: " + *reason + "."), {});
            return final_status;
        }
        // The idempotency record's before_state is committed before the call.
        db::run_transaction(
            conn,
            [&](db::Transaction& tx) {
                tx.exec(
                    "UPDATE action_executions SET before_state = $3::jsonb, called_at = now() "
                    "WHERE proposal_id::text = $1 AND phase = $2",
                    db::Params{p.id, phase_name, db::Json{json::serialize(live)}});
            },
            once);
    }

    // 3. The call.
    WriteOutcome written;
    try {
        written = undo ? writer.revert(p.kind, p.parameters, expected_before(p), executed, p.idempotency_key)
                       : writer.apply(p.kind, p.parameters, p.idempotency_key);
    } catch (const shopify::ShopifyApiError& e) {
        finish(undo ? status::kUndoFailed : status::kFailed, outcome(false, e.what()), {});
        return final_status;
    } catch (const shopify::TokenRevoked& e) {
        finish(undo ? status::kUndoFailed : status::kFailed, outcome(false, e.what()), {});
        return final_status;
    }
    if (after_call) after_call();
    if (!written.ok) {
        std::string message = "Shopify refused the change: ";
        for (std::size_t i = 0; i < written.user_errors.size(); ++i)
            message += (i > 0 ? "; " : "") + written.user_errors[i];
        finish(undo ? status::kUndoFailed : status::kFailed, outcome(false, message, written.user_errors),
               written.result);
        return final_status;
    }
    auto o = outcome(true, undo ? "The change was undone in the store." : "The change was made in the store.");
    o["result"] = undo ? executed : written.result;
    finish(undo ? status::kUndone : status::kSucceeded, o, written.result);
    log_.info("action executed", {{"proposal", p.id}, {"status", final_status}, {"phase", phase_name}});
    return final_status;
}

}  // namespace alatar::actions
