// Syntax errors: message and location exactly as graphql-js 17 reports them. The table was
// produced by running graphql-js's parse() over each source.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "graphql/parser.hpp"

namespace alatar::graphql {
namespace {

using namespace std::string_view_literals;

struct ErrorCase {
    std::string_view source;
    std::string_view message;
    std::uint32_t line;
    std::uint32_t column;
};

// clang-format off
constexpr ErrorCase kCases[] = {
    {""sv, "Syntax Error: Unexpected <EOF>.", 1, 1},
    {" "sv, "Syntax Error: Unexpected <EOF>.", 1, 2},
    {"{"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 2},
    {"{ a"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 4},
    {"{ a }}"sv, "Syntax Error: Unexpected \"}\".", 1, 6},
    {"query"sv, "Syntax Error: Expected \"{\", found <EOF>.", 1, 6},
    {"query Q"sv, "Syntax Error: Expected \"{\", found <EOF>.", 1, 8},
    {"query Q("sv, "Syntax Error: Expected \"$\", found <EOF>.", 1, 9},
    {"query Q($a) { a }"sv, "Syntax Error: Expected \":\", found \")\".", 1, 11},
    {"query Q($a: ) { a }"sv, "Syntax Error: Expected Name, found \")\".", 1, 13},
    {"\?"sv, "Syntax Error: Unexpected character: \"\?\".", 1, 1},
    {"{ a \? }"sv, "Syntax Error: Unexpected character: \"\?\".", 1, 5},
    {"{ a(x: 'b') }"sv, "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote (\")\?", 1, 8},
    {"{ a(x: \"b) }"sv, "Syntax Error: Unterminated string.", 1, 13},
    {"{ a(x: \"b\nc\") }"sv, "Syntax Error: Unterminated string.", 1, 10},
    {"{ a(x: \"\\x\") }"sv, "Syntax Error: Invalid character escape sequence: \"\\x\".", 1, 9},
    {"{ a(x: \"\\u12\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\u12\")\".", 1, 9},
    {"{ a(x: \"\\uXYZW\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\uXYZW\".", 1, 9},
    {"{ a(x: \"\\ud800\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\ud800\".", 1, 9},
    {"{ a(x: \"\\ud800\\u0041\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\ud800\".", 1, 9},
    {"{ a(x: \"\\udc00\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\udc00\".", 1, 9},
    {"{ a(x: \"\\u{}\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\u{}\".", 1, 9},
    {"{ a(x: \"\\u{110000}\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 9},
    {"{ a(x: \"\\u{D800}\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\u{D800}\".", 1, 9},
    {"{ a(x: \"\\u{FFFFFFFFF}\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\u{FFFFFFFF\".", 1, 9},
    {"{ a(x: \"\\u{12\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\u{12\"\".", 1, 9},
    {"{ a(x: 1.) }"sv, "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
    {"{ a(x: 1.x) }"sv, "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 10},
    {"{ a(x: 00) }"sv, "Syntax Error: Invalid number, unexpected digit after 0: \"0\".", 1, 9},
    {"{ a(x: -) }"sv, "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 9},
    {"{ a(x: -a) }"sv, "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 9},
    {"{ a(x: 1e) }"sv, "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
    {"{ a(x: 1e+) }"sv, "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 11},
    {"{ a(x: 1a) }"sv, "Syntax Error: Invalid number, expected digit but got: \"a\".", 1, 9},
    {"{ a(x: 1.5.) }"sv, "Syntax Error: Invalid number, expected digit but got: \".\".", 1, 11},
    {"{ a(x: .5) }"sv, "Syntax Error: Invalid number, expected digit before \".\", did you mean \"0.5\"\?", 1, 8},
    {"{ ..a }"sv, "Syntax Error: Unexpected \"..\", did you mean \"...\"\?", 1, 3},
    {"{ a(x: 1_000) }"sv, "Syntax Error: Invalid number, expected digit but got: \"_\".", 1, 9},
    {"{ a(x: 0x1) }"sv, "Syntax Error: Invalid number, expected digit but got: \"x\".", 1, 9},
    {"fragment on on T { a }"sv, "Syntax Error: Unexpected Name \"on\".", 1, 10},
    {"fragment F T { a }"sv, "Syntax Error: Expected \"on\", found Name \"T\".", 1, 12},
    {"fragment F on { a }"sv, "Syntax Error: Expected Name, found \"{\".", 1, 15},
    {"{ ... on { a } }"sv, "Syntax Error: Expected Name, found \"{\".", 1, 10},
    {"{ ...on }"sv, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"query Q($a: Int = $b) { a }"sv, "Syntax Error: Unexpected variable \"$b\" in constant value.", 1, 19},
    {"query Q($a: Int = [$b]) { a }"sv, "Syntax Error: Unexpected variable \"$b\" in constant value.", 1, 20},
    {"query Q($a: Int = $) { a }"sv, "Syntax Error: Unexpected \"$\".", 1, 19},
    {"{ a(x: $) }"sv, "Syntax Error: Expected Name, found \")\".", 1, 9},
    {"{ a(x: ) }"sv, "Syntax Error: Unexpected \")\".", 1, 8},
    {"{ a(x) }"sv, "Syntax Error: Expected \":\", found \")\".", 1, 6},
    {"{ a() }"sv, "Syntax Error: Expected Name, found \")\".", 1, 5},
    {"{ a(x: {b}) }"sv, "Syntax Error: Expected \":\", found \"}\".", 1, 10},
    {"{ a(x: [1, 2) }"sv, "Syntax Error: Unexpected \")\".", 1, 13},
    {"{ a @ }"sv, "Syntax Error: Expected Name, found \"}\".", 1, 7},
    {"{ a @b( }"sv, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"schema"sv, "Syntax Error: Expected \"{\", found <EOF>.", 1, 7},
    {"schema {}"sv, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"schema { query }"sv, "Syntax Error: Expected \":\", found \"}\".", 1, 16},
    {"schema { foo: Q }"sv, "Syntax Error: Unexpected Name \"foo\".", 1, 10},
    {"scalar"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 7},
    {"type"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 5},
    {"type T {}"sv, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"type T { a }"sv, "Syntax Error: Expected \":\", found \"}\".", 1, 12},
    {"type T { a: }"sv, "Syntax Error: Expected Name, found \"}\".", 1, 13},
    {"type T implements { a: Int }"sv, "Syntax Error: Expected Name, found \"{\".", 1, 19},
    {"type T implements A & { a: Int }"sv, "Syntax Error: Expected Name, found \"{\".", 1, 23},
    {"type T { a(b): Int }"sv, "Syntax Error: Expected \":\", found \")\".", 1, 13},
    {"type T { a(b: Int = $c): Int }"sv, "Syntax Error: Unexpected variable \"$c\" in constant value.", 1, 21},
    {"union U ="sv, "Syntax Error: Expected Name, found <EOF>.", 1, 10},
    {"union U = | "sv, "Syntax Error: Expected Name, found <EOF>.", 1, 13},
    {"union U = A |"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 14},
    {"enum E {}"sv, "Syntax Error: Expected Name, found \"}\".", 1, 9},
    {"enum E { true }"sv, "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.", 1, 10},
    {"enum E { null }"sv, "Syntax Error: Name \"null\" is reserved and cannot be used for an enum value.", 1, 10},
    {"enum E { A B false }"sv, "Syntax Error: Name \"false\" is reserved and cannot be used for an enum value.", 1, 14},
    {"input I {}"sv, "Syntax Error: Expected Name, found \"}\".", 1, 10},
    {"input I { a }"sv, "Syntax Error: Expected \":\", found \"}\".", 1, 13},
    {"directive"sv, "Syntax Error: Expected \"@\", found <EOF>.", 1, 10},
    {"directive @"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 12},
    {"directive @a"sv, "Syntax Error: Expected \"on\", found <EOF>.", 1, 13},
    {"directive @a on"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 16},
    {"directive @a on FOO"sv, "Syntax Error: Unexpected Name \"FOO\".", 1, 17},
    {"directive @a on FIELD |"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 24},
    {"directive @a repeatable"sv, "Syntax Error: Expected \"on\", found <EOF>.", 1, 24},
    {"directive @a(b: Int) on"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 24},
    {"extend"sv, "Syntax Error: Unexpected <EOF>.", 1, 7},
    {"extend foo"sv, "Syntax Error: Unexpected Name \"foo\".", 1, 8},
    {"extend schema"sv, "Syntax Error: Unexpected <EOF>.", 1, 14},
    {"extend scalar S"sv, "Syntax Error: Unexpected <EOF>.", 1, 16},
    {"extend type T"sv, "Syntax Error: Unexpected <EOF>.", 1, 14},
    {"extend interface I"sv, "Syntax Error: Unexpected <EOF>.", 1, 19},
    {"extend union U"sv, "Syntax Error: Unexpected <EOF>.", 1, 15},
    {"extend enum E"sv, "Syntax Error: Unexpected <EOF>.", 1, 14},
    {"extend input I"sv, "Syntax Error: Unexpected <EOF>.", 1, 15},
    {"extend directive @a"sv, "Syntax Error: Unexpected <EOF>.", 1, 20},
    {"extend type T {}"sv, "Syntax Error: Expected Name, found \"}\".", 1, 16},
    {"\"desc\" { a }"sv, "Syntax Error: Unexpected description, descriptions are not supported on shorthand queries.", 1, 1},
    {"\"desc\" extend type T { a: Int }"sv, "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1},
    {"\"desc\" foo"sv, "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1, 1},
    {"foo"sv, "Syntax Error: Unexpected Name \"foo\".", 1, 1},
    {"query Q { a } mutation"sv, "Syntax Error: Expected \"{\", found <EOF>.", 1, 23},
    {"subscription S"sv, "Syntax Error: Expected \"{\", found <EOF>.", 1, 15},
    {"\"unterminated"sv, "Syntax Error: Unterminated string.", 1, 14},
    {"\"\"\"unterminated"sv, "Syntax Error: Unterminated string.", 1, 16},
    {"{ a } # comment\n}"sv, "Syntax Error: Unexpected \"}\".", 2, 1},
    {"{ a(x: \"\"\"a\"\"\" ) } }"sv, "Syntax Error: Unexpected \"}\".", 1, 20},
    {"{\n  a(x: \"é\\x\")\n}"sv, "Syntax Error: Invalid character escape sequence: \"\\x\".", 2, 10},
    {"{ \"é\" }"sv, "Syntax Error: Expected Name, found String \"é\".", 1, 3},
    {"{ 😀 }"sv, "Syntax Error: Unexpected character: U+1F600.", 1, 3},
    {"{ a(x: \"😀\\q\") }"sv, "Syntax Error: Invalid character escape sequence: \"\\q\".", 1, 11},
    {"é"sv, "Syntax Error: Unexpected character: U+00E9.", 1, 1},
    {" "sv, "Syntax Error: Unexpected character: U+00A0.", 1, 1},
    {"{ a(x: \"\\u{1F600}\") b(x: \"\\uD83D\\uDE00\") c: }"sv, "Syntax Error: Expected Name, found \"}\".", 1, 45},
    {"{\r\n a\r\n b(\r\n}"sv, "Syntax Error: Expected Name, found \"}\".", 4, 1},
    {"{\r a\r b(\r}"sv, "Syntax Error: Expected Name, found \"}\".", 4, 1},
    {"a b"sv, "Syntax Error: Unexpected Name \"a\".", 1, 1},
    {"{ a\000 }"sv, "Syntax Error: Unexpected character: U+0000.", 1, 4},
    {"\007"sv, "Syntax Error: Unexpected character: U+0007.", 1, 1},
    {"{ a(x: \"\\u{D83D}\") }"sv, "Syntax Error: Invalid Unicode escape sequence: \"\\u{D83D}\".", 1, 9},
    {"query Q { a } query"sv, "Syntax Error: Expected \"{\", found <EOF>.", 1, 20},
    {"{ a } fragment"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 15},
    {"{ a } type"sv, "Syntax Error: Expected Name, found <EOF>.", 1, 11},
    {"type T { a: [Int }"sv, "Syntax Error: Expected \"]\", found \"}\".", 1, 18},
    {"type T { a: [Int]]! }"sv, "Syntax Error: Expected Name, found \"]\".", 1, 18},
    {"type T { a: Int!! }"sv, "Syntax Error: Expected Name, found \"!\".", 1, 17},
    {"{ a(x: {b: 1 c}) }"sv, "Syntax Error: Expected \":\", found \"}\".", 1, 15},
    {"{ a(x: {b: 1, b: }) }"sv, "Syntax Error: Unexpected \"}\".", 1, 18},
    {"mutation { a(x: 1 }"sv, "Syntax Error: Expected Name, found \"}\".", 1, 19},
};
// clang-format on

GraphQLError expect_error(std::string source, const ParseOptions& options = {}) {
    auto result = parse(std::move(source), options);
    if (!std::holds_alternative<GraphQLError>(result)) {
        ADD_FAILURE() << "parsed without error";
        return {};
    }
    return std::get<GraphQLError>(result);
}

TEST(ParserSyntaxErrors, MatchGraphqlJs) {
    for (const ErrorCase& c : kCases) {
        SCOPED_TRACE(std::string(c.source));
        const GraphQLError error = expect_error(std::string(c.source));
        EXPECT_EQ(error.message, c.message);
        ASSERT_EQ(error.locations.size(), 1U);
        EXPECT_EQ(error.locations[0], (SourceLocation{c.line, c.column}));
    }
}

TEST(ParserSyntaxErrors, InvalidUtf8IsASyntaxError) {
    const std::string cases[] = {
        std::string("{ a\xFF }"),                               // invalid lead byte
        std::string("{ a(x: \"\xC3\") }"),                      // truncated sequence inside a string
        std::string("{ a(x: \"\xC0\xAF\") }"),                  // overlong encoding
        std::string("{ a(x: \"\xED\xA0\x80\") }"),              // UTF-8 encoded surrogate
        std::string("{ a(x: \"\"\"\xF5\x80\x80\x80\"\"\") }"),  // beyond U+10FFFF in a block string
        std::string("# comment \xFE\n{ a }"),                   // inside a comment
        std::string("{ a }\xE2\x82"),                           // truncated at the end
    };
    for (const std::string& source : cases) {
        SCOPED_TRACE(source);
        const GraphQLError error = expect_error(source);
        EXPECT_TRUE(error.message.find("U+FFFD") != std::string::npos) << error.message;
        EXPECT_EQ(error.locations.size(), 1U);
    }
    EXPECT_EQ(expect_error("{ a\xFF }").message, "Syntax Error: Unexpected character: U+FFFD.");
    EXPECT_EQ(expect_error("{ a(x: \"\xC3\") }").message, "Syntax Error: Invalid character within String: U+FFFD.");
}

TEST(ParserSyntaxErrors, TokenLimitUsesGraphqlJsMessage) {
    ParseOptions options;
    options.max_tokens = 4;
    // "{ a b }" has 4 tokens: within the limit.
    EXPECT_TRUE(std::holds_alternative<DocumentPtr>(parse("{ a b }", options)));
    const GraphQLError error = expect_error("{ a b c }", options);
    EXPECT_EQ(error.message, "Syntax Error: Document contains more than 4 tokens. Parsing aborted.");
    EXPECT_EQ(error.locations[0], (SourceLocation{1, 9}));  // at "}", the fifth token
    // Comments do not count.
    EXPECT_TRUE(std::holds_alternative<DocumentPtr>(parse("# one\n{ a # two\n b }", options)));
}

TEST(ParserSyntaxErrors, SourceSizeLimit) {
    ParseOptions options;
    options.max_bytes = 5;
    EXPECT_TRUE(std::holds_alternative<DocumentPtr>(parse("{ a }", options)));
    const GraphQLError error = expect_error("{ ab }", options);
    EXPECT_EQ(error.message, "Syntax Error: Source contains more than 5 bytes. Parsing aborted.");
    EXPECT_EQ(error.locations[0], (SourceLocation{1, 6}));
}

TEST(ParserSyntaxErrors, DepthLimitOption) {
    ParseOptions options;
    options.max_depth = 3;
    EXPECT_TRUE(std::holds_alternative<DocumentPtr>(parse("{ a { b { c } } }", options)));
    const GraphQLError error = expect_error("{ a { b { c { d } } } }", options);
    EXPECT_EQ(error.message, "Syntax Error: Document contains more than 3 levels of nesting. Parsing aborted.");
    EXPECT_EQ(error.locations[0], (SourceLocation{1, 13}));
    EXPECT_FALSE(std::holds_alternative<DocumentPtr>(parse("{ a(x: [[[[1]]]]) }", options)));
    EXPECT_FALSE(std::holds_alternative<DocumentPtr>(parse("query($a: [[[[Int]]]]) { a }", options)));
}

TEST(ParserSyntaxErrors, VeryDeepNestingIsAnErrorNotACrash) {
    constexpr std::size_t kDepth = 100000;
    std::string selections;
    for (std::size_t i = 0; i < kDepth; ++i) selections += "{a";
    EXPECT_TRUE(expect_error(selections).message.find("levels of nesting") != std::string::npos);
    const std::string lists = "{ a(x: " + std::string(kDepth, '[') + ") }";
    EXPECT_TRUE(expect_error(lists).message.find("levels of nesting") != std::string::npos);
    std::string objects = "{ a(x: ";
    for (std::size_t i = 0; i < kDepth; ++i) objects += "{a:";
    EXPECT_TRUE(expect_error(objects).message.find("levels of nesting") != std::string::npos);
    const std::string types = "query($a: " + std::string(kDepth, '[') + ") { a }";
    EXPECT_TRUE(expect_error(types).message.find("levels of nesting") != std::string::npos);
    // Within the default guard, deep documents still parse.
    std::string deep;
    for (int i = 0; i < 200; ++i) deep += "{ a ";
    deep += std::string(200, '}');
    EXPECT_TRUE(std::holds_alternative<DocumentPtr>(parse(deep)));
}

TEST(ParserSyntaxErrors, ErrorToJson) {
    const GraphQLError error = expect_error("{");
    EXPECT_EQ(boost::json::serialize(error.to_json()),
              R"({"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":2}]})");
    GraphQLError full;
    full.message = "boom";
    full.locations = {{2, 3}};
    full.path = {"a", 0, "b"};
    full.extensions = {{"code", "INTERNAL"}};
    EXPECT_EQ(
        boost::json::serialize(full.to_json()),
        R"({"message":"boom","locations":[{"line":2,"column":3}],"path":["a",0,"b"],"extensions":{"code":"INTERNAL"}})");
    GraphQLError bare;
    bare.message = "m";
    EXPECT_EQ(boost::json::serialize(bare.to_json()), R"({"message":"m"})");
}

}  // namespace
}  // namespace alatar::graphql
