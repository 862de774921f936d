// print_value / print_string / print_block_string as graphql-js 17's print() (80-column
// wrapping included), and the specified scalars' hooks with graphql-js's messages.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <functional>
#include <stdexcept>
#include <string>
#include <variant>

#include "graphql/parser.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql {
namespace {

namespace json = boost::json;

struct PrintCase {
    std::string literal;
    std::string printed;
};

// Expected output of graphql-js's print(parseValue(literal)).
// clang-format off
const std::vector<PrintCase> kValues = {
    {"[1, 2]", "[1, 2]"},
    {"{a: 1, b: \"x\"}", "{ a: 1, b: \"x\" }"},
    {"{}", "{  }"},
    {"[]", "[]"},
    {"$var", "$var"},
    {"ENUM", "ENUM"},
    {"null", "null"},
    {"true", "true"},
    {"-1.5e10", "-1.5e10"},
    {"\"a\\u0001\\u007F\\u0085 é 😀 \\\" \\\\ \\n\"", "\"a\\u0001\\u007F\\u0085 é 😀 \\\" \\\\ \\n\""},
    {"\"\"\"block \"\" \\\"\"\" end\"\"\"", "\"\"\"block \"\" \\\"\"\" end\"\"\""},
    {"\"\"\"  leading space\"\"\"", "\"\"\"  leading space\"\"\""},
    {"\"\"\"line1\n  line2\"\"\"", "\"\"\"\nline1\nline2\n\"\"\""},
    {"{a: [1, 2, {b: {c: [true, false, null]}}], d: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", "{\n  a: [1, 2, { b: { c: [true, false, null] } }]\n  d: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n}"},
    {"[\"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\", \"é😀ab\"]", "[\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n  \"é😀ab\"\n]"},
    {"{list: [{k: \"vvvvvvvvvv\"} {k: \"vvvvvvvvvv\"} {k: \"vvvvvvvvvv\"} {k: \"vvvvvvvvvv\"} {k: \"vvvvvvvvvv\"} {k: \"vvvvvvvvvv\"}]}", "{\n  list: [\n    { k: \"vvvvvvvvvv\" }\n    { k: \"vvvvvvvvvv\" }\n    { k: \"vvvvvvvvvv\" }\n    { k: \"vvvvvvvvvv\" }\n    { k: \"vvvvvvvvvv\" }\n    { k: \"vvvvvvvvvv\" }\n  ]\n}"},
    {"[[\"abcdefgh\" \"abcdefgh\" \"abcdefgh\" \"abcdefgh\" \"abcdefgh\" \"abcdefgh\" \"abcdefgh\" \"abcdefgh\" \"abcdefgh\"]]", "[\n  [\n    \"abcdefgh\"\n    \"abcdefgh\"\n    \"abcdefgh\"\n    \"abcdefgh\"\n    \"abcdefgh\"\n    \"abcdefgh\"\n    \"abcdefgh\"\n    \"abcdefgh\"\n    \"abcdefgh\"\n  ]\n]"},
};
// clang-format on

// Parses `literal` as the argument of a field and keeps the document alive.
struct Literal {
    DocumentPtr document;
    const ast::Value* value = nullptr;
};

Literal literal(const std::string& text) {
    auto result = parse("{ f(x: " + text + ") }");
    if (auto* error = std::get_if<GraphQLError>(&result)) {
        ADD_FAILURE() << error->message;
        return {};
    }
    Literal out;
    out.document = std::get<DocumentPtr>(result);
    out.value = out.document->definitions()[0]->selection_set->selections[0]->arguments[0].value;
    return out;
}

TEST(PrinterValues, MatchGraphqlJsPrint) {
    for (const PrintCase& c : kValues) {
        SCOPED_TRACE(c.literal);
        const Literal parsed = literal(c.literal);
        ASSERT_NE(parsed.value, nullptr);
        EXPECT_EQ(print_value(*parsed.value), c.printed);
    }
}

TEST(PrinterValues, TypesAndStrings) {
    auto result = parse("query($a: [[Int!]]!, $b: String) { f }");
    ASSERT_TRUE(std::holds_alternative<DocumentPtr>(result));
    const auto& variables = std::get<DocumentPtr>(result)->definitions()[0]->variable_definitions;
    EXPECT_EQ(print_type(*variables[0]->type), "[[Int!]]!");
    EXPECT_EQ(print_type(*variables[1]->type), "String");
    EXPECT_EQ(print_string("tab\there \xC2\x9F"), "\"tab\\there \\u009F\"");
    EXPECT_EQ(print_block_string("ends with quote\""), "\"\"\"\nends with quote\"\n\"\"\"");
    EXPECT_TRUE(is_printable_as_block_string("plain"));
    EXPECT_TRUE(is_printable_as_block_string("  indented only"));
    EXPECT_FALSE(is_printable_as_block_string("  a\n  b"));  // common indentation would be lost
    EXPECT_FALSE(is_printable_as_block_string("carriage\rreturn"));
    EXPECT_FALSE(is_printable_as_block_string("\nleading newline"));
}

std::string error_of(const std::function<json::value()>& call) {
    try {
        call();
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "no error";
}

TEST(Scalars, SerializeLikeGraphqlJs) {
    const SchemaPtr schema =
        std::get<SchemaPtr>(build_schema("type Query { i: Int f: Float s: String b: Boolean d: ID }"));
    const ScalarHooks& i = schema->type("Int")->scalar;
    const ScalarHooks& f = schema->type("Float")->scalar;
    const ScalarHooks& s = schema->type("String")->scalar;
    const ScalarHooks& b = schema->type("Boolean")->scalar;
    const ScalarHooks& d = schema->type("ID")->scalar;
    EXPECT_EQ(error_of([&] { return i.serialize(1.5); }), "Int cannot represent non-integer value: 1.5");
    EXPECT_EQ(error_of([&] { return i.serialize(3000000000LL); }),
              "Int cannot represent non 32-bit signed integer value: 3000000000");
    EXPECT_EQ(i.serialize("12"), json::value(12));
    EXPECT_EQ(i.serialize(" 0x10 "), json::value(16));
    EXPECT_EQ(error_of([&] { return i.serialize(""); }), "Int cannot represent non-integer value: \"\"");
    EXPECT_EQ(i.serialize(true), json::value(1));
    EXPECT_EQ(error_of([&] {
                  return i.serialize(json::object{{"a", 1}});
              }),
              "Int cannot represent non-integer value: { a: 1 }");
    EXPECT_EQ(error_of([&] {
                  return i.serialize(json::array{1, 2});
              }),
              "Int cannot represent non-integer value: [1, 2]");
    EXPECT_EQ(f.serialize("1.5e3"), json::value(1500));
    EXPECT_EQ(error_of([&] { return f.serialize("abc"); }), "Float cannot represent non numeric value: \"abc\"");
    EXPECT_EQ(f.serialize(false), json::value(0));
    EXPECT_EQ(s.serialize(1.5), json::value("1.5"));
    EXPECT_EQ(s.serialize(true), json::value("true"));
    EXPECT_EQ(error_of([&] { return s.serialize(json::object{}); }), "String cannot represent value: {}");
    EXPECT_EQ(b.serialize(0), json::value(false));
    EXPECT_EQ(error_of([&] { return b.serialize("x"); }), "Boolean cannot represent a non boolean value: \"x\"");
    EXPECT_EQ(d.serialize(12), json::value("12"));
    EXPECT_EQ(error_of([&] { return d.serialize(1.5); }), "ID cannot represent value: 1.5");
}

TEST(Scalars, ParseValueLikeGraphqlJs) {
    const SchemaPtr schema =
        std::get<SchemaPtr>(build_schema("type Query { i: Int f: Float s: String b: Boolean d: ID }"));
    EXPECT_EQ(error_of([&] { return schema->type("Int")->scalar.parse_value("1"); }),
              "Int cannot represent non-integer value: \"1\"");
    EXPECT_EQ(error_of([&] { return schema->type("Float")->scalar.parse_value(nullptr); }),
              "Float cannot represent non numeric value: null");
    EXPECT_EQ(error_of([&] { return schema->type("String")->scalar.parse_value(1); }),
              "String cannot represent a non string value: 1");
    EXPECT_EQ(error_of([&] { return schema->type("Boolean")->scalar.parse_value(1); }),
              "Boolean cannot represent a non boolean value: 1");
    EXPECT_EQ(error_of([&] { return schema->type("ID")->scalar.parse_value(true); }),
              "ID cannot represent value: true");
    EXPECT_EQ(schema->type("ID")->scalar.parse_value(7), json::value("7"));
}

TEST(Scalars, ParseLiteralLikeGraphqlJs) {
    const SchemaPtr schema =
        std::get<SchemaPtr>(build_schema("type Query { i: Int f: Float s: String b: Boolean d: ID }"));
    const auto literal_error = [&](std::string_view type, const std::string& text) {
        const Literal parsed = literal(text);
        return error_of([&] { return schema->type(type)->scalar.parse_literal(*parsed.value, nullptr); });
    };
    EXPECT_EQ(literal_error("Int", "1.5"), "Int cannot represent non-integer value: 1.5");
    EXPECT_EQ(literal_error("Int", "3000000000"), "Int cannot represent non 32-bit signed integer value: 3000000000");
    EXPECT_EQ(literal_error("Int", "\"x\""), "Int cannot represent non-integer value: \"x\"");
    EXPECT_EQ(literal_error("Float", "[1]"), "Float cannot represent non numeric value: [1]");
    EXPECT_EQ(literal_error("String", "{a: 1}"), "String cannot represent a non string value: { a: 1 }");
    EXPECT_EQ(literal_error("Boolean", "ENUM"), "Boolean cannot represent a non boolean value: ENUM");
    EXPECT_EQ(literal_error("ID", "1.5"), "ID cannot represent a non-string and non-integer value: 1.5");
    const Literal forty_two = literal("42");
    EXPECT_EQ(schema->type("ID")->scalar.parse_literal(*forty_two.value, nullptr), json::value("42"));
}

TEST(Scalars, CustomScalarsPassThroughAndReadLiteralsUntyped) {
    const SchemaPtr schema = std::get<SchemaPtr>(build_schema("scalar JSON type Query { j: JSON }"));
    const ScalarHooks& hooks = schema->type("JSON")->scalar;
    const json::value value = json::object{{"any", json::array{1, "x"}}};
    EXPECT_EQ(hooks.serialize(value), value);
    EXPECT_EQ(hooks.parse_value(value), value);
    const Literal parsed = literal(R"({a: [1, 2.5, "s", true, null, ENUM], v: $v, missing: $m})");
    const json::object variables = {{"v", "from variable"}};
    EXPECT_EQ(hooks.parse_literal(*parsed.value, &variables),
              json::parse(R"({"a":[1,2.5,"s",true,null,"ENUM"],"v":"from variable"})"));
}

}  // namespace
}  // namespace alatar::graphql
