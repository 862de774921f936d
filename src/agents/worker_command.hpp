#pragma once
// `alatar worker`: runs the agents (see worker.hpp) until SIGTERM or SIGINT.
#include <functional>
#include <memory>

#include "app/commands.hpp"
#include "common/config.hpp"
#include "common/log.hpp"
#include "db/pool.hpp"

namespace alatar::agents {

int run_worker_command(alatar::app::Args args);

// Something started next to the agents and stopped before them (the action executor, which lives outside this
// library so that no agent or tool can link the store write path). The returned object is kept until shutdown.
using WorkerExtension = std::function<std::shared_ptr<void>(db::Pool& pool, const Config& config, const Logger& log)>;
int run_worker_command(alatar::app::Args args, const WorkerExtension& extension);

}  // namespace alatar::agents
