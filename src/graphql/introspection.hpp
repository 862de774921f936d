#pragma once
// Introspection (https://spec.graphql.org/October2021/#sec-Introspection): the meta fields
// __schema and __type on the query root, and the resolvers of the introspection types, with
// output identical in shape to graphql-js's.
#include <string_view>

#include "graphql/schema.hpp"

namespace alatar::graphql {

// Builds the meta fields and attaches the resolvers of the introspection types (__Schema,
// __Type, __Field, __InputValue, __EnumValue, __Directive) to `schema`. Called by build_schema.
void install_introspection(Schema& schema);

// The definition of the meta field `name` ("__schema" or "__type") with its resolver, or null.
const FieldDefinition* introspection_meta_field(const Schema& schema, std::string_view name);

// The standard introspection query, as graphql-js's getIntrospectionQuery() with no options.
std::string_view introspection_query();

}  // namespace alatar::graphql
