#include "llm/untrusted.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <optional>

namespace alatar::llm {

namespace {

namespace json = boost::json;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string escape_label(std::string_view label) {
    std::string out;
    for (char c : label) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '-') out += c;
    }
    return out;
}

// Parses "1,234.50" (thousands separators dropped). nullopt when it is not a number.
std::optional<double> to_number(std::string_view token, int& decimals) {
    std::string digits;
    decimals = 0;
    bool after_point = false;
    for (char c : token) {
        if (c == ',') continue;
        if (c == '.')
            after_point = true;
        else if (after_point)
            ++decimals;
        digits += c;
    }
    double v = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc{} || ptr != digits.data() + digits.size()) return std::nullopt;
    return v;
}

bool matches(double stated, int decimals, double truth) {
    const double scale = std::pow(10.0, decimals);
    const double half_unit = 0.5 / scale + 1e-9;
    // The text may round the true value, or state it exactly; signs are words in prose ("down 12%").
    return std::fabs(stated - std::fabs(truth)) <= half_unit || std::fabs(stated - truth) <= half_unit;
}

}  // namespace

std::string untrusted_block(std::string_view label, const json::value& data) {
    std::string body;
    for (char c : json::serialize(data)) {
        if (c == '<')
            body += "\\u003c";
        else if (c == '>')
            body += "\\u003e";
        else
            body += c;
    }
    return std::string{kUntrustedOpen} + " label=\"" + escape_label(label) + "\">\n" + body + "\n" +
           std::string{kUntrustedClose};
}

std::vector<std::string> unsupported_numbers(std::string_view text, const std::vector<double>& allowed) {
    std::vector<std::string> bad;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i]) || (i > 0 && (is_digit(text[i - 1]) || text[i - 1] == '.'))) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && (is_digit(text[end]) || ((text[end] == '.' || text[end] == ',') &&
                                                             end + 1 < text.size() && is_digit(text[end + 1])))) {
            ++end;
        }
        const std::string_view token = text.substr(i, end - i);
        const bool date = token.size() == 4 && end + 6 <= text.size() && text[end] == '-' && is_digit(text[end + 1]) &&
                          is_digit(text[end + 2]) && text[end + 3] == '-' && is_digit(text[end + 4]) &&
                          is_digit(text[end + 5]);
        if (date) {
            i = end + 6;
            continue;
        }
        const bool list_marker = (i == 0 || text[i - 1] == '\n') && end < text.size() && text[end] == '.' &&
                                 (end + 1 == text.size() || text[end + 1] == ' ');
        int decimals = 0;
        const auto value = to_number(token, decimals);
        if (!list_marker && value) {
            bool ok = false;
            for (double a : allowed) {
                if (matches(*value, decimals, a)) {
                    ok = true;
                    break;
                }
            }
            if (!ok) bad.emplace_back(token);
        }
        i = end;
    }
    return bad;
}

void collect_numbers(const json::value& value, std::vector<double>& out) {
    if (value.is_number()) {
        out.push_back(value.to_number<double>());
    } else if (value.is_string()) {
        int decimals = 0;
        const std::string_view s = value.get_string();
        const bool negative = s.starts_with('-');
        if (const auto v = to_number(negative ? s.substr(1) : s, decimals)) out.push_back(negative ? -*v : *v);
    } else if (value.is_array()) {
        for (const auto& v : value.get_array()) collect_numbers(v, out);
    } else if (value.is_object()) {
        for (const auto& kv : value.get_object()) collect_numbers(kv.value(), out);
    }
}

}  // namespace alatar::llm
