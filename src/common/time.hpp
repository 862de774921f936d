#pragma once
// Wall-clock time as RFC 3339 text (always UTC on output) and a monotonic Deadline.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace alatar {

using SystemTime = std::chrono::system_clock::time_point;

// "2025-01-30T12:34:56.789Z": UTC, millisecond precision (sub-millisecond digits are truncated).
std::string format_rfc3339(SystemTime t);

// Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)" (the 'T' may be 't' or ' ', 'Z' may be 'z').
// Fractions beyond microseconds are truncated. nullopt for anything malformed or out of range.
std::optional<SystemTime> parse_rfc3339(std::string_view text);

// A point in time on the monotonic clock after which an operation should give up.
// Pass it down through calls instead of per-call timeouts, so nested work shares one budget.
class Deadline {
  public:
    using Clock = std::chrono::steady_clock;

    // A deadline that never expires.
    static Deadline never() noexcept { return Deadline{Clock::time_point::max()}; }
    // Accepts any duration type; huge values saturate to never() instead of overflowing, negative ones give an
    // already expired deadline.
    template <class Rep, class Period>
    static Deadline after(std::chrono::duration<Rep, Period> d) noexcept {
        using D = std::chrono::duration<Rep, Period>;
        const auto now = Clock::now();
        if (d <= D::zero()) return Deadline{now};
        if (d >= std::chrono::duration_cast<D>(Clock::time_point::max() - now)) return never();
        return Deadline{now + std::chrono::duration_cast<Clock::duration>(d)};
    }
    static Deadline at(Clock::time_point tp) noexcept { return Deadline{tp}; }

    Clock::time_point time_point() const noexcept { return tp_; }
    bool is_never() const noexcept { return tp_ == Clock::time_point::max(); }
    bool expired() const noexcept { return Clock::now() >= tp_; }
    // Time left, zero once expired; Clock::duration::max() for never().
    Clock::duration remaining() const noexcept {
        if (is_never()) return Clock::duration::max();
        const auto left = tp_ - Clock::now();
        return left > Clock::duration::zero() ? left : Clock::duration::zero();
    }
    std::chrono::milliseconds remaining_ms() const noexcept {
        if (is_never()) return std::chrono::milliseconds::max();
        return std::chrono::ceil<std::chrono::milliseconds>(remaining());
    }
    // The earlier of two deadlines, e.g. a per-call timeout inside a request's budget.
    Deadline min(const Deadline& other) const noexcept { return tp_ <= other.tp_ ? *this : other; }

    friend bool operator==(const Deadline&, const Deadline&) = default;

  private:
    explicit Deadline(Clock::time_point tp) noexcept : tp_(tp) {}
    Clock::time_point tp_;
};

}  // namespace alatar
