#pragma once
#include <span>

#include "app/commands.hpp"

namespace alatar::app {
// The table of subcommands, in the order --help lists them.
std::span<const Command> commands();
}  // namespace alatar::app
