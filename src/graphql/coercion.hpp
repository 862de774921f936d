#pragma once
// Input coercion and input validation as graphql-js 17 splits them
// (https://spec.graphql.org/October2021/#sec-Coercing-Variable-Values, #sec-Coercing-Field-Arguments):
// coerce_* return the internal value or nullopt when the input is invalid, without messages
// (the fast path); validate_* walk an invalid input again and report every problem with
// graphql-js's messages and the path inside the value. The ValuesOfCorrectType validation
// rule uses validate_input_literal with no variables (static mode).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"
#include "graphql/inspect.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql {

// The schema type an AST type reference names (wrappers applied); null when a name is unknown.
const Type* type_from_ast(const Schema& schema, const ast::Type& type);

// Receives one problem found in an input: the error (message, and for literals the location
// of the offending value node) and the path inside the input value (keys and indices).
using InputErrorFn = std::function<void(GraphQLError error, const boost::json::array& path)>;

// `input` null means "not provided" (JavaScript's undefined); a JSON null is a provided null.
std::optional<boost::json::value> coerce_input_value(const boost::json::value* input, const Type& type);
void validate_input_value(const boost::json::value* input, const Type& type, const InputErrorFn& on_error,
                          bool hide_suggestions = false);

// `variables` null means static validation (variables are not known, as in validation rules).
// Errors of validate_input_literal are located at the offending value node of `document`.
std::optional<boost::json::value> coerce_input_literal(const ast::Value& literal, const Type& type,
                                                       const boost::json::object* variables);
void validate_input_literal(const ast::Value& literal, const Type& type, const Document& document,
                            const InputErrorFn& on_error, const boost::json::object* variables,
                            bool hide_suggestions = false);

// The coerced default value of an argument, input field or variable definition; nullopt when
// it has none.
std::optional<boost::json::value> coerce_default_value(const InputValue& input_value);

// Coerces the operation's variables from the request's raw values (graphql-js getVariableValues):
// the coerced values, or the errors (each located at its variable definition).
struct VariableCoercion {
    boost::json::object values;
    Errors errors;
};
VariableCoercion coerce_variable_values(const Schema& schema, const Document& document,
                                        const ast::Definition& operation, const boost::json::object& inputs,
                                        bool hide_suggestions = false, std::size_t max_errors = 50);

// Coerces the arguments of a field or directive node (graphql-js getArgumentValues). On an
// invalid argument returns the error (located, without path) instead of the values.
// `owner` names the argument's parent in messages: "Query.field" or "@skip".
struct ArgumentCoercion {
    boost::json::object values;
    std::optional<GraphQLError> error;
};
ArgumentCoercion coerce_argument_values(std::string_view owner, const std::vector<InputValue>& definitions,
                                        const ast::List<ast::Argument>& arguments, std::uint32_t node_offset,
                                        const Document& document, const boost::json::object& variables,
                                        bool hide_suggestions = false);

}  // namespace alatar::graphql
