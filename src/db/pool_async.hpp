#pragma once
// The awaitable face of db::Pool, for coroutines on I/O threads. Each call hops to the pool's own
// threads, runs the blocking call there and resumes the caller on its own executor; exceptions
// (typed DbError / alatar::Error) propagate to the co_await.
//
//     auto r = co_await db::query(pool, "SELECT email FROM users WHERE id = $1", db::Params{id});
//     auto insert_user = [&](db::Transaction& tx) { ...; return id; };
//     auto id = co_await db::transact(pool, insert_user);
//
// GCC 12 bug: a lambda or aggregate temporary with non-trivial members (e.g. a lambda capturing a
// std::string by value, or `Foo{str}` for an aggregate Foo) that appears inside a co_await
// expression is destroyed twice. Bind such closures to a named variable before co_await, as above.
// (Params, Json and Numeric have constructors, so `db::Params{...}` inside co_await is fine.)
//
// Include this header only where coroutines use the pool (it pulls in Asio); link alatar::asio.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <concepts>
#include <exception>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "db/pool.hpp"

namespace alatar::db {

namespace detail {

// Posts fn to `threads`; completes the awaiting coroutine on its own executor with fn's result.
// Deliberately not a coroutine itself (see the GCC note above).
template <class F>
auto hop(boost::asio::thread_pool& threads, F fn) {
    using R = std::invoke_result_t<F&>;
    namespace asio = boost::asio;
    if constexpr (std::is_void_v<R>) {
        return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(
            [&threads](auto handler, F f) {
                auto home =
                    asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
                asio::post(threads, [handler = std::move(handler), home = std::move(home), f = std::move(f)]() mutable {
                    std::exception_ptr error;
                    try {
                        f();
                    } catch (...) {
                        error = std::current_exception();
                    }
                    asio::dispatch(home,
                                   [handler = std::move(handler), error]() mutable { std::move(handler)(error); });
                });
            },
            asio::use_awaitable, std::move(fn));
    } else {
        static_assert(std::default_initializable<R>, "return a default-constructible type (e.g. std::optional<T>)");
        return asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr, R)>(
            [&threads](auto handler, F f) {
                auto home =
                    asio::prefer(asio::get_associated_executor(handler), asio::execution::outstanding_work.tracked);
                asio::post(threads, [handler = std::move(handler), home = std::move(home), f = std::move(f)]() mutable {
                    std::exception_ptr error;
                    R result{};
                    try {
                        result = f();
                    } catch (...) {
                        error = std::current_exception();
                    }
                    asio::dispatch(home, [handler = std::move(handler), error, result = std::move(result)]() mutable {
                        std::move(handler)(error, std::move(result));
                    });
                });
            },
            asio::use_awaitable, std::move(fn));
    }
}

}  // namespace detail

// Runs fn() (plain blocking code, no co_await inside) on the pool's threads.
template <class F>
auto run_blocking(Pool& pool, F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
    return detail::hop(pool.executor(), std::move(fn));
}

// The deadline starts now, so time spent queued for a pool thread counts against it. When a connection is
// idle the statement runs right here, non-blocking on the caller's executor (no thread hop: the socket is
// watched by the caller's reactor); otherwise it waits for one on the pool's threads as run_blocking does.
boost::asio::awaitable<Result> query(Pool& pool, std::string sql, Params params = {},
                                     std::optional<Deadline> deadline = std::nullopt);

// fn(Transaction&) runs entirely on one pool thread and one connection (see run_transaction).
template <class F>
auto transact(Pool& pool, F fn, TxOptions options = {}, std::optional<Deadline> deadline = std::nullopt)
    -> boost::asio::awaitable<std::invoke_result_t<F&, Transaction&>> {
    const Deadline until = deadline.value_or(pool.default_deadline());
    return detail::hop(pool.executor(), [&pool, fn = std::move(fn), options, until]() mutable {
        return pool.transact_blocking(fn, options, until);
    });
}

}  // namespace alatar::db
