#include "shopify_sim/civil_time.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace alatar::shopify_sim {
namespace {

bool parse_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
    if (pos + count > text.size()) return false;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    return true;
}

constexpr std::array<FixedZone, 10> kZones{{
    {"UTC", 0, "UTC"},
    {"Etc/UTC", 0, "UTC"},
    {"America/Phoenix", -420, "MST"},
    {"America/Bogota", -300, "-05"},
    {"Pacific/Honolulu", -600, "HST"},
    {"Asia/Tokyo", 540, "JST"},
    {"Asia/Singapore", 480, "+08"},
    {"Asia/Kolkata", 330, "IST"},
    {"Australia/Brisbane", 600, "AEST"},
    {"Africa/Johannesburg", 120, "SAST"},
}};

}  // namespace

Date date_from_civil(CivilDate civil) noexcept {
    const std::chrono::year_month_day ymd{std::chrono::year{civil.year}, std::chrono::month{civil.month},
                                          std::chrono::day{civil.day}};
    return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

CivilDate civil_from_date(Date date) noexcept {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{date}}};
    return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

int iso_weekday(Date date) noexcept {
    // 1970-01-01 was a Thursday (ISO index 3).
    const std::int64_t r = (date + 3) % 7;
    return static_cast<int>(r < 0 ? r + 7 : r);
}

Date week_start(Date date) noexcept { return date - iso_weekday(date); }

int day_of_year(Date date) noexcept {
    const CivilDate c = civil_from_date(date);
    return static_cast<int>(date - date_from_civil({c.year, 1, 1}));
}

std::string format_date(Date date) {
    const CivilDate c = civil_from_date(date);
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u", c.year, c.month, c.day);
    return buf.data();
}

std::optional<Date> parse_date(std::string_view text) {
    int y = 0;
    int m = 0;
    int d = 0;
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !parse_digits(text, 0, 4, y) ||
        !parse_digits(text, 5, 2, m) || !parse_digits(text, 8, 2, d)) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

std::string format_timestamp(Timestamp ts) {
    const Date date = utc_date(ts);
    const std::int64_t secs = ts - date * kSecondsPerDay;
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%sT%02d:%02d:%02dZ", format_date(date).c_str(),
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
    return buf.data();
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
    const auto date = parse_date(text.substr(0, 10));
    if (!date) return std::nullopt;
    Timestamp ts = *date * kSecondsPerDay;
    if (text.size() == 10) return ts;
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
    int hh = 0;
    int mm = 0;
    int ss = 0;
    if (!parse_digits(text, 11, 2, hh) || text.size() < 16 || text[13] != ':' || !parse_digits(text, 14, 2, mm)) {
        return std::nullopt;
    }
    std::size_t pos = 16;
    if (pos < text.size() && text[pos] == ':') {
        if (!parse_digits(text, pos + 1, 2, ss)) return std::nullopt;
        pos += 3;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            const std::size_t frac_start = pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
            if (pos == frac_start) return std::nullopt;
        }
    }
    if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    ts += hh * 3600 + mm * 60 + ss;
    if (pos == text.size()) return ts;
    const char zone = text[pos];
    if ((zone == 'Z' || zone == 'z') && pos + 1 == text.size()) return ts;
    if (zone != '+' && zone != '-') return std::nullopt;
    int oh = 0;
    int om = 0;
    const std::string_view off = text.substr(pos + 1);
    if (off.size() == 5 && off[2] == ':') {
        if (!parse_digits(off, 0, 2, oh) || !parse_digits(off, 3, 2, om)) return std::nullopt;
    } else if (off.size() == 4) {
        if (!parse_digits(off, 0, 2, oh) || !parse_digits(off, 2, 2, om)) return std::nullopt;
    } else {
        return std::nullopt;
    }
    const Timestamp offset = (oh * 3600 + om * 60) * (zone == '+' ? 1 : -1);
    return ts - offset;
}

std::optional<FixedZone> find_fixed_zone(std::string_view iana_name) noexcept {
    for (const auto& z : kZones) {
        if (z.iana_name == iana_name) return z;
    }
    return std::nullopt;
}

}  // namespace alatar::shopify_sim
