// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, UniqueInputFieldNames_DistinctFields) {
    expect_valid(R"gql({ findDog(complex: {name: "a", owner: "b"}) { name } custom(arg: {a: {a: 1}, b: {a: 2}}) })gql");
}

TEST_F(ValidationTest, UniqueInputFieldNames_DuplicateFields) {
    expect_errors(
        R"gql({ findDog(complex: {name: "a", name: "b", owner: "c", name: "d"}) { name } custom(arg: {a: {x: 1, x: 2}, a: 3}) })gql",
        {
            {"There can be only one input field named \"name\".", {{1, 21}, {1, 32}}},
            {"There can be only one input field named \"name\".", {{1, 21}, {1, 55}}},
            {"There can be only one input field named \"x\".", {{1, 93}, {1, 99}}},
            {"There can be only one input field named \"a\".", {{1, 89}, {1, 106}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
