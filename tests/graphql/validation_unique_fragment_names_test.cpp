// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, UniqueFragmentNames_DistinctNames) {
    expect_valid(R"gql({ dog { ...A ...B } }
fragment A on Dog { name }
fragment B on Dog { nickname })gql");
}

TEST_F(ValidationTest, UniqueFragmentNames_DuplicateNames) {
    expect_errors(R"gql({ dog { ...A } }
fragment A on Dog { name }
fragment A on Dog { nickname }
fragment A on Dog { barkVolume })gql",
                  {
                      {"There can be only one fragment named \"A\".", {{2, 10}, {3, 10}}},
                      {"There can be only one fragment named \"A\".", {{2, 10}, {4, 10}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
