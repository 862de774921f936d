#pragma once
// `alatar graphql ...` (see ../shared/design/graphql-cli.md). Exit codes: 0 when a response
// was produced (GraphQL errors included), 2 for usage errors and invalid schemas.
#include "app/commands.hpp"

namespace alatar::graphql {
int run_graphql_command(app::Args args);
}  // namespace alatar::graphql
