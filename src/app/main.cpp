// build/alatar: a thin dispatcher; each subcommand lives in the area that owns it.
#include <array>
#include <cstdio>
#include <string_view>
#include <vector>

#include "app/commands.hpp"
#include "app/registry.hpp"

namespace {

void print_usage(std::FILE* out) {
    std::fprintf(out, "usage: alatar <command> [options]\n\ncommands:\n");
    for (const auto& cmd : alatar::app::commands()) {
        std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(cmd.name.size()), cmd.name.data(),
                     static_cast<int>(cmd.summary.size()), cmd.summary.data());
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const std::string_view name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage(stdout);
        return 0;
    }
    std::vector<std::string_view> args(argv + 2, argv + argc);
    for (const auto& cmd : alatar::app::commands()) {
        if (cmd.name == name) {
            return cmd.run(args);
        }
    }
    std::fprintf(stderr, "alatar: unknown command '%s' (see 'alatar --help')\n", argv[1]);
    return 2;
}
