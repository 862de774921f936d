// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, ProvidedRequiredArguments_AllProvided) {
    expect_valid(
        R"gql({ arguments { multipleRequirements(x: 1, y: 2) optionalNonNullBooleanArgField nonNullBooleanArgField(nonNullBooleanArg: true) } dog @include(if: true) { name } })gql");
}

TEST_F(ValidationTest, ProvidedRequiredArguments_MissingFieldArguments) {
    expect_errors(
        R"gql({ arguments { multipleRequirements(x: 1) z: multipleRequirements nonNullBooleanArgField } human { name } __type { name } })gql",
        {
            {"Argument \"Arguments.multipleRequirements(y:)\" of type \"Int!\" is required, but it was not provided.",
             {{1, 15}}},
            {"Argument \"Arguments.multipleRequirements(x:)\" of type \"Int!\" is required, but it was not provided.",
             {{1, 42}}},
            {"Argument \"Arguments.multipleRequirements(y:)\" of type \"Int!\" is required, but it was not provided.",
             {{1, 42}}},
            {"Argument \"Arguments.nonNullBooleanArgField(nonNullBooleanArg:)\" of type \"Boolean!\" is required, but "
             "it was not provided.",
             {{1, 66}}},
            {"Argument \"Query.human(id:)\" of type \"ID!\" is required, but it was not provided.", {{1, 91}}},
            {"Argument \"<meta>.__type(name:)\" of type \"String!\" is required, but it was not provided.", {{1, 106}}},
        });
}

TEST_F(ValidationTest, ProvidedRequiredArguments_MissingDirectiveArguments) {
    expect_errors(
        R"gql({ dog @include @withArg { name @skip } })gql",
        {
            {"Argument \"@include(if:)\" of type \"Boolean!\" is required, but it was not provided.", {{1, 7}}},
            {"Argument \"@withArg(req:)\" of type \"Int!\" is required, but it was not provided.", {{1, 16}}},
            {"Argument \"@skip(if:)\" of type \"Boolean!\" is required, but it was not provided.", {{1, 32}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
