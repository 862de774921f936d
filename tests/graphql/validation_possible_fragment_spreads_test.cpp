// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, PossibleFragmentSpreads_PossibleSpreads) {
    expect_valid(
        R"gql({ dog { ...petFields ... on Pet { name } } pets { ... on Dog { barkVolume } } catOrDog { ...petFields } }
fragment petFields on Pet { name })gql");
}

TEST_F(ValidationTest, PossibleFragmentSpreads_ImpossibleSpreads) {
    expect_errors(
        R"gql({ dog { ... on Cat { meowVolume } ...catFields } sentient { ... on Dog { name } } catOrDog { ... on Human { name } ...sentientFields } }
fragment catFields on Cat { meowVolume }
fragment sentientFields on Sentient { name })gql",
        {
            {"Fragment cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\".", {{1, 9}}},
            {"Fragment \"catFields\" cannot be spread here as objects of type \"Dog\" can never be of type \"Cat\".",
             {{1, 35}}},
            {"Fragment cannot be spread here as objects of type \"Sentient\" can never be of type \"Dog\".", {{1, 61}}},
            {"Fragment cannot be spread here as objects of type \"CatOrDog\" can never be of type \"Human\".",
             {{1, 94}}},
            {"Fragment \"sentientFields\" cannot be spread here as objects of type \"CatOrDog\" can never be of type "
             "\"Sentient\".",
             {{1, 116}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
