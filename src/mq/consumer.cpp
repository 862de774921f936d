#include "mq/consumer.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "mq/publisher.hpp"
#include "mq/wakeup.hpp"

namespace alatar::mq {

Consumer::Consumer(AmqpUrl url, Names names, ConsumerOptions options, Handler handler, Logger log,
                   Publisher* retry_publisher)
    : url_(std::move(url)),
      names_(std::move(names)),
      options_(std::move(options)),
      handler_(std::move(handler)),
      log_(std::move(log)),
      retry_publisher_(retry_publisher),
      wakeup_(std::make_unique<Wakeup>()) {
    thread_ = std::thread([this] { run(); });
}

Consumer::~Consumer() {
    stop_.store(true);
    wakeup_->notify();
    thread_.join();
}

void Consumer::settle(DeliveryTag tag, Decision decision) {
    {
        const std::lock_guard lock(mutex_);
        settlements_.emplace_back(tag, decision);
    }
    wakeup_->notify();
}

bool Consumer::wait_until_consuming(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!consuming() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    return consuming();
}

void Consumer::run() {
    auto backoff = std::chrono::milliseconds{100};
    LogRateLimiter limiter;
    while (!stop_.load()) {
        if (!conn_) {
            try {
                connect();
                backoff = std::chrono::milliseconds{100};
            } catch (const Error& e) {
                conn_.reset();
                log_.log_limited(limiter, LogLevel::kWarning, "consumer cannot subscribe; retrying",
                                 {{"broker", url_.redacted()}, {"queue", options_.queue}, {"err", e.what()}});
                wakeup_->wait(backoff);
                backoff = std::min(backoff * 2, options_.max_backoff);
                continue;
            }
        }
        try {
            serve_once();
        } catch (const Error& e) {
            log_.log_exception(LogLevel::kWarning, "consumer connection lost; reconnecting", e,
                               {{"queue", options_.queue}, {"unsettled", deferred_.size()}});
            consuming_.store(false);
            conn_.reset();
            deferred_.clear();  // the broker requeues them; stale settle() calls are ignored by generation
        }
    }
    consuming_.store(false);
    conn_.reset();  // a clean close: the broker requeues what is still unacknowledged
}

void Consumer::connect() {
    auto conn = std::make_unique<AmqpConnection>(url_, options_.connect);
    conn->open_channel(1);
    if (!options_.auto_ack) conn->set_prefetch(1, options_.prefetch);
    const std::string queue = options_.setup ? options_.setup(*conn, 1) : options_.queue;
    conn->consume(1, queue, options_.auto_ack);
    conn_ = std::move(conn);
    ++generation_;
    deferred_.clear();
    connections_.fetch_add(1);
    consuming_.store(true);
    log_.info("consumer subscribed", {{"queue", queue}, {"prefetch", options_.prefetch}});
}

void Consumer::serve_once() {
    drain_settlements();
    // Bounded wait so heartbeats are serviced even when nothing happens.
    if (!wakeup_->wait_for_input(*conn_, std::chrono::milliseconds{1000})) {
        conn_->wait_event(std::chrono::milliseconds{0});  // heartbeats only; no data is waiting
        return;
    }
    auto event = conn_->wait_event(std::chrono::milliseconds{10});
    if (auto* d = std::get_if<ReceivedDelivery>(&event)) handle(std::move(*d));
}

void Consumer::handle(ReceivedDelivery&& d) {
    Delivery out;
    out.tag = DeliveryTag{generation_, d.delivery_tag};
    out.routing_key = std::move(d.routing_key);
    out.redelivered = d.redelivered;
    out.message = std::move(d.message);
    out.work_key = out.message.header_string(kHeaderRoutingKey).value_or(out.routing_key);
    out.delivery_count = out.message.header_int(kHeaderDeliveryCount).value_or(0);
    out.attempts = out.message.header_int(kHeaderAttempts).value_or(0);
    try {
        out.envelope = parse_envelope(out.message.body);
    } catch (const Error& e) {
        log_.log_exception(LogLevel::kWarning, "malformed message dead-lettered", e,
                           {{"message_id", out.message.message_id}, {"routing_key", out.routing_key}});
        if (!options_.auto_ack) conn_->nack(1, d.delivery_tag, false, false);
        return;
    }

    Decision decision;
    try {
        decision = handler_(out);
    } catch (const Error& e) {
        decision = is_transient(e.code()) ? Decision::retry() : Decision::reject();
        log_.log_exception(LogLevel::kWarning, "message handler failed", e,
                           {{"message_id", out.envelope.id},
                            {"type", out.envelope.type},
                            {"trace_id", out.envelope.trace_id},
                            {"attempts", out.attempts}});
    } catch (const std::exception& e) {
        decision = Decision::reject();
        log_.log_exception(
            LogLevel::kError, "message handler failed", e,
            {{"message_id", out.envelope.id}, {"type", out.envelope.type}, {"trace_id", out.envelope.trace_id}});
    }
    if (options_.auto_ack) return;

    Pending pending{std::move(out.message), std::move(out.work_key), out.attempts};
    if (decision.verdict == Verdict::kDeferred) {
        deferred_.emplace(d.delivery_tag, std::move(pending));
        return;
    }
    apply(d.delivery_tag, pending, decision);
}

void Consumer::apply(std::uint64_t tag, const Pending& p, Decision decision) {
    switch (decision.verdict) {
        case Verdict::kAck:
            conn_->ack(1, tag);
            return;
        case Verdict::kRequeue:
            conn_->nack(1, tag, false, true);
            return;
        case Verdict::kReject:
            conn_->nack(1, tag, false, false);
            return;
        case Verdict::kDeferred:
            log_.warning("settle() called with Decision::deferred(); ignored", {{"message_id", p.message.message_id}});
            return;
        case Verdict::kRetry:
            break;
    }
    if (retry_publisher_ == nullptr || p.attempts >= options_.max_retries) {
        log_.warning("retries exhausted; message dead-lettered",
                     {{"message_id", p.message.message_id}, {"attempts", p.attempts}, {"work_key", p.work_key}});
        conn_->nack(1, tag, false, false);
        return;
    }
    const RetryTier tier = decision.tier.value_or(tier_for_attempt(p.attempts));
    Message again = p.message;
    again.headers.erase(std::string(kHeaderDeliveryCount));
    again.headers.insert_or_assign(std::string(kHeaderAttempts), p.attempts + 1);
    again.headers.insert_or_assign(std::string(kHeaderRoutingKey), p.work_key);
    again.deaths.clear();
    try {
        // Blocks this thread until the retry copy is confirmed; only then is the original acknowledged, so a
        // crash in between duplicates the message instead of losing it.
        retry_publisher_->publish_blocking(names_.retry_exchange(), Names::retry_key(tier, p.work_key),
                                           std::move(again), Deadline::after(std::chrono::seconds{10}));
    } catch (const Error& e) {
        log_.log_exception(LogLevel::kWarning, "could not schedule a retry; message requeued", e,
                           {{"message_id", p.message.message_id}});
        conn_->nack(1, tag, false, true);
        return;
    }
    conn_->ack(1, tag);
}

void Consumer::drain_settlements() {
    std::vector<std::pair<DeliveryTag, Decision>> batch;
    {
        const std::lock_guard lock(mutex_);
        batch.swap(settlements_);
    }
    for (const auto& [tag, decision] : batch) {
        if (tag.generation != generation_) continue;  // from before a reconnect: already requeued by the broker
        const auto it = deferred_.find(tag.tag);
        if (it == deferred_.end()) {
            log_.warning("settle() for an unknown delivery ignored", {{"delivery_tag", tag.tag}});
            continue;
        }
        const Pending p = std::move(it->second);
        deferred_.erase(it);
        apply(tag.tag, p, decision);
    }
}

}  // namespace alatar::mq
