#pragma once
#include "app/commands.hpp"

namespace alatar::app {
// `alatar dev`: runs scripts/dev of the checkout this binary was built in (everything on one
// machine: services, migrations, simulator, API, workers, demo login).
int run_dev(Args args);
}  // namespace alatar::app
