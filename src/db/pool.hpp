#pragma once
// A bounded pool of PostgreSQL connections with its own threads.
//
// Connections are opened lazily up to `size`; one that breaks (server restart, terminated backend,
// protocol error) is dropped and replaced on a later call. Every call has a deadline that covers
// both waiting for a free connection and the statement itself (statement_timeout is set from it).
//
// Two ways in:
//   - blocking, for CLI and worker code: query_blocking(), transact_blocking();
//   - awaitable, for coroutines on I/O threads: db::query() / db::transact() in pool_async.hpp,
//     which run the blocking call on the pool's own asio::thread_pool so I/O threads never block.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/log.hpp"
#include "common/time.hpp"
#include "db/connection.hpp"
#include "db/errors.hpp"
#include "db/transaction.hpp"

namespace boost::asio {
class thread_pool;
}  // namespace boost::asio

namespace alatar {
struct Config;
}  // namespace alatar

namespace alatar::db {

struct PoolOptions {
    std::string url;                                  // libpq URI (ALATAR_DATABASE_URL)
    std::size_t size = 8;                             // max open connections
    std::size_t threads = 0;                          // threads of the async executor; 0 = size
    std::chrono::milliseconds default_timeout{5000};  // deadline of a call that names none
    std::chrono::milliseconds connect_timeout{5000};  // cap for opening one connection
};

// database_url, db_pool_size (0 keeps the default) and db_call_timeout from the process configuration.
PoolOptions pool_options(const Config& config);

struct PoolStats {
    std::size_t open = 0;  // connections that exist (idle + leased + being opened)
    std::size_t idle = 0;
    std::uint64_t opened = 0;     // total ever opened
    std::uint64_t discarded = 0;  // total dropped as broken
};

class Pool {
  public:
    Pool(PoolOptions options, Logger logger);
    ~Pool();  // waits for queued async calls, then closes every connection
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // The deadline a call without one gets: now + default_timeout.
    Deadline default_deadline() const noexcept;

    // Runs one statement on some connection. Blocks the calling thread.
    Result query_blocking(std::string_view sql, const Params& params = {},
                          std::optional<Deadline> deadline = std::nullopt);

    // Runs fn(Transaction&) between BEGIN and COMMIT on one connection (see run_transaction).
    template <class F>
    auto transact_blocking(F&& fn, const TxOptions& options = {}, std::optional<Deadline> deadline = std::nullopt)
        -> std::invoke_result_t<F&, Transaction&> {
        TxOptions bounded = options;
        bounded.deadline = options.deadline.min(deadline.value_or(default_deadline()));
        Lease lease = acquire(bounded.deadline);
        return lease.run([&] { return run_transaction(lease.connection(), fn, bounded); });
    }

    // The executor the awaitable API runs calls on (pool_async.hpp).
    boost::asio::thread_pool& executor() noexcept { return *threads_; }

    PoolStats stats() const;

    // A connection borrowed from the pool; returned on destruction (or dropped if it broke).
    class Lease {
      public:
        Lease(Pool& pool, std::unique_ptr<Connection> conn) noexcept : pool_(&pool), conn_(std::move(conn)) {}
        ~Lease();
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;

        Connection& connection() noexcept { return *conn_; }
        // For callers that drive the connection themselves (pool_async): log a database error as run()
        // does (a lost connection is then dropped), or drop the connection whatever its state.
        void fail(const DbError& e) { pool_->note_failure(*this, e); }
        void discard() noexcept { broken_ = true; }

        // Calls fn(); a connection failure marks the connection for discarding, and every database
        // error is logged here (details for operators, what() stays client-safe).
        template <class G>
        auto run(G&& g) -> std::invoke_result_t<G&> {
            try {
                return g();
            } catch (const DbError& e) {
                pool_->note_failure(*this, e);
                throw;
            }
        }

      private:
        friend class Pool;
        Pool* pool_;
        std::unique_ptr<Connection> conn_;
        bool broken_ = false;
    };

    // Borrows a connection, opening one if the pool is below size; waits until `deadline` otherwise.
    // statement_timeout is set to the time left. Throws kUpstreamUnavailable when nothing frees up or
    // the server cannot be reached in time.
    Lease acquire(Deadline deadline);
    // An idle connection that looks healthy, without waiting or connecting; nullopt when none is idle.
    // statement_timeout is left to the caller (statement_timeout_for / statement_timeout_fits).
    std::optional<Lease> try_acquire_idle();

  private:
    void release(std::unique_ptr<Connection> conn, bool broken) noexcept;
    void note_failure(Lease& lease, const DbError& e);
    std::unique_ptr<Connection> open_connection(Deadline deadline);
    bool prepare(Lease& lease, Deadline deadline);

    PoolOptions options_;
    Logger log_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;
    std::uint64_t opened_total_ = 0;
    std::uint64_t discarded_total_ = 0;
    LogRateLimiter connect_failures_;
    LogRateLimiter lost_connections_;
    LogRateLimiter exhausted_;
    std::unique_ptr<boost::asio::thread_pool> threads_;  // last: joined first on destruction
};

// statement_timeout for a call with `remaining` time: rounded down to coarse steps so that calls
// with similar deadlines reuse the connection's current setting instead of issuing a SET each time.
std::chrono::milliseconds statement_timeout_for(std::chrono::milliseconds remaining) noexcept;

// Whether a connection whose statement_timeout is `current` may run a call that wants `wanted`
// (statement_timeout_for) without a SET first. The timeout is a safety net below the deadline, not
// the deadline itself: a current value that ends no later than wanted and leaves at least half of it
// is kept, so under load (when the time left drifts from call to call) busy connections are not sent
// an extra round trip before nearly every query. A negative current means unknown.
bool statement_timeout_fits(std::chrono::milliseconds current, std::chrono::milliseconds wanted) noexcept;

}  // namespace alatar::db
