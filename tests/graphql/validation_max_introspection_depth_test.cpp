// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, MaxIntrospectionDepth_ShallowIntrospection) {
    expect_valid(R"gql({ __schema { types { fields { type { name } } } } })gql");
}

TEST_F(ValidationTest, MaxIntrospectionDepth_TooDeep) {
    expect_errors(R"gql({ __schema { types { fields { type { fields { type { fields { name } } } } } } } })gql",
                  {
                      {"Maximum introspection depth exceeded", {{1, 3}}},
                  });
}

TEST_F(ValidationTest, MaxIntrospectionDepth_TooDeepThroughFragments) {
    expect_errors(R"gql({ __type(name: "Dog") { ...A } }
fragment A on __Type { fields { type { ...B } } }
fragment B on __Type { interfaces { possibleTypes { name } } })gql",
                  {
                      {"Maximum introspection depth exceeded", {{1, 3}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
