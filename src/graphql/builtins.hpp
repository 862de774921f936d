#pragma once
// What every schema contains without being asked (internal to the engine's front end):
// the specified scalars with graphql-js's coercion rules, the specified directives and the
// introspection types.
#include <boost/json/value.hpp>
#include <string_view>

#include "graphql/resolver.hpp"

namespace alatar::graphql::builtins {

// SDL of the specified directives (@include, @skip, @deprecated, @specifiedBy, @oneOf) and of
// the introspection types (__Schema, __Type, ...), exactly as graphql-js 17 defines them.
std::string_view definitions_sdl();

bool is_specified_scalar(std::string_view name);     // Int, Float, String, Boolean, ID
bool is_introspection_type(std::string_view name);   // __Schema, __Type, ...
bool is_specified_directive(std::string_view name);  // include, skip, deprecated, specifiedBy, oneOf

// graphql-js's serialize / parseValue / parseLiteral for a specified scalar (empty hooks for
// any other name).
ScalarHooks scalar_hooks(std::string_view name);

// True when `hooks` serialize like a specified scalar that returns `value` as it is (a string
// for String and ID, a boolean for Boolean, a 32-bit integer for Int): the executor then copies
// the value straight into the response.
bool serializes_unchanged(const ScalarHooks& hooks, const boost::json::value& value);

}  // namespace alatar::graphql::builtins
