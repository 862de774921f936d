#pragma once
// Lexer and recursive-descent parser for GraphQL documents, executable and type-system
// (https://spec.graphql.org/October2021/#sec-Language). Errors are graphql-js's
// "Syntax Error: ..." messages with one location.
#include <cstddef>
#include <string>
#include <variant>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"

namespace alatar::graphql {

// Protective limits applied while parsing; 0 means unlimited. Exceeding one is a syntax
// error ("Syntax Error: Document contains more than N tokens. Parsing aborted." as graphql-js
// words the token limit; the others follow the same style).
struct ParseOptions {
    std::size_t max_bytes = 0;
    std::size_t max_tokens = 0;
    std::size_t max_depth = 0;  // nesting of selection sets, lists and objects in values, types
};

std::variant<DocumentPtr, GraphQLError> parse(std::string source, const ParseOptions& options = {});

}  // namespace alatar::graphql
