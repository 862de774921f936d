// The requested-cost estimate the client paces unseen documents by (reference §3.6 rules), on hand-counted
// documents; shopify_integration_test checks it against the simulator's own calculation.
#include "shopify/cost_estimate.hpp"

#include <gtest/gtest.h>

namespace alatar::shopify {
namespace {

std::optional<std::int64_t> estimate(std::string_view document, const boost::json::object& variables = {}) {
    return estimate_requested_cost(document, variables);
}

TEST(CostEstimate, ScalarsAreFreeAndObjectsCostOne) {
    EXPECT_EQ(estimate("{ __typename }"), 0);
    EXPECT_EQ(estimate("query { shop { name currencyCode billingAddress { city } } }"), 2);
}

TEST(CostEstimate, AConnectionIsTwoPlusItsPageWithWhatEachNodeSelects) {
    // 2 + 10 + 10 x (featuredImage 1) = 22: pageInfo and the nodes themselves are part of the connection.
    EXPECT_EQ(estimate("{ products(first: 10) { nodes { id featuredImage { url } } pageInfo { hasNextPage } } }"), 22);
    // The page size from a variable, the same through edges/node, and with an alias.
    EXPECT_EQ(estimate("query($n: Int) { p: products(first: $n) { edges { node { id featuredImage { url } } } } }",
                       boost::json::object{{"n", 10}}),
              22);
}

TEST(CostEstimate, NestedConnectionsMultiplyAndListFieldsCountOnce) {
    // orders: 2 + 15 + 15 x (refunds list object 1 + totalRefundedSet 1 + shopMoney 1
    //                        + refundLineItems 2 + 10 + 10 x (lineItem 1)) = 2 + 15 + 15 x 25 = 392
    const std::string_view doc =
        "query($after: String) { orders(first: 15, after: $after, query: \"financial_status:refunded\") { nodes { id "
        "refunds(first: 10) { id totalRefundedSet { shopMoney { amount } } refundLineItems(first: 10) { nodes { "
        "quantity lineItem { id } } } } } pageInfo { hasNextPage endCursor } } }";
    EXPECT_EQ(estimate(doc), 392);
}

TEST(CostEstimate, InlineFragmentsCountTheirMostExpensiveAlternative) {
    // node 1 + max(Refund: 2 + 50, Order: 1) = 53
    EXPECT_EQ(estimate("query($id: ID!) { node(id: $id) { ... on Refund { refundLineItems(first: 50) { nodes { id } } }"
                       " ... on Order { customer { id } } } }"),
              53);
}

TEST(CostEstimate, MutationFieldsCostTen) {
    EXPECT_EQ(estimate("mutation M($input: ProductInput!) { productUpdate(input: $input) { product { id } "
                       "userErrors { field message } } }"),
              10);
}

TEST(CostEstimate, UnreadableDocumentsHaveNoEstimate) {
    EXPECT_EQ(estimate(""), std::nullopt);
    EXPECT_EQ(estimate("{ shop { name }"), std::nullopt);
    EXPECT_EQ(estimate("not graphql at all"), std::nullopt);
    EXPECT_EQ(estimate(std::string(1000, '{')), std::nullopt);  // deeper than the reader follows
}

}  // namespace
}  // namespace alatar::shopify
