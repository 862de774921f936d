#include "graphql/inspect.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace alatar::graphql {
namespace {

constexpr std::size_t kMaxArrayLength = 10;
constexpr std::size_t kMaxRecursiveDepth = 2;

void format_value(const boost::json::value& value, std::size_t depth, std::string& out);

void format_object(const boost::json::object& object, std::size_t depth, std::string& out) {
    if (object.empty()) {
        out += "{}";
        return;
    }
    if (depth > kMaxRecursiveDepth) {
        out += "[Object]";
        return;
    }
    out += "{ ";
    bool first = true;
    for (const auto& member : object) {
        if (!first) out += ", ";
        first = false;
        out.append(member.key().data(), member.key().size());
        out += ": ";
        format_value(member.value(), depth, out);
    }
    out += " }";
}

void format_array(const boost::json::array& array, std::size_t depth, std::string& out) {
    if (array.empty()) {
        out += "[]";
        return;
    }
    if (depth > kMaxRecursiveDepth) {
        out += "[Array]";
        return;
    }
    const std::size_t shown = std::min(kMaxArrayLength, array.size());
    out += '[';
    for (std::size_t i = 0; i < shown; ++i) {
        if (i > 0) out += ", ";
        format_value(array[i], depth, out);
    }
    const std::size_t remaining = array.size() - shown;
    if (remaining == 1) {
        out += ", ... 1 more item";
    } else if (remaining > 1) {
        out += ", ... " + std::to_string(remaining) + " more items";
    }
    out += ']';
}

void format_value(const boost::json::value& value, std::size_t depth, std::string& out) {
    switch (value.kind()) {
        case boost::json::kind::null:
            out += "null";
            break;
        case boost::json::kind::bool_:
            out += value.get_bool() ? "true" : "false";
            break;
        case boost::json::kind::int64:
            out += std::to_string(value.get_int64());
            break;
        case boost::json::kind::uint64:
            out += std::to_string(value.get_uint64());
            break;
        case boost::json::kind::double_:
            out += js_number_to_string(value.get_double());
            break;
        case boost::json::kind::string:
            out += js_quote(value.get_string());
            break;
        // The depth counts containers already entered, as graphql-js's seenValues does.
        case boost::json::kind::array:
            format_array(value.get_array(), depth + 1, out);
            break;
        case boost::json::kind::object:
            format_object(value.get_object(), depth + 1, out);
            break;
    }
}

}  // namespace

std::string inspect(const boost::json::value& value) {
    std::string out;
    // Containers count themselves: the top-level object is depth 1 inside format_*.
    format_value(value, 0, out);
    return out;
}

std::string js_number_to_string(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
    if (value == 0) return "0";
    // Shortest round-trip digits in scientific form: d.ddddde±x.
    std::array<char, 64> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::scientific);
    std::string_view sci(buf.data(), static_cast<std::size_t>(end - buf.data()));
    std::string sign;
    if (sci.front() == '-') {
        sign = "-";
        sci.remove_prefix(1);
    }
    const auto e_pos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e_pos)) {
        if (c != '.') digits += c;
    }
    int exponent = 0;
    std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
    // ECMAScript Number::toString: k digits, n = exponent + 1.
    const int k = static_cast<int>(digits.size());
    const int n = exponent + 1;
    std::string out = sign;
    if (k <= n && n <= 21) {
        out += digits;
        out.append(static_cast<std::size_t>(n - k), '0');
    } else if (0 < n && n <= 21) {
        out += digits.substr(0, static_cast<std::size_t>(n));
        out += '.';
        out += digits.substr(static_cast<std::size_t>(n));
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(static_cast<std::size_t>(-n), '0');
        out += digits;
    } else {
        out += digits.substr(0, 1);
        if (k > 1) {
            out += '.';
            out += digits.substr(1);
        }
        out += 'e';
        out += (n - 1 >= 0) ? '+' : '-';
        out += std::to_string(std::abs(n - 1));
    }
    return out;
}

std::string js_quote(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (unsigned char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char esc[8];
                    std::snprintf(esc, sizeof esc, "\\u%04x", c);
                    out += esc;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
    return out;
}

}  // namespace alatar::graphql
