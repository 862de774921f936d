#pragma once
// A GraphQL error as the response's `errors` entries carry it
// (https://spec.graphql.org/October2021/#sec-Errors): message, locations, path, extensions.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "graphql/ast.hpp"

namespace alatar::graphql {

struct GraphQLError {
    std::string message;
    std::vector<SourceLocation> locations;
    boost::json::array path;         // strings (response keys) and integers (list indices)
    boost::json::object extensions;  // e.g. {"code": "BAD_USER_INPUT"}

    // {"message":..., "locations":[{"line":..,"column":..}], "path":[...], "extensions":{...}}
    // with absent members omitted, in graphql-js's key order.
    boost::json::object to_json() const;
};

using Errors = std::vector<GraphQLError>;

// Thrown by resolvers (or anything they call) to produce a field error with a chosen message
// and extensions; any other exception becomes a field error too (see the executor's options).
class FieldError : public std::runtime_error {
  public:
    explicit FieldError(const std::string& message, boost::json::object extensions = {})
        : std::runtime_error(message), extensions_(std::move(extensions)) {}
    const boost::json::object& extensions() const { return extensions_; }

  private:
    boost::json::object extensions_;
};

}  // namespace alatar::graphql
