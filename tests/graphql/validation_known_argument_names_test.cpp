// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, KnownArgumentNames_KnownArguments) {
    expect_valid(
        R"gql({ dog { doesKnowCommand(dogCommand: SIT) isHouseTrained(atOtherHomes: true) @include(if: true) } })gql");
}

TEST_F(ValidationTest, KnownArgumentNames_UnknownFieldArguments) {
    expect_errors(
        R"gql({ dog { doesKnowCommand(dogCommnd: SIT, command: SIT) name(x: 1) __typename(y: 2) } })gql",
        {
            {"Unknown argument \"dogCommnd\" on field \"Dog.doesKnowCommand\". Did you mean \"dogCommand\"?",
             {{1, 25}}},
            {"Unknown argument \"command\" on field \"Dog.doesKnowCommand\". Did you mean \"dogCommand\"?", {{1, 41}}},
            {"Argument \"Dog.doesKnowCommand(dogCommand:)\" of type \"DogCommand!\" is required, but it was not "
             "provided.",
             {{1, 9}}},
            {"Unknown argument \"x\" on field \"Dog.name\".", {{1, 60}}},
            {"Unknown argument \"y\" on field \"<meta>.__typename\".", {{1, 77}}},
        });
}

TEST_F(ValidationTest, KnownArgumentNames_UnknownDirectiveArguments) {
    expect_errors(R"gql({ dog @skip(iff: true, if: true) { name @unknown(a: 1) } })gql",
                  {
                      {"Unknown argument \"iff\" on directive \"@skip\". Did you mean \"if\"?", {{1, 13}}},
                      {"Unknown directive \"@unknown\".", {{1, 41}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
