#include "agents/outbox_relay.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "agents/outbox.hpp"
#include "common/error.hpp"
#include "mq/envelope.hpp"

namespace alatar::agents {

namespace {

// Delay before a refused row is tried again: 1 s, 2 s, 4 s, ... capped at 5 minutes.
std::chrono::seconds refused_row_delay(std::int64_t attempts) {
    const std::int64_t shift = std::min<std::int64_t>(attempts, 8);
    return std::chrono::seconds{std::min<std::int64_t>(std::int64_t{1} << shift, 300)};
}

}  // namespace

OutboxRelay::OutboxRelay(db::Pool& pool, mq::Publisher& publisher, mq::Names names, Logger log,
                         OutboxRelayOptions options)
    : pool_(pool), publisher_(publisher), names_(std::move(names)), log_(std::move(log)), options_(options) {
    if (options_.start_thread) thread_ = std::thread([this] { run(); });
}

OutboxRelay::~OutboxRelay() {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void OutboxRelay::wake() noexcept {
    {
        const std::lock_guard lock(mutex_);
        woken_ = true;
    }
    cv_.notify_all();
}

std::uint64_t OutboxRelay::sent_total() const noexcept {
    const std::lock_guard lock(mutex_);
    return sent_total_;
}

RelayRound OutboxRelay::run_once() {
    RelayRound round;
    const auto deadline = Deadline::after(options_.publish_timeout * 4 + std::chrono::seconds{10});
    pool_.transact_blocking(
        [&](db::Transaction& tx) {
            round = RelayRound{};
            if (!tx.exec("SELECT pg_try_advisory_xact_lock($1)", db::Params{kOutboxRelayLockKey}).scalar<bool>()) {
                round.locked = false;
                return;
            }
            const auto rows = tx.exec(
                "SELECT id, topic, payload::text, headers->>'exchange', attempts FROM outbox "
                "WHERE sent_at IS NULL AND available_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                db::Params{static_cast<std::int64_t>(options_.batch)});
            std::vector<std::string> sent;
            sent.reserve(static_cast<std::size_t>(rows.rows()));
            for (int i = 0; i < rows.rows(); ++i) {
                const auto id = rows.get<std::string>(i, 0);
                const auto topic = rows.get<std::string>(i, 1);
                const bool is_event = rows.get<std::optional<std::string>>(i, 3) == std::string(kOutboxExchangeEvents);
                try {
                    const mq::Envelope envelope = mq::parse_envelope(rows.text(i, 2));
                    publisher_.publish_blocking(is_event ? names_.events_exchange() : names_.work_exchange(), topic,
                                                envelope, Deadline::after(options_.publish_timeout), !is_event);
                    sent.push_back(id);
                } catch (const Error& e) {
                    ++round.failed;
                    tx.exec(
                        "UPDATE outbox SET attempts = attempts + 1, last_error = $2, "
                        "available_at = now() + make_interval(secs => $3) WHERE id = $1",
                        db::Params{
                            id, std::string(e.what()),
                            is_transient(e.code())
                                ? std::int64_t{0}
                                : static_cast<std::int64_t>(refused_row_delay(rows.get<std::int64_t>(i, 4)).count())});
                    log_.log_limited(failures_, LogLevel::kWarning, "outbox row not published",
                                     {{"outbox_id", id}, {"topic", topic}, {"err", e.what()}});
                    // The broker is unreachable: keep the order, stop here and let the thread back off.
                    if (is_transient(e.code())) break;
                }
            }
            if (!sent.empty()) {
                tx.exec("UPDATE outbox SET sent_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])",
                        db::Params{sent});
            }
            round.sent = sent.size();
        },
        {}, deadline);
    if (round.sent > 0) {
        const std::lock_guard lock(mutex_);
        sent_total_ += round.sent;
    }
    return round;
}

void OutboxRelay::delete_old_sent() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_cleanup_ < std::chrono::minutes{1}) return;
    last_cleanup_ = now;
    pool_.query_blocking("DELETE FROM outbox WHERE sent_at < now() - make_interval(secs => $1)",
                         db::Params{static_cast<std::int64_t>(
                             std::chrono::duration_cast<std::chrono::seconds>(options_.keep_sent).count())});
}

void OutboxRelay::run() {
    std::chrono::milliseconds backoff{0};
    int lock_retries = 0;
    for (;;) {
        std::chrono::milliseconds wait = options_.idle_poll;
        try {
            const RelayRound round = run_once();
            if (round.failed > 0 && round.sent == 0) {
                backoff = std::clamp(backoff * 2, std::chrono::milliseconds{100}, options_.max_backoff);
                wait = backoff;
            } else {
                backoff = std::chrono::milliseconds{0};
                if (round.sent > 0) {
                    wait = std::chrono::milliseconds{0};  // more may be waiting
                } else if (!round.locked && lock_retries < 3) {
                    // Another relay is mid-round and may have claimed its rows before ours committed.
                    ++lock_retries;
                    wait = std::chrono::milliseconds{3};
                }
            }
            if (round.locked) lock_retries = 0;
            delete_old_sent();
        } catch (const std::exception& e) {
            backoff = std::clamp(backoff * 2, std::chrono::milliseconds{100}, options_.max_backoff);
            wait = backoff;
            log_.log_limited(failures_, LogLevel::kWarning, "outbox relay round failed", {{"err", e.what()}});
        }
        std::unique_lock lock(mutex_);
        if (wait.count() > 0) cv_.wait_for(lock, wait, [this] { return stop_ || woken_; });
        if (stop_) return;
        if (woken_) lock_retries = 0;
        woken_ = false;
    }
}

}  // namespace alatar::agents
