#include "shopify/query_signature.hpp"

#include <gtest/gtest.h>

namespace alatar::shopify {
namespace {

constexpr const char* kDocsQuery =
    "code=0907a61c0c8d55e99db179b68161bc00&hmac=4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20"
    "&shop=some-shop.myshopify.com&timestamp=1337178173";

TEST(QuerySignature, ShopifyDocsVector) {
    const auto params = parse_query_string(kDocsQuery);
    EXPECT_EQ(signed_message(params),
              "code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&timestamp=1337178173");
    EXPECT_EQ(sign_query("hush", params), "4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20");
    EXPECT_TRUE(verify_query_signature("hush", params));
}

TEST(QuerySignature, DocsVectorWithStateSortsBetweenShopAndTimestamp) {
    // Parameters arrive in any order; the signature is over the sorted set.
    const auto params = parse_query_string(
        "timestamp=1337178173&state=0.6784241404160823&shop=some-shop.myshopify.com&code="
        "0907a61c0c8d55e99db179b68161bc00");
    EXPECT_EQ(sign_query("hush", params), "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf");
}

TEST(QuerySignature, UppercaseHexIsAccepted) {
    auto params = parse_query_string(kDocsQuery);
    for (auto& [k, v] : params) {
        if (k == "hmac") {
            for (auto& c : v) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    EXPECT_TRUE(verify_query_signature("hush", params));
}

TEST(QuerySignature, TamperedVariantsAreRefused) {
    EXPECT_FALSE(verify_query_signature("wrong", parse_query_string(kDocsQuery)));
    const std::string base = kDocsQuery;
    // A changed value.
    std::string changed = base;
    changed.replace(changed.find("1337178173"), 10, "1337178174");
    EXPECT_FALSE(verify_query_signature("hush", parse_query_string(changed)));
    // An added parameter.
    EXPECT_FALSE(verify_query_signature("hush", parse_query_string(base + "&extra=1")));
    // A removed parameter.
    std::string removed = base;
    removed.erase(removed.find("&timestamp"), std::string("&timestamp=1337178173").size());
    EXPECT_FALSE(verify_query_signature("hush", parse_query_string(removed)));
    // No hmac at all, an empty one, two of them.
    std::string no_hmac = base;
    no_hmac.erase(no_hmac.find("&hmac"), std::string("&hmac=").size() + 64);
    EXPECT_FALSE(verify_query_signature("hush", parse_query_string(no_hmac)));
    EXPECT_FALSE(verify_query_signature("hush", parse_query_string(no_hmac + "&hmac=")));
    EXPECT_FALSE(verify_query_signature(
        "hush", parse_query_string(base + "&hmac=4712bf92ffc2917d15a2f5a273e39f0116667419aa4b6ac0b3baaf26fa3c4d20")));
    // A value moved to another key (same bytes, different pairs).
    EXPECT_FALSE(verify_query_signature(
        "hush",
        parse_query_string("code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&timestamp=1337178173"
                           "&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf")));
    // A truncated signature.
    std::string truncated = base;
    truncated.erase(truncated.find("4d20"), 4);
    EXPECT_FALSE(verify_query_signature("hush", parse_query_string(truncated)));
}

TEST(QuerySignature, EscapingFollowsUrlSearchParamsWithPercentTwenty) {
    const auto params = parse_query_string("b=x%20y+z&a=%26%3D%25&c=%E2%82%AC*-._~");
    EXPECT_EQ(signed_message(params), "a=%26%3D%25&b=x%20y%20z&c=%E2%82%AC*-._%7E");
    // Repeated keys are joined with ',' (which is itself escaped), in arrival order.
    EXPECT_EQ(signed_message(parse_query_string("ids=2&ids=1&signature=zz")), "ids=2%2C1");
}

TEST(QuerySignature, ParsingDecodesAndKeepsOrder) {
    const auto params = parse_query_string("?a=1&&b=%41%zz&c");
    ASSERT_EQ(params.size(), 3U);
    EXPECT_EQ(params[1].second, "A%zz");
    EXPECT_EQ(params[2].first, "c");
    bool found = false;
    EXPECT_EQ(query_param(params, "b", &found), "A%zz");
    EXPECT_TRUE(found);
    EXPECT_EQ(query_param(params, "missing", &found), "");
    EXPECT_FALSE(found);
}

}  // namespace
}  // namespace alatar::shopify
