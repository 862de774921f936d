// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, KnownTypeNames_KnownTypes) {
    expect_errors(
        R"gql(query Q($a: String, $b: [Boolean!]) { dog { ... on Pet { name } } booleanList(booleanListArg: $b) custom(arg: $a) })gql",
        {
            {"Variable \"$a\" of type \"String\" used in position expecting type \"Custom\".", {{1, 9}, {1, 111}}},
        });
}

TEST_F(ValidationTest, KnownTypeNames_UnknownTypes) {
    expect_errors(
        R"gql(query Q($a: Strng, $b: [Doog!]) { dog { ... on Pett { name } ...F } booleanList(booleanListArg: $b) custom(arg: $a) }
fragment F on Cow { name })gql",
        {
            {"Unknown type \"Strng\". Did you mean \"String\"?", {{1, 13}}},
            {"Unknown type \"Doog\". Did you mean \"Dog\"?", {{1, 25}}},
            {"Unknown type \"Pett\". Did you mean \"Pet\"?", {{1, 48}}},
            {"Unknown type \"Cow\". Did you mean \"Cat\" or \"Dog\"?", {{2, 15}}},
        });
}

TEST_F(ValidationTest, KnownTypeNames_UnknownTypesInSdl) {
    expect_errors(R"gql(type Foo implements Bar { a: Strin b: String }
{ dog { name } })gql",
                  {
                      {"The \"Foo\" definition is not executable.", {{1, 1}}},
                      {"Unknown type \"Bar\". Did you mean \"Cat\"?", {{1, 21}}},
                      {"Unknown type \"Strin\". Did you mean \"String\"?", {{1, 30}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
