// build/alatar-shopify-sim: the local Shopify stand-in (see cli.hpp).
#include <string_view>
#include <vector>

#include "shopify_sim/cli.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    return alatar::shopify_sim::run_cli(args);
}
