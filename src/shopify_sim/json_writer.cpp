#include "shopify_sim/json_writer.hpp"

#include <array>
#include <cstdio>

namespace alatar::shopify_sim {

void append_json_string(std::string& out, std::string_view text) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            switch (c) {
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
                    out += "\\u00";
                    out += kHex[u >> 4U];
                    out += kHex[u & 0xFU];
            }
        } else {
            out += c;
        }
    }
    out += '"';
}

void JsonObjectWriter::key(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    append_json_string(out_, name);
    out_ += ':';
}

JsonObjectWriter& JsonObjectWriter::str(std::string_view k, std::string_view value) {
    key(k);
    append_json_string(out_, value);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::opt_str(std::string_view k, std::string_view value) {
    return value.empty() ? null(k) : str(k, value);
}

JsonObjectWriter& JsonObjectWriter::integer(std::string_view k, std::int64_t value) {
    key(k);
    out_ += std::to_string(value);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::uinteger(std::string_view k, std::uint64_t value) {
    key(k);
    out_ += std::to_string(value);
    return *this;
}

JsonObjectWriter& JsonObjectWriter::opt_uinteger(std::string_view k, const std::optional<std::uint64_t>& value) {
    return value ? uinteger(k, *value) : null(k);
}

JsonObjectWriter& JsonObjectWriter::boolean(std::string_view k, bool value) {
    key(k);
    out_ += value ? "true" : "false";
    return *this;
}

JsonObjectWriter& JsonObjectWriter::null(std::string_view k) {
    key(k);
    out_ += "null";
    return *this;
}

JsonObjectWriter& JsonObjectWriter::money(std::string_view k, Cents value) { return str(k, format_money(value)); }

JsonObjectWriter& JsonObjectWriter::opt_money(std::string_view k, const std::optional<Cents>& value) {
    return value ? money(k, *value) : null(k);
}

JsonObjectWriter& JsonObjectWriter::timestamp(std::string_view k, Timestamp value) {
    return str(k, format_timestamp(value));
}

JsonObjectWriter& JsonObjectWriter::opt_timestamp(std::string_view k, const std::optional<Timestamp>& value) {
    return value ? timestamp(k, *value) : null(k);
}

JsonObjectWriter& JsonObjectWriter::date(std::string_view k, Date value) { return str(k, format_date(value)); }

JsonObjectWriter& JsonObjectWriter::decimal(std::string_view k, double value, int digits) {
    key(k);
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%.*f", digits, value);
    out_ += buf.data();
    return *this;
}

JsonObjectWriter& JsonObjectWriter::strings(std::string_view k, const std::vector<std::string>& values) {
    key(k);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out_ += ',';
        append_json_string(out_, values[i]);
    }
    out_ += ']';
    return *this;
}

JsonObjectWriter& JsonObjectWriter::uintegers(std::string_view k, const std::vector<std::uint64_t>& values) {
    key(k);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out_ += ',';
        out_ += std::to_string(values[i]);
    }
    out_ += ']';
    return *this;
}

JsonObjectWriter& JsonObjectWriter::raw(std::string_view k, std::string_view json) {
    key(k);
    out_ += json;
    return *this;
}

std::string JsonObjectWriter::finish() {
    out_ += '}';
    return std::move(out_);
}

}  // namespace alatar::shopify_sim
