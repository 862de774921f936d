#pragma once
// Validation of type-system documents and of built schemas, as graphql-js 17 does it:
// validate_sdl runs its specifiedSDLRules over an SDL document (unique names, known types and
// directives, possible extensions, directive arguments); validate_schema runs validateSchema
// over the built schema (root types, names, interface implementations, unions, enums, input
// objects, @oneOf, input object cycles).
#include <vector>

#include "graphql/error.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql {

Errors validate_sdl(const Document& document);

// `schema_nodes`: the schema definition and its extensions (for root type error locations).
Errors validate_schema(const Schema& schema, const std::vector<const ast::Definition*>& schema_nodes);

}  // namespace alatar::graphql
