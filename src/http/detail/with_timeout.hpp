#pragma once
// Internal: run an awaitable against a deadline. Included by .cpp files only (pulls in Asio's parallel_group).
//
// Unlike awaitable_operators' `||` (which waits for the first *successful* branch, so an exception in the operation
// would wait for the timer), an exception in `op` is rethrown at once. On timeout `op` is sent a cancellation; the
// call returns when `op` has reacted to it (an operation that ignores cancellation is waited for).
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <optional>

namespace alatar::http::detail {

template <class T>
boost::asio::awaitable<std::optional<T>> with_timeout(boost::asio::awaitable<T> op,
                                                      std::chrono::steady_clock::duration timeout) {
    namespace asio = boost::asio;
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer{ex, timeout};
    auto spawned = asio::co_spawn(ex, std::move(op), asio::deferred);
    auto group = asio::experimental::make_parallel_group(std::move(spawned), timer.async_wait(asio::deferred));
    auto [order, error, result, timer_ec] =
        co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    (void)timer_ec;
    if (order[0] == 0) {
        if (error) std::rethrow_exception(error);
        co_return std::optional<T>{std::move(result)};
    }
    co_return std::nullopt;
}

}  // namespace alatar::http::detail
