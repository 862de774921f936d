#include "api/event_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;

EventQueue::EventQueue(const asio::any_io_executor& executor, std::size_t capacity)
    : capacity_(capacity == 0 ? 1 : capacity), doorbell_(executor, 1) {}

EventQueue::~EventQueue() {
    if (auto hub = hub_.lock()) hub->remove(key_, this);
}

void EventQueue::push(json::object event) {
    {
        std::lock_guard lock{mutex_};
        if (closed_) return;
        if (events_.size() >= capacity_) {
            events_.pop_front();
            ++dropped_;
        }
        events_.push_back(std::move(event));
    }
    // A full doorbell means a wake-up is already pending: nothing to do.
    doorbell_.try_send(boost::system::error_code{});
}

asio::awaitable<std::optional<json::object>> EventQueue::pop() {
    while (true) {
        {
            std::lock_guard lock{mutex_};
            if (closed_) co_return std::nullopt;
            if (!events_.empty()) {
                json::object e = std::move(events_.front());
                events_.pop_front();
                co_return e;
            }
        }
        auto [ec] = co_await doorbell_.async_receive(asio::as_tuple(asio::use_awaitable));
        if (ec) co_return std::nullopt;  // closed
    }
}

void EventQueue::close() {
    {
        std::lock_guard lock{mutex_};
        closed_ = true;
        events_.clear();
    }
    doorbell_.close();
}

bool EventQueue::closed() const {
    std::lock_guard lock{mutex_};
    return closed_;
}

std::size_t EventQueue::dropped() const {
    std::lock_guard lock{mutex_};
    return dropped_;
}

std::shared_ptr<EventQueue> EventHub::subscribe(const std::string& request_id, const asio::any_io_executor& executor,
                                                std::size_t capacity) {
    auto queue = std::make_shared<EventQueue>(executor, capacity);
    queue->hub_ = weak_from_this();
    queue->key_ = request_id;
    std::lock_guard lock{mutex_};
    queues_.emplace(request_id, queue);
    return queue;
}

void EventHub::publish(const std::string& request_id, const json::object& event) {
    std::vector<std::shared_ptr<EventQueue>> targets;
    {
        std::lock_guard lock{mutex_};
        const auto [first, last] = queues_.equal_range(request_id);
        for (auto it = first; it != last; ++it) {
            if (auto q = it->second.lock()) targets.push_back(std::move(q));
        }
    }
    for (const auto& q : targets) q->push(event);
}

void EventHub::close_all() {
    std::vector<std::shared_ptr<EventQueue>> all;
    {
        std::lock_guard lock{mutex_};
        for (const auto& [key, weak] : queues_) {
            if (auto q = weak.lock()) all.push_back(std::move(q));
        }
    }
    for (const auto& q : all) q->close();
}

std::size_t EventHub::subscriptions() const {
    std::lock_guard lock{mutex_};
    return queues_.size();
}

void EventHub::remove(const std::string& key, const EventQueue* queue) {
    std::lock_guard lock{mutex_};
    const auto [first, last] = queues_.equal_range(key);
    for (auto it = first; it != last; ++it) {
        const auto locked = it->second.lock();
        if (locked.get() == queue || it->second.expired()) {
            queues_.erase(it);
            return;
        }
    }
}

}  // namespace alatar::api
