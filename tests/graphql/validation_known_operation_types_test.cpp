// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, KnownOperationTypes_SupportedOperations) {
    expect_errors(
        R"gql(query { dog { name } } mutation M { addPet(name: "x") { name } } subscription S { newDog { name } })gql",
        {
            {"This anonymous operation must be the only defined operation.", {{1, 1}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
