#include "api/api_command.hpp"

#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/server.hpp"
#include "common/config.hpp"
#include "common/log.hpp"

namespace alatar::api {

namespace {

constexpr std::string_view kUsage =
    "usage: alatar api [--config FILE] [--schema FILE] [--static-dir DIR]\n"
    "  --schema FILE      serve this SDL instead of the built-in schema/alatar.graphql\n"
    "  --static-dir DIR   serve the dashboard from DIR (default: web/dist when it exists)\n";

struct Flags {
    std::optional<std::string> schema;
    std::optional<std::string> static_dir;
};

// Flags of this command; --config is read by ConfigSources::from_args.
std::optional<Flags> parse_flags(alatar::app::Args args) {
    Flags f;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        auto value = [&](std::string_view name) -> std::optional<std::string> {
            if (a == name && i + 1 < args.size()) return std::string(args[++i]);
            if (a.starts_with(std::string(name) + "=")) return std::string(a.substr(name.size() + 1));
            return std::nullopt;
        };
        if (auto v = value("--schema")) {
            f.schema = v;
        } else if (auto d = value("--static-dir")) {
            f.static_dir = d;
        } else if (auto c = value("--config")) {
            (void)c;
        } else {
            return std::nullopt;
        }
    }
    return f;
}

}  // namespace

int run_api_command(alatar::app::Args args) {
    const auto flags = parse_flags(args);
    if (!flags) {
        std::cerr << kUsage;
        return 2;
    }
    Config config;
    try {
        config = Config::load(ConfigSources::from_args(args));
    } catch (const ConfigError& e) {
        std::cerr << "alatar api: " << e.what() << "\n";
        return 2;
    }
    Logger log{"api", config.log_level};
    log.info("configuration", {{"config", RawJson{config.redacted_json()}}});
    try {
        ApiOptions options = api_options(config);
        if (flags->schema) {
            std::ifstream in(*flags->schema, std::ios::binary);
            if (!in) {
                log.error("cannot read the schema file", {{"path", *flags->schema}});
                return 1;
            }
            std::ostringstream sdl;
            sdl << in.rdbuf();
            options.schema_sdl = sdl.str();
        }
        if (flags->static_dir) options.static_dir = *flags->static_dir;
        ApiServer server{std::move(options), log};
        server.start();
        server.wait();
        return 0;
    } catch (const std::exception& e) {
        log.log_exception(LogLevel::kCritical, "api failed to start", e);
        return 1;
    }
}

}  // namespace alatar::api
