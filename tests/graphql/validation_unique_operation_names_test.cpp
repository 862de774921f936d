// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, UniqueOperationNames_DistinctNames) {
    expect_valid(R"gql(query A { dog { name } } query B { dog { name } })gql");
}

TEST_F(ValidationTest, UniqueOperationNames_DuplicateNames) {
    expect_errors(R"gql(query Foo { dog { name } }
query Foo { dog { nickname } })gql",
                  {
                      {"There can be only one operation named \"Foo\".", {{1, 7}, {2, 7}}},
                  });
}

TEST_F(ValidationTest, UniqueOperationNames_DuplicateAcrossOperationTypes) {
    expect_errors(R"gql(query Foo { dog { name } }
mutation Foo { addPet(name: "x") { name } }
subscription Foo { newDog { name } })gql",
                  {
                      {"There can be only one operation named \"Foo\".", {{1, 7}, {2, 10}}},
                      {"There can be only one operation named \"Foo\".", {{1, 7}, {3, 14}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
