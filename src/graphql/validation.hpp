#pragma once
// Validation of executable documents against a schema
// (https://spec.graphql.org/October2021/#sec-Validation): every rule of graphql-js 17's
// specifiedRules, in its order and with its messages and locations, plus protective limits
// for servers. One traversal of the document drives every rule.
#include <cstddef>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql {

struct ValidationOptions {
    // Protective limits; 0 turns a limit off.
    std::size_t max_depth = 0;       // nesting of fields, fragments expanded ("Query depth limit ...")
    std::size_t max_aliases = 0;     // aliases per operation, fragments expanded
    std::size_t max_directives = 0;  // directive uses per operation, fragments expanded
    // Static cost per operation: cost(field) = 1 + m * cost(selection set of the field), where m
    // is 1 for fields not returning a list, else the field's `first` or `last` integer argument
    // (a literal; 10 when absent or a variable); fragments count where they are spread.
    std::size_t max_cost = 0;
    bool introspection = true;  // false: __schema and __type are refused (__typename stays allowed)
    bool suggestions = true;    // false: no "Did you mean ...?" parts (production servers)
    // graphql-js stops after this many errors with "Too many validation errors, error limit
    // reached. Validation aborted."; 0 means no limit.
    std::size_t max_errors = 100;
};

Errors validate(const Schema& schema, const Document& document, const ValidationOptions& options = {});

// The cost of every operation as ValidationOptions::max_cost counts it (for logging and tests);
// saturates at SIZE_MAX.
std::size_t operation_cost(const Schema& schema, const Document& document, const ast::Definition& operation);

}  // namespace alatar::graphql
