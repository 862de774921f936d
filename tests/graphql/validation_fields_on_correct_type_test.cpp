// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, FieldsOnCorrectType_KnownFields) {
    expect_valid(
        R"gql({ dog { name __typename ... on Pet { name } } catOrDog { __typename ... on Cat { meowVolume } } })gql");
}

TEST_F(ValidationTest, FieldsOnCorrectType_FieldSuggestions) {
    expect_errors(R"gql({ dog { nam barkVolum kawabunga } })gql",
                  {
                      {"Cannot query field \"nam\" on type \"Dog\". Did you mean \"name\"?", {{1, 9}}},
                      {"Cannot query field \"barkVolum\" on type \"Dog\". Did you mean \"barkVolume\"?", {{1, 13}}},
                      {"Cannot query field \"kawabunga\" on type \"Dog\".", {{1, 23}}},
                  });
}

TEST_F(ValidationTest, FieldsOnCorrectType_TypeSuggestionsOnUnion) {
    expect_errors(R"gql({ catOrDog { name nickname } dogOrHuman { name } })gql",
                  {
                      {"Cannot query field \"name\" on type \"CatOrDog\". Did you mean to use an inline fragment on "
                       "\"Pet\", \"Cat\", or \"Dog\"?",
                       {{1, 14}}},
                      {"Cannot query field \"nickname\" on type \"CatOrDog\". Did you mean to use an inline fragment "
                       "on \"Cat\" or \"Dog\"?",
                       {{1, 19}}},
                      {"Cannot query field \"name\" on type \"DogOrHuman\". Did you mean to use an inline fragment on "
                       "\"Sentient\", \"Human\", \"Pet\", or \"Dog\"?",
                       {{1, 43}}},
                  });
}

TEST_F(ValidationTest, FieldsOnCorrectType_TypeSuggestionsOnInterface) {
    expect_errors(
        R"gql({ pets { nickname meowVolume } sentient { homePlanet } })gql",
        {
            {"Cannot query field \"nickname\" on type \"Pet\". Did you mean to use an inline fragment on \"Cat\" or "
             "\"Dog\"?",
             {{1, 10}}},
            {"Cannot query field \"meowVolume\" on type \"Pet\". Did you mean to use an inline fragment on \"Cat\"?",
             {{1, 19}}},
            {"Cannot query field \"homePlanet\" on type \"Sentient\". Did you mean to use an inline fragment on "
             "\"Alien\"?",
             {{1, 43}}},
        });
}

TEST_F(ValidationTest, FieldsOnCorrectType_MetaFieldsOnlyOnQueryRoot) {
    expect_errors(
        R"gql({ dog { __schema { types { name } } __type(name: "Dog") { name } } __schema { queryType { name } } })gql",
        {
            {"Cannot query field \"__schema\" on type \"Dog\".", {{1, 9}}},
            {"Cannot query field \"__type\" on type \"Dog\".", {{1, 37}}},
        });
}

}  // namespace
}  // namespace alatar::graphql
