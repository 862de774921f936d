#pragma once
// The outbox relay: publishes committed outbox rows to RabbitMQ with publisher confirms and marks them sent.
//
// One thread per relay. Each round is one transaction that takes a transaction-level advisory lock (so among
// all API and worker processes one relay publishes at a time, in outbox id order: events of one request leave
// in the order their changes committed), claims up to `batch` unsent rows with FOR UPDATE SKIP LOCKED,
// publishes them (the events of one request in order, everything else at once so confirms overlap), and
// marks the confirmed ones sent. Work messages have no order among them, so they also leave without that lock:
// publish_work_now() (called by a worker right after its commit, and first in every woken round) claims only
// unsent work rows with SKIP LOCKED and publishes them at once. That takes the relay thread's wake-up and the
// wait behind other processes' rounds off the path of every hop between agents. While the broker is down each lane
// stops at its first failure, the rest stays for later and the thread backs off: nothing is lost and the API keeps
// accepting requests. A row the broker refuses for good (unroutable) is retried with growing delays instead of blocking
// the rows behind it. Delivery is at least once: a crash after publishing but before commit re-publishes the
// same message ids, which idempotent consumers absorb.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "db/pool.hpp"
#include "mq/publisher.hpp"
#include "mq/topology.hpp"

namespace alatar::agents {

struct OutboxRelayOptions {
    std::size_t batch{200};
    std::chrono::milliseconds idle_poll{100};         // wait between rounds that found nothing
    std::chrono::milliseconds publish_timeout{5000};  // per message, while the broker is unreachable
    std::chrono::milliseconds max_backoff{5000};      // after failed rounds
    std::chrono::hours keep_sent{1};                  // sent rows are deleted after this
    std::size_t publish_threads{16};                  // event lanes in flight at once (confirms overlap)
    bool start_thread{true};                          // false: tests drive run_once() themselves
};

struct OutboxRow;  // one claimed row and its outcome (outbox_relay.cpp)

struct RelayRound {
    std::size_t sent{0};
    std::size_t failed{0};
    bool locked{true};  // false when another relay held the lock
};

class OutboxRelay {
  public:
    // `pool` and `publisher` must outlive the relay.
    OutboxRelay(db::Pool& pool, mq::Publisher& publisher, mq::Names names, Logger log,
                const OutboxRelayOptions& options = {});
    ~OutboxRelay();  // finishes the current round, then stops
    OutboxRelay(const OutboxRelay&) = delete;
    OutboxRelay& operator=(const OutboxRelay&) = delete;
    OutboxRelay(OutboxRelay&&) = delete;
    OutboxRelay& operator=(OutboxRelay&&) = delete;

    // Something was just committed: start a round now instead of after idle_poll. Thread-safe, non-blocking.
    // `work_too`: false when the caller already ran publish_work_now() after that commit.
    void wake(bool work_too = true) noexcept;

    // Publishes committed work messages (not events) on the calling thread without the relays' shared lock,
    // marks the confirmed ones sent and returns how many. Rows another relay holds are skipped (it sends them),
    // rows the broker does not confirm stay for the relay's rounds. Throws on database errors.
    std::size_t publish_work_now();

    // One round on the calling thread; `wait_for_lock` waits for another relay's round instead of skipping.
    // Throws on database errors.
    RelayRound run_once(bool wait_for_lock = false);

    std::uint64_t sent_total() const noexcept;

  private:
    void run();
    void publish_lanes(std::vector<OutboxRow>& rows);
    // Marks the round's confirmed rows sent and schedules the failed ones again; returns the counts.
    RelayRound settle_rows(db::Transaction& tx, const std::vector<OutboxRow>& rows);
    void delete_old_sent();

    db::Pool& pool_;
    mq::Publisher& publisher_;
    mq::Names names_;
    Logger log_;
    OutboxRelayOptions options_;
    LogRateLimiter failures_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool woken_{false};            // guarded by mutex_
    bool work_woken_{false};       // guarded by mutex_: the wake-up may have left work rows behind
    bool stop_{false};             // guarded by mutex_
    std::uint64_t sent_total_{0};  // guarded by mutex_
    std::chrono::steady_clock::time_point last_cleanup_{};
    std::thread thread_;  // last: started after everything else is ready
};

// The advisory lock key every relay shares ("alatar.outbox").
inline constexpr std::int64_t kOutboxRelayLockKey = 0x616c617461720002LL;

}  // namespace alatar::agents
