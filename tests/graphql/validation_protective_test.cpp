// The protective rules (not part of graphql-js) and validate()'s options: limits on depth,
// aliases, directives and cost, introspection off, suggestions off, the error limit.
#include <string>

#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, MaxDepth_CountsFieldNestingThroughFragments) {
    ValidationOptions options;
    options.max_depth = 3;
    expect_valid("{ dog { owner { name } } }", options);
    expect_errors("query Deep { dog { ...F } }\nfragment F on Dog { owner { pets { name } } }",
                  {{"Query depth limit of 3 exceeded, found 4.", {{1, 1}}}}, options);
}

TEST_F(ValidationTest, MaxAliases_CountsAliasesWhereFragmentsAreSpread) {
    ValidationOptions options;
    options.max_aliases = 2;
    expect_valid("{ a: dog { n: name } }", options);
    expect_errors("{ dog { ...F ...F } }\nfragment F on Dog { a: name b: nickname }",
                  {{"Query alias limit of 2 exceeded, found 4.", {{1, 1}}}}, options);
}

TEST_F(ValidationTest, MaxDirectives_CountsEveryUse) {
    ValidationOptions options;
    options.max_directives = 1;
    expect_valid("{ dog @include(if: true) { name } }", options);
    expect_errors("{ dog @include(if: true) { name @skip(if: false) } }",
                  {{"Query directive limit of 1 exceeded, found 2.", {{1, 1}}}}, options);
}

TEST_F(ValidationTest, MaxCost_MultipliesListFieldsByPageSize) {
    const DocumentPtr defaulted = parse_ok("{ dogs { name owner { name } } }");
    ASSERT_TRUE(defaulted);
    // dogs: 1 + 10 (default page) * (name 1 + owner (1 + name 1)) = 31
    EXPECT_EQ(operation_cost(pets_schema(), *defaulted, *defaulted->definitions()[0]), 31U);
    const DocumentPtr paged = parse_ok("{ dogs(first: 5) { name owner { relatives(last: 2) { name } } } }");
    ASSERT_TRUE(paged);
    // dogs: 1 + 5 * (name 1 + owner (1 + relatives (1 + 2 * name 1))) = 26
    EXPECT_EQ(operation_cost(pets_schema(), *paged, *paged->definitions()[0]), 26U);

    ValidationOptions options;
    options.max_cost = 30;
    expect_errors("{ dogs { name owner { name } } }", {{"Query cost limit of 30 exceeded, found 31.", {{1, 1}}}},
                  options);
    options.max_cost = 31;
    expect_valid("{ dogs { name owner { name } } }", options);
}

TEST_F(ValidationTest, Introspection_OffRefusesSchemaAndTypeButNotTypename) {
    ValidationOptions options;
    options.introspection = false;
    expect_valid("{ __typename dog { __typename name } }", options);
    expect_errors(
        "{ __schema { types { name } } __type(name: \"Dog\") { name } }",
        {
            {"GraphQL introspection has been disabled, but the requested query contained the field \"__schema\".",
             {{1, 3}}},
            {"GraphQL introspection has been disabled, but the requested query contained the field \"__type\".",
             {{1, 31}}},
        },
        options);
}

TEST_F(ValidationTest, Suggestions_OffDropsDidYouMean) {
    ValidationOptions options;
    options.suggestions = false;
    expect_errors("{ dog { nam } catOrDog { name } color(c: REDD) }",
                  {
                      {"Cannot query field \"nam\" on type \"Dog\".", {{1, 9}}},
                      {"Cannot query field \"name\" on type \"CatOrDog\".", {{1, 26}}},
                      {"Value \"REDD\" does not exist in \"Color\" enum.", {{1, 42}}},
                  },
                  options);
}

std::string many_unknown_fields(int count) {
    std::string query = "{ dog {";
    for (int i = 0; i < count; ++i) {
        query += " unknown" + std::to_string(i);
    }
    return query + " } }";
}

TEST_F(ValidationTest, ErrorLimit_StopsAfterOneHundredErrors) {
    const Errors errors = run(many_unknown_fields(120));
    ASSERT_EQ(errors.size(), 101U);
    EXPECT_EQ(errors[99].message, "Cannot query field \"unknown99\" on type \"Dog\".");
    EXPECT_EQ(errors[100].message, "Too many validation errors, error limit reached. Validation aborted.");
    EXPECT_TRUE(errors[100].locations.empty());

    ValidationOptions unlimited;
    unlimited.max_errors = 0;
    EXPECT_EQ(run(many_unknown_fields(120), unlimited).size(), 120U);
}

}  // namespace
}  // namespace alatar::graphql
