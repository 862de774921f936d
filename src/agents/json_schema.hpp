#pragma once
// A JSON Schema validator for the subset the agent runtime uses to check every message payload and every
// tool call (input and output): type (a name or a list of names), properties, required, items, enum,
// minimum, maximum, minLength, maxLength, minItems, maxItems, additionalProperties (false or a schema).
// Keywords outside this subset are ignored, as JSON Schema ignores unknown keywords.
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::agents {

struct SchemaViolation {
    std::string path;  // JSON Pointer of the offending value ("" is the document itself)
    std::string message;
};

// Every violation found (empty when `value` conforms to `schema`).
std::vector<SchemaViolation> validate_schema(const boost::json::value& schema, const boost::json::value& value);

// "/orders: expected integer; /from: missing required property" (at most `limit` items).
std::string describe_violations(const std::vector<SchemaViolation>& violations, std::size_t limit = 5);

// Parses schema text at start-up; throws std::invalid_argument when it is not JSON.
boost::json::value parse_schema(std::string_view json_text);

}  // namespace alatar::agents
