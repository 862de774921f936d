// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, UniqueDirectivesPerLocation_DistinctDirectives) {
    expect_valid(R"gql({ dog @onField @include(if: true) { name @onField } })gql");
}

TEST_F(ValidationTest, UniqueDirectivesPerLocation_RepeatableAllowed) {
    expect_valid(R"gql({ dog @rep @rep { name } })gql");
}

TEST_F(ValidationTest, UniqueDirectivesPerLocation_DuplicateDirectives) {
    expect_errors(
        R"gql({ dog @onField @onField @onField { name @skip(if: true) @skip(if: false) } ... @skip(if: true) @skip(if: true) { dog { name } } })gql",
        {
            {"The directive \"@onField\" can only be used once at this location.", {{1, 7}, {1, 16}}},
            {"The directive \"@onField\" can only be used once at this location.", {{1, 7}, {1, 25}}},
            {"The directive \"@skip\" can only be used once at this location.", {{1, 41}, {1, 57}}},
            {"The directive \"@skip\" can only be used once at this location.", {{1, 80}, {1, 96}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
