#include "common/time.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace alatar {
namespace {

using namespace std::chrono_literals;

TEST(TimeTest, FormatsUtcWithMilliseconds) {
    const SystemTime epoch{};
    EXPECT_EQ(format_rfc3339(epoch), "1970-01-01T00:00:00.000Z");
    const SystemTime t = std::chrono::sys_days{std::chrono::year{2025} / 1 / 30} + 12h + 34min + 56s + 789ms + 999us;
    EXPECT_EQ(format_rfc3339(t), "2025-01-30T12:34:56.789Z");
}

TEST(TimeTest, ParsesZuluAndOffsets) {
    const auto base = std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + 23h + 59min + 58s;
    EXPECT_EQ(parse_rfc3339("2024-02-29T23:59:58Z"), base);
    EXPECT_EQ(parse_rfc3339("2024-02-29t23:59:58.5z"), base + 500ms);
    EXPECT_EQ(parse_rfc3339("2024-03-01T01:59:58+02:00"), base);
    EXPECT_EQ(parse_rfc3339("2024-02-29T20:29:58-03:30"), base);
    EXPECT_EQ(parse_rfc3339("2024-02-29 23:59:58.123456789Z"), base + 123456us);
}

TEST(TimeTest, RoundTrip) {
    const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    EXPECT_EQ(parse_rfc3339(format_rfc3339(now)), SystemTime{now});
}

TEST(TimeTest, RejectsMalformed) {
    for (const char* bad : {"", "2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z",
                            "2024-01-01T00:00:00", "2024-01-01T00:00:00+0100", "2024-01-01T00:00:00.Z", "2024-01-01",
                            "2024-01-01T00:00:00Zjunk", "20240101T000000Z"}) {
        EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
    }
}

TEST(DeadlineTest, RemainingAndExpired) {
    const auto d = Deadline::after(10s);
    EXPECT_FALSE(d.expired());
    EXPECT_GT(d.remaining(), 9s);
    EXPECT_LE(d.remaining(), 10s);
    const auto past = Deadline::after(-1s);
    EXPECT_TRUE(past.expired());
    EXPECT_EQ(past.remaining(), Deadline::Clock::duration::zero());
    const auto short_one = Deadline::after(1ms);
    std::this_thread::sleep_for(5ms);
    EXPECT_TRUE(short_one.expired());
}

TEST(DeadlineTest, NeverAndMin) {
    const auto never = Deadline::never();
    EXPECT_TRUE(never.is_never());
    EXPECT_FALSE(never.expired());
    EXPECT_EQ(never.remaining(), Deadline::Clock::duration::max());
    EXPECT_TRUE(Deadline::after(std::chrono::hours::max()).is_never());
    EXPECT_TRUE(Deadline::after(Deadline::Clock::duration::max()).is_never());
    const auto soon = Deadline::after(1s);
    EXPECT_EQ(never.min(soon), soon);
    EXPECT_EQ(soon.min(never), soon);
    EXPECT_EQ(soon.remaining_ms() <= 1000ms, true);
}

}  // namespace
}  // namespace alatar
