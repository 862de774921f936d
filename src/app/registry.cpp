// The subcommand table. Add a line (and its #include) here when an area provides a command.
#include "app/registry.hpp"

#include <vector>

#include "db/migrate_command.hpp"
#include "graphql/cli_command.hpp"
#include "mq/dlq_command.hpp"

namespace alatar::app {

std::span<const Command> commands() {
    static const std::vector<Command> kCommands = {
        {"migrate", "apply pending database migrations", &alatar::db::run_migrate},
        {"graphql", "GraphQL engine tools: exec, validate, print-schema, introspect",
         &alatar::graphql::run_graphql_command},
        {"dlq", "list, replay or purge dead-lettered messages", &alatar::mq::run_dlq_command},
    };
    return kCommands;
}

}  // namespace alatar::app
