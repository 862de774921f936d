#include "db/pool_async.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/this_coro.hpp>

namespace alatar::db {

namespace asio = boost::asio;

namespace {

// Watches a libpq socket on the caller's reactor without owning it: the connection closes it.
class SocketWatch {
  public:
    SocketWatch(const asio::any_io_executor& ex, int fd) : descriptor_(ex, fd) {}
    ~SocketWatch() { (void)descriptor_.release(); }
    SocketWatch(const SocketWatch&) = delete;
    SocketWatch& operator=(const SocketWatch&) = delete;

    asio::awaitable<void> wait(Connection::Progress want) {
        co_await descriptor_.async_wait(want == Connection::Progress::kWantWrite
                                            ? asio::posix::stream_descriptor::wait_write
                                            : asio::posix::stream_descriptor::wait_read,
                                        asio::use_awaitable);
    }

  private:
    asio::posix::stream_descriptor descriptor_;
};

// Drives a started statement to its result.
asio::awaitable<Result> complete(Connection& conn, SocketWatch& watch) {
    for (auto want = conn.advance(); want != Connection::Progress::kDone; want = conn.advance()) {
        co_await watch.wait(want);
    }
    co_return conn.finish();
}

}  // namespace

asio::awaitable<Result> query(Pool& pool, std::string sql, Params params, std::optional<Deadline> deadline) {
    const Deadline until = deadline.value_or(pool.default_deadline());
    // An expired call takes the blocking path, which fails it as it always did.
    std::optional<Pool::Lease> lease = until.expired() ? std::nullopt : pool.try_acquire_idle();
    if (lease) {
        Connection& conn = lease->connection();
        const auto ex = co_await asio::this_coro::executor;
        bool ready = true;
        {
            SocketWatch watch{ex, conn.socket()};
            const auto wanted = statement_timeout_for(until.remaining_ms());
            if (!statement_timeout_fits(conn.statement_timeout(), wanted)) {
                try {
                    conn.start_statement_timeout(wanted);
                    (void)co_await complete(conn, watch);
                } catch (const ConnectionError&) {
                    ready = false;  // as Pool::acquire: drop it and take the blocking path below
                }
            }
            if (ready) {
                try {
                    conn.start(sql, params);
                    co_return co_await complete(conn, watch);
                } catch (const DbError& e) {
                    lease->fail(e);
                    throw;
                }
            }
        }
        lease->discard();
        lease.reset();
    }
    auto call = [&pool, &sql, &params, until] { return pool.query_blocking(sql, params, until); };
    co_return co_await detail::hop(pool.executor(), std::move(call));
}

}  // namespace alatar::db
