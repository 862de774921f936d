#include <gtest/gtest.h>

#include "shopify_sim/civil_time.hpp"
#include "shopify_sim/money.hpp"
#include "shopify_sim/prng.hpp"

namespace alatar::shopify_sim {
namespace {

TEST(Money, FormatsTwoDecimals) {
    EXPECT_EQ(format_money(0), "0.00");
    EXPECT_EQ(format_money(5), "0.05");
    EXPECT_EQ(format_money(123450), "1234.50");
    EXPECT_EQ(format_money(-1999), "-19.99");
}

TEST(Money, ParsesDecimalStrings) {
    EXPECT_EQ(parse_money("12"), 1200);
    EXPECT_EQ(parse_money("12.3"), 1230);
    EXPECT_EQ(parse_money("12.34"), 1234);
    EXPECT_EQ(parse_money("-0.5"), -50);
    EXPECT_FALSE(parse_money("12.345"));
    EXPECT_FALSE(parse_money("1a"));
    EXPECT_FALSE(parse_money("12."));
    EXPECT_FALSE(parse_money(""));
}

TEST(Money, MulDivRoundsHalfUp) {
    EXPECT_EQ(mul_div_round(1000, 1500, 10000), 150);
    EXPECT_EQ(mul_div_round(333, 1, 2), 167);
    EXPECT_EQ(mul_div_round(5, 725, 10000), 0);
    EXPECT_EQ(mul_div_round(7, 725, 10000), 1);  // 0.5075 rounds up
}

TEST(CivilTime, DatesRoundTrip) {
    const auto d = parse_date("2026-01-31");
    ASSERT_TRUE(d);
    EXPECT_EQ(format_date(*d), "2026-01-31");
    EXPECT_EQ(format_date(*d + 29), "2026-03-01");
    EXPECT_FALSE(parse_date("2026-02-30"));
    EXPECT_EQ(iso_weekday(*parse_date("2026-03-16")), 0);  // a Monday
    EXPECT_EQ(week_start(*parse_date("2026-03-22")), *parse_date("2026-03-16"));
}

TEST(CivilTime, TimestampsParseOffsetsAndFormatUtc) {
    EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00Z");
    const auto a = parse_timestamp("2026-01-01T12:00:00Z");
    const auto b = parse_timestamp("2026-01-01T05:00:00-07:00");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(format_timestamp(*a), "2026-01-01T12:00:00Z");
    EXPECT_EQ(parse_timestamp("2026-01-01"), parse_timestamp("2026-01-01T00:00:00Z"));
    EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.123Z"), parse_timestamp("2026-01-01T00:00:00Z"));
    EXPECT_FALSE(parse_timestamp("2026-01-01T25:00:00Z"));
    EXPECT_FALSE(parse_timestamp("2026-01-01X"));
}

TEST(CivilTime, LocalDatesUseTheZoneOffset) {
    const auto zone = find_fixed_zone("America/Phoenix");
    ASSERT_TRUE(zone);
    const Timestamp ts = *parse_timestamp("2026-01-02T03:00:00Z");  // 20:00 on Jan 1 in Phoenix
    EXPECT_EQ(format_date(local_date(ts, zone->utc_offset_minutes)), "2026-01-01");
    EXPECT_EQ(format_timestamp(local_midnight(*parse_date("2026-01-01"), zone->utc_offset_minutes)),
              "2026-01-01T07:00:00Z");
    EXPECT_FALSE(find_fixed_zone("Europe/Berlin"));  // has daylight saving: not a fixed zone
}

TEST(Rng, IsDeterministicAndInRange) {
    Rng a(7);
    Rng b(7);
    Rng c(8);
    bool differs = false;
    for (int i = 0; i < 1000; ++i) {
        const auto x = a.uniform_int(-3, 9);
        EXPECT_EQ(x, b.uniform_int(-3, 9));
        EXPECT_GE(x, -3);
        EXPECT_LE(x, 9);
        const auto from_a = a.next();
        const auto from_c = c.next();
        EXPECT_EQ(from_a, b.next());
        differs = differs || from_a != from_c;
    }
    EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace alatar::shopify_sim
