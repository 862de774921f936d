#include "agents/outbox_relay.hpp"

#include <algorithm>
#include <future>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "agents/outbox.hpp"
#include "common/error.hpp"
#include "mq/envelope.hpp"

namespace alatar::agents {

struct OutboxRow {
    std::string id;
    std::string topic;
    std::string body;
    bool is_event{false};
    std::int64_t attempts{0};
    // Outcome of this round.
    bool tried{false};
    bool sent{false};
    bool transient{false};
    std::string error;
};

OutboxRelay::OutboxRelay(db::Pool& pool, mq::Publisher& publisher, mq::Names names, Logger log,
                         const OutboxRelayOptions& options)
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

void OutboxRelay::wake(bool work_too) noexcept {
    {
        const std::lock_guard lock(mutex_);
        woken_ = true;
        work_woken_ = work_woken_ || work_too;
    }
    cv_.notify_all();
}

std::uint64_t OutboxRelay::sent_total() const noexcept {
    const std::lock_guard lock(mutex_);
    return sent_total_;
}

namespace {

// Delay before a refused row is tried again: 1 s, 2 s, 4 s, ... capped at 5 minutes.
std::chrono::seconds refused_row_delay(std::int64_t attempts) {
    const std::int64_t shift = std::min<std::int64_t>(attempts, 8);
    return std::chrono::seconds{std::min<std::int64_t>(std::int64_t{1} << shift, 300)};
}

// Publishing lanes of one batch: the events of one request in id order (subscribers see them in commit
// order), and every work message on its own (no order between them). Lanes are published side by side so that
// their confirms overlap: a quorum queue confirms after a disk write, and one at a time that would bound the relay.
std::vector<std::vector<std::size_t>> lanes_of(const std::vector<OutboxRow>& rows) {
    std::vector<std::vector<std::size_t>> lanes;
    std::map<std::string, std::size_t, std::less<>> event_lane;  // request routing key -> lane
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!rows[i].is_event) {
            lanes.push_back({i});
            continue;
        }
        auto [it, added] = event_lane.try_emplace(rows[i].topic, lanes.size());
        if (added) lanes.emplace_back();
        lanes[it->second].push_back(i);
    }
    return lanes;
}

// Claims up to `limit` unsent rows that are due (only work rows when `work_only`), oldest first.
std::vector<OutboxRow> claim_rows(db::Transaction& tx, std::size_t limit, bool work_only) {
    const auto max = static_cast<std::int64_t>(limit);
    const auto result =
        work_only ? tx.exec(
                        "SELECT id, topic, payload::text, headers->>'exchange', attempts FROM outbox "
                        "WHERE sent_at IS NULL AND available_at <= now() AND headers->>'exchange' = $2 "
                        "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                        db::Params{max, kOutboxExchangeWork})
                  : tx.exec(
                        "SELECT id, topic, payload::text, headers->>'exchange', attempts FROM outbox "
                        "WHERE sent_at IS NULL AND available_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                        db::Params{max});
    std::vector<OutboxRow> rows(static_cast<std::size_t>(result.rows()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const int r = static_cast<int>(i);
        rows[i].id = result.get<std::string>(r, 0);
        rows[i].topic = result.get<std::string>(r, 1);
        rows[i].body = result.get<std::string>(r, 2);
        rows[i].is_event = result.get<std::optional<std::string>>(r, 3) == std::string(kOutboxExchangeEvents);
        rows[i].attempts = result.get<std::int64_t>(r, 4);
    }
    return rows;
}

}  // namespace

RelayRound OutboxRelay::settle_rows(db::Transaction& tx, const std::vector<OutboxRow>& rows) {
    RelayRound round;
    std::vector<std::string> sent;
    sent.reserve(rows.size());
    for (const auto& row : rows) {
        if (row.sent) {
            sent.push_back(row.id);
        } else if (row.tried) {
            ++round.failed;
            tx.exec(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $2, "
                "available_at = now() + make_interval(secs => $3) WHERE id = $1",
                db::Params{row.id, row.error,
                           row.transient ? std::int64_t{0}
                                         : static_cast<std::int64_t>(refused_row_delay(row.attempts).count())});
            log_.log_limited(failures_, LogLevel::kWarning, "outbox row not published",
                             {{"outbox_id", row.id}, {"topic", row.topic}, {"err", row.error}});
        }
    }
    if (!sent.empty()) {
        tx.exec("UPDATE outbox SET sent_at = now(), last_error = NULL WHERE id = ANY($1::bigint[])", db::Params{sent});
    }
    round.sent = sent.size();
    return round;
}

RelayRound OutboxRelay::run_once(bool wait_for_lock) {
    RelayRound round;
    const auto deadline = Deadline::after(options_.publish_timeout * 4 + std::chrono::seconds{10});
    pool_.transact_blocking(
        [&](db::Transaction& tx) {
            round = RelayRound{};
            if (wait_for_lock) {
                tx.exec("SELECT pg_advisory_xact_lock($1)", db::Params{kOutboxRelayLockKey});
            } else if (!tx.exec("SELECT pg_try_advisory_xact_lock($1)", db::Params{kOutboxRelayLockKey})
                            .scalar<bool>()) {
                round.locked = false;
                return;
            }
            std::vector<OutboxRow> rows = claim_rows(tx, options_.batch, false);
            publish_lanes(rows);
            round = settle_rows(tx, rows);
        },
        {}, deadline);
    if (round.sent > 0) {
        const std::lock_guard lock(mutex_);
        sent_total_ += round.sent;
    }
    return round;
}

std::size_t OutboxRelay::publish_work_now() {
    RelayRound round;
    const auto deadline = Deadline::after(options_.publish_timeout * 4 + std::chrono::seconds{10});
    pool_.transact_blocking(
        [&](db::Transaction& tx) {
            std::vector<OutboxRow> rows = claim_rows(tx, options_.batch, true);
            round = RelayRound{};
            if (rows.empty()) return;
            publish_lanes(rows);
            round = settle_rows(tx, rows);
        },
        {}, deadline);
    if (round.sent > 0) {
        const std::lock_guard lock(mutex_);
        sent_total_ += round.sent;
    }
    return round.sent;
}

void OutboxRelay::publish_lanes(std::vector<OutboxRow>& rows) {
    // In waves: the first row of every lane at once, then, once those are confirmed, the second row of every
    // lane whose first went out, and so on. A lane stops at its first failure so that a request's events never
    // overtake each other; the broker pipelines each wave and its confirms arrive together.
    const auto lanes = lanes_of(rows);
    const std::size_t width = std::max<std::size_t>(options_.publish_threads, 1);
    for (std::size_t first = 0; first < lanes.size(); first += width) {
        const std::size_t last = std::min(lanes.size(), first + width);
        std::vector<bool> alive(last - first, true);
        for (std::size_t step = 0;; ++step) {
            std::vector<std::pair<std::size_t, std::future<void>>> wave;  // row index, confirmation
            for (std::size_t l = first; l < last; ++l) {
                if (!alive[l - first] || step >= lanes[l].size()) continue;
                OutboxRow& row = rows[lanes[l][step]];
                row.tried = true;
                try {
                    wave.emplace_back(
                        lanes[l][step],
                        publisher_.publish(row.is_event ? names_.events_exchange() : names_.work_exchange(), row.topic,
                                           mq::parse_envelope(row.body), Deadline::after(options_.publish_timeout),
                                           !row.is_event));
                } catch (const Error& e) {
                    row.error = e.what();
                    row.transient = is_transient(e.code());
                    alive[l - first] = false;
                }
            }
            if (wave.empty()) break;
            for (auto& [index, confirmed] : wave) {
                OutboxRow& row = rows[index];
                try {
                    mq::Publisher::wait_confirmed(confirmed, Deadline::after(options_.publish_timeout));
                    row.sent = true;
                } catch (const Error& e) {
                    row.error = e.what();
                    row.transient = is_transient(e.code());
                }
            }
            for (std::size_t l = first; l < last; ++l) {
                if (alive[l - first] && step < lanes[l].size() && !rows[lanes[l][step]].sent) alive[l - first] = false;
            }
        }
    }
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
    bool urgent = true;        // rows were just committed (wake) or the last round was busy
    bool work_urgent = false;  // a wake-up whose work rows the waker did not publish itself
    for (;;) {
        std::chrono::milliseconds wait = options_.idle_poll;
        try {
            // Work rows first, without the shared lock: they are what the next agent waits for.
            if (work_urgent) publish_work_now();
            work_urgent = false;
            // Urgent rounds wait for the lock: the relay holding it may have looked before our rows committed,
            // and waiting behind it costs one short round. Idle polls only try.
            const RelayRound round = run_once(urgent);
            urgent = false;
            if (round.failed > 0 && round.sent == 0) {
                backoff = std::clamp(backoff * 2, std::chrono::milliseconds{100}, options_.max_backoff);
                wait = backoff;
            } else {
                backoff = std::chrono::milliseconds{0};
                if (round.sent > 0) {
                    wait = std::chrono::milliseconds{0};  // more may be waiting
                    urgent = true;
                }
            }
            delete_old_sent();
        } catch (const std::exception& e) {
            backoff = std::clamp(backoff * 2, std::chrono::milliseconds{100}, options_.max_backoff);
            wait = backoff;
            log_.log_limited(failures_, LogLevel::kWarning, "outbox relay round failed", {{"err", e.what()}});
        }
        std::unique_lock lock(mutex_);
        if (wait.count() > 0) cv_.wait_for(lock, wait, [this] { return stop_ || woken_; });
        if (stop_) return;
        urgent = urgent || woken_;
        work_urgent = work_woken_;
        woken_ = false;
        work_woken_ = false;
    }
}

}  // namespace alatar::agents
