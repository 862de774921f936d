// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, SingleFieldSubscriptions_OneField) {
    expect_valid(R"gql(subscription Sub { newDog { name } })gql");
}

TEST_F(ValidationTest, SingleFieldSubscriptions_TwoFields) {
    expect_errors(R"gql(subscription Sub { newDog { name } newCat { name } })gql",
                  {
                      {"Subscription \"Sub\" must select only one top level field.", {{1, 36}}},
                  });
}

TEST_F(ValidationTest, SingleFieldSubscriptions_FieldsThroughFragments) {
    expect_errors(R"gql(subscription Sub { ...F }
fragment F on Subscription { newDog { name } newCat { name } })gql",
                  {
                      {"Subscription \"Sub\" must select only one top level field.", {{2, 46}}},
                  });
}

TEST_F(ValidationTest, SingleFieldSubscriptions_Introspection) {
    expect_errors(R"gql(subscription { __typename })gql",
                  {
                      {"Anonymous Subscription must not select an introspection top level field.", {{1, 16}}},
                  });
}

TEST_F(ValidationTest, SingleFieldSubscriptions_SkipAndInclude) {
    expect_errors(R"gql(subscription Sub { newDog @skip(if: true) { name } newCat @include(if: false) { name } })gql",
                  {
                      {"Subscription \"Sub\" must not use `@skip` or `@include` directives in the top level selection.",
                       {{1, 27}, {1, 59}}},
                  });
}

TEST_F(ValidationTest, SingleFieldSubscriptions_SameResponseKeyTwice) {
    expect_valid(R"gql(subscription { newDog { name } newDog { nickname } })gql");
}

}  // namespace
}  // namespace alatar::graphql
