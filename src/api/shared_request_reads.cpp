#include "api/shared_request_reads.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace alatar::api {

namespace asio = boost::asio;
using Wakeup = asio::experimental::concurrent_channel<void(boost::system::error_code)>;
using Clock = std::chrono::steady_clock;

namespace {

// Entries idle this long are dropped once the map has grown past kPruneAbove.
constexpr auto kKeepFor = std::chrono::seconds{30};
constexpr std::size_t kPruneAbove = 1024;

struct Entry {
    std::optional<RequestState> state;  // the last read that found the request
    std::string user_id;                // whom that read was for
    std::int64_t seq = -1;              // its "_eventSeq"
    bool reading = false;
    std::uint64_t generation = 0;  // reads started on this entry, so a waiter knows which read woke it
    // How the last read failed, for those that waited for it (they fail too instead of reading again one after
    // another, each after the same timeout).
    std::exception_ptr failure;
    std::uint64_t failed_generation = 0;
    std::vector<std::shared_ptr<Wakeup>> waiters;
    Clock::time_point touched{};
};

std::int64_t event_seq(const RequestState& s) {
    const auto* seq = s.request.if_contains("_eventSeq");
    return seq != nullptr && seq->is_int64() ? seq->get_int64() : -1;
}

}  // namespace

struct SharedRequestReads::State {
    mutable std::mutex mutex;
    std::map<std::string, Entry, std::less<>> entries;
    std::uint64_t fetches = 0;
    std::uint64_t shared = 0;

    void prune(Clock::time_point now) {
        if (entries.size() <= kPruneAbove) return;
        std::erase_if(entries, [now](const auto& kv) {
            const Entry& e = kv.second;
            return !e.reading && e.waiters.empty() && now - e.touched > kKeepFor;
        });
    }
};

SharedRequestReads::SharedRequestReads() : state_(std::make_unique<State>()) {}
SharedRequestReads::~SharedRequestReads() = default;

// By value on purpose: a coroutine's reference parameters could dangle across its suspensions.
// cppcheck-suppress passedByValue
asio::awaitable<std::optional<RequestState>> SharedRequestReads::read(std::string request_uuid, std::string user_id,
                                                                      std::int64_t seq, Fetch fetch) {
    const auto executor = co_await asio::this_coro::executor;
    while (true) {
        std::shared_ptr<Wakeup> wakeup;
        std::uint64_t awaited = 0;
        std::uint64_t generation = 0;
        {
            std::lock_guard lock{state_->mutex};
            Entry& e = state_->entries[request_uuid];
            e.touched = Clock::now();
            if (e.state && e.user_id == user_id && e.seq >= seq) {
                ++state_->shared;
                co_return e.state;
            }
            if (e.reading) {
                wakeup = std::make_shared<Wakeup>(executor, 1);
                e.waiters.push_back(wakeup);
                awaited = e.generation;
            } else {
                e.reading = true;
                generation = ++e.generation;
                ++state_->fetches;
            }
        }
        if (wakeup) {
            // Woken when that read ends. If it failed, so does this read; otherwise look again (what it found may
            // be older than `seq`, or another user's).
            (void)co_await wakeup->async_receive(asio::as_tuple(asio::use_awaitable));
            std::exception_ptr failure;
            {
                std::lock_guard lock{state_->mutex};
                const Entry& e = state_->entries[request_uuid];
                if (e.failed_generation == awaited) failure = e.failure;
            }
            if (failure) std::rethrow_exception(failure);
            continue;
        }

        std::optional<RequestState> found;
        std::exception_ptr failure;
        try {
            found = co_await fetch();
        } catch (...) {
            failure = std::current_exception();
        }
        std::vector<std::shared_ptr<Wakeup>> waiters;
        {
            std::lock_guard lock{state_->mutex};
            Entry& e = state_->entries[request_uuid];
            e.reading = false;
            if (failure) {
                e.failure = failure;
                e.failed_generation = generation;
            }
            if (found) {
                e.state = found;
                e.user_id = user_id;
                e.seq = event_seq(*found);
            }
            waiters.swap(e.waiters);
            state_->prune(Clock::now());
        }
        for (const auto& w : waiters) w->try_send(boost::system::error_code{});
        if (failure) std::rethrow_exception(failure);
        co_return found;
    }
}

std::uint64_t SharedRequestReads::fetches() const {
    std::lock_guard lock{state_->mutex};
    return state_->fetches;
}

std::uint64_t SharedRequestReads::shared() const {
    std::lock_guard lock{state_->mutex};
    return state_->shared;
}

}  // namespace alatar::api
