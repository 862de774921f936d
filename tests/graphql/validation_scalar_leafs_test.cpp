// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, ScalarLeafs_LeafAndComposite) { expect_valid(R"gql({ dog { barkVolume owner { name } } })gql"); }

TEST_F(ValidationTest, ScalarLeafs_SelectionOnLeaf) {
    expect_errors(
        R"gql({ dog { barkVolume { sinceWhen } name { x } } })gql",
        {
            {"Field \"barkVolume\" must not have a selection since type \"Int\" has no subfields.", {{1, 20}}},
            {"Field \"name\" must not have a selection since type \"String!\" has no subfields.", {{1, 39}}},
        });
}

TEST_F(ValidationTest, ScalarLeafs_MissingSelection) {
    expect_errors(
        R"gql({ human(id: "1") pets dog { owner } })gql",
        {
            {"Field \"human\" of type \"Human\" must have a selection of subfields. Did you mean \"human { ... }\"?",
             {{1, 3}}},
            {"Field \"pets\" of type \"[Pet]\" must have a selection of subfields. Did you mean \"pets { ... }\"?",
             {{1, 18}}},
            {"Field \"owner\" of type \"Human\" must have a selection of subfields. Did you mean \"owner { ... }\"?",
             {{1, 29}}},
        });
}

TEST_F(ValidationTest, ScalarLeafs_SelectionOnEnum) {
    expect_errors(R"gql({ color { r } })gql",
                  {
                      {"Field \"color\" must not have a selection since type \"Color\" has no subfields.", {{1, 9}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
