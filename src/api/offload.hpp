#pragma once
// CPU-heavy work (argon2id password hashing) off the I/O threads: a small thread pool and an awaitable that
// runs a function there and resumes the caller on its own executor.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace alatar::api {

class CpuPool {
  public:
    explicit CpuPool(std::size_t threads) : pool_(threads) {}
    ~CpuPool() { pool_.join(); }
    CpuPool(const CpuPool&) = delete;
    CpuPool& operator=(const CpuPool&) = delete;

    // Runs fn() on the pool. fn must be a plain (non-coroutine) callable returning a default-constructible value.
    template <class F>
    auto run(F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
        using R = std::invoke_result_t<F&>;
        // Named coroutine object: GCC 12 double-destroys closure temporaries inside co_await expressions.
        auto task = [fn = std::move(fn)]() mutable -> boost::asio::awaitable<R> { co_return fn(); };
        auto spawned = boost::asio::co_spawn(pool_, std::move(task), boost::asio::use_awaitable);
        co_return co_await std::move(spawned);
    }

    void stop() {
        pool_.stop();
        pool_.join();
    }

  private:
    boost::asio::thread_pool pool_;
};

}  // namespace alatar::api
