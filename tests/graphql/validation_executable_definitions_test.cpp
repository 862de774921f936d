// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, ExecutableDefinitions_OnlyOperationsAndFragments) {
    expect_errors(R"gql(query Foo { dog { name } }
fragment Frag on Dog { name }
{ dog { ...Frag } })gql",
                  {
                      {"This anonymous operation must be the only defined operation.", {{3, 1}}},
                  });
}

TEST_F(ValidationTest, ExecutableDefinitions_TypeDefinitionsAreNotExecutable) {
    expect_errors(R"gql(query Foo { dog { name } }
type Cow { name: String }
extend type Dog { color: String })gql",
                  {
                      {"The \"Cow\" definition is not executable.", {{2, 1}}},
                      {"The \"Dog\" definition is not executable.", {{3, 1}}},
                  });
}

TEST_F(ValidationTest, ExecutableDefinitions_SchemaDefinitionIsNotExecutable) {
    expect_errors(R"gql({ dog { name } }
schema { query: Query }
extend schema @onQuery)gql",
                  {
                      {"The schema definition is not executable.", {{2, 1}}},
                      {"The schema definition is not executable.", {{3, 1}}},
                      {"Directive \"@onQuery\" may not be used on SCHEMA.", {{3, 15}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
