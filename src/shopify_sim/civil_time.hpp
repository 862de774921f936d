#pragma once
// Calendar arithmetic for the simulator: timestamps are seconds since the Unix epoch (UTC); dates are
// days since the epoch. Shops use fixed-offset time zones (zones without daylight saving), so local
// dates are exact without a time-zone database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alatar::shopify_sim {

using Timestamp = std::int64_t;  // seconds since 1970-01-01T00:00:00Z
using Date = std::int64_t;       // days since 1970-01-01

inline constexpr std::int64_t kSecondsPerDay = 86400;

struct CivilDate {
    int year = 1970;
    unsigned month = 1;  // 1..12
    unsigned day = 1;    // 1..31
};

Date date_from_civil(CivilDate civil) noexcept;
CivilDate civil_from_date(Date date) noexcept;

// 0 = Monday ... 6 = Sunday (ISO 8601).
int iso_weekday(Date date) noexcept;
// The Monday on or before `date`.
Date week_start(Date date) noexcept;
// Day of the year, 0-based.
int day_of_year(Date date) noexcept;

// "2026-01-31".
std::string format_date(Date date);
// "2026-01-31"; nullopt when malformed or impossible (2026-02-30).
std::optional<Date> parse_date(std::string_view text);

// "2026-01-31T12:00:05Z".
std::string format_timestamp(Timestamp ts);
// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" with an optional "Z" or "±HH:MM"/"±HHMM" (UTC when absent).
// A bare date means its midnight UTC. nullopt when malformed.
std::optional<Timestamp> parse_timestamp(std::string_view text);

// Floor division of a timestamp into its UTC date.
constexpr Date utc_date(Timestamp ts) noexcept {
    return ts >= 0 ? ts / kSecondsPerDay : -((-ts + kSecondsPerDay - 1) / kSecondsPerDay);
}

// A fixed-offset IANA zone known to the simulator (no daylight saving).
struct FixedZone {
    std::string_view iana_name;
    int utc_offset_minutes;
    std::string_view abbreviation;
};

// Looks up one of the supported zones ("America/Phoenix", "Asia/Tokyo", "UTC", ...).
std::optional<FixedZone> find_fixed_zone(std::string_view iana_name) noexcept;

// Local calendar date of a timestamp in a zone with the given offset.
constexpr Date local_date(Timestamp ts, int utc_offset_minutes) noexcept {
    return utc_date(ts + static_cast<Timestamp>(utc_offset_minutes) * 60);
}
// UTC timestamp of local midnight starting `date`.
constexpr Timestamp local_midnight(Date date, int utc_offset_minutes) noexcept {
    return date * kSecondsPerDay - static_cast<Timestamp>(utc_offset_minutes) * 60;
}

}  // namespace alatar::shopify_sim
