#include "db/pool.hpp"

#include <algorithm>
#include <boost/asio/thread_pool.hpp>

#include "common/config.hpp"

namespace alatar::db {

namespace {

std::size_t executor_threads(const PoolOptions& options) {
    return std::max<std::size_t>(1, options.threads == 0 ? options.size : options.threads);
}

}  // namespace

std::chrono::milliseconds statement_timeout_for(std::chrono::milliseconds remaining) noexcept {
    using std::chrono::milliseconds;
    if (remaining == milliseconds::max()) return milliseconds{0};  // no deadline: no timeout
    if (remaining >= milliseconds{1000}) return milliseconds{remaining.count() / 250 * 250};
    return milliseconds{std::max<long long>(1, remaining.count() / 10 * 10)};
}

bool statement_timeout_fits(std::chrono::milliseconds current, std::chrono::milliseconds wanted) noexcept {
    if (wanted.count() == 0) return current.count() == 0;  // no deadline: no timeout
    return current.count() > 0 && current <= wanted && current * 2 >= wanted;
}

PoolOptions pool_options(const Config& config) {
    PoolOptions options;
    options.url = config.database_url;
    if (config.db_pool_size > 0) options.size = static_cast<std::size_t>(config.db_pool_size);
    if (config.db_call_timeout > std::chrono::milliseconds::zero()) options.default_timeout = config.db_call_timeout;
    return options;
}

Pool::Pool(PoolOptions options, Logger logger)
    : options_(std::move(options)),
      log_(std::move(logger)),
      threads_(std::make_unique<boost::asio::thread_pool>(executor_threads(options_))) {
    options_.size = std::max<std::size_t>(1, options_.size);
}

Pool::~Pool() {
    threads_->join();  // let queued async calls finish while the connections still exist
}

Deadline Pool::default_deadline() const noexcept { return Deadline::after(options_.default_timeout); }

PoolStats Pool::stats() const {
    const std::lock_guard lock(mutex_);
    return PoolStats{.open = open_, .idle = idle_.size(), .opened = opened_total_, .discarded = discarded_total_};
}

Result Pool::query_blocking(std::string_view sql, const Params& params, std::optional<Deadline> deadline) {
    Lease lease = acquire(deadline.value_or(default_deadline()));
    return lease.run([&] { return lease.connection().exec(sql, params); });
}

std::unique_ptr<Connection> Pool::open_connection(Deadline deadline) {
    try {
        auto conn = std::make_unique<Connection>(options_.url, deadline.min(Deadline::after(options_.connect_timeout)));
        log_.debug("database connection opened", {{"backend_pid", conn->backend_pid()}});
        return conn;
    } catch (const DbError& e) {
        log_.log_limited(connect_failures_, LogLevel::kWarning, "database connect failed",
                         {{"err", e.server_message()}});
        throw;
    }
}

Pool::Lease Pool::acquire(Deadline deadline) {
    std::unique_lock lock(mutex_);
    while (true) {
        if (deadline.expired()) {
            throw TimeoutError(FailureKind::kTimeout, ErrorInfo{.message = "deadline passed before the call"});
        }
        std::unique_ptr<Connection> conn;
        if (!idle_.empty()) {
            conn = std::move(idle_.back());
            idle_.pop_back();
        } else if (open_ < options_.size) {
            ++open_;
            lock.unlock();
            try {
                conn = open_connection(deadline);
            } catch (...) {
                lock.lock();
                --open_;
                freed_.notify_one();
                throw;
            }
            lock.lock();
            ++opened_total_;
        } else {
            if (deadline.is_never()) {
                freed_.wait(lock);
            } else if (freed_.wait_until(lock, deadline.time_point()) == std::cv_status::timeout && idle_.empty() &&
                       open_ >= options_.size) {
                lock.unlock();
                log_.log_limited(exhausted_, LogLevel::kWarning, "database pool exhausted", {{"size", options_.size}});
                throw Error(ErrorCode::kUpstreamUnavailable, "the database is busy, please retry");
            }
            continue;
        }
        lock.unlock();
        {
            Lease lease{*this, std::move(conn)};
            if (prepare(lease, deadline)) return lease;
        }  // a broken connection is dropped here, freeing its slot
        lock.lock();
    }
}

std::optional<Pool::Lease> Pool::try_acquire_idle() {
    while (true) {
        std::unique_ptr<Connection> conn;
        {
            const std::lock_guard lock(mutex_);
            if (idle_.empty()) return std::nullopt;
            conn = std::move(idle_.back());
            idle_.pop_back();
        }
        Lease lease{*this, std::move(conn)};
        if (lease.connection().idle_and_healthy()) return lease;
        lease.broken_ = true;  // dropped when `lease` goes out of scope, freeing its slot
    }
}

bool Pool::prepare(Lease& lease, Deadline deadline) {
    // A connection that sat idle may have been closed by the server (restart, terminate):
    // detect that without a round trip and open another instead of failing the call.
    if (!lease.connection().idle_and_healthy()) {
        lease.broken_ = true;
        return false;
    }
    try {
        const auto wanted = statement_timeout_for(deadline.remaining_ms());
        if (!statement_timeout_fits(lease.connection().statement_timeout(), wanted)) {
            lease.connection().set_statement_timeout(wanted);
        }
    } catch (const ConnectionError&) {
        lease.broken_ = true;
        return false;
    }
    return true;
}

Pool::Lease::~Lease() {
    if (!conn_) return;
    const bool broken = broken_ || !conn_->is_ok() || conn_->in_transaction();
    pool_->release(std::move(conn_), broken);
}

void Pool::release(std::unique_ptr<Connection> conn, bool broken) noexcept {
    if (broken) {
        conn.reset();  // PQfinish outside the lock
        const std::lock_guard lock(mutex_);
        --open_;
        ++discarded_total_;
    } else {
        const std::lock_guard lock(mutex_);
        idle_.push_back(std::move(conn));
    }
    freed_.notify_one();
}

void Pool::note_failure(Lease& lease, const DbError& e) {
    switch (e.kind()) {
        case FailureKind::kConnectionLost:
            lease.broken_ = true;
            log_.log_limited(lost_connections_, LogLevel::kWarning, "database connection lost",
                             {{"err", e.server_message()}, {"sqlstate", e.sqlstate()}});
            break;
        case FailureKind::kTimeout:
            log_.warning("database statement timed out", {{"sqlstate", e.sqlstate()}});
            break;
        case FailureKind::kInternal:
            log_.error("database error",
                       {{"sqlstate", e.sqlstate()}, {"err", e.server_message()}, {"detail", e.info().detail}});
            break;
        case FailureKind::kConflict:
        case FailureKind::kSerializationFailure:
            log_.debug("database conflict", {{"sqlstate", e.sqlstate()}, {"constraint", e.constraint()}});
            break;
    }
}

}  // namespace alatar::db
