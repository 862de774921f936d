// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, NoUnusedVariables_AllUsed) {
    expect_errors(
        R"gql(query Q($a: Boolean, $b: Boolean) { dog { ...F isHouseTrained(atOtherHomes: $a) } }
fragment F on Dog { name @include(if: $b) })gql",
        {
            {"Variable \"$b\" of type \"Boolean\" used in position expecting type \"Boolean!\".", {{1, 22}, {2, 39}}},
        });
}

TEST_F(ValidationTest, NoUnusedVariables_UnusedInNamed) {
    expect_errors(R"gql(query Q($a: Boolean, $b: Boolean, $c: Int) { dog { isHouseTrained(atOtherHomes: $a) } })gql",
                  {
                      {"Variable \"$b\" is never used in operation \"Q\".", {{1, 22}}},
                      {"Variable \"$c\" is never used in operation \"Q\".", {{1, 35}}},
                  });
}

TEST_F(ValidationTest, NoUnusedVariables_UnusedInAnonymous) {
    expect_errors(R"gql(query ($a: Boolean) { dog { name } })gql", {
                                                                       {"Variable \"$a\" is never used.", {{1, 8}}},
                                                                   });
}

TEST_F(ValidationTest, NoUnusedVariables_UsedOnlyByOtherOperation) {
    expect_errors(R"gql(query A($a: Boolean) { dog { ...F } }
query B($b: Boolean) { dog { name } }
fragment F on Dog { isHouseTrained(atOtherHomes: $a) })gql",
                  {
                      {"Variable \"$b\" is never used in operation \"B\".", {{2, 9}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
