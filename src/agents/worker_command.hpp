#pragma once
// `alatar worker`: runs the agents (see worker.hpp) until SIGTERM or SIGINT.
#include "app/commands.hpp"

namespace alatar::agents {

int run_worker_command(alatar::app::Args args);

}  // namespace alatar::agents
