#include "common/time.hpp"

#include <array>
#include <cstdio>

namespace alatar {

namespace {

using std::chrono::days;
using std::chrono::floor;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`; advances `pos`.
std::optional<int> read_digits(std::string_view s, std::size_t& pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (!is_digit(c)) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += n;
    return v;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

}  // namespace

std::string format_rfc3339(SystemTime t) {
    const auto ms_tp = floor<std::chrono::milliseconds>(t);
    const auto day = floor<days>(ms_tp);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{ms_tp - day};
    std::array<char, 40> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                                int(hms.minutes().count()), int(hms.seconds().count()), int(hms.subseconds().count()));
    return {buf.data(), static_cast<std::size_t>(n > 0 ? n : 0)};
}

std::optional<SystemTime> parse_rfc3339(std::string_view s) {
    std::size_t pos = 0;
    const auto year = read_digits(s, pos, 4);
    if (!year || !expect(s, pos, '-')) return std::nullopt;
    const auto month = read_digits(s, pos, 2);
    if (!month || !expect(s, pos, '-')) return std::nullopt;
    const auto day = read_digits(s, pos, 2);
    if (!day || pos >= s.size()) return std::nullopt;
    const char sep = s[pos++];
    if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
    const auto hour = read_digits(s, pos, 2);
    if (!hour || !expect(s, pos, ':')) return std::nullopt;
    const auto minute = read_digits(s, pos, 2);
    if (!minute || !expect(s, pos, ':')) return std::nullopt;
    const auto second = read_digits(s, pos, 2);
    if (!second) return std::nullopt;

    std::chrono::microseconds frac{0};
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        const std::size_t start = pos;
        std::int64_t us = 0;
        std::size_t used = 0;
        while (pos < s.size() && is_digit(s[pos])) {
            if (used < 6) {
                us = us * 10 + (s[pos] - '0');
                ++used;
            }
            ++pos;
        }
        if (pos == start) return std::nullopt;
        for (; used < 6; ++used) us *= 10;
        frac = std::chrono::microseconds{us};
    }

    if (pos >= s.size()) return std::nullopt;
    std::chrono::minutes offset{0};
    const char zone = s[pos++];
    if (zone == 'Z' || zone == 'z') {
        // UTC
    } else if (zone == '+' || zone == '-') {
        const auto oh = read_digits(s, pos, 2);
        if (!oh || !expect(s, pos, ':')) return std::nullopt;
        const auto om = read_digits(s, pos, 2);
        if (!om || *oh > 23 || *om > 59) return std::nullopt;
        offset = std::chrono::hours{*oh} + std::chrono::minutes{*om};
        if (zone == '-') offset = -offset;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;

    // 60 is allowed for leap seconds and folds into the next minute.
    if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{*year}, std::chrono::month{unsigned(*month)},
                                          std::chrono::day{unsigned(*day)}};
    if (!ymd.ok()) return std::nullopt;
    const auto tp = std::chrono::sys_days{ymd} + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
                    std::chrono::seconds{*second} + frac - offset;
    return std::chrono::time_point_cast<SystemTime::duration>(tp);
}

}  // namespace alatar
