// The subcommand table. Add a line (and its #include) here when an area provides a command.
#include "app/registry.hpp"

#include <vector>

namespace alatar::app {

std::span<const Command> commands() {
    static const std::vector<Command> kCommands = {
    };
    return kCommands;
}

}  // namespace alatar::app
