#include "agents/worker.hpp"

#include "agents/contracts.hpp"
#include "common/error.hpp"
#include "mq/amqp_connection.hpp"

namespace alatar::agents {

void declare_worker_topology(const mq::AmqpUrl& url, const mq::Names& names, std::int64_t delivery_limit) {
    mq::AmqpConnection connection{url, mq::ConnectOptions{.connection_name = "alatar-worker-setup"}};
    connection.open_channel(1);
    mq::declare_topology(connection, 1, names, mq::TopologyOptions{.delivery_limit = delivery_limit});
}

Worker::Worker(db::Pool& pool, mq::AmqpUrl url, mq::Names names, ToolRegistry tools, StoreDataSource& data_source,
               Logger log, WorkerOptions options)
    : pool_(pool),
      url_(std::move(url)),
      names_(std::move(names)),
      tools_(std::move(tools)),
      log_(std::move(log)),
      options_(std::move(options)),
      orchestrator_(pool_, log_.child("orchestrator"),
                    OrchestratorOptions{.worker_name = options_.name, .span_sink = options_.span_sink}),
      departments_(pool_, tools_, data_source, log_.child("department"),
                   DepartmentOptions{.worker_name = options_.name,
                                     .max_errors = options_.max_tool_errors,
                                     .max_retry_tier = options_.max_retry_tier,
                                     .span_sink = options_.span_sink}) {
    declare_worker_topology(url_, names_, options_.delivery_limit);
    publisher_ = std::make_unique<mq::Publisher>(
        url_, log_.child("publisher"), mq::PublisherOptions{.connect = {.connection_name = "alatar-worker-publisher"}});
    if (options_.run_relay) {
        relay_ = std::make_unique<OutboxRelay>(pool_, *publisher_, names_, log_.child("relay"), options_.relay);
    }
    for (const auto queue : options_.queues) {
        for (int i = 0; i < options_.concurrency; ++i) {
            consumers_.push_back(std::make_unique<mq::Consumer>(
                url_, names_,
                mq::ConsumerOptions{
                    .queue = names_.queue(queue),
                    .prefetch = 1,
                    .max_retries = options_.max_tool_errors * 4 + 20,
                    .connect = {.connection_name = "alatar-worker-" + std::string(mq::work_key(queue))}},
                handler_for(queue), log_.child("consumer"), publisher_.get()));
        }
    }
    sweeper_ = std::thread([this] { sweep_loop(); });
    log_.info("worker started", {{"worker", options_.name},
                                 {"consumers", consumers_.size()},
                                 {"prefix", names_.prefix()},
                                 {"relay", options_.run_relay}});
}

Worker::~Worker() { stop(); }

bool Worker::wait_until_consuming(std::chrono::milliseconds timeout) const {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (const auto& c : consumers_) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (!c->wait_until_consuming(std::max(left, std::chrono::milliseconds{0}))) return false;
    }
    return true;
}

void Worker::stop() {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    cv_.notify_all();
    if (sweeper_.joinable()) sweeper_.join();
    consumers_.clear();  // each finishes the message in hand; unacknowledged ones go back to the queue
    relay_.reset();      // after the consumers: their last commits still get published
    publisher_.reset();
    log_.info("worker stopped", {{"worker", options_.name}});
}

mq::Handler Worker::handler_for(mq::WorkQueue queue) {
    return [this, queue](const mq::Delivery& d) -> mq::Decision {
        contract::validate_payload(d.envelope);
        mq::Decision decision = mq::Decision::ack();
        switch (queue) {
            case mq::WorkQueue::kOrchestrator:
                if (d.envelope.type != contract::kAnalysisRequested) break;
                orchestrator_.on_requested(d.envelope);
                publish_committed();
                return decision;
            case mq::WorkQueue::kResults:
                if (d.envelope.type != contract::kTaskResult) break;
                orchestrator_.on_result(d.envelope);
                publish_committed();
                return decision;
            case mq::WorkQueue::kDataRetrieval:
            case mq::WorkQueue::kQuantitative:
            case mq::WorkQueue::kQualitative:
            case mq::WorkQueue::kRecommendation:
                if (d.envelope.type != contract::kTaskDispatch) break;
                decision = departments_.on_dispatch(d);
                publish_committed();
                return decision;
            case mq::WorkQueue::kActions:
            case mq::WorkQueue::kStoreRefresh:  // consumed by their own services (action executor, store refresh)
                break;
        }
        throw Error(ErrorCode::kBadUserInput, "message type '" + d.envelope.type + "' does not belong on queue " +
                                                  std::string(mq::work_key(queue)));
    };
}

void Worker::publish_committed() {
    if (!relay_) return;
    // The next agent waits for the work messages this step committed: send them from this thread now instead of
    // waiting for the relay thread's round (and, behind it, other processes' rounds). The message in hand is
    // acknowledged after this, as before: its effects committed already. Whatever is not sent here (broker down,
    // a database error) stays in the outbox for the relay thread, which is woken for the events anyway.
    bool work_sent = false;
    try {
        relay_->publish_work_now();
        work_sent = true;
    } catch (const std::exception& e) {
        log_.log_limited(publish_failures_, LogLevel::kWarning, "work messages left to the relay", {{"err", e.what()}});
    }
    relay_->wake(!work_sent);
}

void Worker::sweep_loop() {
    LogRateLimiter failures;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (cv_.wait_for(lock, options_.sweep_interval, [this] { return stopping_; })) return;
        }
        try {
            if (const auto n = orchestrator_.fail_stalled(options_.analysis_timeout); n > 0) {
                log_.warning("stalled analyses failed", {{"count", n}});
                if (relay_) relay_->wake();
            }
        } catch (const std::exception& e) {
            log_.log_limited(failures, LogLevel::kWarning, "stalled-analysis sweep failed", {{"err", e.what()}});
        }
    }
}

}  // namespace alatar::agents
