#pragma once
// `alatar worker` with the action executor: the agents' worker plus a consumer of the actions queue.
#include <memory>

#include "agents/worker_command.hpp"

namespace alatar::actions {

// The extension that starts the executor (Shopify client, keyring, retry publisher, consumer).
std::shared_ptr<void> start_action_executor(db::Pool& pool, const Config& config, const Logger& log);

int run_worker_with_actions(alatar::app::Args args);

}  // namespace alatar::actions
