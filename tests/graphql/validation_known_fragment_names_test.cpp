// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, KnownFragmentNames_KnownFragments) {
    expect_valid(R"gql({ dog { ...A ... on Dog { ...B } } }
fragment A on Dog { name }
fragment B on Dog { nickname })gql");
}

TEST_F(ValidationTest, KnownFragmentNames_UnknownFragments) {
    expect_errors(R"gql({ dog { ...Unknown ... on Dog { ...AlsoUnknown } } })gql",
                  {
                      {"Unknown fragment \"Unknown\".", {{1, 12}}},
                      {"Unknown fragment \"AlsoUnknown\".", {{1, 36}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
