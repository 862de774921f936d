#include "agents/department.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>

#include "agents/analysis_events.hpp"
#include "agents/contracts.hpp"
#include "agents/outbox.hpp"
#include "agents/submission.hpp"
#include "agents/tools.hpp"
#include "agents/tracing.hpp"
#include "common/error.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"

namespace alatar::agents {

namespace {

namespace json = boost::json;

constexpr std::string_view kDepartmentConsumer = "department";

struct Claim {
    std::string name;
    std::string department;
    json::array calls;
    std::int64_t attempt{0};
    std::int64_t error_count{0};
    ToolContext context;
};

json::object parse_object(std::string_view text) {
    auto v = json::parse(text);
    return v.is_object() ? std::move(v.as_object()) : json::object{};
}

void send_result(db::Transaction& tx, const std::string& request_id, const std::string& task_id,
                 std::string_view status, const std::string& trace_id) {
    enqueue_work(tx, mq::WorkQueue::kResults,
                 mq::Envelope::make(std::string(contract::kTaskResult),
                                    json::object{{"request_id", request_id}, {"task_id", task_id}, {"status", status}},
                                    trace_id, request_id));
}

}  // namespace

mq::RetryTier retry_tier_for(std::int64_t error_count, mq::RetryTier cap) noexcept {
    const mq::RetryTier tier = mq::tier_for_attempt(error_count > 0 ? error_count - 1 : 0);
    return static_cast<int>(tier) < static_cast<int>(cap) ? tier : cap;
}

DepartmentRunner::DepartmentRunner(db::Pool& pool, const ToolRegistry& tools, StoreDataSource& data_source, Logger log,
                                   DepartmentOptions options)
    : pool_(pool), tools_(tools), data_source_(data_source), log_(std::move(log)), options_(std::move(options)) {}

mq::Decision DepartmentRunner::on_dispatch(const mq::Delivery& delivery) {
    const auto& payload = delivery.envelope.payload.as_object();
    const std::string request_id{payload.at("request_id").as_string()};
    const std::string task_id{payload.at("task_id").as_string()};
    const std::string& trace_id = delivery.envelope.trace_id;
    ReadOnlyDb read_only{pool_};

    // 1. Claim.
    const std::optional<Claim> claim = pool_.transact_blocking(
        [&](db::Transaction& tx) -> std::optional<Claim> {
            const auto r = tx.exec(
                "SELECT t.status, t.name, coalesce(t.department, ''), t.input::text, t.depends_on::text[], "
                "t.error_count, r.status, r.store_id::text, coalesce(s.timezone, 'UTC'), coalesce(s.currency, 'USD') "
                "FROM agent_tasks t JOIN analysis_requests r ON r.id = t.request_id "
                "LEFT JOIN shopify_stores s ON s.id = r.store_id WHERE t.id = $1 AND t.request_id = $2 "
                "FOR UPDATE OF t",
                db::Params{task_id, request_id});
            if (r.empty()) throw Error(ErrorCode::kNotFound, "task " + task_id + " not found");
            const auto status = r.get<std::string>(0, 0);
            if (status == "SUCCEEDED" || status == "FAILED" || status == "CANCELLED") return std::nullopt;
            Claim c;
            c.name = r.get<std::string>(0, 1);
            c.department = r.get<std::string>(0, 2);
            if (!is_active_status(r.get<std::string>(0, 6))) {
                tx.exec("UPDATE agent_tasks SET status = 'CANCELLED', finished_at = now() WHERE id = $1",
                        db::Params{task_id});
                return std::nullopt;
            }
            const auto input = parse_object(r.text(0, 3));
            if (const auto* calls = input.if_contains("calls"); calls != nullptr && calls->is_array()) {
                c.calls = calls->as_array();
            }
            c.error_count = r.get<std::int64_t>(0, 5);
            c.attempt =
                tx.exec(
                      "UPDATE agent_tasks SET status = 'RUNNING', attempts = attempts + 1, assigned_worker = $2, "
                      "started_at = coalesce(started_at, now()) WHERE id = $1 RETURNING attempts",
                      db::Params{task_id, options_.worker_name})
                    .scalar<std::int64_t>();
            c.context.request_id = request_id;
            c.context.store_id = r.get<std::optional<std::string>>(0, 7).value_or("");
            c.context.shop_timezone = r.get<std::string>(0, 8);
            c.context.currency = r.get<std::string>(0, 9);
            const auto deps = r.get<std::vector<std::string>>(0, 4);
            if (!deps.empty()) {
                const auto d = tx.exec(
                    "SELECT name, output::text FROM agent_tasks WHERE id = ANY($1::uuid[]) AND status = 'SUCCEEDED'",
                    db::Params{deps});
                for (int i = 0; i < d.rows(); ++i) c.context.dependencies[d.text(i, 0)] = parse_object(d.text(i, 1));
            }
            record_event(tx, request_id, contract::kEventTaskUpdated, std::nullopt,
                         TaskUpdate{task_id, c.name, c.department, "RUNNING", c.error_count, std::nullopt});
            return c;
        },
        {}, Deadline::after(options_.step_timeout));
    if (!claim) return mq::Decision::ack();

    // 2. Run the tool calls.
    CommittedSpans exported_spans{options_.span_sink};
    Trace trace{request_id, &exported_spans};
    std::optional<SpanTimer> task_span;
    task_span.emplace(trace, "department." + claim->name, "agent", root_span_id(request_id));
    task_span->set("department", claim->department);
    task_span->set("task_id", task_id);
    task_span->set("attempt", claim->attempt);
    task_span->set("worker", options_.worker_name);
    ToolContext context = claim->context;
    context.db = &read_only;
    context.data_source = &data_source_;
    context.datasets = &datasets_;
    context.deadline = Deadline::after(options_.task_timeout);
    json::object results;
    std::optional<std::string> failure;
    for (const auto& call : claim->calls) {
        const auto& c = call.as_object();
        const std::string tool{c.at("tool").as_string()};
        const json::object input = c.contains("input") ? c.at("input").as_object() : json::object{};
        SpanTimer tool_span{trace, "tool." + tool, "tool", task_span->id()};
        tool_span.set("arguments", input);
        context.span = ParentSpan{&trace, tool_span.id(), options_.worker_name};
        try {
            results[tool] = tools_.call(claim->department, tool, context, input);
        } catch (const db::DbError& e) {
            if (e.kind() == db::FailureKind::kConnectionLost) throw;  // infrastructure: retry, do not count
            failure = "tool " + tool + " failed: " + e.what();
        } catch (const Error& e) {
            failure = "tool " + tool + " failed: " + e.what();
        } catch (const std::exception& e) {
            failure = "tool " + tool + " failed: " + e.what();
        }
        if (failure) {
            tool_span.fail(*failure);
            break;
        }
    }
    if (failure) task_span->fail(*failure);
    task_span.reset();

    // 3. Settle.
    bool retry = false;
    std::int64_t error_count = claim->error_count;
    pool_.transact_blocking(
        [&](db::Transaction& tx) {
            retry = false;
            const auto r =
                tx.exec("SELECT status, attempts FROM agent_tasks WHERE id = $1 FOR UPDATE", db::Params{task_id});
            if (r.empty() || r.get<std::string>(0, 0) != "RUNNING" || r.get<std::int64_t>(0, 1) != claim->attempt) {
                return;  // cancelled, or claimed again by a redelivery: that attempt settles the task
            }
            trace.flush(tx);
            if (!failure) {
                tx.exec(
                    "UPDATE agent_tasks SET status = 'SUCCEEDED', output = $2::jsonb, error = NULL, finished_at = "
                    "now() "
                    "WHERE id = $1",
                    db::Params{task_id, db::Json{json::serialize(json::object{{"results", results}})}});
                tx.exec("INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        db::Params{kDepartmentConsumer, delivery.envelope.id});
                record_event(
                    tx, request_id, contract::kEventTaskUpdated, std::nullopt,
                    TaskUpdate{task_id, claim->name, claim->department, "SUCCEEDED", claim->error_count, std::nullopt});
                send_result(tx, request_id, task_id, "SUCCEEDED", trace_id);
                return;
            }
            error_count = tx.exec(
                                "UPDATE agent_tasks SET error_count = error_count + 1, error = $2, "
                                "status = CASE WHEN error_count + 1 >= $3 THEN 'FAILED' ELSE 'RETRYING' END, "
                                "finished_at = CASE WHEN error_count + 1 >= $3 THEN now() END "
                                "WHERE id = $1 RETURNING error_count",
                                db::Params{task_id, *failure, options_.max_errors})
                              .scalar<std::int64_t>();
            const bool failed = error_count >= options_.max_errors;
            record_event(tx, request_id, contract::kEventTaskUpdated,
                         failed ? std::optional<std::string>{"failed after " + std::to_string(error_count) + " errors"}
                                : std::nullopt,
                         TaskUpdate{task_id, claim->name, claim->department, failed ? "FAILED" : "RETRYING",
                                    error_count, *failure});
            if (failed) {
                tx.exec("INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        db::Params{kDepartmentConsumer, delivery.envelope.id});
                send_result(tx, request_id, task_id, "FAILED", trace_id);
            } else {
                retry = true;
            }
        },
        {}, Deadline::after(options_.step_timeout));
    exported_spans.committed();
    if (failure) {
        log_.warning(
            "task attempt failed",
            {{"analysis_id", request_id}, {"task", claim->name}, {"error_count", error_count}, {"err", *failure}});
    }
    return retry ? mq::Decision::retry(retry_tier_for(error_count, options_.max_retry_tier)) : mq::Decision::ack();
}

}  // namespace alatar::agents
