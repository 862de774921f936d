// The `alatar worker` command as a small executable of its own, for the fault test: the same code path as
// build/alatar worker, without linking every other area into the test.
#include <string_view>
#include <vector>

#include "agents/worker_command.hpp"

int main(int argc, char** argv) {
    std::vector<std::string_view> args(argv + 1,
                                       argv + argc);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    return alatar::agents::run_worker_command(args);
}
