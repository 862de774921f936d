// The migrator's statement splitter, without a database.
#include "db/sql_split.hpp"

#include <gtest/gtest.h>

namespace alatar::db {
namespace {

std::vector<std::string> texts(std::string_view script) {
    std::vector<std::string> out;
    for (auto& s : split_sql(script)) out.push_back(s.text);
    return out;
}

TEST(SplitSql, SplitsAtTopLevelSemicolons) {
    EXPECT_EQ(texts("SELECT 1; SELECT 2;\nSELECT 3"), (std::vector<std::string>{"SELECT 1", "SELECT 2", "SELECT 3"}));
}

TEST(SplitSql, SkipsEmptyStatementsAndComments) {
    EXPECT_EQ(texts(";;  -- only a comment; here\n/* and ; here */ ;\nSELECT 1;  -- trailing"),
              (std::vector<std::string>{"SELECT 1"}));
    EXPECT_TRUE(split_sql("  \n-- nothing\n").empty());
}

TEST(SplitSql, KeepsSemicolonsInsideQuotes) {
    EXPECT_EQ(texts("INSERT INTO t VALUES ('a;b', 'it''s; fine'); SELECT \"odd;name\" FROM t"),
              (std::vector<std::string>{"INSERT INTO t VALUES ('a;b', 'it''s; fine')", "SELECT \"odd;name\" FROM t"}));
}

TEST(SplitSql, HandlesEscapeStrings) {
    EXPECT_EQ(texts(R"(SELECT E'a\';b'; SELECT 2)"), (std::vector<std::string>{R"(SELECT E'a\';b')", "SELECT 2"}));
    // Outside E'' a backslash is an ordinary character, so 'a\' is a complete string.
    EXPECT_EQ(texts(R"(SELECT 'a\'; SELECT 2)"), (std::vector<std::string>{R"(SELECT 'a\')", "SELECT 2"}));
}

TEST(SplitSql, KeepsDollarQuotedBodiesWhole) {
    const std::string fn =
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  RAISE NOTICE 'x;y';\n  RETURN "
        "NEW;\nEND;\n$$";
    const std::string tagged = "DO $body$ BEGIN PERFORM 1; PERFORM $$nested;$$; END $body$";
    EXPECT_EQ(texts(fn + ";\n" + tagged + ";"), (std::vector<std::string>{fn, tagged}));
}

TEST(SplitSql, ParametersAndIdentifiersWithDollarAreNotQuotes) {
    EXPECT_EQ(texts("SELECT $1, a$b FROM t WHERE x = $2; SELECT 2"),
              (std::vector<std::string>{"SELECT $1, a$b FROM t WHERE x = $2", "SELECT 2"}));
}

TEST(SplitSql, NestedBlockComments) {
    EXPECT_EQ(texts("/* outer /* inner; */ still; comment */ SELECT 1; SELECT 2"),
              (std::vector<std::string>{"SELECT 1", "SELECT 2"}));
}

TEST(SplitSql, ReportsLinesOffsetsAndIndexes) {
    const std::string script = "-- header\nCREATE TABLE a (id int);\n\n\nINSERT INTO a\n  VALUES (1);\n";
    const auto stmts = split_sql(script);
    ASSERT_EQ(stmts.size(), 2U);
    EXPECT_EQ(stmts[0].line, 2);
    EXPECT_EQ(stmts[0].index, 1);
    EXPECT_EQ(script.substr(stmts[0].offset, stmts[0].text.size()), stmts[0].text);
    EXPECT_EQ(stmts[1].line, 5);
    EXPECT_EQ(stmts[1].index, 2);
    EXPECT_EQ(stmts[1].text, "INSERT INTO a\n  VALUES (1)");
}

TEST(SplitSql, LineOfPositionCountsCharactersNotBytes) {
    const auto stmts = split_sql("\n\nSELECT 'héllo',\n  nope");
    ASSERT_EQ(stmts.size(), 1U);
    EXPECT_EQ(stmts[0].line, 3);
    // "SELECT 'héllo',\n  nope": 'n' of nope is character 20 (é is one character, two bytes).
    EXPECT_EQ(line_of_position(stmts[0], 1), 3);
    EXPECT_EQ(line_of_position(stmts[0], 15), 3);
    EXPECT_EQ(line_of_position(stmts[0], 20), 4);
}

}  // namespace
}  // namespace alatar::db
