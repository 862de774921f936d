// The parser builds the expected AST for every definition kind, decodes strings as graphql-js
// does, and records offsets that map to graphql-js's line:column locations.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <thread>
#include <variant>
#include <vector>

#include "graphql/parser.hpp"

namespace alatar::graphql {
namespace {

using namespace std::string_view_literals;

DocumentPtr parse_ok(std::string source) {
    auto result = parse(std::move(source));
    if (auto* error = std::get_if<GraphQLError>(&result)) {
        ADD_FAILURE() << error->message;
        return nullptr;
    }
    return std::get<DocumentPtr>(result);
}

const ast::Value& first_argument_value(const Document& document) {
    return *document.definitions()[0]->selection_set->selections[0]->arguments[0].value;
}

struct StringCase {
    std::string_view literal;
    std::string_view value;
};

// Expected values as graphql-js 17 decodes them.
// clang-format off
constexpr StringCase kStrings[] = {
    {"\"\"\"\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\""sv, "Hello,\n  World!\n\nYours,\n  GraphQL."sv},
    {"\"\"\"  \n\n  a\n   b\n\n  \"\"\""sv, "a\n b"sv},
    {"\"\"\"a\\\"\"\"b\"\"\""sv, "a\"\"\"b"sv},
    {"\"\"\"\r\n  x\r  y\r\n\"\"\""sv, "x\ny"sv},
    {"\"\"\"   first\n  second\"\"\""sv, "   first\nsecond"sv},
    {"\"\"\"\t\ta\n\t\t\tb\"\"\""sv, "\t\ta\nb"sv},
    {"\"\"\"\"\"\""sv, ""sv},
    {"\"\"\"   \n   \"\"\""sv, ""sv},
    {"\"\"\"contains \" quote\"\"\""sv, "contains \" quote"sv},
    {"\"\"\"\\n raw \\u0041\"\"\""sv, "\\n raw \\u0041"sv},
    {"\"\"\"é😀\n  z\"\"\""sv, "é😀\nz"sv},
    {"\"simple\""sv, "simple"sv},
    {"\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t\""sv, "esc \" \\ / \010 \014 \n \r \t"sv},
    {"\"\\u0041\\u00e9\\u20AC\""sv, "Aé€"sv},
    {"\"\\uD83D\\uDE00\""sv, "😀"sv},
    {"\"\\u{1F600}\\u{41}\\u{0000041}\""sv, "😀AA"sv},
    {"\"é😀\""sv, "é😀"sv},
    {"\"\t tab\""sv, "\t tab"sv},
    {"\"\001\""sv, "\001"sv},
};
// clang-format on

TEST(ParserStrings, DecodeLikeGraphqlJs) {
    for (const StringCase& c : kStrings) {
        SCOPED_TRACE(std::string(c.literal));
        const DocumentPtr document = parse_ok("{ a(x: " + std::string(c.literal) + ") }");
        ASSERT_NE(document, nullptr);
        const ast::Value& value = first_argument_value(*document);
        EXPECT_EQ(value.kind, ast::ValueKind::kString);
        EXPECT_EQ(value.text, c.value);
        EXPECT_EQ(value.block_string, c.literal.substr(0, 3) == "\"\"\"");
    }
}

TEST(ParserValues, EveryValueKind) {
    const DocumentPtr document = parse_ok(
        R"({ f(a: $v, b: 12, c: -1.5e3, d: "s", e: true, f: false, g: null, h: RED, i: [1, [2]], j: {k: 1, l: {m: $w}}) })");
    ASSERT_NE(document, nullptr);
    const auto& args = document->definitions()[0]->selection_set->selections[0]->arguments;
    ASSERT_EQ(args.size(), 10U);
    EXPECT_EQ(args[0].value->kind, ast::ValueKind::kVariable);
    EXPECT_EQ(args[0].value->text, "v");
    EXPECT_EQ(args[1].value->kind, ast::ValueKind::kInt);
    EXPECT_EQ(args[1].value->text, "12");
    EXPECT_EQ(args[2].value->kind, ast::ValueKind::kFloat);
    EXPECT_EQ(args[2].value->text, "-1.5e3");
    EXPECT_EQ(args[3].value->kind, ast::ValueKind::kString);
    EXPECT_EQ(args[4].value->kind, ast::ValueKind::kBoolean);
    EXPECT_TRUE(args[4].value->boolean);
    EXPECT_FALSE(args[5].value->boolean);
    EXPECT_EQ(args[6].value->kind, ast::ValueKind::kNull);
    EXPECT_EQ(args[7].value->kind, ast::ValueKind::kEnum);
    EXPECT_EQ(args[7].value->text, "RED");
    ASSERT_EQ(args[8].value->kind, ast::ValueKind::kList);
    ASSERT_EQ(args[8].value->list.size(), 2U);
    EXPECT_EQ(args[8].value->list[1]->kind, ast::ValueKind::kList);
    ASSERT_EQ(args[9].value->kind, ast::ValueKind::kObject);
    ASSERT_EQ(args[9].value->fields.size(), 2U);
    EXPECT_EQ(args[9].value->fields[0].name.value, "k");
    EXPECT_EQ(args[9].value->fields[1].value->fields[0].value->kind, ast::ValueKind::kVariable);
    EXPECT_EQ(document->location(args[9].value->offset), (SourceLocation{1, 90}));
}

TEST(ParserExecutable, OperationsFragmentsAndSelections) {
    const DocumentPtr document = parse_ok(R"(
"Describes Q"
query Q("var" $id: ID! = "x" @d, $list: [[Int!]]!) @op(x: 1) {
  alias: field(arg: $id) @include(if: true) {
    ...Frag @s
    ... on User { name }
    ... @skip(if: false) { id }
  }
}
mutation { m }
subscription S { s }
fragment Frag on User @f { id }
{ short }
)");
    ASSERT_NE(document, nullptr);
    const auto definitions = document->definitions();
    ASSERT_EQ(definitions.size(), 5U);
    const ast::Definition& query = *definitions[0];
    EXPECT_EQ(query.kind, ast::DefinitionKind::kOperation);
    EXPECT_EQ(query.operation, ast::OperationType::kQuery);
    EXPECT_EQ(query.description, "Describes Q");
    EXPECT_EQ(query.name->value, "Q");
    EXPECT_FALSE(query.shorthand);
    EXPECT_EQ(document->location(query.offset), (SourceLocation{2, 1}));
    ASSERT_EQ(query.variable_definitions.size(), 2U);
    const ast::VariableDefinition& id = *query.variable_definitions[0];
    EXPECT_EQ(id.description, "var");
    EXPECT_EQ(id.variable.value, "id");
    EXPECT_EQ(id.type->kind, ast::TypeKind::kNonNull);
    EXPECT_EQ(id.type->of->name.value, "ID");
    EXPECT_EQ(id.default_value->text, "x");
    EXPECT_EQ(id.directives[0]->name.value, "d");
    const ast::Type& list = *query.variable_definitions[1]->type;
    EXPECT_EQ(list.kind, ast::TypeKind::kNonNull);
    EXPECT_EQ(list.of->kind, ast::TypeKind::kList);
    EXPECT_EQ(list.of->of->kind, ast::TypeKind::kList);
    EXPECT_EQ(list.of->of->of->kind, ast::TypeKind::kNonNull);
    EXPECT_EQ(list.of->of->of->of->name.value, "Int");
    EXPECT_EQ(query.directives[0]->name.value, "op");
    const ast::Selection& field = *query.selection_set->selections[0];
    EXPECT_EQ(field.kind, ast::SelectionKind::kField);
    EXPECT_EQ(field.alias->value, "alias");
    EXPECT_EQ(field.name.value, "field");
    EXPECT_EQ(field.response_key(), "alias");
    EXPECT_EQ(document->location(field.offset), (SourceLocation{4, 3}));
    EXPECT_EQ(document->location(field.name.offset), (SourceLocation{4, 10}));
    EXPECT_EQ(field.arguments[0].name.value, "arg");
    EXPECT_EQ(field.directives[0]->name.value, "include");
    EXPECT_EQ(document->location(field.directives[0]->offset), (SourceLocation{4, 26}));
    const auto& inner = field.selection_set->selections;
    ASSERT_EQ(inner.size(), 3U);
    EXPECT_EQ(inner[0]->kind, ast::SelectionKind::kFragmentSpread);
    EXPECT_EQ(inner[0]->name.value, "Frag");
    EXPECT_EQ(inner[0]->directives[0]->name.value, "s");
    EXPECT_EQ(inner[0]->selection_set, nullptr);
    EXPECT_EQ(inner[1]->kind, ast::SelectionKind::kInlineFragment);
    EXPECT_EQ(inner[1]->type_condition->value, "User");
    EXPECT_EQ(inner[2]->kind, ast::SelectionKind::kInlineFragment);
    EXPECT_FALSE(inner[2]->type_condition.has_value());
    EXPECT_EQ(inner[2]->directives[0]->name.value, "skip");

    EXPECT_EQ(definitions[1]->operation, ast::OperationType::kMutation);
    EXPECT_FALSE(definitions[1]->name.has_value());
    EXPECT_EQ(definitions[2]->operation, ast::OperationType::kSubscription);
    const ast::Definition& fragment = *definitions[3];
    EXPECT_EQ(fragment.kind, ast::DefinitionKind::kFragment);
    EXPECT_EQ(fragment.name->value, "Frag");
    EXPECT_EQ(fragment.type_condition->value, "User");
    EXPECT_EQ(fragment.directives[0]->name.value, "f");
    EXPECT_TRUE(definitions[4]->shorthand);
    EXPECT_TRUE(definitions[4]->is_executable());
}

TEST(ParserExecutable, EmptySelectionSetIsAcceptedAsGraphqlJs17Does) {
    const DocumentPtr document = parse_ok("{}");
    ASSERT_NE(document, nullptr);
    EXPECT_TRUE(document->definitions()[0]->selection_set->selections.empty());
}

TEST(ParserTypeSystem, EveryDefinitionKind) {
    const DocumentPtr document = parse_ok(R"(
"""The schema"""
schema @s { query: Q mutation: M subscription: S }
"Scalar" scalar Date @specifiedBy(url: "https://example.com")
type T implements & A & B @d {
  "field" f("arg" a: Int = 1 @x, b: [String!]): [T]! @deprecated(reason: "no")
}
interface I implements A { f: Int }
union U @u = | A | B
enum E { "v" A @deprecated B }
input In @oneOf { a: Int = 2, b: String }
"dir" directive @dir(a: Int) repeatable on FIELD | QUERY
directive @other on | SCHEMA
extend schema @e { query: Q }
extend scalar Date @x
extend type T implements C { g: Int }
extend interface I @i
extend union U = C
extend enum E { C }
extend input In { c: Int }
extend directive @dir @meta
type Empty
)");
    ASSERT_NE(document, nullptr);
    const auto d = document->definitions();
    ASSERT_EQ(d.size(), 18U);
    EXPECT_EQ(d[0]->kind, ast::DefinitionKind::kSchema);
    EXPECT_EQ(d[0]->description, "The schema");
    ASSERT_EQ(d[0]->root_operation_types.size(), 3U);
    EXPECT_EQ(d[0]->root_operation_types[1].operation, ast::OperationType::kMutation);
    EXPECT_EQ(d[0]->root_operation_types[1].type.value, "M");
    EXPECT_EQ(d[0]->directives[0]->name.value, "s");
    EXPECT_EQ(d[1]->kind, ast::DefinitionKind::kScalarType);
    EXPECT_EQ(d[1]->description, "Scalar");
    EXPECT_EQ(d[1]->directives[0]->arguments[0].value->text, "https://example.com");
    const ast::Definition& type = *d[2];
    EXPECT_EQ(type.kind, ast::DefinitionKind::kObjectType);
    ASSERT_EQ(type.interfaces.size(), 2U);
    EXPECT_EQ(type.interfaces[1].value, "B");
    const ast::FieldDefinition& f = *type.fields[0];
    EXPECT_EQ(f.description, "field");
    EXPECT_EQ(f.name.value, "f");
    ASSERT_EQ(f.arguments.size(), 2U);
    EXPECT_EQ(f.arguments[0]->description, "arg");
    EXPECT_EQ(f.arguments[0]->default_value->text, "1");
    EXPECT_EQ(f.arguments[0]->directives[0]->name.value, "x");
    EXPECT_EQ(f.type->kind, ast::TypeKind::kNonNull);
    EXPECT_EQ(f.directives[0]->name.value, "deprecated");
    EXPECT_EQ(document->location(f.offset), (SourceLocation{6, 3}));
    EXPECT_EQ(d[3]->kind, ast::DefinitionKind::kInterfaceType);
    EXPECT_EQ(d[3]->interfaces[0].value, "A");
    EXPECT_EQ(d[4]->kind, ast::DefinitionKind::kUnionType);
    ASSERT_EQ(d[4]->union_members.size(), 2U);
    EXPECT_EQ(d[5]->kind, ast::DefinitionKind::kEnumType);
    ASSERT_EQ(d[5]->enum_values.size(), 2U);
    EXPECT_EQ(d[5]->enum_values[0]->description, "v");
    EXPECT_EQ(d[5]->enum_values[0]->directives.size(), 1U);
    EXPECT_EQ(d[6]->kind, ast::DefinitionKind::kInputObjectType);
    ASSERT_EQ(d[6]->input_fields.size(), 2U);
    EXPECT_EQ(d[6]->input_fields[0]->default_value->text, "2");
    const ast::Definition& dir = *d[7];
    EXPECT_EQ(dir.kind, ast::DefinitionKind::kDirective);
    EXPECT_EQ(dir.description, "dir");
    EXPECT_TRUE(dir.repeatable);
    EXPECT_EQ(dir.input_fields.size(), 1U);
    ASSERT_EQ(dir.directive_locations.size(), 2U);
    EXPECT_EQ(dir.directive_locations[1].value, "QUERY");
    EXPECT_FALSE(d[8]->repeatable);
    for (std::size_t i = 9; i <= 16; ++i) EXPECT_TRUE(d[i]->is_extension) << i;
    EXPECT_EQ(d[9]->kind, ast::DefinitionKind::kSchema);
    EXPECT_EQ(d[11]->interfaces[0].value, "C");
    EXPECT_EQ(d[11]->fields[0]->name.value, "g");
    EXPECT_EQ(d[13]->union_members[0].value, "C");
    EXPECT_EQ(d[14]->enum_values[0]->name.value, "C");
    EXPECT_EQ(d[15]->input_fields[0]->name.value, "c");
    EXPECT_EQ(d[16]->kind, ast::DefinitionKind::kDirective);
    EXPECT_EQ(d[16]->directives[0]->name.value, "meta");
    EXPECT_FALSE(d[17]->is_extension);
    EXPECT_TRUE(d[17]->fields.empty());
    EXPECT_FALSE(d[17]->is_executable());
}

TEST(ParserLocations, CountUtf16CodeUnitsAndEveryLineTerminator) {
    // "é" is one UTF-16 unit (two bytes), "😀" two units (four bytes).
    const DocumentPtr document = parse_ok("{ a(x: \"é😀\") b }\r\n{ c }\r{ d }\n\n  { e }");
    ASSERT_NE(document, nullptr);
    const auto d = document->definitions();
    ASSERT_EQ(d.size(), 4U);
    EXPECT_EQ(document->location(d[0]->selection_set->selections[1]->offset), (SourceLocation{1, 15}));
    EXPECT_EQ(document->location(d[1]->offset), (SourceLocation{2, 1}));
    EXPECT_EQ(document->location(d[1]->selection_set->selections[0]->offset), (SourceLocation{2, 3}));
    EXPECT_EQ(document->location(d[2]->offset), (SourceLocation{3, 1}));
    EXPECT_EQ(document->location(d[3]->offset), (SourceLocation{5, 3}));
    // A block string spanning lines moves later tokens down.
    const DocumentPtr block = parse_ok("{ a(x: \"\"\"one\ntwo\r\nthree\"\"\") b }");
    ASSERT_NE(block, nullptr);
    EXPECT_EQ(block->location(block->definitions()[0]->selection_set->selections[1]->offset), (SourceLocation{3, 11}));
}

TEST(ParserLocations, ByteOrderMarkIsIgnored) {
    const DocumentPtr document = parse_ok("\xEF\xBB\xBF{ a }");
    ASSERT_NE(document, nullptr);
    EXPECT_EQ(document->location(document->definitions()[0]->offset), (SourceLocation{1, 2}));
}

TEST(ParserLimits, TokenLimitCountsLikeGraphqlJs) {
    ParseOptions options;
    options.max_tokens = 7;  // "{ a(b: 1) }" has eight tokens
    EXPECT_FALSE(std::holds_alternative<DocumentPtr>(parse("{ a(b: 1) }", options)));
    options.max_tokens = 8;
    EXPECT_TRUE(std::holds_alternative<DocumentPtr>(parse("{ a(b: 1) }", options)));
}

// Children are collected on scratch stacks shared by every nesting level: a nested list of the
// same kind must not leak into, or truncate, the list of its parent.
TEST(ParserNesting, ChildrenOfNestedNodesOfTheSameKindStayApart) {
    const DocumentPtr document = parse_ok(
        "{ a(x: [1, [2, [3, 4]], 5], y: {p: {q: {r: 1}, s: 2}, t: 3}) @d(u: 1) @e {"
        " b(z: 1) { c d(w: {k: [true]}) } e @f } g }");
    ASSERT_NE(document, nullptr);
    const auto& top = document->definitions()[0]->selection_set->selections;
    ASSERT_EQ(top.size(), 2U);
    EXPECT_EQ(top[1]->name.value, "g");
    const ast::Selection& a = *top[0];
    ASSERT_EQ(a.arguments.size(), 2U);
    const ast::Value& x = *a.arguments[0].value;
    ASSERT_EQ(x.list.size(), 3U);
    EXPECT_EQ(x.list[0]->text, "1");
    ASSERT_EQ(x.list[1]->list.size(), 2U);
    EXPECT_EQ(x.list[1]->list[0]->text, "2");
    ASSERT_EQ(x.list[1]->list[1]->list.size(), 2U);
    EXPECT_EQ(x.list[1]->list[1]->list[1]->text, "4");
    EXPECT_EQ(x.list[2]->text, "5");
    const ast::Value& y = *a.arguments[1].value;
    ASSERT_EQ(y.fields.size(), 2U);
    EXPECT_EQ(y.fields[0].name.value, "p");
    ASSERT_EQ(y.fields[0].value->fields.size(), 2U);
    EXPECT_EQ(y.fields[0].value->fields[0].value->fields[0].name.value, "r");
    EXPECT_EQ(y.fields[0].value->fields[1].name.value, "s");
    EXPECT_EQ(y.fields[1].name.value, "t");
    ASSERT_EQ(a.directives.size(), 2U);
    EXPECT_EQ(a.directives[0]->arguments.size(), 1U);
    EXPECT_TRUE(a.directives[1]->arguments.empty());
    const auto& inner = a.selection_set->selections;
    ASSERT_EQ(inner.size(), 2U);
    EXPECT_EQ(inner[0]->arguments.size(), 1U);
    ASSERT_EQ(inner[0]->selection_set->selections.size(), 2U);
    EXPECT_EQ(inner[0]->selection_set->selections[1]->arguments[0].value->fields[0].value->list.size(), 1U);
    EXPECT_EQ(inner[1]->name.value, "e");
    EXPECT_EQ(inner[1]->directives.size(), 1U);
    EXPECT_TRUE(inner[1]->arguments.empty());
}

// Runs of spaces are skipped eight at a time; tokens right after runs of every length, at the
// end of the document and after tabs and commas keep their offsets.
TEST(ParserLocations, TokensAfterRunsOfSpacesOfEveryLength) {
    for (std::size_t spaces = 0; spaces <= 20; ++spaces) {
        const std::string padding(spaces, ' ');
        const std::string source = "{\n" + padding + "a\n" + padding + ",\t" + padding + "b" + padding + "}" + padding;
        const DocumentPtr document = parse_ok(source);
        ASSERT_NE(document, nullptr) << spaces;
        const auto& selections = document->definitions()[0]->selection_set->selections;
        ASSERT_EQ(selections.size(), 2U) << spaces;
        EXPECT_EQ(document->location(selections[0]->offset),
                  (SourceLocation{2, static_cast<std::uint32_t>(spaces + 1)}));
        EXPECT_EQ(document->location(selections[1]->offset),
                  (SourceLocation{3, static_cast<std::uint32_t>(2 * spaces + 3)}));
    }
}

// The location index is built on first use; threads sharing a cached document may race to it.
TEST(ParserLocations, FirstLookupsFromManyThreadsAgree) {
    // Columns count UTF-16 code units: "é" is one, "😀" two.
    const DocumentPtr document = parse_ok("{\r\n  a\r  b(s: \"é😀\") d\n  c }");
    ASSERT_NE(document, nullptr);
    const auto& selections = document->definitions()[0]->selection_set->selections;
    ASSERT_EQ(selections.size(), 4U);
    constexpr std::size_t kThreads = 8;
    std::array<SourceLocation, kThreads> seen{};
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] { seen[i] = document->location(selections[2]->offset); });
    }
    for (auto& thread : threads) thread.join();
    for (const SourceLocation& location : seen) EXPECT_EQ(location, (SourceLocation{3, 15}));
    EXPECT_EQ(document->location(selections[3]->offset), (SourceLocation{4, 3}));
}

}  // namespace
}  // namespace alatar::graphql
