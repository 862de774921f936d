// Type-system errors from build_schema: the SDL rules (validateSDL) and validateSchema, with
// messages and locations exactly as graphql-js 17 reports them. The expected errors were
// produced by graphql-js (validateSDL, then validateSchema when the SDL is valid).
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "graphql/schema.hpp"

namespace alatar::graphql {
namespace {

struct ExpectedError {
    std::string message;
    std::vector<SourceLocation> locations;
};

struct Case {
    std::string sdl;
    std::vector<ExpectedError> errors;
};

// clang-format off
const std::vector<Case> kCases = {
    {"type Query { a: Int } type Query { b: Int }",
     {{"There can be only one type named \"Query\".", {{1, 6}, {1, 28}}}}},
    {"type Query { a: Foo }",
     {{"Unknown type \"Foo\".", {{1, 17}}}}},
    {"type Query { a: Strin }",
     {{"Unknown type \"Strin\". Did you mean \"String\"\?", {{1, 17}}}}},
    {"schema { query: Q } schema { query: Q } type Q { a: Int }",
     {{"Must provide only one schema definition.", {{1, 21}}},
      {"There can be only one query type in schema.", {{1, 10}, {1, 30}}}}},
    {"schema { query: Q query: Q } type Q { a: Int }",
     {{"There can be only one query type in schema.", {{1, 10}, {1, 19}}}}},
    {"type Query { a: Int a: String }",
     {{"Field \"Query.a\" can only be defined once.", {{1, 14}, {1, 21}}}}},
    {"type Query { a(x: Int, x: Int): Int }",
     {{"Argument \"Query.a(x:)\" can only be defined once.", {{1, 16}, {1, 24}}}}},
    {"enum E { A A } type Query { a: E }",
     {{"Enum value \"E.A\" can only be defined once.", {{1, 10}, {1, 12}}}}},
    {"directive @a on FIELD directive @a on FIELD type Query { a: Int }",
     {{"There can be only one directive named \"@a\".", {{1, 12}, {1, 34}}}}},
    {"type Query { a: Int @unknown }",
     {{"Unknown directive \"@unknown\".", {{1, 21}}}}},
    {"type Query @deprecated { a: Int }",
     {{"Directive \"@deprecated\" may not be used on OBJECT.", {{1, 12}}}}},
    {"type Query { a: Int @deprecated @deprecated }",
     {{"The directive \"@deprecated\" can only be used once at this location.", {{1, 21}, {1, 33}}}}},
    {"extend type Foo { a: Int } type Query { a: Int }",
     {{"Cannot extend type \"Foo\" because it is not defined.", {{1, 13}}}}},
    {"extend type Querx { b: Int } type Query { a: Int }",
     {{"Cannot extend type \"Querx\" because it is not defined. Did you mean \"Query\"\?", {{1, 13}}}}},
    {"scalar Query extend type Query { a: Int }",
     {{"Cannot extend non-object type \"Query\".", {{1, 1}, {1, 14}}}}},
    {"type Query { a: Int @deprecated(why: \"x\") }",
     {{"Unknown argument \"why\" on directive \"@deprecated\".", {{1, 33}}}}},
    {"type Query { a: Int @deprecated(reason: \"x\", reason: \"y\") }",
     {{"There can be only one argument named \"reason\".", {{1, 33}, {1, 46}}}}},
    {"directive @d(a: Int!) on FIELD_DEFINITION type Query { a: Int @d }",
     {{"Argument \"@d(a:)\" of type \"Int!\" is required, but it was not provided.", {{1, 63}}}}},
    {"scalar S @specifiedBy type Query { a: S }",
     {{"Argument \"@specifiedBy(url:)\" of type \"String!\" is required, but it was not provided.", {{1, 10}}}}},
    {"directive @d(a: In) on FIELD_DEFINITION type Query { a(x: Input = {a: 1, a: 2}): Int @d(a: {b: 1, b: 2}) } input Input { a: Int }",
     {{"Unknown type \"In\". Did you mean \"ID\" or \"Int\"\?", {{1, 17}}},
      {"There can be only one input field named \"a\".", {{1, 68}, {1, 74}}},
      {"There can be only one input field named \"b\".", {{1, 93}, {1, 99}}}}},
    {"type Query { a: Int } extend type Query { a: String }",
     {{"Field \"Query.a\" can only be defined once.", {{1, 14}, {1, 43}}}}},
    {"type Mutation { a: Int }",
     {{"Query root type must be provided.", {}}}},
    {"schema { query: In } input In { a: Int }",
     {{"Query root type must be Object type, it cannot be In.", {{1, 17}}}}},
    {"schema { query: Q mutation: Q } type Q { a: Int }",
     {{"All root types must be different, \"Q\" type is used as query and mutation root types.", {{1, 17}, {1, 29}}}}},
    {"type Query { __a: Int }",
     {{"Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 14}}}}},
    {"type Query { a: In } input In { a: Int }",
     {{"The type of Query.a must be Output Type but got: In.", {{1, 17}}}}},
    {"type Query { a(x: Query): Int }",
     {{"The type of Query.a(x:) must be Input Type but got: Query.", {{1, 19}}}}},
    {"type Query implements Query { a: Int }",
     {{"Type Query must only implement Interface types, it cannot implement Query.", {{1, 23}}}}},
    {"type Query implements I { a: Int } interface I { b: String }",
     {{"Interface field I.b expected but Query does not provide it.", {{1, 50}, {1, 1}}}}},
    {"type Query implements I { a: Int } interface I { a: String }",
     {{"Interface field I.a expects type String but Query.a is type Int.", {{1, 53}, {1, 30}}}}},
    {"type Query implements I { a(x: Int): Int } interface I { a(x: String): Int }",
     {{"Interface field argument I.a(x:) expects type String but Query.a(x:) is type Int.", {{1, 63}, {1, 32}}}}},
    {"type Query implements I { a: Int } interface I { a(x: String): Int }",
     {{"Interface field argument I.a(x:) expected but Query.a does not provide it.", {{1, 52}, {1, 27}}}}},
    {"type Query implements I { a(y: Int!): Int } interface I { a: Int }",
     {{"Argument \"Query.a(y:)\" must not be required type \"Int!\" if not provided by the Interface field \"I.a\".", {{1, 29}, {1, 59}}}}},
    {"type Query implements I & J { a: Int } interface I implements J { a: Int } interface J { a: Int }",
     {}},
    {"type Query implements I { a: Int } interface I implements J { a: Int } interface J { a: Int }",
     {{"Type Query must implement J because it is implemented by I.", {{1, 59}, {1, 23}}}}},
    {"type Query implements I & I { a: Int } interface I { a: Int }",
     {{"Type Query can only implement I once.", {{1, 23}, {1, 27}}}}},
    {"type Query implements S { a: Int } scalar S",
     {{"Type Query must only implement Interface types, it cannot implement S.", {{1, 23}}}}},
    {"union U = Query | S type Query { u: U } scalar S",
     {{"Union type U can only include Object types, it cannot include S.", {{1, 19}}}}},
    {"union U = Query | Query type Query { u: U }",
     {{"Union type U can only include type Query once.", {{1, 11}, {1, 19}}}}},
    {"union U type Query { u: U }",
     {{"Union type U must define one or more member types.", {{1, 1}}}}},
    {"enum E type Query { e: E }",
     {{"Enum type E must define one or more values.", {{1, 1}}}}},
    {"input I type Query { a(i: I): Int }",
     {{"Input Object type I must define one or more fields.", {{1, 1}}}}},
    {"input I { a: Query } type Query { a(i: I): Int }",
     {{"The type of I.a must be Input Type but got: Query.", {{1, 14}}}}},
    {"input I @oneOf { a: Int!, b: Int = 3 } type Query { a(i: I): Int }",
     {{"OneOf input field I.a must be nullable.", {{1, 21}}},
      {"OneOf input field I.b cannot have a default value.", {{1, 27}}}}},
    {"input A { b: B! } input B { a: A! } type Query { a(x: A): Int }",
     {{"Input Object A cannot be provided a finite value because it references itself through fields: A.b, B.a.", {{1, 11}, {1, 29}}}}},
    {"input A { a: A! } type Query { a(x: A): Int }",
     {{"Input Object A cannot be provided a finite value because it references itself through fields: A.a.", {{1, 11}}}}},
    {"type Query { a(x: Int! @deprecated): Int }",
     {{"Required argument Query.a(x:) cannot be deprecated.", {{1, 24}, {1, 19}}}}},
    {"input I { a: Int! @deprecated } type Query { a(i: I): Int }",
     {{"Required input field I.a cannot be deprecated.", {{1, 19}, {1, 14}}}}},
    {"type Query implements I { a: Int @deprecated } interface I { a: Int }",
     {{"Interface field I.a is not deprecated, so implementation field Query.a must not be deprecated.", {{1, 34}, {1, 30}}}}},
    {"type Query { a(x: Int = \"s\"): Int }",
     {{"Query.a(x:) has invalid default value: Int cannot represent non-integer value: \"s\"", {{1, 25}}}}},
    {"type Query { a(x: [Int] = [1, \"s\"]): Int }",
     {{"Query.a(x:) has invalid default value at [1]: Int cannot represent non-integer value: \"s\"", {{1, 31}}}}},
    {"interface I { a: Int } type Query { a: Int }",
     {}},
    {"type Query { a: Int } extend schema @foo",
     {{"Unknown directive \"@foo\".", {{1, 37}}}}},
    {"type Query { a: Int } directive @__d on FIELD",
     {{"Name \"__d\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 23}}}}},
    {"type Query { a: Int } type __Bad { a: Int }",
     {{"Name \"__Bad\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 23}}}}},
    {"enum E { __A } type Query { e: E }",
     {{"Name \"__A\" must not begin with \"__\", which is reserved by GraphQL introspection.", {{1, 10}}}}},
};
// clang-format on

TEST(SchemaValidation, ErrorsMatchGraphqlJs) {
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.sdl);
        auto result = build_schema(c.sdl);
        if (c.errors.empty()) {
            EXPECT_TRUE(std::holds_alternative<SchemaPtr>(result));
            continue;
        }
        ASSERT_TRUE(std::holds_alternative<Errors>(result));
        const Errors& errors = std::get<Errors>(result);
        ASSERT_EQ(errors.size(), c.errors.size()) << errors.front().message;
        for (std::size_t i = 0; i < errors.size(); ++i) {
            EXPECT_EQ(errors[i].message, c.errors[i].message);
            EXPECT_EQ(errors[i].locations, c.errors[i].locations) << errors[i].message;
        }
    }
}

TEST(SchemaValidation, SyntaxErrorIsTheOnlyError) {
    auto result = build_schema("type Query { a: }");
    ASSERT_TRUE(std::holds_alternative<Errors>(result));
    const Errors& errors = std::get<Errors>(result);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].message, "Syntax Error: Expected Name, found \"}\".");
    EXPECT_EQ(errors[0].locations, (std::vector<SourceLocation>{{1, 17}}));
}

}  // namespace
}  // namespace alatar::graphql
