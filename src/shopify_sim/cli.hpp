#pragma once
// Command line of build/alatar-shopify-sim:
//   alatar-shopify-sim export --shop DOMAIN --profile tiny|small|large --seed N --out DIR [--today YYYY-MM-DD]
//                             [--timezone ZONE]
//   alatar-shopify-sim serve [options]      (see the usage text in cli.cpp)
// Exit codes: 0 ok, 1 failure, 2 usage error.
#include <span>
#include <string_view>

namespace alatar::shopify_sim {

int run_cli(std::span<const std::string_view> args);

// `export` alone (args after the subcommand name).
int run_export_command(std::span<const std::string_view> args);
// `serve`: runs the simulator until SIGTERM/SIGINT.
int run_serve_command(std::span<const std::string_view> args);

}  // namespace alatar::shopify_sim
