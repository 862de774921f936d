// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, LoneAnonymousOperation_SingleAnonymous) { expect_valid(R"gql({ dog { name } })gql"); }

TEST_F(ValidationTest, LoneAnonymousOperation_AnonymousWithOthers) {
    expect_errors(R"gql({ dog { name } }
query Named { dog { nickname } })gql",
                  {
                      {"This anonymous operation must be the only defined operation.", {{1, 1}}},
                  });
}

TEST_F(ValidationTest, LoneAnonymousOperation_TwoAnonymous) {
    expect_errors(R"gql({ dog { name } }
{ pets { name } })gql",
                  {
                      {"This anonymous operation must be the only defined operation.", {{1, 1}}},
                      {"This anonymous operation must be the only defined operation.", {{2, 1}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
