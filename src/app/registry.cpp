// The subcommand table. Add a line (and its #include) here when an area provides a command.
#include "app/registry.hpp"

#include <vector>

#include "db/migrate_command.hpp"

namespace alatar::app {

std::span<const Command> commands() {
    static const std::vector<Command> kCommands = {
        {"migrate", "apply pending database migrations", &alatar::db::run_migrate},
    };
    return kCommands;
}

}  // namespace alatar::app
