#pragma once
// Local days in the shop's IANA time zone (Howard Hinnant's date/tz): day bucketing and date windows.
#include <date/date.h>
#include <date/tz.h>

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "intelligence/store_data.hpp"

namespace alatar::intelligence {

using LocalDay = date::local_days;

// A range of whole local days, both ends included.
struct DateWindow {
    LocalDay first{};
    LocalDay last{};

    int days() const noexcept { return static_cast<int>((last - first).count()) + 1; }
    bool contains(LocalDay day) const noexcept { return day >= first && day <= last; }
    // The window of the same length that ends the day before this one starts.
    DateWindow preceding() const noexcept { return {first - date::days{days()}, first - date::days{1}}; }
    DateWindow shifted(date::days by) const noexcept { return {first + by, last + by}; }

    friend bool operator==(const DateWindow&, const DateWindow&) = default;
};

// Converts between UTC instants and the shop's local calendar.
class ShopClock {
  public:
    // Throws std::invalid_argument for a zone the time-zone database does not know.
    explicit ShopClock(std::string_view iana_name);

    LocalDay day_of(Instant t) const;
    // The first instant of a local day (the transition instant when midnight does not exist).
    Instant start_of(LocalDay day) const;
    // [start_of(first), start_of(last + 1)): the UTC instants a window covers.
    Instant window_begin(const DateWindow& w) const { return start_of(w.first); }
    Instant window_end(const DateWindow& w) const { return start_of(w.last + date::days{1}); }
    const std::string& name() const noexcept { return name_; }
    const date::time_zone& zone() const noexcept { return *zone_; }

  private:
    const date::time_zone* zone_;
    std::string name_;
};

// Buckets many instants into local days; remembers the zone's current offset period so that instants in
// time order cost one comparison each instead of a time-zone lookup.
class DayBucketer {
  public:
    explicit DayBucketer(const ShopClock& clock) : clock_(&clock) {}
    LocalDay day_of(Instant t);

  private:
    const ShopClock* clock_;
    Instant begin_{Instant::max()};
    Instant end_{Instant::min()};
    std::chrono::seconds offset_{0};
};

// "2024-10-31".
std::string format_day(LocalDay day);
// "2024-10-31" -> day; nullopt when malformed or impossible.
std::optional<LocalDay> parse_day(std::string_view text);
// RFC 3339 UTC, seconds precision: "2024-10-31T07:00:00Z".
std::string format_instant(Instant t);

// {"from","to"} as RFC 3339 UTC instants (to exclusive), plus the local days and the zone.
boost::json::object window_json(const DateWindow& window, const ShopClock& clock);

}  // namespace alatar::intelligence
