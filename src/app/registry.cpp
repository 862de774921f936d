// The subcommand table. Add a line here when an area provides a command.
#include "app/registry.hpp"

#include <array>

namespace alatar::app {

std::span<const Command> commands() {
    static constexpr std::array<Command, 0> kCommands{{
    }};
    return kCommands;
}

}  // namespace alatar::app
