#pragma once
// Class 2, departments: run one task (a list of tool calls), aggregate the outputs and report to the
// orchestrator through the results queue.
//
// A task.dispatch message is handled in three steps: claim (task RUNNING, attempts + 1, committed), run the
// tool calls outside any transaction, then settle in one transaction that first checks the claim still holds
// (same attempt, still RUNNING: a cancelled or re-claimed task is dropped, so no task completes twice):
//  - success: SUCCEEDED with the output, the processed-message key, the spans and a task.result message;
//  - failure: error_count + 1; under the limit RETRYING and the message goes to a delayed-retry tier;
//    at the limit FAILED and a task.result tells the orchestrator.
// Database outages are not tool failures: they propagate and the message is retried without counting.
#include <chrono>
#include <string>

#include "agents/store_dataset_loader.hpp"
#include "common/log.hpp"
#include "mq/consumer.hpp"
#include "mq/topology.hpp"

namespace alatar::db {
class Pool;
}  // namespace alatar::db

namespace alatar::agents {

class ToolRegistry;
class StoreDataSource;
class SpanSink;

struct DepartmentOptions {
    std::string worker_name{"worker"};
    std::int64_t max_errors{5};                        // a task fails when its error count reaches this
    mq::RetryTier max_retry_tier{mq::RetryTier::k5m};  // cap of the backoff between attempts
    std::chrono::milliseconds task_timeout{330000};    // all tool calls of one attempt (a first backfill: 5 min)
    std::chrono::milliseconds step_timeout{10000};     // claim and settle transactions
    SpanSink* span_sink{nullptr};                      // also receives committed spans (the OTLP exporter)
};

class DepartmentRunner {
  public:
    // All references must outlive the runner.
    DepartmentRunner(db::Pool& pool, const ToolRegistry& tools, StoreDataSource& data_source, Logger log,
                     DepartmentOptions options = {});

    // Handles one task.dispatch delivery; returns ack or a delayed retry. Throws like the orchestrator.
    mq::Decision on_dispatch(const mq::Delivery& delivery);

  private:
    db::Pool& pool_;
    const ToolRegistry& tools_;
    StoreDataSource& data_source_;
    Logger log_;
    DepartmentOptions options_;
    DatasetCache datasets_;
};

// The retry tier after `error_count` failures, never above `cap`.
mq::RetryTier retry_tier_for(std::int64_t error_count, mq::RetryTier cap) noexcept;

}  // namespace alatar::agents
