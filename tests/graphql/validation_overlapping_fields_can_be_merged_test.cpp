// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, OverlappingFieldsCanBeMerged_IdenticalFields) {
    expect_valid(R"gql({ dog { name name n: name ...F } }
fragment F on Dog { name n: name doesKnowCommand(dogCommand: SIT) })gql");
}

TEST_F(ValidationTest, OverlappingFieldsCanBeMerged_DifferentFieldsSameAlias) {
    expect_errors(R"gql({ dog { name: nickname name } })gql",
                  {
                      {"Fields \"name\" conflict because \"nickname\" and \"name\" are different fields. Use different "
                       "aliases on the fields to fetch both if this was intentional.",
                       {{1, 9}, {1, 24}}},
                  });
}

TEST_F(ValidationTest, OverlappingFieldsCanBeMerged_DifferentArguments) {
    expect_errors(
        R"gql(query Q($c: DogCommand) { dog { doesKnowCommand(dogCommand: SIT) doesKnowCommand(dogCommand: HEEL) k: doesKnowCommand(dogCommand: $c) k: doesKnowCommand(dogCommand: SIT) } })gql",
        {
            {"Fields \"doesKnowCommand\" conflict because they have differing arguments. Use different aliases on the "
             "fields to fetch both if this was intentional.",
             {{1, 33}, {1, 66}}},
            {"Fields \"k\" conflict because they have differing arguments. Use different aliases on the fields to "
             "fetch both if this was intentional.",
             {{1, 100}, {1, 135}}},
            {"Variable \"$c\" of type \"DogCommand\" used in position expecting type \"DogCommand!\".",
             {{1, 9}, {1, 131}}},
        });
}

TEST_F(ValidationTest, OverlappingFieldsCanBeMerged_ConflictsThroughFragments) {
    expect_errors(R"gql({ dog { ...A ...B x: name } }
fragment A on Dog { x: name }
fragment B on Dog { x: barkVolume })gql",
                  {
                      {"Fields \"x\" conflict because \"name\" and \"barkVolume\" are different fields. Use different "
                       "aliases on the fields to fetch both if this was intentional.",
                       {{2, 21}, {3, 21}}},
                      {"Fields \"x\" conflict because \"name\" and \"barkVolume\" are different fields. Use different "
                       "aliases on the fields to fetch both if this was intentional.",
                       {{1, 19}, {3, 21}}},
                  });
}

TEST_F(ValidationTest, OverlappingFieldsCanBeMerged_MutuallyExclusiveParents) {
    expect_errors(
        R"gql({ pets { ... on Dog { name: nickname } ... on Cat { name } } catOrDog { ... on Dog { v: barkVolume } ... on Cat { v: nickname } } })gql",
        {
            {"Fields \"name\" conflict because they return conflicting types \"String\" and \"String!\". Use different "
             "aliases on the fields to fetch both if this was intentional.",
             {{1, 23}, {1, 53}}},
            {"Fields \"v\" conflict because they return conflicting types \"Int\" and \"String\". Use different "
             "aliases on the fields to fetch both if this was intentional.",
             {{1, 86}, {1, 115}}},
        });
}

TEST_F(ValidationTest, OverlappingFieldsCanBeMerged_NestedConflicts) {
    expect_errors(R"gql({ dog { owner { name x: name } owner { name: pets { name } x: __typename } } })gql",
                  {
                      {"Fields \"owner\" conflict because subfields \"name\" conflict because \"name\" and \"pets\" "
                       "are different fields and subfields \"x\" conflict because \"name\" and \"__typename\" are "
                       "different fields. Use different aliases on the fields to fetch both if this was intentional.",
                       {{1, 9}, {1, 17}, {1, 22}, {1, 32}, {1, 40}, {1, 60}}},
                  });
}

TEST_F(ValidationTest, OverlappingFieldsCanBeMerged_DeepNestedWithFragments) {
    expect_errors(R"gql({ dog { ...F owner { pets { name } } } }
fragment F on Dog { owner { pets { name: __typename } } })gql",
                  {
                      {"Fields \"owner\" conflict because subfields \"pets\" conflict because subfields \"name\" "
                       "conflict because \"name\" and \"__typename\" are different fields. Use different aliases on "
                       "the fields to fetch both if this was intentional.",
                       {{1, 14}, {1, 22}, {1, 29}, {2, 21}, {2, 29}, {2, 36}}},
                  });
}

TEST_F(ValidationTest, OverlappingFieldsCanBeMerged_ListAndNonNullDifferences) {
    expect_errors(R"gql({ catOrDog { ... on Dog { n: friends { name } } ... on Cat { n: name } } })gql",
                  {
                      {"Fields \"n\" conflict because they return conflicting types \"[Dog!]\" and \"String!\". Use "
                       "different aliases on the fields to fetch both if this was intentional.",
                       {{1, 27}, {1, 62}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
