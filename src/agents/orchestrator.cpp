#include "agents/orchestrator.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_to.hpp>
#include <map>
#include <set>

#include "agents/analysis_events.hpp"
#include "agents/builtin_tools.hpp"
#include "agents/contracts.hpp"
#include "agents/outbox.hpp"
#include "agents/planning.hpp"
#include "agents/review.hpp"
#include "agents/submission.hpp"
#include "agents/tracing.hpp"
#include "common/crypto.hpp"
#include "common/error.hpp"
#include "db/pool.hpp"

namespace alatar::agents {

namespace {

namespace json = boost::json;

constexpr std::string_view kOrchestratorConsumer = "orchestrator";
constexpr std::string_view kResultsConsumer = "results";

struct TaskRow {
    std::string id;
    std::string name;
    std::string department;
    std::string status;
    std::vector<std::string> depends_on;
    bool dispatched{false};
    bool essential{false};
    json::object output;
    std::optional<std::string> error;
    std::int64_t error_count{0};
};

bool is_finished(std::string_view status) {
    return status == "SUCCEEDED" || status == "FAILED" || status == "CANCELLED";
}

// True when this consumer has not seen the message yet (and remembers it in the caller's transaction).
bool first_delivery(db::Transaction& tx, std::string_view consumer, std::string_view message_id) {
    return tx.exec("INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                   db::Params{consumer, message_id})
               .affected_rows() == 1;
}

std::vector<TaskRow> load_tasks(db::Transaction& tx, const std::string& request_id) {
    const auto r = tx.exec(
        "SELECT id::text, name, coalesce(department, ''), status, depends_on::text[], dispatched_at IS NOT NULL, "
        "coalesce((input->>'essential')::boolean, false), coalesce(output, '{}'::jsonb)::text, error, error_count "
        "FROM agent_tasks WHERE request_id = $1 AND agent_class = 'DEPARTMENT' ORDER BY created_at, name",
        db::Params{request_id});
    std::vector<TaskRow> tasks;
    tasks.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        TaskRow t;
        t.id = r.get<std::string>(i, 0);
        t.name = r.get<std::string>(i, 1);
        t.department = r.get<std::string>(i, 2);
        t.status = r.get<std::string>(i, 3);
        t.depends_on = r.get<std::vector<std::string>>(i, 4);
        t.dispatched = r.get<bool>(i, 5);
        t.essential = r.get<bool>(i, 6);
        auto parsed = json::parse(r.text(i, 7));
        if (parsed.is_object()) t.output = std::move(parsed.as_object());
        t.error = r.get<std::optional<std::string>>(i, 8);
        t.error_count = r.get<std::int64_t>(i, 9);
        tasks.push_back(std::move(t));
    }
    return tasks;
}

TaskUpdate update_of(const TaskRow& t) {
    return TaskUpdate{t.id, t.name, t.department, t.status, t.error_count, t.error};
}

void finish_request(db::Transaction& tx, const std::string& request_id, bool completed, const std::string& error) {
    tx.exec(
        "UPDATE analysis_requests SET status = $2, progress = CASE WHEN $2 = 'COMPLETED' THEN 1 ELSE progress END, "
        "error = $3, completed_at = now() WHERE id = $1",
        db::Params{request_id, std::string(completed ? "COMPLETED" : "FAILED"),
                   completed ? std::optional<std::string>{} : std::optional<std::string>{error}});
    tx.exec(
        "UPDATE agent_tasks SET status = $2, finished_at = now(), error = $3 "
        "WHERE request_id = $1 AND agent_class = 'ORCHESTRATOR'",
        db::Params{request_id, std::string(completed ? "SUCCEEDED" : "FAILED"),
                   completed ? std::optional<std::string>{} : std::optional<std::string>{error}});
    record_event(tx, request_id, completed ? contract::kEventCompleted : contract::kEventFailed,
                 completed ? std::optional<std::string>{} : std::optional<std::string>{error});
}

std::vector<std::string> string_array(const json::value* v) {
    std::vector<std::string> out;
    if (v == nullptr || !v->is_array()) return out;
    for (const auto& s : v->get_array()) {
        if (s.is_string()) out.emplace_back(s.get_string());
    }
    return out;
}

// Stores the recommendations' proposals as PENDING action_proposals rows (preview, required and missing scopes,
// expiry in 7 days) in the review's transaction, and points each embedded proposal at its row: the id the API
// decides on (approveActionProposal), status and timestamps. The idempotency key is derived from the request,
// recommendation and proposal, so a redelivered review stores nothing twice. The agents only write these rows;
// executing them is the action executor's (src/actions), which re-validates the parameters.
void store_proposals(db::Transaction& tx, const std::string& request_id, json::array& recommendations) {
    if (recommendations.empty()) return;
    const auto owner = tx.exec(
        "SELECT r.user_id::text, r.store_id::text, coalesce(s.scopes, '{}') FROM analysis_requests r "
        "JOIN shopify_stores s ON s.id = r.store_id WHERE r.id = $1",
        db::Params{request_id});
    if (owner.empty()) return;
    const auto user_id = owner.get<std::string>(0, 0);
    const auto store_id = owner.get<std::string>(0, 1);
    const auto granted = owner.get<std::vector<std::string>>(0, 2);
    for (auto& rec_value : recommendations) {
        auto& rec = rec_value.as_object();
        const std::string rec_id = rec.contains("id") ? json::value_to<std::string>(rec.at("id")) : std::string{};
        auto* proposals = rec.if_contains("proposals");
        if (proposals == nullptr || !proposals->is_array()) continue;
        for (auto& p_value : proposals->as_array()) {
            auto& p = p_value.as_object();
            const std::vector<std::string> required = string_array(p.if_contains("requiredScopes"));
            std::vector<std::string> missing;
            for (const auto& scope : required) {
                if (std::find(granted.begin(), granted.end(), scope) == granted.end()) missing.push_back(scope);
            }
            std::string key = "analysis:" + request_id;
            key.append(":").append(rec_id).append(":");
            if (p.contains("id")) key += json::value_to<std::string>(p.at("id"));
            const auto row = tx.exec(
                "WITH ins AS (INSERT INTO action_proposals (request_id, recommendation_id, store_id, user_id, kind, "
                "title, description, parameters, preview, required_scopes, missing_scopes, expires_at, "
                "idempotency_key, before_image) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, "
                "now() + interval '7 days', $12, $13::jsonb) ON CONFLICT (idempotency_key) DO NOTHING "
                "RETURNING id::text, status, created_at) "
                "SELECT id, status, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                "FROM ins UNION ALL SELECT id::text, status, "
                "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                "FROM action_proposals WHERE idempotency_key = $12",
                db::Params{request_id, rec_id, store_id, user_id, json::value_to<std::string>(p.at("kind")),
                           json::value_to<std::string>(p.at("title")), json::value_to<std::string>(p.at("description")),
                           db::Json{json::serialize(p.at("parameters"))},
                           db::Json{json::serialize(p.contains("preview") ? p.at("preview") : json::array{})}, required,
                           missing, key, db::Json{json::serialize(proposal_before_image(p))}});
            const std::string uuid = row.get<std::string>(0, 0);
            p["id"] = crypto::base64url_encode("ActionProposal:" + uuid);
            p["status"] = row.get<std::string>(0, 1);
            p["createdAt"] = row.get<std::string>(0, 2);
            json::array missing_json;
            for (const auto& m : missing) missing_json.emplace_back(m);
            p["missingScopes"] = std::move(missing_json);
        }
    }
}

void set_status(db::Transaction& tx, const std::string& request_id, std::string_view status) {
    tx.exec("UPDATE analysis_requests SET status = $2 WHERE id = $1", db::Params{request_id, status});
    record_event(tx, request_id, contract::kEventStatusChanged);
}

}  // namespace

// What the proposal saw of its target, for the executor's staleness check: a description change carries the
// HTML it replaces (price and inventory proposals carry theirs in their parameters).
json::object proposal_before_image(const json::object& proposal) {
    json::object image;
    const auto* kind = proposal.if_contains("kind");
    const auto* preview = proposal.if_contains("preview");
    if (kind == nullptr || !kind->is_string() || kind->get_string() != "UPDATE_PRODUCT_DESCRIPTION") return image;
    if (preview == nullptr || !preview->is_array()) return image;
    for (const auto& change : preview->get_array()) {
        const auto* field = change.is_object() ? change.get_object().if_contains("field") : nullptr;
        if (field == nullptr || !field->is_string() || field->get_string() != "descriptionHtml") continue;
        const auto* before = change.get_object().if_contains("before");
        image["descriptionHtml"] = before != nullptr && before->is_string() ? before->get_string() : "";
    }
    return image;
}

std::string_view department_work_key(std::string_view department) {
    if (department == departments::kDataRetrieval) return mq::work_key(mq::WorkQueue::kDataRetrieval);
    if (department == departments::kQuantitative) return mq::work_key(mq::WorkQueue::kQuantitative);
    if (department == departments::kQualitative) return mq::work_key(mq::WorkQueue::kQualitative);
    if (department == departments::kRecommendation) return mq::work_key(mq::WorkQueue::kRecommendation);
    throw Error(ErrorCode::kInternal, "unknown department '" + std::string(department) + "'");
}

Orchestrator::Orchestrator(db::Pool& pool, Logger log, OrchestratorOptions options)
    : pool_(pool), log_(std::move(log)), options_(std::move(options)) {}

void Orchestrator::on_requested(const mq::Envelope& envelope) {
    const std::string request_id{envelope.payload.at("request_id").as_string()};
    CommittedSpans spans{options_.span_sink};
    pool_.transact_blocking(
        [&](db::Transaction& tx) {
            if (!first_delivery(tx, kOrchestratorConsumer, envelope.id)) return;
            plan(tx, request_id, envelope.trace_id, spans);
        },
        {}, Deadline::after(options_.step_timeout));
    spans.committed();
}

void Orchestrator::plan(db::Transaction& tx, const std::string& request_id, const std::string& trace_id,
                        CommittedSpans& spans) {
    const auto req = tx.exec(
        "SELECT r.status, r.prompt, r.store_id::text, coalesce(s.timezone, 'UTC'), coalesce(s.currency, 'USD') "
        "FROM analysis_requests r LEFT JOIN shopify_stores s ON s.id = r.store_id WHERE r.id = $1 FOR UPDATE OF r",
        db::Params{request_id});
    if (req.empty()) throw Error(ErrorCode::kNotFound, "analysis request " + request_id + " not found");
    if (req.get<std::string>(0, 0) != "QUEUED") return;  // already planned, or cancelled before we got here

    Trace trace{request_id, &spans};
    SpanTimer span{trace, "orchestrator.plan", "agent", root_span_id(request_id)};
    span.set("worker", options_.worker_name);
    set_status(tx, request_id, "PLANNING");
    const auto store_id = req.get<std::optional<std::string>>(0, 2);
    if (!store_id) {
        span.fail("no store");
        span.end();
        trace.flush(tx);
        finish_request(tx, request_id, false, "No Shopify store is linked to this request.");
        return;
    }
    AnalysisPlan p;
    try {
        p = make_plan(req.get<std::string>(0, 1), req.get<std::string>(0, 3), std::chrono::system_clock::now());
    } catch (const std::invalid_argument& e) {
        span.fail(e.what());
        span.end();
        trace.flush(tx);
        finish_request(tx, request_id, false, std::string("Could not plan the analysis: ") + e.what());
        return;
    }
    span.set("intent", p.intent);
    span.set("confidence", p.confidence);
    span.set("tasks", static_cast<std::int64_t>(p.tasks.size()));

    const json::object meta{{"intent", p.intent},       {"period", p.period_phrase}, {"window_from", p.window_from},
                            {"window_to", p.window_to}, {"first_day", p.first_day},  {"last_day", p.last_day}};
    const std::string root_id = mq::new_uuid();
    tx.exec(
        "INSERT INTO agent_tasks (id, request_id, agent_class, name, status, assigned_worker, attempts, input, "
        "started_at) VALUES ($1, $2, 'ORCHESTRATOR', 'orchestrate', 'RUNNING', $3, 1, $4::jsonb, now())",
        db::Params{root_id, request_id, options_.worker_name, db::Json{json::serialize(meta)}});
    std::map<std::string, std::string> ids;
    for (const auto& t : p.tasks) ids[t.name] = mq::new_uuid();
    for (const auto& t : p.tasks) {
        std::vector<std::string> deps;
        deps.reserve(t.depends_on.size());
        for (const auto& d : t.depends_on) deps.push_back(ids.at(d));
        const json::object input{{"calls", t.calls}, {"essential", t.essential}};
        tx.exec(
            "INSERT INTO agent_tasks (id, request_id, parent_id, agent_class, department, name, input, depends_on) "
            "VALUES ($1, $2, $3, 'DEPARTMENT', $4, $5, $6::jsonb, $7::uuid[])",
            db::Params{ids.at(t.name), request_id, root_id, t.department, t.name, db::Json{json::serialize(input)},
                       deps});
    }
    tx.exec("UPDATE analysis_requests SET status = 'RUNNING', intent = $2, progress = 0.05 WHERE id = $1",
            db::Params{request_id, p.intent});
    record_event(tx, request_id, contract::kEventStatusChanged);
    span.end();
    trace.flush(tx);
    advance(tx, request_id, trace_id, spans);
}

void Orchestrator::on_result(const mq::Envelope& envelope) {
    const std::string request_id{envelope.payload.at("request_id").as_string()};
    CommittedSpans spans{options_.span_sink};
    pool_.transact_blocking(
        [&](db::Transaction& tx) {
            if (!first_delivery(tx, kResultsConsumer, envelope.id)) return;
            const auto req =
                tx.exec("SELECT status FROM analysis_requests WHERE id = $1 FOR UPDATE", db::Params{request_id});
            if (req.empty()) throw Error(ErrorCode::kNotFound, "analysis request " + request_id + " not found");
            if (req.get<std::string>(0, 0) != "RUNNING") return;  // finished, cancelled or failed meanwhile
            advance(tx, request_id, envelope.trace_id, spans);
        },
        {}, Deadline::after(options_.step_timeout));
    spans.committed();
}

void Orchestrator::advance(db::Transaction& tx, const std::string& request_id, const std::string& trace_id,
                           CommittedSpans& spans) {
    std::vector<TaskRow> tasks = load_tasks(tx, request_id);
    std::map<std::string, TaskRow*> by_id;
    for (auto& t : tasks) by_id[t.id] = &t;

    // Skip tasks whose essential dependency failed; repeat for chains.
    for (bool changed = true; changed;) {
        changed = false;
        for (auto& t : tasks) {
            if (t.status != "PENDING") continue;
            for (const auto& dep : t.depends_on) {
                const TaskRow* d = by_id.at(dep);
                if (d->essential && (d->status == "FAILED" || d->status == "CANCELLED")) {
                    t.status = "CANCELLED";
                    t.error = "skipped: " + task_label(d->name) + " could not be computed";
                    tx.exec(
                        "UPDATE agent_tasks SET status = 'CANCELLED', error = $2, finished_at = now() WHERE id = $1",
                        db::Params{t.id, *t.error});
                    record_event(tx, request_id, contract::kEventTaskUpdated, std::nullopt, update_of(t));
                    changed = true;
                    break;
                }
            }
        }
    }
    // Dispatch tasks whose dependencies have all finished.
    for (auto& t : tasks) {
        if (t.status != "PENDING" || t.dispatched) continue;
        bool ready = true;
        for (const auto& dep : t.depends_on) ready = ready && is_finished(by_id.at(dep)->status);
        if (!ready) continue;
        tx.exec("UPDATE agent_tasks SET dispatched_at = now() WHERE id = $1", db::Params{t.id});
        t.dispatched = true;
        const auto queue = mq::parse_work_key(department_work_key(t.department));
        enqueue_work(tx, *queue,
                     mq::Envelope::make(
                         std::string(contract::kTaskDispatch),
                         json::object{{"request_id", request_id}, {"task_id", t.id}, {"department", t.department}},
                         trace_id, request_id));
    }

    std::size_t finished = 0;
    for (const auto& t : tasks) finished += is_finished(t.status) ? 1 : 0;
    const double progress = tasks.empty() ? 0.9 : 0.05 + 0.85 * static_cast<double>(finished) / tasks.size();
    if (finished < tasks.size()) {
        const auto changed = tx.exec("UPDATE analysis_requests SET progress = $2 WHERE id = $1 AND progress < $2",
                                     db::Params{request_id, progress});
        if (changed.affected_rows() > 0) record_event(tx, request_id, contract::kEventProgress);
        return;
    }

    // Every task finished: review.
    Trace trace{request_id, &spans};
    SpanTimer span{trace, "orchestrator.review", "agent", root_span_id(request_id)};
    span.set("worker", options_.worker_name);
    tx.exec("UPDATE analysis_requests SET progress = 0.9 WHERE id = $1 AND progress < 0.9", db::Params{request_id});
    set_status(tx, request_id, "REVIEWING");
    const auto meta_row =
        tx.exec("SELECT input::text FROM agent_tasks WHERE request_id = $1 AND agent_class = 'ORCHESTRATOR'",
                db::Params{request_id});
    json::object meta;
    if (!meta_row.empty()) {
        auto parsed = json::parse(meta_row.text(0, 0));
        if (parsed.is_object()) meta = std::move(parsed.as_object());
    }
    std::vector<FinishedTask> finished_tasks;
    finished_tasks.reserve(tasks.size());
    for (const auto& t : tasks) finished_tasks.push_back({t.name, t.status, t.output, t.error, t.essential});
    ReviewOutcome outcome = review(finished_tasks, meta);
    span.set("completed", outcome.completed);
    span.set("missing", static_cast<std::int64_t>(outcome.missing.size()));
    if (outcome.completed) {
        const auto str = [&](std::string_view key) -> std::optional<std::string> {
            const auto* v = meta.if_contains(key);
            if (v == nullptr || !v->is_string()) return std::nullopt;
            return std::string(v->get_string());
        };
        store_proposals(tx, request_id, outcome.recommendations);
        tx.exec(
            "INSERT INTO analysis_results (request_id, summary, kpis, visualizations, recommendations, "
            "data_window_from, data_window_to) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7) "
            "ON CONFLICT (request_id) DO NOTHING",
            db::Params{request_id, outcome.summary, db::Json{json::serialize(outcome.kpis)},
                       db::Json{json::serialize(outcome.visualizations)},
                       db::Json{json::serialize(outcome.recommendations)}, str("window_from"), str("window_to")});
    } else {
        span.fail(outcome.error);
    }
    span.end();
    trace.flush(tx);
    finish_request(tx, request_id, outcome.completed, outcome.error);
    if (!outcome.completed) log_.info("analysis failed", {{"analysis_id", request_id}, {"reason", outcome.error}});
}

std::size_t Orchestrator::fail_stalled(std::chrono::milliseconds stalled_for) {
    return pool_.transact_blocking(
        [&](db::Transaction& tx) {
            const auto r = tx.exec(
                "SELECT id::text FROM analysis_requests WHERE status IN ('QUEUED', 'PLANNING', 'RUNNING', 'REVIEWING') "
                "AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT 100 "
                "FOR UPDATE SKIP LOCKED",
                db::Params{static_cast<double>(stalled_for.count()) / 1000.0});
            for (int i = 0; i < r.rows(); ++i) {
                const auto id = r.get<std::string>(i, 0);
                tx.exec(
                    "UPDATE agent_tasks SET status = 'CANCELLED', finished_at = now(), error = 'timed out' "
                    "WHERE request_id = $1 AND status IN ('PENDING', 'RUNNING', 'RETRYING')",
                    db::Params{id});
                finish_request(
                    tx, id, false,
                    "The analysis timed out: no progress for " + std::to_string(stalled_for.count() / 1000) + " s.");
            }
            return static_cast<std::size_t>(r.rows());
        },
        {}, Deadline::after(options_.step_timeout));
}

}  // namespace alatar::agents
