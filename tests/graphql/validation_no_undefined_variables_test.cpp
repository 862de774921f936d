// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, NoUndefinedVariables_AllDefined) {
    expect_valid(R"gql(query Q($a: Int) { arguments { intArgField(intArg: $a) } })gql");
}

TEST_F(ValidationTest, NoUndefinedVariables_UndefinedInNamedOperation) {
    expect_errors(R"gql(query Q($a: Int) { arguments { intArgField(intArg: $b) x: intArgField(intArg: $b) } })gql",
                  {
                      {"Variable \"$b\" is not defined by operation \"Q\".", {{1, 52}, {1, 1}}},
                      {"Variable \"$b\" is not defined by operation \"Q\".", {{1, 79}, {1, 1}}},
                      {"Variable \"$a\" is never used in operation \"Q\".", {{1, 9}}},
                  });
}

TEST_F(ValidationTest, NoUndefinedVariables_UndefinedThroughFragments) {
    expect_errors(R"gql(query Q { dog { ...F } }
{ dog { ...F } }
fragment F on Dog { isHouseTrained(atOtherHomes: $home) })gql",
                  {
                      {"Variable \"$home\" is not defined by operation \"Q\".", {{3, 50}, {1, 1}}},
                      {"This anonymous operation must be the only defined operation.", {{2, 1}}},
                      {"Variable \"$home\" is not defined.", {{3, 50}, {2, 1}}},
                  });
}

TEST_F(ValidationTest, NoUndefinedVariables_UndefinedInDirectivesAndObjects) {
    expect_errors(
        R"gql(query Q @skip(if: $s) { findDog(complex: {name: $n, owner: "x"}) { name @include(if: $i) } })gql",
        {
            {"Variable \"$s\" is not defined by operation \"Q\".", {{1, 19}, {1, 1}}},
            {"Variable \"$n\" is not defined by operation \"Q\".", {{1, 49}, {1, 1}}},
            {"Variable \"$i\" is not defined by operation \"Q\".", {{1, 86}, {1, 1}}},
            {"Directive \"@skip\" may not be used on QUERY.", {{1, 9}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
