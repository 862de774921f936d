#pragma once
// The awaitable face of db::Pool, for coroutines on I/O threads. Each call hops to the pool's own
// threads, runs the blocking call there and resumes the caller on its own executor; exceptions
// (typed DbError / alatar::Error) propagate to the co_await.
//
//     auto r = co_await db::query(pool, "SELECT email FROM users WHERE id = $1", db::Params{id});
//     auto n = co_await db::transact(pool, [&](db::Transaction& tx) { ...; return 1; });
//
// Include this header only where coroutines use the pool (it pulls in Asio); link alatar::asio.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "db/pool.hpp"

namespace alatar::db {

// Runs fn() on the pool's threads. fn must not co_await anything: it is plain blocking code.
template <class F>
auto run_blocking(Pool& pool, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
    using R = std::invoke_result_t<F&>;
    if constexpr (std::is_void_v<R>) {
        co_await boost::asio::co_spawn(
            pool.executor(),
            [fn = std::move(fn)]() mutable -> boost::asio::awaitable<void> {
                fn();
                co_return;
            },
            boost::asio::use_awaitable);
    } else {
        // co_spawn needs a default-constructible result; optional makes any movable R one.
        std::optional<R> result = co_await boost::asio::co_spawn(
            pool.executor(),
            [fn = std::move(fn)]() mutable -> boost::asio::awaitable<std::optional<R>> {
                co_return std::optional<R>{fn()};
            },
            boost::asio::use_awaitable);
        co_return std::move(*result);
    }
}

// The deadline starts now, so time spent queued for a pool thread counts against it.
inline boost::asio::awaitable<Result> query(Pool& pool, std::string sql, Params params = {},
                                            std::optional<Deadline> deadline = std::nullopt) {
    const Deadline until = deadline.value_or(pool.default_deadline());
    co_return co_await run_blocking(pool, [&pool, sql = std::move(sql), params = std::move(params), until] {
        return pool.query_blocking(sql, params, until);
    });
}

template <class F>
auto transact(Pool& pool, F fn, TxOptions options = {}, std::optional<Deadline> deadline = std::nullopt)
    -> boost::asio::awaitable<std::invoke_result_t<F&, Transaction&>> {
    const Deadline until = deadline.value_or(pool.default_deadline());
    co_return co_await run_blocking(pool, [&pool, fn = std::move(fn), options, until]() mutable {
        return pool.transact_blocking(fn, options, until);
    });
}

}  // namespace alatar::db
