#pragma once
// Wiring of the served schema: every resolver of Query, Mutation, Subscription and the object types.
// Resolvers find their services through the api::RequestContext the executor passes.
#include "graphql/schema.hpp"

namespace alatar::api {

// Throws std::logic_error when the schema lacks a field the resolvers expect (a schema/code mismatch).
void install_resolvers(graphql::Schema& schema);

// Parts of install_resolvers, one per module.
void install_account_resolvers(graphql::Schema& schema);
void install_analysis_resolvers(graphql::Schema& schema);
void install_identity_resolvers(graphql::Schema& schema);  // Shopify OAuth links, platform sign-in
void install_action_resolvers(graphql::Schema& schema);    // proposals decided, executed, undone; audit log

// Helpers shared by the resolver modules.
namespace detail {
void set(graphql::Schema& schema, std::string_view type, std::string_view field, graphql::FieldResolver resolver);
}  // namespace detail

}  // namespace alatar::api
