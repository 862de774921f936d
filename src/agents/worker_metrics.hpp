#pragma once
// The worker's Prometheus listener: GET /metrics (and /healthz) on its own small HTTP server, so that every
// worker can be scraped (the AlatarWorkerDown alert is Prometheus' own `up` of this target).
//
// The agent runtime writes what it did to PostgreSQL (agent_tasks, trace_spans, outbox), so the metrics are
// sampled from there and from the broker instead of being threaded through every agent: every sample_interval
// the sampler
//   - sets alatar_outbox_lag_seconds (age of the oldest unsent outbox row) and alatar_dlq_messages{queue} /
//     alatar_queue_messages{queue} (broker queue depths);
//   - counts this worker's newly finished tasks into alatar_agent_tasks_total{agent_class,outcome} and observes
//     this worker's new agent step and tool spans in alatar_agent_step_duration_seconds{step,outcome} and
//     alatar_agent_tool_duration_seconds{tool,outcome};
//   - counts this worker's new Shopify call spans into alatar_shopify_requests_total{outcome} and
//     alatar_shopify_throttle_wait_seconds_total, and its new LLM call spans into alatar_llm_requests_total{outcome},
//     alatar_llm_tokens_total{kind="prompt|completion"} and alatar_llm_cost_usd_total.
// Rows are recognised by the worker name (agent_tasks.assigned_worker, the "worker" attribute of step spans, of a
// tool span's parent and of Shopify and LLM call spans), so two workers never count the same work.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/config.hpp"
#include "common/log.hpp"
#include "db/pool.hpp"
#include "mq/amqp_url.hpp"
#include "mq/topology.hpp"

namespace alatar::agents {

struct WorkerMetricsOptions {
    std::string host{"127.0.0.1"};
    std::uint16_t port{9465};  // 0 picks a free port (tests); see WorkerMetrics::port()
    std::string worker_name;   // WorkerOptions::name of the worker in this process
    std::chrono::milliseconds sample_interval{std::chrono::seconds{10}};
    // How far back finished tasks and spans are looked for (longer than any step plus sample_interval).
    std::chrono::seconds lookback{std::chrono::minutes{15}};
};

class WorkerMetrics {
  public:
    // Starts the listener (throws std::system_error when the address is taken) and the sampler thread.
    // `pool` must outlive this object.
    WorkerMetrics(db::Pool& pool, mq::AmqpUrl url, mq::Names names, Logger log, WorkerMetricsOptions options);
    ~WorkerMetrics();
    WorkerMetrics(const WorkerMetrics&) = delete;
    WorkerMetrics& operator=(const WorkerMetrics&) = delete;
    WorkerMetrics(WorkerMetrics&&) = delete;
    WorkerMetrics& operator=(WorkerMetrics&&) = delete;

    std::uint16_t port() const;
    // Takes one sample now (the sampler thread also does, every sample_interval). Failures are logged and
    // counted in alatar_worker_metrics_sample_errors_total; never throws.
    void sample_now();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

// The listener of `alatar worker` at config.worker_metrics_listen; nullptr when that key is empty.
std::unique_ptr<WorkerMetrics> start_worker_metrics(db::Pool& pool, const Config& config, const Logger& log,
                                                    std::string worker_name);

// "host:port" (config key worker_metrics_listen) to the listener options; throws std::invalid_argument.
WorkerMetricsOptions worker_metrics_options(std::string_view listen, std::string worker_name);

}  // namespace alatar::agents
