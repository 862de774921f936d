// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, VariablesAreInputTypes_InputTypes) {
    expect_errors(R"gql(query Q($a: String, $b: [Boolean!]!, $c: ComplexInput, $d: DogCommand) { dog { name } })gql",
                  {
                      {"Variable \"$a\" is never used in operation \"Q\".", {{1, 9}}},
                      {"Variable \"$b\" is never used in operation \"Q\".", {{1, 21}}},
                      {"Variable \"$c\" is never used in operation \"Q\".", {{1, 38}}},
                      {"Variable \"$d\" is never used in operation \"Q\".", {{1, 56}}},
                  });
}

TEST_F(ValidationTest, VariablesAreInputTypes_OutputTypes) {
    expect_errors(R"gql(query Q($a: Dog, $b: [[CatOrDog!]]!, $c: Pet) { dog { name } })gql",
                  {
                      {"Variable \"$a\" is never used in operation \"Q\".", {{1, 9}}},
                      {"Variable \"$b\" is never used in operation \"Q\".", {{1, 18}}},
                      {"Variable \"$c\" is never used in operation \"Q\".", {{1, 38}}},
                      {"Variable \"$a\" cannot be non-input type \"Dog\".", {{1, 13}}},
                      {"Variable \"$b\" cannot be non-input type \"[[CatOrDog!]]!\".", {{1, 22}}},
                      {"Variable \"$c\" cannot be non-input type \"Pet\".", {{1, 42}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
