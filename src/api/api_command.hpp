#pragma once
// `alatar api [--config FILE] [--schema FILE] [--static-dir DIR]`: runs the API server until SIGTERM/SIGINT.
// Exit 0 after a graceful stop, 1 on a start-up failure, 2 on a usage error.
#include "app/commands.hpp"

namespace alatar::api {

int run_api_command(alatar::app::Args args);

}  // namespace alatar::api
