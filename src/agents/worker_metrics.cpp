#include "agents/worker_metrics.hpp"

#include <charconv>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

#include "http/health.hpp"
#include "http/metrics.hpp"
#include "http/server.hpp"
#include "mq/amqp_connection.hpp"

namespace alatar::agents {

namespace {

using SteadyClock = std::chrono::steady_clock;

// Rows already counted, by id, with when they were first seen; forgotten once older than the lookback.
class SeenIds {
  public:
    bool insert(const std::string& id, SteadyClock::time_point now) { return seen_.emplace(id, now).second; }
    void forget_older_than(SteadyClock::time_point cutoff) {
        std::erase_if(seen_, [&](const auto& entry) { return entry.second < cutoff; });
    }

  private:
    std::map<std::string, SteadyClock::time_point> seen_;
};

std::string outcome_of(bool ok) { return ok ? "ok" : "error"; }

constexpr std::string_view kOutboxLagSql =
    "SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at))::float8, 0) FROM outbox WHERE sent_at IS NULL";

constexpr std::string_view kFinishedTasksSql =
    "SELECT id::text, agent_class, status FROM agent_tasks"
    " WHERE assigned_worker = $1 AND status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
    " AND finished_at > now() - make_interval(secs => $2)";

// Step spans carry the worker's name; tool spans are the children of this worker's step spans.
constexpr std::string_view kNewSpansSql =
    "SELECT s.id::text, s.kind, s.name, s.duration_ms, s.error IS NULL FROM trace_spans s"
    " WHERE s.started_at > now() - make_interval(secs => $2) AND s.kind IN ('agent', 'tool')"
    " AND (s.attributes->>'worker' = $1 OR (s.kind = 'tool' AND EXISTS (SELECT 1 FROM trace_spans p"
    "      WHERE p.request_id = s.request_id AND p.span_id = s.parent_id AND p.attributes->>'worker' = $1)))";

// Shopify and LLM call spans carry the worker's name themselves (agents::add_child_span).
constexpr std::string_view kNewCallSpansSql =
    "SELECT s.id::text, s.kind, coalesce(s.attributes->>'outcome', 'error'),"
    " coalesce((s.attributes->>'throttle_wait_ms')::float8, 0),"
    " coalesce((s.attributes->>'prompt_tokens')::int8, 0), coalesce((s.attributes->>'completion_tokens')::int8, 0),"
    " coalesce((s.attributes->>'cost_usd')::float8, 0) FROM trace_spans s"
    " WHERE s.started_at > now() - make_interval(secs => $2) AND s.kind IN ('shopify', 'llm')"
    " AND s.attributes->>'worker' = $1";

}  // namespace

struct WorkerMetrics::State {
    State(db::Pool& p, mq::AmqpUrl u, mq::Names n, Logger l, WorkerMetricsOptions o)
        : pool(p), url(std::move(u)), names(std::move(n)), log(std::move(l)), options(std::move(o)) {}

    db::Pool& pool;
    mq::AmqpUrl url;
    mq::Names names;
    Logger log;
    WorkerMetricsOptions options;
    std::shared_ptr<http::metrics::Registry> registry = std::make_shared<http::metrics::Registry>();

    http::metrics::Family<http::metrics::Gauge>& up =
        registry->gauge("alatar_worker_up", "1 while the worker process runs.", {"worker"});
    http::metrics::Family<http::metrics::Gauge>& outbox_lag = registry->gauge(
        "alatar_outbox_lag_seconds", "Age of the oldest outbox row not yet published to the broker (0 when none).");
    http::metrics::Family<http::metrics::Gauge>& dlq_messages =
        registry->gauge("alatar_dlq_messages", "Messages in the dead-letter queue.", {"queue"});
    http::metrics::Family<http::metrics::Gauge>& queue_messages =
        registry->gauge("alatar_queue_messages", "Messages ready in a work queue.", {"queue"});
    http::metrics::Family<http::metrics::Counter>& tasks = registry->counter(
        "alatar_agent_tasks_total", "Agent tasks this worker finished, by outcome.", {"agent_class", "outcome"});
    http::metrics::Family<http::metrics::Histogram>& step_seconds =
        registry->histogram("alatar_agent_step_duration_seconds", "Agent steps and department tasks of this worker.",
                            {"step", "outcome"}, http::metrics::default_latency_buckets(), 200);
    http::metrics::Family<http::metrics::Histogram>& tool_seconds =
        registry->histogram("alatar_agent_tool_duration_seconds", "Tool calls made by this worker's agents.",
                            {"tool", "outcome"}, http::metrics::default_latency_buckets(), 200);
    http::metrics::Family<http::metrics::Counter>& shopify_requests = registry->counter(
        "alatar_shopify_requests_total",
        "Shopify Admin API calls made by this worker's analyses (after the client's retries), by "
        "outcome: success, throttled, timeout, auth_failed (401), error, aborted (our side stopped a download).",
        {"outcome"});
    http::metrics::Family<http::metrics::Counter>& shopify_throttle_wait = registry->counter(
        "alatar_shopify_throttle_wait_seconds_total",
        "Time this worker's Shopify calls waited for the store's rate-limit bucket (pacing and throttled retries).");
    http::metrics::Family<http::metrics::Counter>& llm_requests =
        registry->counter("alatar_llm_requests_total",
                          "LLM calls sent by this worker's analyses (after the client's retries), by outcome: "
                          "success, timeout, auth_failed, error.",
                          {"outcome"});
    http::metrics::Family<http::metrics::Counter>& llm_tokens =
        registry->counter("alatar_llm_tokens_total", "LLM tokens used by this worker's analyses.", {"kind"});
    http::metrics::Family<http::metrics::Counter>& llm_cost = registry->counter(
        "alatar_llm_cost_usd_total", "Cost in USD of this worker's LLM calls (as reported or priced).");
    http::metrics::Family<http::metrics::Counter>& sample_errors =
        registry->counter("alatar_worker_metrics_sample_errors_total",
                          "Metric samples that failed (database or broker unreachable).", {"source"});

    std::mutex sample_mutex;  // one sample at a time (sampler thread and sample_now())
    SeenIds seen_tasks;
    SeenIds seen_spans;
    SeenIds seen_call_spans;

    std::unique_ptr<http::Server> server;
    std::mutex stop_mutex;
    std::condition_variable stop_cv;
    bool stopping{false};
    std::thread sampler;

    void sample_database() {
        const auto now = SteadyClock::now();
        const auto lookback = static_cast<double>(options.lookback.count());
        outbox_lag.get().set(pool.query_blocking(kOutboxLagSql).get<double>(0, 0));

        const auto finished = pool.query_blocking(kFinishedTasksSql, db::Params{options.worker_name, lookback});
        for (int row = 0; row < finished.rows(); ++row) {
            if (!seen_tasks.insert(finished.get<std::string>(row, 0), now)) continue;
            const auto status = finished.get<std::string>(row, 2);
            tasks
                .with({finished.get<std::string>(row, 1), status == "SUCCEEDED" ? "succeeded"
                                                          : status == "FAILED"  ? "failed"
                                                                                : "cancelled"})
                .inc();
        }

        const auto spans = pool.query_blocking(kNewSpansSql, db::Params{options.worker_name, lookback});
        for (int row = 0; row < spans.rows(); ++row) {
            if (!seen_spans.insert(spans.get<std::string>(row, 0), now)) continue;
            auto& family = spans.get<std::string>(row, 1) == "tool" ? tool_seconds : step_seconds;
            family.with({spans.get<std::string>(row, 2), outcome_of(spans.get<bool>(row, 4))})
                .observe(spans.get<double>(row, 3) / 1000.0);
        }
        count_call_spans(now, lookback);
        const auto cutoff = now - 2 * options.lookback;
        seen_tasks.forget_older_than(cutoff);
        seen_spans.forget_older_than(cutoff);
        seen_call_spans.forget_older_than(cutoff);
    }

    void count_call_spans(SteadyClock::time_point now, double lookback) {
        const auto calls = pool.query_blocking(kNewCallSpansSql, db::Params{options.worker_name, lookback});
        for (int row = 0; row < calls.rows(); ++row) {
            if (!seen_call_spans.insert(calls.get<std::string>(row, 0), now)) continue;
            const auto outcome = calls.get<std::string>(row, 2);
            if (calls.get<std::string>(row, 1) == "shopify") {
                shopify_requests.with({outcome}).inc();
                shopify_throttle_wait.get().inc(calls.get<double>(row, 3) / 1000.0);
                continue;
            }
            if (outcome == "budget_exceeded") continue;  // refused before sending: no request, no usage
            llm_requests.with({outcome}).inc();
            llm_tokens.with({"prompt"}).inc(static_cast<double>(calls.get<std::int64_t>(row, 4)));
            llm_tokens.with({"completion"}).inc(static_cast<double>(calls.get<std::int64_t>(row, 5)));
            llm_cost.get().inc(calls.get<double>(row, 6));
        }
    }

    void sample_broker() {
        // A short-lived connection: the sampler never services heartbeats between samples.
        mq::AmqpConnection connection{url, mq::ConnectOptions{.connection_name = "alatar-worker-metrics"}};
        connection.open_channel(1);
        const auto dlq = names.dead_letter_queue();
        dlq_messages.with({dlq}).set(connection.inspect_queue(1, dlq).message_count);
        for (const auto queue :
             {mq::WorkQueue::kOrchestrator, mq::WorkQueue::kResults, mq::WorkQueue::kDataRetrieval,
              mq::WorkQueue::kQuantitative, mq::WorkQueue::kQualitative, mq::WorkQueue::kRecommendation}) {
            const auto name = names.queue(queue);
            queue_messages.with({name}).set(connection.inspect_queue(1, name).message_count);
        }
    }

    void sample() {
        const std::scoped_lock lock{sample_mutex};
        try {
            sample_database();
        } catch (const std::exception& e) {
            sample_errors.with({"postgres"}).inc();
            log.log_exception(LogLevel::kWarning, "metrics sample failed", e);
        }
        try {
            sample_broker();
        } catch (const std::exception& e) {
            sample_errors.with({"rabbitmq"}).inc();
            log.log_exception(LogLevel::kWarning, "metrics sample failed", e);
        }
    }

    void run_sampler() {
        std::unique_lock lock{stop_mutex};
        while (!stopping) {
            lock.unlock();
            sample();
            lock.lock();
            stop_cv.wait_for(lock, options.sample_interval, [&] { return stopping; });
        }
    }
};

WorkerMetrics::WorkerMetrics(db::Pool& pool, mq::AmqpUrl url, mq::Names names, Logger log, WorkerMetricsOptions options)
    : state_(std::make_unique<State>(pool, std::move(url), std::move(names), std::move(log), std::move(options))) {
    auto& s = *state_;
    s.up.with({s.options.worker_name}).set(1);
    // Exposed from the start (0), so rate() and the alerts see the series before the first call.
    s.shopify_throttle_wait.get();
    s.llm_cost.get();
    for (const auto* kind : {"prompt", "completion"}) s.llm_tokens.with({kind});
    // Same names as the API's, so one dashboard panel shows every process's pool.
    s.registry->gauge_callback("alatar_db_pool_open_connections", "Open PostgreSQL connections of the pool.",
                               [p = &s.pool] { return static_cast<double>(p->stats().open); });
    s.registry->gauge_callback("alatar_db_pool_idle_connections", "Idle PostgreSQL connections of the pool.",
                               [p = &s.pool] { return static_cast<double>(p->stats().idle); });
    http::ServerOptions server_options;
    server_options.host = s.options.host;
    server_options.port = s.options.port;
    server_options.io_threads = 1;
    server_options.rate_limit = false;
    server_options.max_connections = 64;
    http::Router router;
    http::add_health_routes(router, s.registry, {});
    s.server = std::make_unique<http::Server>(std::move(server_options), std::move(router), s.log.child("metrics"),
                                              s.registry);
    s.server->start();
    s.sampler = std::thread([&s] { s.run_sampler(); });
    s.log.info("metrics listener started", {{"host", s.options.host}, {"port", s.server->port()}});
}

WorkerMetrics::~WorkerMetrics() {
    {
        const std::scoped_lock lock{state_->stop_mutex};
        state_->stopping = true;
    }
    state_->stop_cv.notify_all();
    if (state_->sampler.joinable()) state_->sampler.join();
    state_->server->stop();
}

std::uint16_t WorkerMetrics::port() const { return state_->server->port(); }

void WorkerMetrics::sample_now() { state_->sample(); }

WorkerMetricsOptions worker_metrics_options(std::string_view listen, std::string worker_name) {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos || colon == 0) throw std::invalid_argument("expected host:port");
    WorkerMetricsOptions options;
    options.host = std::string(listen.substr(0, colon));
    if (options.host.size() >= 2 && options.host.front() == '[' && options.host.back() == ']') {
        options.host = options.host.substr(1, options.host.size() - 2);
    }
    const auto text = listen.substr(colon + 1);
    unsigned port = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || ptr != text.data() + text.size() || port > 65535) {
        throw std::invalid_argument("expected a port number after ':'");
    }
    options.port = static_cast<std::uint16_t>(port);
    options.worker_name = std::move(worker_name);
    return options;
}

std::unique_ptr<WorkerMetrics> start_worker_metrics(db::Pool& pool, const Config& config, const Logger& log,
                                                    std::string worker_name) {
    if (config.worker_metrics_listen.empty()) return nullptr;
    auto options = worker_metrics_options(config.worker_metrics_listen, std::move(worker_name));
    try {
        return std::make_unique<WorkerMetrics>(pool, mq::parse_amqp_url(config.amqp_url), mq::Names{config.amqp_prefix},
                                               log.child("metrics"), options);
    } catch (const std::exception& e) {
        // Several workers on one host share the default port: the first serves metrics, the others still work.
        log.log_exception(LogLevel::kError, "metrics listener not started; the worker runs without it", e,
                          {{"listen", config.worker_metrics_listen}});
        return nullptr;
    }
}

}  // namespace alatar::agents
