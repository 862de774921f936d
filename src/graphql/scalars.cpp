// The specified scalars' coercion rules with graphql-js 17's messages
// (https://spec.graphql.org/October2021/#sec-Scalars): output coercion (serialize), input
// coercion of variable values (parse_value) and of literals (parse_literal).
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "graphql/builtins.hpp"
#include "graphql/inspect.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql::builtins {
namespace {

namespace json = boost::json;

constexpr double kMaxInt = 2147483647.0;
constexpr double kMinInt = -2147483648.0;
constexpr double kMaxSafeInteger = 9007199254740991.0;

[[noreturn]] void fail(const std::string& message) { throw std::invalid_argument(message); }

bool is_number(const json::value& value) { return value.is_int64() || value.is_uint64() || value.is_double(); }

double number_of(const json::value& value) {
    if (value.is_int64()) return static_cast<double>(value.get_int64());
    if (value.is_uint64()) return static_cast<double>(value.get_uint64());
    return value.get_double();
}

bool is_integer(double number) { return std::isfinite(number) && std::floor(number) == number; }

// A JavaScript number as JSON: integral values within the safe range stay integers.
json::value number_value(double number) {
    if (is_integer(number) && std::fabs(number) <= kMaxSafeInteger) return static_cast<std::int64_t>(number);
    return number;
}

bool is_js_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// JavaScript's Number(string): surrounding whitespace ignored, "" is 0, decimal literals with
// optional sign and exponent, 0x/0o/0b integers, "Infinity"; anything else NaN.
double js_number_from_string(std::string_view text) {
    while (!text.empty() && is_js_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_js_space(text.back())) text.remove_suffix(1);
    if (text.empty()) return 0;
    const double nan = std::nan("");
    if (text.size() > 2 && text[0] == '0') {
        int base = 0;
        if (text[1] == 'x' || text[1] == 'X') base = 16;
        if (text[1] == 'o' || text[1] == 'O') base = 8;
        if (text[1] == 'b' || text[1] == 'B') base = 2;
        if (base != 0) {
            double result = 0;
            for (const char c : text.substr(2)) {
                int digit = -1;
                if (c >= '0' && c <= '9') digit = c - '0';
                if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
                if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
                if (digit < 0 || digit >= base) return nan;
                result = result * base + digit;
            }
            return result;
        }
    }
    std::size_t i = 0;
    bool negative = false;
    if (text[i] == '+' || text[i] == '-') negative = text[i++] == '-';
    if (text.substr(i) == "Infinity") return negative ? -INFINITY : INFINITY;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return nan;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        std::size_t exponent_digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++exponent_digits;
        if (exponent_digits == 0) return nan;
    }
    if (i != text.size()) return nan;
    const std::string copy(text);
    return std::strtod(copy.c_str(), nullptr);
}

// ---- Int -----------------------------------------------------------------------------------

json::value int_from_number(const json::value& value) {
    const double number = number_of(value);
    if (!is_integer(number)) fail("Int cannot represent non-integer value: " + inspect(value));
    if (number > kMaxInt || number < kMinInt) {
        fail("Int cannot represent non 32-bit signed integer value: " + inspect(value));
    }
    return static_cast<std::int64_t>(number);
}

json::value int_serialize(const json::value& value) {
    if (is_number(value)) return int_from_number(value);
    if (value.is_bool()) return value.get_bool() ? 1 : 0;
    if (value.is_string()) {
        const std::string_view text = value.get_string();
        const double number = text.empty() ? std::nan("") : js_number_from_string(text);
        if (!is_integer(number)) fail("Int cannot represent non-integer value: " + inspect(value));
        if (number > kMaxInt || number < kMinInt) {
            fail("Int cannot represent non 32-bit signed integer value: " + inspect(value));
        }
        return static_cast<std::int64_t>(number);
    }
    fail("Int cannot represent non-integer value: " + inspect(value));
}

json::value int_parse_value(const json::value& value) {
    if (is_number(value)) return int_from_number(value);
    fail("Int cannot represent non-integer value: " + inspect(value));
}

json::value int_parse_literal(const ast::Value& literal, const json::object* /*variables*/) {
    if (literal.kind != ast::ValueKind::kInt) fail("Int cannot represent non-integer value: " + print_value(literal));
    const std::string text(literal.text);
    const double number = std::strtod(text.c_str(), nullptr);
    if (number > kMaxInt || number < kMinInt) {
        fail("Int cannot represent non 32-bit signed integer value: " + text);
    }
    return static_cast<std::int64_t>(number);
}

// ---- Float ---------------------------------------------------------------------------------

json::value float_from_number(const json::value& value) {
    if (!std::isfinite(number_of(value))) fail("Float cannot represent non numeric value: " + inspect(value));
    return value;
}

json::value float_serialize(const json::value& value) {
    if (is_number(value)) return float_from_number(value);
    if (value.is_bool()) return value.get_bool() ? 1 : 0;
    if (value.is_string()) {
        const std::string_view text = value.get_string();
        const double number = text.empty() ? std::nan("") : js_number_from_string(text);
        if (!std::isfinite(number)) fail("Float cannot represent non numeric value: " + inspect(value));
        return number_value(number);
    }
    fail("Float cannot represent non numeric value: " + inspect(value));
}

json::value float_parse_value(const json::value& value) {
    if (is_number(value)) return float_from_number(value);
    fail("Float cannot represent non numeric value: " + inspect(value));
}

json::value float_parse_literal(const ast::Value& literal, const json::object* /*variables*/) {
    if (literal.kind != ast::ValueKind::kFloat && literal.kind != ast::ValueKind::kInt) {
        fail("Float cannot represent non numeric value: " + print_value(literal));
    }
    const std::string text(literal.text);
    return number_value(std::strtod(text.c_str(), nullptr));
}

// ---- String --------------------------------------------------------------------------------

json::value string_serialize(const json::value& value) {
    if (value.is_string()) return value;
    if (value.is_bool()) return json::string(value.get_bool() ? "true" : "false");
    if (is_number(value)) {
        const double number = number_of(value);
        if (!std::isfinite(number)) fail("String cannot represent value: " + inspect(value));
        if (value.is_int64()) return json::string(std::to_string(value.get_int64()));
        if (value.is_uint64()) return json::string(std::to_string(value.get_uint64()));
        return json::string(js_number_to_string(number));
    }
    fail("String cannot represent value: " + inspect(value));
}

json::value string_parse_value(const json::value& value) {
    if (!value.is_string()) fail("String cannot represent a non string value: " + inspect(value));
    return value;
}

json::value string_parse_literal(const ast::Value& literal, const json::object* /*variables*/) {
    if (literal.kind != ast::ValueKind::kString) {
        fail("String cannot represent a non string value: " + print_value(literal));
    }
    return json::string(literal.text);
}

// ---- Boolean -------------------------------------------------------------------------------

json::value boolean_serialize(const json::value& value) {
    if (value.is_bool()) return value;
    if (is_number(value)) {
        const double number = number_of(value);
        if (!std::isfinite(number)) fail("Boolean cannot represent a non boolean value: " + inspect(value));
        return number != 0;
    }
    fail("Boolean cannot represent a non boolean value: " + inspect(value));
}

json::value boolean_parse_value(const json::value& value) {
    if (!value.is_bool()) fail("Boolean cannot represent a non boolean value: " + inspect(value));
    return value;
}

json::value boolean_parse_literal(const ast::Value& literal, const json::object* /*variables*/) {
    if (literal.kind != ast::ValueKind::kBoolean) {
        fail("Boolean cannot represent a non boolean value: " + print_value(literal));
    }
    return literal.boolean;
}

// ---- ID ------------------------------------------------------------------------------------

json::value id_from_number(const json::value& value) {
    if (value.is_int64()) return json::string(std::to_string(value.get_int64()));
    if (value.is_uint64()) return json::string(std::to_string(value.get_uint64()));
    const double number = value.get_double();
    if (!is_integer(number)) fail("ID cannot represent value: " + inspect(value));
    return json::string(js_number_to_string(number));
}

json::value id_serialize(const json::value& value) {
    if (value.is_string()) return value;
    if (is_number(value)) return id_from_number(value);
    fail("ID cannot represent value: " + inspect(value));
}

json::value id_parse_literal(const ast::Value& literal, const json::object* /*variables*/) {
    if (literal.kind != ast::ValueKind::kString && literal.kind != ast::ValueKind::kInt) {
        fail("ID cannot represent a non-string and non-integer value: " + print_value(literal));
    }
    return json::string(literal.text);
}

// ---- custom scalars ------------------------------------------------------------------------

// graphql-js's valueFromASTUntyped: the literal as plain JSON, variables substituted (a missing
// variable is left out of objects and becomes null elsewhere).
json::value untyped_value(const ast::Value& literal, const json::object* variables) {
    switch (literal.kind) {
        case ast::ValueKind::kNull:
            return nullptr;
        case ast::ValueKind::kInt:
        case ast::ValueKind::kFloat: {
            const std::string text(literal.text);
            return number_value(std::strtod(text.c_str(), nullptr));
        }
        case ast::ValueKind::kString:
        case ast::ValueKind::kEnum:
            return json::string(literal.text);
        case ast::ValueKind::kBoolean:
            return literal.boolean;
        case ast::ValueKind::kList: {
            json::array items;
            items.reserve(literal.list.size());
            for (const ast::Value* item : literal.list) items.push_back(untyped_value(*item, variables));
            return items;
        }
        case ast::ValueKind::kObject: {
            json::object fields;
            for (const ast::ObjectField& field : literal.fields) {
                if (field.value->kind == ast::ValueKind::kVariable &&
                    (variables == nullptr || !variables->contains(field.value->text))) {
                    continue;
                }
                fields[field.name.value] = untyped_value(*field.value, variables);
            }
            return fields;
        }
        case ast::ValueKind::kVariable: {
            if (variables == nullptr) return nullptr;
            const json::value* found = variables->if_contains(literal.text);
            return found == nullptr ? json::value(nullptr) : *found;
        }
    }
    return nullptr;
}

}  // namespace

ScalarHooks scalar_hooks(std::string_view name) {
    ScalarHooks hooks;
    if (name == "Int") {
        hooks.serialize = int_serialize;
        hooks.passthrough.int32 = true;
        hooks.parse_value = int_parse_value;
        hooks.parse_literal = int_parse_literal;
    } else if (name == "Float") {
        hooks.serialize = float_serialize;
        hooks.parse_value = float_parse_value;
        hooks.parse_literal = float_parse_literal;
    } else if (name == "String") {
        hooks.serialize = string_serialize;
        hooks.passthrough.strings = true;
        hooks.parse_value = string_parse_value;
        hooks.parse_literal = string_parse_literal;
    } else if (name == "Boolean") {
        hooks.serialize = boolean_serialize;
        hooks.passthrough.booleans = true;
        hooks.parse_value = boolean_parse_value;
        hooks.parse_literal = boolean_parse_literal;
    } else if (name == "ID") {
        hooks.serialize = id_serialize;
        hooks.passthrough.strings = true;
        hooks.parse_value = [](const json::value& value) {
            if (value.is_string()) return value;
            if (is_number(value)) return id_from_number(value);
            fail("ID cannot represent value: " + inspect(value));
        };
        hooks.parse_literal = id_parse_literal;
    } else {
        hooks.serialize = [](const json::value& value) { return value; };
        hooks.parse_value = [](const json::value& value) { return value; };
        hooks.parse_literal = untyped_value;
    }
    return hooks;
}

bool serializes_unchanged(const ScalarHooks& hooks, const json::value& value) {
    switch (value.kind()) {
        case json::kind::string:
            return hooks.passthrough.strings;
        case json::kind::bool_:
            return hooks.passthrough.booleans;
        case json::kind::int64:
            return hooks.passthrough.int32 && value.get_int64() >= static_cast<std::int64_t>(kMinInt) &&
                   value.get_int64() <= static_cast<std::int64_t>(kMaxInt);
        default:
            return false;
    }
}

}  // namespace alatar::graphql::builtins
