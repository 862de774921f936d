// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, FragmentsOnCompositeTypes_CompositeConditions) {
    expect_valid(R"gql({ dog { ...D ... on Pet { name } ... { name } } catOrDog { ... on CatOrDog { __typename } } }
fragment D on Dog { name })gql");
}

TEST_F(ValidationTest, FragmentsOnCompositeTypes_ScalarConditions) {
    expect_errors(R"gql({ dog { ...S ... on Boolean { name } } }
fragment S on String { length })gql",
                  {
                      {"Fragment cannot condition on non composite type \"Boolean\".", {{1, 21}}},
                      {"Fragment \"S\" cannot condition on non composite type \"String\".", {{2, 15}}},
                  });
}

TEST_F(ValidationTest, FragmentsOnCompositeTypes_InputObjectCondition) {
    expect_errors(R"gql({ dog { ...I } }
fragment I on ComplexInput { name })gql",
                  {
                      {"Fragment \"I\" cannot condition on non composite type \"ComplexInput\".", {{2, 15}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
