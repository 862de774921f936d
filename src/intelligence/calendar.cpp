#include "intelligence/calendar.hpp"

#include <charconv>
#include <stdexcept>

namespace alatar::intelligence {

ShopClock::ShopClock(std::string_view iana_name) : zone_(nullptr), name_(iana_name) {
    try {
        zone_ = date::locate_zone(name_);
    } catch (const std::runtime_error&) {
        throw std::invalid_argument("unknown time zone: " + name_);
    }
}

LocalDay ShopClock::day_of(Instant t) const { return date::floor<date::days>(zone_->to_local(t)); }

Instant ShopClock::start_of(LocalDay day) const {
    const date::local_seconds midnight{day};
    const auto info = zone_->get_info(midnight);
    switch (info.result) {
        case date::local_info::unique:
            return Instant{midnight.time_since_epoch() - info.first.offset};
        case date::local_info::ambiguous:  // the earlier of the two midnights
            return Instant{midnight.time_since_epoch() - info.first.offset};
        case date::local_info::nonexistent:  // midnight skipped: the day starts at the transition
        default:
            return info.first.end;
    }
}

LocalDay DayBucketer::day_of(Instant t) {
    if (t < begin_ || t >= end_) {
        const auto info = clock_->zone().get_info(t);
        begin_ = info.begin;
        end_ = info.end;
        offset_ = info.offset;
    }
    return date::floor<date::days>(date::local_seconds{t.time_since_epoch() + offset_});
}

std::string format_day(LocalDay day) { return date::format("%F", day); }

std::optional<LocalDay> parse_day(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    const char* s = text.data();
    if (std::from_chars(s, s + 4, y).ptr != s + 4 || std::from_chars(s + 5, s + 7, m).ptr != s + 7 ||
        std::from_chars(s + 8, s + 10, d).ptr != s + 10) {
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return LocalDay{ymd};
}

std::string format_instant(Instant t) { return date::format("%FT%TZ", t); }

boost::json::object window_json(const DateWindow& window, const ShopClock& clock) {
    return {{"from", format_instant(clock.window_begin(window))},
            {"to", format_instant(clock.window_end(window))},
            {"firstDay", format_day(window.first)},
            {"lastDay", format_day(window.last)},
            {"timezone", clock.name()}};
}

}  // namespace alatar::intelligence
