#pragma once
// The worker runtime: declares the topology, runs the outbox relay, consumes the orchestrator, results and
// department queues (`concurrency` consumers per queue, each with its own thread and AMQP connection,
// prefetch 1, acks only after the handler's transaction committed) and sweeps stalled requests.
// Destroying it (or stop()) is the graceful shutdown: consumers finish the message in hand, unacknowledged
// ones return to their queue, the relay finishes its round.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agents/department.hpp"
#include "agents/orchestrator.hpp"
#include "agents/outbox_relay.hpp"
#include "agents/tools.hpp"
#include "common/log.hpp"
#include "mq/amqp_url.hpp"
#include "mq/consumer.hpp"
#include "mq/publisher.hpp"
#include "mq/topology.hpp"

namespace alatar::db {
class Pool;
}  // namespace alatar::db

namespace alatar::agents {

class StoreDataSource;
class SpanSink;

struct WorkerOptions {
    std::string name{"worker"};  // assigned_worker in agent_tasks, span attribute
    // Queues to consume: orchestrator, results and department queues (the actions queue has its own executor).
    std::vector<mq::WorkQueue> queues{mq::WorkQueue::kOrchestrator,  mq::WorkQueue::kResults,
                                      mq::WorkQueue::kDataRetrieval, mq::WorkQueue::kQuantitative,
                                      mq::WorkQueue::kQualitative,   mq::WorkQueue::kRecommendation};
    int concurrency{2};  // consumers per queue
    bool run_relay{true};
    std::int64_t max_tool_errors{5};
    mq::RetryTier max_retry_tier{mq::RetryTier::k5m};
    std::int64_t delivery_limit{20};                                       // quorum queues' x-delivery-limit
    std::chrono::milliseconds analysis_timeout{std::chrono::minutes{10}};  // no progress for this long: FAILED
    std::chrono::milliseconds sweep_interval{std::chrono::seconds{5}};
    OutboxRelayOptions relay;
    SpanSink* span_sink{nullptr};  // also receives committed trace spans (the OTLP exporter); outlives the worker
};

class Worker {
  public:
    // Declares the topology (throws alatar::Error when the broker refuses) and starts every thread.
    // `pool`, `data_source` must outlive the worker.
    Worker(db::Pool& pool, mq::AmqpUrl url, mq::Names names, ToolRegistry tools, StoreDataSource& data_source,
           Logger log, WorkerOptions options = {});
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;
    Worker(Worker&&) = delete;
    Worker& operator=(Worker&&) = delete;

    // Blocks until every consumer is subscribed or the timeout passes; returns whether all are.
    bool wait_until_consuming(std::chrono::milliseconds timeout) const;
    // Stops consuming and joins every thread (idempotent).
    void stop();

    Orchestrator& orchestrator() noexcept { return orchestrator_; }

  private:
    mq::Handler handler_for(mq::WorkQueue queue);
    // After a handler committed: publishes its work messages at once and wakes the relay for the events.
    void publish_committed();
    void sweep_loop();

    db::Pool& pool_;
    mq::AmqpUrl url_;
    mq::Names names_;
    ToolRegistry tools_;
    Logger log_;
    WorkerOptions options_;
    Orchestrator orchestrator_;
    DepartmentRunner departments_;
    std::unique_ptr<mq::Publisher> publisher_;
    std::unique_ptr<OutboxRelay> relay_;
    std::vector<std::unique_ptr<mq::Consumer>> consumers_;
    LogRateLimiter publish_failures_;

    std::mutex mutex_;
    std::condition_variable cv_;
    bool stopping_{false};  // guarded by mutex_
    std::thread sweeper_;
};

// Declares the topology once on a short-lived connection of the calling thread.
void declare_worker_topology(const mq::AmqpUrl& url, const mq::Names& names, std::int64_t delivery_limit);

}  // namespace alatar::agents
