#pragma once
// Class 1, the orchestrator. Stateless between messages: everything it knows about a request is in
// analysis_requests and agent_tasks, so any worker can continue any request.
//
//   analysis.requested: QUEUED -> PLANNING -> RUNNING: plan, write the tasks, dispatch those without
//                       dependencies.
//   task.result:        dispatch tasks whose dependencies finished, skip those whose essential dependency
//                       failed, update progress; when every task is finished: REVIEWING, assemble the
//                       AnalysisResult, then COMPLETED (possibly partial, saying what is missing) or FAILED.
//
// Each message is handled in one transaction that holds the request row lock, records the message id in
// processed_messages and writes every outgoing message to the outbox, so a redelivered message changes
// nothing and a crash loses nothing.
#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "common/log.hpp"
#include "mq/envelope.hpp"

namespace alatar::db {
class Pool;
class Transaction;
}  // namespace alatar::db

namespace alatar::agents {

class CommittedSpans;
class SpanSink;

struct OrchestratorOptions {
    std::string worker_name{"worker"};
    std::chrono::milliseconds step_timeout{10000};  // one message's transaction
    SpanSink* span_sink{nullptr};                   // also receives committed spans (the OTLP exporter)
};

class Orchestrator {
  public:
    Orchestrator(db::Pool& pool, Logger log, OrchestratorOptions options = {});

    // Throws alatar::Error: kNotFound for an unknown request (the message is dead-lettered), transient codes
    // when the database is unavailable (retried).
    void on_requested(const mq::Envelope& envelope);
    void on_result(const mq::Envelope& envelope);

    // Fails requests that made no progress for `stalled_for`; returns how many. Called periodically.
    std::size_t fail_stalled(std::chrono::milliseconds stalled_for);

  private:
    void plan(db::Transaction& tx, const std::string& request_id, const std::string& trace_id, CommittedSpans& spans);
    void advance(db::Transaction& tx, const std::string& request_id, const std::string& trace_id,
                 CommittedSpans& spans);

    db::Pool& pool_;
    Logger log_;
    OrchestratorOptions options_;
};

// The department queue a department's tasks go to; throws alatar::Error(kInternal) for an unknown one.
std::string_view department_work_key(std::string_view department);

// The before-image stored with a recommended proposal (action_proposals.before_image): what the analysis saw of
// the target, which the executor's staleness check compares with the live store. A description change carries
// the HTML it replaces; other kinds carry theirs in their parameters (an empty object).
boost::json::object proposal_before_image(const boost::json::object& proposal);

}  // namespace alatar::agents
