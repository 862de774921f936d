#pragma once
// Consumes the actions work queue (action.execute, written by approve/undo through the outbox) and hands each
// proposal to the ActionExecutor. The executor is idempotent per proposal, so a redelivery is harmless.
#include <memory>

#include "actions/executor.hpp"
#include "mq/amqp_url.hpp"
#include "mq/consumer.hpp"
#include "mq/topology.hpp"

namespace alatar::actions {

class ActionConsumer {
  public:
    ActionConsumer(ActionExecutor& executor, mq::AmqpUrl url, const mq::Names& names, Logger log,
                   mq::Publisher* retry_publisher);
    bool wait_until_consuming(std::chrono::milliseconds timeout) const {
        return consumer_->wait_until_consuming(timeout);
    }

  private:
    mq::Decision handle(const mq::Delivery& delivery);

    ActionExecutor& executor_;
    Logger log_;
    std::unique_ptr<mq::Consumer> consumer_;
};

}  // namespace alatar::actions
