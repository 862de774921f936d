#include "db/params.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace alatar::db {

Params& Params::push(std::string text, std::uint32_t type, bool is_null) {
    values_.push_back(std::move(text));
    nulls_.push_back(is_null ? 1 : 0);
    types_.push_back(type);
    return *this;
}

Params& Params::add(std::nullopt_t) { return push({}, oid::kUnspecified, true); }

Params& Params::add(std::string_view value) { return push(std::string{value}, oid::kUnspecified); }

Params& Params::add(bool value) { return push(value ? "t" : "f", oid::kBool); }

Params& Params::add(double value) {
    if (std::isnan(value)) return push("NaN", oid::kFloat8);
    if (std::isinf(value)) return push(value > 0 ? "Infinity" : "-Infinity", oid::kFloat8);
    std::array<char, 32> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);  // shortest round-trip form
    return push(std::string(buf.data(), res.ptr), oid::kFloat8);
}

Params& Params::add_int(std::int64_t value, std::uint32_t type) { return push(std::to_string(value), type); }

Params& Params::add(const Json& value) { return push(value.text, oid::kUnspecified); }

Params& Params::add(const Numeric& value) { return push(value.text, oid::kUnspecified); }

Params& Params::add(Timestamp value) { return push(format_timestamp(value), oid::kTimestamptz); }

Params& Params::add(std::span<const std::string> values) { return push(format_text_array(values), oid::kTextArray); }

std::string format_timestamp(Timestamp t) {
    using namespace std::chrono;
    const auto us = floor<microseconds>(t);
    const auto day = floor<days>(us);
    const year_month_day ymd{day};
    const hh_mm_ss hms{us - day};
    std::array<char, 48> buf{};
    const int n =
        std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u %02ld:%02ld:%02ld.%06ld+00", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                      static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                      static_cast<long>(hms.seconds().count()), static_cast<long>(hms.subseconds().count()));
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

namespace {

// Reads exactly `width` digits at `pos`.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    pos += width;
    out = value;
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos >= text.size() || text[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::optional<Timestamp> parse_timestamp(std::string_view text) {
    using namespace std::chrono;
    std::size_t pos = 0;
    int y = 0;
    int mo = 0;
    int d = 0;
    int h = 0;
    int mi = 0;
    int s = 0;
    if (!read_digits(text, pos, 4, y) || !expect(text, pos, '-') || !read_digits(text, pos, 2, mo) ||
        !expect(text, pos, '-') || !read_digits(text, pos, 2, d)) {
        return std::nullopt;
    }
    if (pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) return std::nullopt;
    ++pos;
    if (!read_digits(text, pos, 2, h) || !expect(text, pos, ':') || !read_digits(text, pos, 2, mi) ||
        !expect(text, pos, ':') || !read_digits(text, pos, 2, s)) {
        return std::nullopt;
    }
    long micros = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        int digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (digits < 6) {
                micros = micros * 10 + (text[pos] - '0');
                ++digits;
            }
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 6; ++digits) micros *= 10;
    }
    int offset_seconds = 0;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        int oh = 0;
        int om = 0;
        int os = 0;
        if (!read_digits(text, pos, 2, oh)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':' && (!expect(text, pos, ':') || !read_digits(text, pos, 2, om))) {
            return std::nullopt;
        }
        if (pos < text.size() && text[pos] == ':' && (!expect(text, pos, ':') || !read_digits(text, pos, 2, os))) {
            return std::nullopt;
        }
        offset_seconds = sign * (oh * 3600 + om * 60 + os);
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
    const auto tp =
        sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + microseconds{micros} - seconds{offset_seconds};
    return time_point_cast<Timestamp::duration>(tp);
}

std::string format_text_array(std::span<const std::string> values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        out += '"';
        for (const char c : values[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    out += '}';
    return out;
}

std::optional<std::vector<std::optional<std::string>>> parse_text_array(std::string_view text) {
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
    std::vector<std::optional<std::string>> out;
    std::size_t pos = 1;
    const std::size_t end = text.size() - 1;
    if (pos == end) return out;
    while (true) {
        std::string item;
        bool quoted = false;
        if (pos < end && text[pos] == '"') {
            quoted = true;
            ++pos;
            while (pos < end && text[pos] != '"') {
                if (text[pos] == '\\') ++pos;
                if (pos >= end) return std::nullopt;
                item += text[pos++];
            }
            if (pos >= end) return std::nullopt;
            ++pos;  // closing quote
        } else {
            while (pos < end && text[pos] != ',') {
                if (text[pos] == '{' || text[pos] == '"') return std::nullopt;  // nested arrays are not text[]
                item += text[pos++];
            }
        }
        if (!quoted && item == "NULL") {
            out.emplace_back(std::nullopt);
        } else {
            out.emplace_back(std::move(item));
        }
        if (pos == end) break;
        if (text[pos] != ',') return std::nullopt;
        ++pos;
    }
    return out;
}

}  // namespace alatar::db
