#pragma once
// How graphql-js prints JavaScript values inside messages, for JSON values.
#include <boost/json/value.hpp>
#include <string>

namespace alatar::graphql {

// graphql-js's inspect(): strings JSON-quoted, numbers as JavaScript's String(n), objects as
// `{ a: 1 }`, lists as `[1, 2]` (at most 10 items, then "... N more items"), nesting deeper
// than two levels as `[Object]` / `[Array]`.
std::string inspect(const boost::json::value& value);

// JavaScript's Number.prototype.toString() for a double: shortest round-trip digits,
// exponent form outside [1e-7, 1e21), "NaN", "Infinity".
std::string js_number_to_string(double value);

// JSON.stringify of a string (the quoting inspect() uses).
std::string js_quote(std::string_view text);

}  // namespace alatar::graphql
