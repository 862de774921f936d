// build_schema and print_schema against graphql-js 17: the kitchen-sink schema below prints
// exactly as graphql-js's printSchema prints it, with its typeMap order; the Alatar API
// schema builds and round-trips.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <variant>

#include "graphql/schema.hpp"

namespace alatar::graphql {
namespace {

constexpr std::string_view kKitchenSink = R"graphql("""The kitchen sink schema"""
schema @dummy { query: Root mutation: Mutation }

directive @dummy repeatable on SCHEMA | OBJECT
"Marks things" directive @mark(
  "how much" level: Int = 1
  tags: [String!] = ["a", "b"]
) on FIELD_DEFINITION | ARGUMENT_DEFINITION

scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")
scalar JSON

interface Node { id: ID! }
interface Named implements Node { id: ID! name(full: Boolean = false): String }

"""
A person.
  Indented line.
"""
type Person implements Node & Named @dummy {
  id: ID!
  "The name" name(full: Boolean = false, "deprecated arg" style: Style @deprecated(reason: "gone")): String
  born: Date @deprecated
  oldField: Int @deprecated(reason: "Use \"born\" instead")
  friends(first: Int = 10, filter: Filter = {name: "x", kinds: [A, B], nested: {deep: [1.5, -2]}}): [Person!]! @mark(level: 2)
  tricky: String @deprecated(reason: "No longer supported")
}

type Robot implements Node { id: ID! model: String }
union Thing = | Person | Robot
enum Style { "upper" A B @deprecated C @deprecated(reason: "c is bad") }
enum Kind { A B }
input Filter { name: String = "default \"quoted\"" kinds: [Kind!] nested: Nested }
input Nested { deep: [Float] }
input Choice @oneOf { a: Int b: String }

type Root {
  node(id: ID!): Node
  things: [Thing]
  choose(choice: Choice): Boolean
  long(aVeryLongArgumentName: String = "a very long default value that goes past the limit of eighty columns"): Int
  list(values: [String] = ["aaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbb", "cccccccccccccccccc", "dddddddddddddddddd", "eeeeeeeeeeee"]): Int
}
type Mutation { touch: Boolean }
extend type Robot { serial: String }
extend union Thing = Extra
type Extra { e: Int }
extend enum Kind { C }
extend input Nested { more: Int }
extend scalar JSON @specifiedBy(url: "https://json.org")
extend interface Node @dummy2
directive @dummy2 on INTERFACE
)graphql";

// graphql-js 17.1 printSchema(buildSchema(kKitchenSink)).
constexpr std::string_view kKitchenSinkPrinted = R"graphql("""The kitchen sink schema"""
schema {
  query: Root
  mutation: Mutation
}

directive @dummy repeatable on SCHEMA | OBJECT

"""Marks things"""
directive @mark(
  """how much"""
  level: Int = 1
  tags: [String!] = ["a", "b"]
) on FIELD_DEFINITION | ARGUMENT_DEFINITION

directive @dummy2 on INTERFACE

scalar Date @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")

scalar JSON @specifiedBy(url: "https://json.org")

interface Node {
  id: ID!
}

interface Named implements Node {
  id: ID!
  name(full: Boolean = false): String
}

"""
A person.
  Indented line.
"""
type Person implements Node & Named {
  id: ID!

  """The name"""
  name(
    full: Boolean = false

    """deprecated arg"""
    style: Style @deprecated(reason: "gone")
  ): String
  born: Date @deprecated
  oldField: Int @deprecated(reason: "Use \"born\" instead")
  friends(first: Int = 10, filter: Filter = { name: "x", kinds: [A, B], nested: { deep: [1.5, -2] } }): [Person!]!
  tricky: String @deprecated
}

type Robot implements Node {
  id: ID!
  model: String
  serial: String
}

union Thing = Person | Robot | Extra

enum Style {
  """upper"""
  A
  B @deprecated
  C @deprecated(reason: "c is bad")
}

enum Kind {
  A
  B
  C
}

input Filter {
  name: String = "default \"quoted\""
  kinds: [Kind!]
  nested: Nested
}

input Nested {
  deep: [Float]
  more: Int
}

input Choice @oneOf {
  a: Int
  b: String
}

type Root {
  node(id: ID!): Node
  things: [Thing]
  choose(choice: Choice): Boolean
  long(aVeryLongArgumentName: String = "a very long default value that goes past the limit of eighty columns"): Int
  list(values: [String] = [
  "aaaaaaaaaaaaaaa"
  "bbbbbbbbbbbbbbbbbb"
  "cccccccccccccccccc"
  "dddddddddddddddddd"
  "eeeeeeeeeeee"
]): Int
}

type Mutation {
  touch: Boolean
}

type Extra {
  e: Int
})graphql";

SchemaPtr build_ok(std::string sdl) {
    auto result = build_schema(std::move(sdl));
    if (auto* errors = std::get_if<Errors>(&result)) {
        for (const GraphQLError& error : *errors) ADD_FAILURE() << error.message;
        return nullptr;
    }
    return std::get<SchemaPtr>(result);
}

TEST(SchemaBuild, KitchenSinkPrintsLikeGraphqlJs) {
    const SchemaPtr schema = build_ok(std::string(kKitchenSink));
    ASSERT_NE(schema, nullptr);
    EXPECT_EQ(print_schema(*schema), kKitchenSinkPrinted);
}

TEST(SchemaBuild, TypeMapOrderMatchesGraphqlJs) {
    const SchemaPtr schema = build_ok(std::string(kKitchenSink));
    ASSERT_NE(schema, nullptr);
    const std::vector<std::string> expected = {
        "Date",   "JSON",       "Node",    "ID",           "Named",       "String",      "Boolean",
        "Person", "Int",        "Robot",   "Thing",        "Style",       "Kind",        "Filter",
        "Nested", "Float",      "Choice",  "Root",         "Mutation",    "Extra",       "__Schema",
        "__Type", "__TypeKind", "__Field", "__InputValue", "__EnumValue", "__Directive", "__DirectiveLocation"};
    std::vector<std::string> actual;
    for (const Type* type : schema->types()) actual.push_back(type->name);
    EXPECT_EQ(actual, expected);
    // Unreferenced built-in scalars are not part of the schema, as in graphql-js.
    const SchemaPtr small = build_ok("type Query { a: String }");
    ASSERT_NE(small, nullptr);
    EXPECT_EQ(small->type("Float"), nullptr);
    EXPECT_EQ(small->type("ID"), nullptr);
    EXPECT_NE(small->type("Boolean"), nullptr);  // referenced by @include/@skip
}

TEST(SchemaBuild, KitchenSinkModel) {
    const SchemaPtr schema = build_ok(std::string(kKitchenSink));
    ASSERT_NE(schema, nullptr);
    EXPECT_EQ(schema->query_type()->name, "Root");
    EXPECT_EQ(schema->mutation_type()->name, "Mutation");
    EXPECT_EQ(schema->subscription_type(), nullptr);
    EXPECT_EQ(schema->description(), "The kitchen sink schema");
    const Type* person = schema->type("Person");
    ASSERT_NE(person, nullptr);
    EXPECT_EQ(person->kind, TypeKind::kObject);
    ASSERT_EQ(person->interfaces.size(), 2U);
    EXPECT_EQ(person->interfaces[1]->name, "Named");
    const FieldDefinition* name = person->field("name");
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(name->description, "The name");
    ASSERT_EQ(name->args.size(), 2U);
    EXPECT_EQ(name->args[1].deprecation_reason, "gone");
    EXPECT_EQ(name->args[0].default_value, boost::json::value(false));
    EXPECT_EQ(person->field("born")->deprecation_reason, "No longer supported");
    EXPECT_EQ(person->field("friends")->type->to_string(), "[Person!]!");
    EXPECT_EQ(person->field("friends")->type, schema->non_null_of(schema->list_of(schema->non_null_of(person))));
    EXPECT_EQ(person->field("missing"), nullptr);
    EXPECT_EQ(schema->type("Date")->specified_by_url, "https://tools.ietf.org/html/rfc3339");
    EXPECT_TRUE(schema->type("Choice")->one_of);
    const Type* node = schema->type("Node");
    ASSERT_EQ(schema->possible_types(*node).size(), 2U);
    EXPECT_EQ(schema->possible_types(*node)[0]->name, "Person");
    EXPECT_TRUE(schema->is_sub_type(*node, *schema->type("Named")));
    EXPECT_TRUE(schema->is_sub_type(*node, *person));
    const Type* thing = schema->type("Thing");
    EXPECT_EQ(schema->possible_types(*thing).size(), 3U);
    EXPECT_TRUE(schema->do_types_overlap(*thing, *node));
    EXPECT_FALSE(schema->do_types_overlap(*schema->type("Extra"), *node));
    EXPECT_TRUE(schema->is_type_sub_type_of(*schema->non_null_of(person), *node));
    EXPECT_FALSE(schema->is_type_sub_type_of(*schema->list_of(person), *node));
    EXPECT_EQ(schema->type("Robot")->fields.back().name, "serial");
    EXPECT_EQ(schema->type("Robot")->ast_nodes.size(), 2U);
    const DirectiveDefinition* mark = schema->directive("mark");
    ASSERT_NE(mark, nullptr);
    EXPECT_FALSE(mark->is_builtin);
    EXPECT_EQ(mark->locations, (std::vector<std::string>{"FIELD_DEFINITION", "ARGUMENT_DEFINITION"}));
    const DirectiveDefinition* deprecated = schema->directive("deprecated");
    ASSERT_NE(deprecated, nullptr);
    EXPECT_TRUE(deprecated->is_builtin);
    EXPECT_EQ(deprecated->args[0].type->to_string(), "String!");
    EXPECT_NE(schema->directive("oneOf"), nullptr);
    EXPECT_NE(schema->directive("specifiedBy"), nullptr);
    // Introspection types come with every schema.
    const Type* type_type = schema->type("__Type");
    ASSERT_NE(type_type, nullptr);
    EXPECT_NE(type_type->field("isOneOf"), nullptr);
    EXPECT_NE(schema->type("__Schema")->field("description"), nullptr);
}

TEST(SchemaBuild, WrappersAreInternedAndThreadSafe) {
    const SchemaPtr schema = build_ok("type Query { a: Int }");
    ASSERT_NE(schema, nullptr);
    const Type* integer = schema->type("Int");
    std::vector<std::thread> threads;
    std::vector<const Type*> seen(4);
    for (std::size_t i = 0; i < seen.size(); ++i) {
        threads.emplace_back([&, i] { seen[i] = schema->list_of(schema->non_null_of(integer)); });
    }
    for (std::thread& thread : threads) thread.join();
    for (const Type* type : seen) EXPECT_EQ(type, seen[0]);
    EXPECT_EQ(seen[0]->to_string(), "[Int!]");
    EXPECT_EQ(schema->non_null_of(schema->non_null_of(integer)), schema->non_null_of(integer));
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(SchemaBuild, AlatarApiSchemaBuildsAndRoundTrips) {
    const std::string sdl = read_file("../shared/design/api.graphql");
    ASSERT_FALSE(sdl.empty()) << "run from the repository root: ../shared/design/api.graphql is missing";
    const SchemaPtr schema = build_ok(sdl);
    ASSERT_NE(schema, nullptr);
    EXPECT_EQ(schema->query_type()->name, "Query");
    EXPECT_EQ(schema->mutation_type()->name, "Mutation");
    EXPECT_EQ(schema->subscription_type()->name, "Subscription");
    const std::string printed = print_schema(*schema);
    const SchemaPtr again = build_ok(printed);
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(print_schema(*again), printed);
    std::vector<std::string> names;
    for (const Type* type : schema->types()) names.push_back(type->name);
    std::vector<std::string> names_again;
    for (const Type* type : again->types()) names_again.push_back(type->name);
    EXPECT_EQ(names, names_again);
}

}  // namespace
}  // namespace alatar::graphql
