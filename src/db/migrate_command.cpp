#include "db/migrate_command.hpp"

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "db/errors.hpp"
#include "db/migrate.hpp"

namespace alatar::db {

namespace {

constexpr std::string_view kUsage =
    "usage: alatar migrate [--database-url URL] [--dir DIR]\n"
    "  --database-url URL  libpq URI of the database (default: $ALATAR_DATABASE_URL)\n"
    "  --dir DIR           directory of NNNN_name.sql files (default: ./migrations)\n";

struct MigrateArgs {
    bool help = false;
    std::string url;
    std::string dir = "migrations";
};

// nullopt (after printing why) for a usage error.
std::optional<MigrateArgs> parse(alatar::app::Args args) {
    MigrateArgs out;
    if (const char* env = std::getenv("ALATAR_DATABASE_URL")) out.url = env;  // NOLINT(concurrency-mt-unsafe)
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        auto value = [&](std::string_view flag) -> std::optional<std::string> {
            if (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=') {
                return std::string{arg.substr(flag.size() + 1)};
            }
            if (arg == flag && i + 1 < args.size()) return std::string{args[++i]};
            return std::nullopt;
        };
        if (arg == "-h" || arg == "--help") {
            out.help = true;
            return out;
        }
        if (auto v = value("--database-url")) {
            out.url = *v;
        } else if (auto d = value("--dir")) {
            out.dir = *d;
        } else {
            std::cerr << "alatar migrate: unknown or incomplete argument '" << arg << "'\n" << kUsage;
            return std::nullopt;
        }
    }
    if (out.url.empty()) {
        std::cerr << "alatar migrate: no database: pass --database-url or set ALATAR_DATABASE_URL\n" << kUsage;
        return std::nullopt;
    }
    return out;
}

}  // namespace

int run_migrate(alatar::app::Args args) {
    const auto parsed = parse(args);
    if (!parsed) return 2;
    if (parsed->help) {
        std::cout << kUsage;
        return 0;
    }
    const Logger log{"migrate"};
    try {
        const auto migrations = load_migrations(parsed->dir);
        Connection conn{parsed->url};
        const auto applied = apply_migrations(conn, migrations, log);
        log.info("migrations up to date", {{"applied", applied.size()}, {"known", migrations.size()}});
        return 0;
    } catch (const MigrationError& e) {
        log.error("migration failed", {{"err", e.what()}});
    } catch (const DbError& e) {
        log.error("migration failed", {{"err_code", error_code_name(e.code())}, {"err", e.server_message()}});
    } catch (const std::exception& e) {
        log.error("migration failed", {{"err", e.what()}});
    }
    return 1;
}

}  // namespace alatar::db
