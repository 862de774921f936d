// The subcommand table. Add a line (and its #include) here when an area provides a command.
#include "app/registry.hpp"

#include <vector>

#include "actions/worker_actions.hpp"
#include "agents/retention.hpp"
#include "agents/worker_command.hpp"
#include "api/api_command.hpp"
#include "app/dev_command.hpp"
#include "app/keys_command.hpp"
#include "db/migrate_command.hpp"
#include "graphql/cli_command.hpp"
#include "mq/dlq_command.hpp"

namespace alatar::app {

std::span<const Command> commands() {
    static const std::vector<Command> kCommands = {
        {"migrate", "apply pending database migrations", &alatar::db::run_migrate},
        {"graphql", "GraphQL engine tools: exec, validate, print-schema, introspect",
         &alatar::graphql::run_graphql_command},
        {"dev", "everything on one machine: services, simulator, API, workers, demo login", &run_dev},
        {"dlq", "list, replay or purge dead-lettered messages", &alatar::mq::run_dlq_command},
        {"api", "run the API server (GraphQL over HTTP and WebSocket) until SIGTERM", &alatar::api::run_api_command},
        {"worker", "run the agents: consume the work queues until SIGTERM", &alatar::actions::run_worker_with_actions},
        {"keys", "generate a master key, or re-encrypt stored secrets under the newest key", &run_keys_command},
        {"retention", "purge now what is past its retention age (cached Shopify data, trace spans)",
         &alatar::agents::run_retention_command},
    };
    return kCommands;
}

}  // namespace alatar::app
