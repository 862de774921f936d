#include "mq/publisher.hpp"

#include <algorithm>
#include <map>
#include <variant>

#include "common/error.hpp"
#include "mq/wakeup.hpp"

namespace alatar::mq {

struct Publisher::Request {
    std::string exchange;
    std::string routing_key;
    Message message;
    bool mandatory{true};
    Deadline deadline = Deadline::never();
    std::promise<void> done;
    bool settled{false};  // publishing thread only
    bool returned{false};
    std::string return_text;

    void succeed() {
        if (settled) return;
        settled = true;
        done.set_value();
    }
    void fail(const Error& e) {
        if (settled) return;
        settled = true;
        done.set_exception(std::make_exception_ptr(e));
    }
};

// State owned by the publishing thread.
struct Publisher::Session {
    std::unique_ptr<AmqpConnection> conn;
    std::uint64_t next_seq{0};
    std::map<std::uint64_t, RequestPtr> in_flight;  // by publish sequence number (= confirm delivery tag)
    std::deque<RequestPtr> pending;
    std::chrono::milliseconds backoff{100};
    bool serial{false};  // after a non-transient channel error: one message at a time to isolate the culprit

    void drop_connection() {
        conn.reset();
        // Unconfirmed messages go back to the front, in their original order, to be sent again after reconnect.
        for (auto it = in_flight.rbegin(); it != in_flight.rend(); ++it) {
            if (!it->second->settled) pending.push_front(it->second);
        }
        in_flight.clear();
    }

    void expire() {
        const Error timeout(ErrorCode::kTimeout, "message not confirmed by the broker before the deadline");
        for (auto& r : pending) {
            if (r->deadline.expired()) r->fail(timeout);
        }
        std::erase_if(pending, [](const RequestPtr& r) { return r->settled; });
        // In-flight requests stay in the map for the sequence bookkeeping; only their callers are released.
        for (auto& [seq, r] : in_flight) {
            if (r->deadline.expired()) r->fail(timeout);
        }
    }

    void on_confirm(const ConfirmEvent& c) {
        const auto last = in_flight.upper_bound(c.delivery_tag);
        auto first = c.multiple ? in_flight.begin() : in_flight.find(c.delivery_tag);
        if (first == in_flight.end()) return;
        if (!c.multiple) {
            settle(*first->second, c.ack);
            in_flight.erase(first);
            return;
        }
        for (auto it = first; it != last; ++it) settle(*it->second, c.ack);
        in_flight.erase(first, last);
    }

    static void settle(Request& r, bool ack) {
        if (!ack) {
            r.fail(Error(ErrorCode::kUpstreamUnavailable, "the broker did not accept the message (nack)"));
        } else if (r.returned) {
            r.fail(Error(ErrorCode::kNotFound, "no queue is bound for routing key " + r.routing_key + " on exchange " +
                                                   r.exchange + " (" + r.return_text + ")"));
        } else {
            r.succeed();
        }
    }

    void on_return(const ReturnEvent& ret) {
        // Returns arrive before the confirm of the same message and in publish order: the first unreturned
        // in-flight request with this message id and routing key is the one.
        for (auto& [seq, r] : in_flight) {
            if (!r->returned && r->routing_key == ret.routing_key && r->message.message_id == ret.message.message_id) {
                r->returned = true;
                r->return_text = std::to_string(ret.reply_code) + " " + ret.reply_text;
                return;
            }
        }
    }
};

Publisher::Publisher(AmqpUrl url, Logger log, PublisherOptions options)
    : url_(std::move(url)), log_(std::move(log)), options_(std::move(options)), wakeup_(std::make_unique<Wakeup>()) {
    thread_ = std::thread([this] { run(); });
}

Publisher::~Publisher() {
    {
        const std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void Publisher::publish_blocking(std::string exchange, std::string routing_key, const Envelope& envelope,
                                 Deadline deadline, bool mandatory) {
    publish_blocking(std::move(exchange), std::move(routing_key), to_message(envelope), deadline, mandatory);
}

void Publisher::publish_blocking(std::string exchange, std::string routing_key, Message message, Deadline deadline,
                                 bool mandatory) {
    auto confirmed = publish(std::move(exchange), std::move(routing_key), std::move(message), deadline, mandatory);
    wait_confirmed(confirmed, deadline);
}

std::future<void> Publisher::publish(std::string exchange, std::string routing_key, const Envelope& envelope,
                                     Deadline deadline, bool mandatory) {
    return publish(std::move(exchange), std::move(routing_key), to_message(envelope), deadline, mandatory);
}

std::future<void> Publisher::publish(std::string exchange, std::string routing_key, Message message, Deadline deadline,
                                     bool mandatory) {
    if (!message.headers.contains(kHeaderRoutingKey))
        message.headers.emplace(std::string(kHeaderRoutingKey), routing_key);
    auto req = std::make_shared<Request>();
    req->exchange = std::move(exchange);
    req->routing_key = std::move(routing_key);
    req->message = std::move(message);
    req->mandatory = mandatory;
    req->deadline = deadline;
    auto done = req->done.get_future();
    {
        const std::lock_guard lock(mutex_);
        if (stop_) throw Error(ErrorCode::kUpstreamUnavailable, "publisher is stopping");
        queue_.push_back(std::move(req));
    }
    cv_.notify_one();
    wakeup_->notify();
    return done;
}

void Publisher::wait_confirmed(std::future<void>& confirmed, Deadline deadline) {
    if (deadline.is_never()) {
        confirmed.wait();
    } else if (confirmed.wait_until(deadline.time_point() + std::chrono::milliseconds{200}) ==
               std::future_status::timeout) {
        throw Error(ErrorCode::kTimeout, "message not confirmed by the broker before the deadline");
    }
    confirmed.get();
}

void Publisher::run() {
    Session s;
    LogRateLimiter connect_limiter;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (s.pending.empty() && s.in_flight.empty() && queue_.empty() && !stop_) {
                // Idle: wake at least every second to service heartbeats on an open connection.
                cv_.wait_for(lock, std::chrono::seconds{1}, [this] { return stop_ || !queue_.empty(); });
            }
            while (!queue_.empty()) {
                s.pending.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            if (stop_) break;
        }
        s.expire();
        if (s.pending.empty() && s.in_flight.empty()) {
            if (s.conn) {
                try {
                    s.conn->wait_event(
                        std::chrono::milliseconds{0});  // heartbeats; nothing else is expected while idle
                } catch (const Error& e) {
                    log_.log_exception(LogLevel::kInfo, "idle publisher connection lost", e);
                    s.drop_connection();
                }
            }
            continue;
        }
        if (!s.conn) {
            try {
                auto conn = std::make_unique<AmqpConnection>(url_, options_.connect);
                conn->open_channel(1);
                conn->enable_confirms(1);
                s.conn = std::move(conn);
                s.next_seq = 0;
                s.backoff = std::chrono::milliseconds{100};
                connections_.fetch_add(1);
                log_.info("publisher connected", {{"broker", url_.redacted()}});
            } catch (const Error& e) {
                log_.log_limited(connect_limiter, LogLevel::kWarning, "publisher cannot reach the broker",
                                 {{"broker", url_.redacted()}, {"err", e.what()}});
                std::unique_lock lock(mutex_);
                cv_.wait_for(lock, s.backoff, [this] { return stop_; });
                s.backoff = std::min(s.backoff * 2, options_.max_backoff);
                continue;
            }
        }
        try {
            const std::size_t limit = s.serial ? 1 : options_.max_in_flight;
            while (!s.pending.empty() && s.in_flight.size() < limit) {
                auto req = std::move(s.pending.front());
                s.pending.pop_front();
                if (req->settled) continue;
                const auto seq = ++s.next_seq;
                s.in_flight.emplace(seq, req);
                s.conn->publish(1, req->exchange, req->routing_key, req->message, req->mandatory);
            }
            // Wakes for confirms and for new requests alike, so concurrent callers are pipelined at once.
            if (!s.in_flight.empty() && wakeup_->wait_for_input(*s.conn, std::chrono::milliseconds{50})) {
                const auto event = s.conn->wait_event(std::chrono::milliseconds{10});
                if (const auto* c = std::get_if<ConfirmEvent>(&event)) s.on_confirm(*c);
                if (const auto* r = std::get_if<ReturnEvent>(&event)) s.on_return(*r);
            }
            if (s.in_flight.empty() && s.pending.empty()) s.serial = false;
        } catch (const Error& e) {
            log_.log_exception(LogLevel::kWarning, "publisher connection lost; unconfirmed messages will be resent", e,
                               {{"unconfirmed", s.in_flight.size()}});
            if (!is_transient(e.code()) && s.in_flight.size() == 1) {
                // Exactly one message was on the wire when the broker closed the channel: it is the cause
                // (e.g. its exchange does not exist). Fail it instead of retrying forever.
                s.in_flight.begin()->second->fail(e);
                s.in_flight.clear();
            } else if (!is_transient(e.code())) {
                s.serial = true;
            }
            s.drop_connection();
        }
    }
    const Error stopping(ErrorCode::kUpstreamUnavailable, "publisher is stopping");
    s.drop_connection();
    for (auto& r : s.pending) r->fail(stopping);
    const std::lock_guard lock(mutex_);
    for (auto& r : queue_) r->fail(stopping);
    queue_.clear();
}

}  // namespace alatar::mq
