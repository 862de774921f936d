#pragma once
// Subcommands of build/alatar. Each is implemented by the area that owns it and
// receives the arguments after the subcommand name. Return value is the exit code
// (0 ok, 2 usage error, 1 failure).
#include <span>
#include <string_view>

namespace alatar::app {

using Args = std::span<const std::string_view>;

struct Command {
    std::string_view name;
    std::string_view summary;
    int (*run)(Args args);
};

}  // namespace alatar::app
