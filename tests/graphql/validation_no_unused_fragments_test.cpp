// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, NoUnusedFragments_AllUsedTransitively) {
    expect_valid(R"gql({ dog { ...A } }
fragment A on Dog { ...B }
fragment B on Dog { name })gql");
}

TEST_F(ValidationTest, NoUnusedFragments_UnusedFragments) {
    expect_errors(R"gql({ dog { ...A } }
fragment A on Dog { name }
fragment Unused1 on Dog { ...Unused2 }
fragment Unused2 on Dog { name })gql",
                  {
                      {"Fragment \"Unused1\" is never used.", {{3, 1}}},
                      {"Fragment \"Unused2\" is never used.", {{4, 1}}},
                  });
}

TEST_F(ValidationTest, NoUnusedFragments_UnknownSpreadStillCountsNothing) {
    expect_errors(R"gql({ dog { ...Missing } }
fragment Lonely on Dog { name })gql",
                  {
                      {"Unknown fragment \"Missing\".", {{1, 12}}},
                      {"Fragment \"Lonely\" is never used.", {{2, 1}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
