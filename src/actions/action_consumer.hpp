#pragma once
// Consumes the actions work queue: action.execute (written by approve/undo through the outbox) goes to the
// ActionExecutor, proposal.revise (a rejection with feedback) to the Reviser. Both are idempotent per proposal,
// so a redelivery is harmless.
#include <memory>

#include "actions/executor.hpp"
#include "actions/revision.hpp"
#include "mq/amqp_url.hpp"
#include "mq/consumer.hpp"
#include "mq/topology.hpp"

namespace alatar::actions {

class ActionConsumer {
  public:
    ActionConsumer(ActionExecutor& executor, mq::AmqpUrl url, const mq::Names& names, Logger log,
                   mq::Publisher* retry_publisher, Reviser* reviser = nullptr);
    bool wait_until_consuming(std::chrono::milliseconds timeout) const {
        return consumer_->wait_until_consuming(timeout);
    }

  private:
    mq::Decision handle(const mq::Delivery& delivery);

    ActionExecutor& executor_;
    Reviser* reviser_;  // null: revision jobs are refused (dead-lettered) by this consumer
    Logger log_;
    std::unique_ptr<mq::Consumer> consumer_;
};

}  // namespace alatar::actions
