// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, KnownDirectives_KnownDirectivesInPlace) {
    expect_valid(
        R"gql(query Q($v: Boolean!) @onQuery { dog @include(if: $v) { name @skip(if: false) @onField } ...F @skip(if: $v) }
fragment F on Query { pets { name } })gql");
}

TEST_F(ValidationTest, KnownDirectives_UnknownDirectives) {
    expect_errors(R"gql({ dog @unknown { name @what(x: 1) } })gql", {
                                                                        {"Unknown directive \"@unknown\".", {{1, 7}}},
                                                                        {"Unknown directive \"@what\".", {{1, 23}}},
                                                                    });
}

TEST_F(ValidationTest, KnownDirectives_MisplacedDirectives) {
    expect_errors(R"gql(query Q($v: Int @onField) @onField { dog @onQuery { ... @onField { name } } }
mutation M @onQuery { addPet(name: "x") @deprecated { name } })gql",
                  {
                      {"Variable \"$v\" is never used in operation \"Q\".", {{1, 9}}},
                      {"Directive \"@onField\" may not be used on VARIABLE_DEFINITION.", {{1, 17}}},
                      {"Directive \"@onField\" may not be used on QUERY.", {{1, 27}}},
                      {"Directive \"@onQuery\" may not be used on FIELD.", {{1, 42}}},
                      {"Directive \"@onField\" may not be used on INLINE_FRAGMENT.", {{1, 57}}},
                      {"Directive \"@onQuery\" may not be used on MUTATION.", {{2, 12}}},
                      {"Directive \"@deprecated\" may not be used on FIELD.", {{2, 41}}},
                  });
}

TEST_F(ValidationTest, KnownDirectives_DirectiveDefinedInDocument) {
    expect_errors(R"gql(directive @local on FIELD
{ dog { name @local } })gql",
                  {
                      {"The \"local\" definition is not executable.", {{1, 1}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
