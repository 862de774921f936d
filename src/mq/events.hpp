#pragma once
// Status, progress and task events, fanned out to every API process.
//
// Workers publish to the topic exchange <prefix>.events with routing key "analysis.<id>". Each API process
// runs one EventSubscriber: a consumer thread with its own exclusive, auto-delete queue bound with
// "analysis.#", so every process sees every event and delivers it to its own subscribers. Events are
// transient hints (the database holds the truth): they are not persisted, and events published while a
// subscriber is reconnecting are missed; clients re-read state after a reconnect.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "common/time.hpp"
#include "mq/consumer.hpp"
#include "mq/envelope.hpp"
#include "mq/topology.hpp"

namespace alatar::mq {

class Publisher;

// "analysis.<id>"
std::string analysis_event_key(std::string_view analysis_id);

class EventPublisher {
  public:
    // `publisher` must outlive this object.
    EventPublisher(Publisher& publisher, Names names) : publisher_(publisher), names_(std::move(names)) {}

    // BLOCKS until the broker confirms. Not mandatory: with no subscriber bound the event is simply dropped.
    void publish_blocking(std::string routing_key, const Envelope& event, Deadline deadline);

  private:
    Publisher& publisher_;
    Names names_;
};

struct Event {
    std::string routing_key;
    Envelope envelope;
};

class EventSubscriber {
  public:
    using Callback = std::function<void(const Event&)>;

    // Starts a consumer thread at once. `patterns` are topic binding keys (default {"analysis.#"}). The
    // callback runs on the subscriber's thread; keep it short (hand the event to the API's executor).
    EventSubscriber(AmqpUrl url, const Names& names, Callback callback, Logger log,
                    std::vector<std::string> patterns = {"analysis.#"});

    // True while bound and consuming (after the first connect and after each reconnect).
    bool ready() const noexcept { return consumer_.consuming(); }
    bool wait_until_ready(std::chrono::milliseconds timeout) const { return consumer_.wait_until_consuming(timeout); }

  private:
    Consumer consumer_;
};

}  // namespace alatar::mq
