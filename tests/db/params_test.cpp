// Parameter binding and value decoding, without a database.
#include "db/params.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "db/connection.hpp"
#include "db/pool.hpp"

namespace alatar::db {
namespace {

using namespace std::chrono_literals;

TEST(Params, EncodesValuesAsTextWithTypes) {
    const std::optional<std::string> none;
    const std::optional<std::int64_t> some = 7;
    const Params p{std::string_view{"héllo"}, std::int64_t{-9'000'000'000}, 42, true, 0.1, none, some, Json{"{}"}};
    ASSERT_EQ(p.size(), 8U);
    EXPECT_EQ(p.text(0), "héllo");
    EXPECT_EQ(p.types()[0], oid::kUnspecified);
    EXPECT_EQ(p.text(1), "-9000000000");
    EXPECT_EQ(p.types()[1], oid::kInt8);
    EXPECT_EQ(p.text(2), "42");
    EXPECT_EQ(p.types()[2], oid::kInt4);
    EXPECT_EQ(p.text(3), "t");
    EXPECT_EQ(p.types()[3], oid::kBool);
    EXPECT_EQ(p.text(4), "0.1");  // shortest form that reads back as the same double
    EXPECT_EQ(p.types()[4], oid::kFloat8);
    EXPECT_TRUE(p.is_null(5));
    EXPECT_FALSE(p.is_null(6));
    EXPECT_EQ(p.text(6), "7");
    EXPECT_EQ(p.types()[6], oid::kInt8);
    EXPECT_EQ(p.text(7), "{}");
}

TEST(Params, NonFiniteDoubles) {
    Params p;
    p.add(std::numeric_limits<double>::quiet_NaN()).add(-std::numeric_limits<double>::infinity());
    EXPECT_EQ(p.text(0), "NaN");
    EXPECT_EQ(p.text(1), "-Infinity");
}

TEST(Timestamps, FormatIsUtcWithMicroseconds) {
    const Timestamp t = std::chrono::sys_days{std::chrono::year{2025} / 1 / 30} + 12h + 34min + 56s + 789123us;
    EXPECT_EQ(format_timestamp(t), "2025-01-30 12:34:56.789123+00");
    EXPECT_EQ(parse_timestamp(format_timestamp(t)), t);
}

TEST(Timestamps, ParsesPostgresOutputWithOffsets) {
    const Timestamp noon = std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + 12h;
    EXPECT_EQ(parse_timestamp("2024-02-29 12:00:00+00"), noon);
    EXPECT_EQ(parse_timestamp("2024-02-29 17:30:00+05:30"), noon);
    EXPECT_EQ(parse_timestamp("2024-02-29 09:00:00-03"), noon);
    EXPECT_EQ(parse_timestamp("2024-02-29T12:00:00.5Z"), noon + 500ms);
    EXPECT_EQ(parse_timestamp("2024-02-29 12:00:00"), std::nullopt);  // no zone: ambiguous
    EXPECT_EQ(parse_timestamp("2023-02-29 12:00:00+00"), std::nullopt);
    EXPECT_EQ(parse_timestamp("infinity"), std::nullopt);
}

TEST(TextArrays, RoundTripWithQuotingAndNulls) {
    const std::vector<std::string> scopes{"read_orders", "with \"quote\"", "back\\slash", "comma,here", ""};
    const auto text = format_text_array(scopes);
    const auto parsed = parse_text_array(text);
    ASSERT_TRUE(parsed.has_value());
    ASSERT_EQ(parsed->size(), scopes.size());
    for (std::size_t i = 0; i < scopes.size(); ++i) EXPECT_EQ((*parsed)[i], scopes[i]);

    const auto mixed = parse_text_array(R"({plain,"quoted value",NULL,"NULL"})");
    ASSERT_TRUE(mixed.has_value());
    ASSERT_EQ(mixed->size(), 4U);
    EXPECT_EQ((*mixed)[0], "plain");
    EXPECT_EQ((*mixed)[1], "quoted value");
    EXPECT_EQ((*mixed)[2], std::nullopt);
    EXPECT_EQ((*mixed)[3], "NULL");
    EXPECT_TRUE(parse_text_array("{}")->empty());
    EXPECT_FALSE(parse_text_array("{{1,2},{3,4}}").has_value());
    EXPECT_FALSE(parse_text_array("nope").has_value());
}

TEST(UrlWithDatabase, ReplacesOnlyTheDatabase) {
    EXPECT_EQ(url_with_database("postgresql://postgres@127.0.0.1:55432/postgres", "t1"),
              "postgresql://postgres@127.0.0.1:55432/t1");
    EXPECT_EQ(url_with_database("postgresql://u:p@h/db?sslmode=disable", "t2"),
              "postgresql://u:p@h/t2?sslmode=disable");
    EXPECT_EQ(url_with_database("postgres://h:1", "t3"), "postgres://h:1/t3");
    EXPECT_EQ(url_with_database("postgresql://h?connect_timeout=3", "t4"), "postgresql://h/t4?connect_timeout=3");
    EXPECT_EQ(url_with_database("host=h port=1 dbname=x", "t5"), "host=h port=1 dbname=x dbname=t5");
}

TEST(StatementTimeoutFor, CoarseStepsSoSimilarDeadlinesShareOne) {
    EXPECT_EQ(statement_timeout_for(4999ms), 4750ms);
    EXPECT_EQ(statement_timeout_for(4800ms), 4750ms);
    EXPECT_EQ(statement_timeout_for(999ms), 990ms);
    EXPECT_EQ(statement_timeout_for(3ms), 1ms);  // 0 would mean "no timeout"
    EXPECT_EQ(statement_timeout_for(0ms), 1ms);
    EXPECT_EQ(statement_timeout_for(std::chrono::milliseconds::max()), 0ms);
}

TEST(StatementTimeout, CurrentSettingIsKeptWhileItEndsBeforeTheDeadlineAndLeavesHalf) {
    EXPECT_TRUE(statement_timeout_fits(9750ms, 9750ms));
    EXPECT_TRUE(statement_timeout_fits(9750ms, 12000ms));   // drifted upwards: still inside the deadline
    EXPECT_TRUE(statement_timeout_fits(5000ms, 10000ms));   // exactly half
    EXPECT_FALSE(statement_timeout_fits(4990ms, 10000ms));  // would cut a call far too early
    EXPECT_FALSE(statement_timeout_fits(9750ms, 9500ms));   // would outlive the deadline
    EXPECT_FALSE(statement_timeout_fits(-1ms, 9500ms));     // unknown (a SET failed half-way)
    EXPECT_FALSE(statement_timeout_fits(0ms, 9500ms));      // none set, but the call has a deadline
    EXPECT_TRUE(statement_timeout_fits(0ms, 0ms));
    EXPECT_FALSE(statement_timeout_fits(9750ms, 0ms));  // no deadline: the old limit must go
}

}  // namespace
}  // namespace alatar::db
