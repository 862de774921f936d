#pragma once
// In-process fan-out of analysis events: the process's one mq::EventSubscriber hands every event to publish(),
// which pushes it to the queues of the subscriptions watching that request id.
//
// A queue holds at most `capacity` events; when a slow subscriber falls behind, the oldest are dropped (events
// are hints: each update re-reads the request from the database, so the latest state is never lost).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace alatar::api {

class EventHub;

class EventQueue {
  public:
    EventQueue(const boost::asio::any_io_executor& executor, std::size_t capacity);
    ~EventQueue();
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    // Thread-safe, non-blocking.
    void push(boost::json::object event);
    // The next event; nullopt once closed. One reader at a time.
    boost::asio::awaitable<std::optional<boost::json::object>> pop();
    // Thread-safe: wakes a pending pop() with nullopt; later pushes are ignored.
    void close();
    bool closed() const;
    std::size_t dropped() const;

  private:
    friend class EventHub;
    using Doorbell = boost::asio::experimental::concurrent_channel<void(boost::system::error_code)>;

    mutable std::mutex mutex_;
    std::deque<boost::json::object> events_;
    std::size_t capacity_;
    std::size_t dropped_ = 0;
    bool closed_ = false;
    Doorbell doorbell_;
    std::weak_ptr<EventHub> hub_;
    std::string key_;
};

class EventHub : public std::enable_shared_from_this<EventHub> {
  public:
    // Registers a queue for the events of `request_id`; it unregisters itself when destroyed.
    std::shared_ptr<EventQueue> subscribe(const std::string& request_id, const boost::asio::any_io_executor& executor,
                                          std::size_t capacity = 64);
    // Delivers `event` to every queue of `request_id`. Thread-safe; never blocks on a subscriber.
    void publish(const std::string& request_id, const boost::json::object& event);
    // Closes every queue (shutdown).
    void close_all();

    std::size_t subscriptions() const;

  private:
    friend class EventQueue;
    void remove(const std::string& key, const EventQueue* queue);

    mutable std::mutex mutex_;
    std::multimap<std::string, std::weak_ptr<EventQueue>, std::less<>> queues_;
};

}  // namespace alatar::api
