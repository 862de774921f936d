// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, VariablesInAllowedPosition_AllowedPositions) {
    expect_valid(
        R"gql(query Q($b: Boolean!, $i: Int = 1, $l: [Boolean!], $o: String!) { arguments { nonNullBooleanArgField(nonNullBooleanArg: $b) booleanArgField(booleanArg: $b) nonNullIntArgField(nonNullIntArg: $i) optionalNonNullBooleanArgField(optionalBooleanArg: $b) } booleanList(booleanListArg: $l) oneOf(input: {a: $o}) })gql");
}

TEST_F(ValidationTest, VariablesInAllowedPosition_WrongTypes) {
    expect_errors(
        R"gql(query Q($b: Boolean, $i: Int, $s: String, $l: [Boolean]) { arguments { nonNullBooleanArgField(nonNullBooleanArg: $b) intArgField(intArg: $s) booleanListArgField(booleanListArg: $b) } booleanList(booleanListArg: $l) dog { doesKnowCommand(dogCommand: $i) } })gql",
        {
            {"Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\".", {{1, 9}, {1, 114}}},
            {"Variable \"$s\" of type \"String\" used in position expecting type \"Int\".", {{1, 31}, {1, 138}}},
            {"Variable \"$b\" of type \"Boolean\" used in position expecting type \"[Boolean]!\".", {{1, 9}, {1, 178}}},
            {"Variable \"$l\" of type \"[Boolean]\" used in position expecting type \"[Boolean!]\".",
             {{1, 43}, {1, 212}}},
            {"Variable \"$i\" of type \"Int\" used in position expecting type \"DogCommand!\".", {{1, 22}, {1, 250}}},
        });
}

TEST_F(ValidationTest, VariablesInAllowedPosition_ThroughFragments) {
    expect_errors(
        R"gql(query Q($b: Boolean) { dog { ...F } }
fragment F on Dog { ...G }
fragment G on Dog { doesKnowCommand(dogCommand: $b) name @include(if: $b) })gql",
        {
            {"Variable \"$b\" of type \"Boolean\" used in position expecting type \"DogCommand!\".", {{1, 9}, {3, 49}}},
            {"Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\".", {{1, 9}, {3, 71}}},
        });
}

TEST_F(ValidationTest, VariablesInAllowedPosition_NullableVariableInOneOf) {
    expect_errors(R"gql(query Q($a: String, $b: Int!) { oneOf(input: {a: $a}) x: oneOf(input: {b: $b}) })gql",
                  {
                      {"Variable \"$a\" is of type \"String\" but must be non-nullable to be used for OneOf Input "
                       "Object \"OneOfInput\".",
                       {{1, 9}, {1, 50}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
