#pragma once
// `alatar migrate [--database-url URL] [--dir DIR]`: applies pending migrations.
// Defaults: ALATAR_DATABASE_URL and ./migrations. Exit 0 ok, 1 failure, 2 usage.
#include "app/commands.hpp"

namespace alatar::db {

int run_migrate(alatar::app::Args args);

}  // namespace alatar::db
