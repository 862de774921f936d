// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, UniqueVariableNames_DistinctNames) {
    expect_valid(
        R"gql(query Q($a: Int, $b: Int) { arguments { intArgField(intArg: $a) x: intArgField(intArg: $b) } })gql");
}

TEST_F(ValidationTest, UniqueVariableNames_DuplicateNames) {
    expect_errors(R"gql(query Q($a: Int, $b: Int, $a: String, $b: Int, $a: Boolean) { dog { name } })gql",
                  {
                      {"There can be only one variable named \"$a\".", {{1, 10}, {1, 28}, {1, 49}}},
                      {"There can be only one variable named \"$b\".", {{1, 19}, {1, 40}}},
                      {"Variable \"$a\" is never used in operation \"Q\".", {{1, 9}}},
                      {"Variable \"$b\" is never used in operation \"Q\".", {{1, 18}}},
                      {"Variable \"$a\" is never used in operation \"Q\".", {{1, 27}}},
                      {"Variable \"$b\" is never used in operation \"Q\".", {{1, 39}}},
                      {"Variable \"$a\" is never used in operation \"Q\".", {{1, 48}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
