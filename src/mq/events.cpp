#include "mq/events.hpp"

#include "mq/publisher.hpp"

namespace alatar::mq {

std::string analysis_event_key(std::string_view analysis_id) { return "analysis." + std::string(analysis_id); }

void EventPublisher::publish_blocking(std::string routing_key, const Envelope& event, Deadline deadline) {
    Message m = to_message(event);
    m.persistent = false;
    publisher_.publish_blocking(names_.events_exchange(), std::move(routing_key), std::move(m), deadline, false);
}

namespace {

ConsumerOptions subscriber_options(const Names& names, std::vector<std::string> patterns) {
    ConsumerOptions o;
    o.auto_ack = true;
    o.queue = names.events_exchange() + " (exclusive)";  // for log lines only
    o.connect.connection_name = "alatar-events";
    o.setup = [exchange = names.events_exchange(), patterns = std::move(patterns)](AmqpConnection& c,
                                                                                   std::uint16_t ch) {
        // The exchange may not exist yet if this API process starts before any topology declaration.
        c.declare_exchange(ch, exchange, "topic");
        QueueSpec spec;
        spec.durable = false;
        spec.exclusive = true;
        spec.auto_delete = true;
        auto queue = c.declare_queue(ch, spec).name;
        for (const auto& p : patterns) c.bind_queue(ch, queue, exchange, p);
        return queue;
    };
    return o;
}

}  // namespace

EventSubscriber::EventSubscriber(AmqpUrl url, const Names& names, Callback callback, Logger log,
                                 std::vector<std::string> patterns)
    : consumer_(
          std::move(url), names, subscriber_options(names, std::move(patterns)),
          [callback = std::move(callback)](const Delivery& d) {
              callback(Event{d.routing_key, d.envelope});
              return Decision::ack();
          },
          std::move(log), nullptr) {}

}  // namespace alatar::mq
