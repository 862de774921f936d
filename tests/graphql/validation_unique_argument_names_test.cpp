// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, UniqueArgumentNames_DistinctArguments) {
    expect_valid(R"gql({ arguments { multipleRequirements(x: 1, y: 2) } })gql");
}

TEST_F(ValidationTest, UniqueArgumentNames_DuplicateArguments) {
    expect_errors(
        R"gql({ arguments { multipleRequirements(x: 1, y: 2, x: 3, y: 4, x: 5) } dog @skip(if: true, if: false) { name } })gql",
        {
            {"There can be only one argument named \"x\".", {{1, 36}, {1, 48}, {1, 60}}},
            {"There can be only one argument named \"y\".", {{1, 42}, {1, 54}}},
            {"There can be only one argument named \"if\".", {{1, 78}, {1, 88}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
