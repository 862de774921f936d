// Expected errors were produced by graphql-js 17.1.0 validate() on the same schema and documents.
#include "validation_harness.hpp"

namespace alatar::graphql {
namespace {

TEST_F(ValidationTest, DeferStream_DeferAndStreamOnQuery) {
    expect_valid(
        R"gql({ dogs @stream(initialCount: 1) { name } dog { ... @defer(label: "a") { name } ...F @defer(label: "b") } }
fragment F on Dog { nickname })gql");
}

TEST_F(ValidationTest, DeferStream_StreamOnNonListField) {
    expect_errors(R"gql({ dog @stream { name } })gql",
                  {
                      {"Directive \"@stream\" cannot be used on non-list field \"Query.dog\".", {{1, 7}}},
                  });
}

TEST_F(ValidationTest, DeferStream_DuplicateAndDynamicLabels) {
    expect_errors(
        R"gql(query Q($l: String) { dog { ... @defer(label: "a") { name } ... @defer(label: "a") { nickname } ... @defer(label: $l) { barkVolume } } })gql",
        {
            {"Value for arguments \"defer(label:)\" and \"stream(label:)\" must be unique across all Defer/Stream "
             "directive usages.",
             {{1, 33}, {1, 65}}},
            {"Argument \"@defer(label:)\" must be a static string.", {{1, 101}}},
        });
}

TEST_F(ValidationTest, DeferStream_DeferOnMutationRoot) {
    expect_errors(R"gql(mutation M { ... @defer { addPet(name: "x") { name } } })gql",
                  {
                      {"Defer directive cannot be used on root mutation type \"Mutation\".", {{1, 18}}},
                  });
}

TEST_F(ValidationTest, DeferStream_DeferInSubscription) {
    expect_errors(
        R"gql(subscription S($v: Boolean!) { newDog { ... @defer { name } ... @defer(if: $v) { nickname } ... @defer(if: false) { barkVolume } } })gql",
        {
            {"Defer directive not supported on subscription operations. Disable `@defer` by setting the `if` argument "
             "to `false`.",
             {{1, 45}}},
        });
}

TEST_F(ValidationTest, DeferStream_StreamOnSubscriptionRoot) {
    expect_errors(R"gql(subscription S { newDog @stream { name } })gql",
                  {
                      {"Stream directive cannot be used on root subscription type \"Subscription\".", {{1, 25}}},
                      {"Stream directive not supported on subscription operations. Disable `@stream` by setting the "
                       "`if` argument to `false`.",
                       {{1, 25}}},
                      {"Directive \"@stream\" cannot be used on non-list field \"Subscription.newDog\".", {{1, 25}}},
                  });
}

}  // namespace
}  // namespace alatar::graphql
