#include "actions/action_consumer.hpp"

#include <boost/json.hpp>

#include "agents/contracts.hpp"
#include "common/error.hpp"

namespace alatar::actions {

ActionConsumer::ActionConsumer(ActionExecutor& executor, mq::AmqpUrl url, const mq::Names& names, Logger log,
                               mq::Publisher* retry_publisher, Reviser* reviser)
    : executor_(executor), reviser_(reviser), log_(std::move(log)) {
    consumer_ = std::make_unique<mq::Consumer>(
        std::move(url), names,
        mq::ConsumerOptions{.queue = names.queue(mq::WorkQueue::kActions),
                            .prefetch = 1,
                            .max_retries = 20,
                            .connect = {.connection_name = "alatar-worker-actions"}},
        [this](const mq::Delivery& d) { return handle(d); }, log_.child("consumer"), retry_publisher);
}

mq::Decision ActionConsumer::handle(const mq::Delivery& delivery) {
    agents::contract::validate_payload(delivery.envelope);  // throws kBadUserInput: rejected (dead-lettered)
    const std::string proposal = std::string(delivery.envelope.payload.as_object().at("proposal_id").as_string());
    if (delivery.envelope.type == agents::contract::kProposalRevise) {
        if (reviser_ == nullptr) throw Error(ErrorCode::kInternal, "this worker does not revise proposals");
        const auto outcome = reviser_->run(proposal);
        log_.info("revision message handled", {{"proposal", proposal},
                                               {"revision", outcome.revision_id},
                                               {"created", outcome.created},
                                               {"skipped", outcome.skipped}});
        return mq::Decision::ack();
    }
    const auto status = executor_.run(proposal);
    log_.info("action message handled", {{"proposal", proposal}, {"status", status}});
    return mq::Decision::ack();
}

}  // namespace alatar::actions
