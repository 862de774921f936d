// The proposal validator: every rule, and the HTML allow-list.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "intelligence/fixtures.hpp"
#include "intelligence/html_sanitizer.hpp"
#include "intelligence/proposal_validator.hpp"

namespace alatar::intelligence {
namespace {

const ValidationContext kCtx{testing::at("2025-01-10T12:00:00Z")};

ValidationResult check(ActionKind kind, std::string_view json) {
    return validate_proposal(kind, boost::json::parse(json), kCtx);
}

constexpr std::string_view kGoodDiscount = R"({"title":"Clear the caps","code":"CAPS-20","percentage":20,
  "scope":{"type":"PRODUCTS","productIds":["gid://shopify/Product/3"]},
  "startsAt":"2025-01-11T00:00:00Z","endsAt":"2025-01-25T00:00:00Z","usageLimit":100})";

boost::json::object good_discount() { return boost::json::parse(kGoodDiscount).as_object(); }

ValidationResult discount_with(std::string_view key, boost::json::value v) {
    auto p = good_discount();
    p[key] = std::move(v);
    return validate_proposal(ActionKind::kCreateDiscountCode, p, kCtx);
}

TEST(ValidatorTest, KindNamesRoundTrip) {
    for (auto kind :
         {ActionKind::kCreateDiscountCode, ActionKind::kUpdateProductDescription, ActionKind::kUpdateProductPrice,
          ActionKind::kAdjustInventory, ActionKind::kDraftMarketingEmail}) {
        EXPECT_EQ(parse_action_kind(action_kind_name(kind)), kind);
    }
    EXPECT_FALSE(parse_action_kind("DELETE_STORE").has_value());
}

TEST(ValidatorTest, ParametersMustBeAnObject) {
    EXPECT_TRUE(check(ActionKind::kCreateDiscountCode, "[1]").violates(rule::kParametersObject));
}

TEST(ValidatorTest, GoodDiscountPasses) {
    const auto r = check(ActionKind::kCreateDiscountCode, kGoodDiscount);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.violations[0].rule + " " + r.violations[0].field);
    EXPECT_EQ(r.parameters.at("code").as_string(), "CAPS-20");
}

TEST(ValidatorTest, DiscountPercentageRange) {
    EXPECT_TRUE(discount_with("percentage", 0.5).violates(rule::kDiscountPercentageRange));
    EXPECT_TRUE(discount_with("percentage", 91).violates(rule::kDiscountPercentageRange));
    EXPECT_TRUE(discount_with("percentage", 1).ok());
    EXPECT_TRUE(discount_with("percentage", 90).ok());
    EXPECT_TRUE(discount_with("percentage", "20").violates(rule::kFieldType));
}

TEST(ValidatorTest, DiscountCodeFormat) {
    EXPECT_TRUE(discount_with("code", "abc1").violates(rule::kDiscountCodeFormat));
    EXPECT_TRUE(discount_with("code", "ABC").violates(rule::kDiscountCodeFormat));
    EXPECT_TRUE(discount_with("code", boost::json::string(33, 'A')).violates(rule::kDiscountCodeFormat));
    EXPECT_TRUE(discount_with("code", "SAVE 10").violates(rule::kDiscountCodeFormat));
    EXPECT_TRUE(discount_with("code", boost::json::string(32, 'A')).ok());
}

TEST(ValidatorTest, DiscountDatesInTheFutureAndOrdered) {
    EXPECT_TRUE(discount_with("startsAt", "2025-01-10T11:00:00Z").violates(rule::kDiscountStartsInFuture));
    EXPECT_TRUE(discount_with("endsAt", "2025-01-10T23:00:00Z").violates(rule::kDiscountEndsAfterStart));
    EXPECT_TRUE(discount_with("endsAt", "2025-01-01T00:00:00Z").violates(rule::kDiscountStartsInFuture));
    EXPECT_TRUE(discount_with("startsAt", "next tuesday").violates(rule::kFieldType));
}

TEST(ValidatorTest, DiscountScopeAndUsageLimit) {
    EXPECT_TRUE(discount_with("scope", boost::json::parse(R"({"type":"ALL"})")).ok());
    EXPECT_TRUE(discount_with("scope", boost::json::parse(R"({"type":"SOME"})")).violates(rule::kDiscountScope));
    EXPECT_TRUE(discount_with("scope", boost::json::parse(R"({"type":"PRODUCTS","productIds":[]})"))
                    .violates(rule::kDiscountScope));
    EXPECT_TRUE(discount_with("scope", boost::json::parse(R"({"type":"PRODUCTS","productIds":["42"]})"))
                    .violates(rule::kIdFormat));
    EXPECT_TRUE(discount_with("usageLimit", 0).violates(rule::kDiscountUsageLimit));
}

TEST(ValidatorTest, RequiredAndUnknownFields) {
    auto p = good_discount();
    p.erase("code");
    p["sneaky"] = true;
    const auto r = validate_proposal(ActionKind::kCreateDiscountCode, p, kCtx);
    EXPECT_TRUE(r.violates(rule::kFieldRequired));
    EXPECT_TRUE(r.violates(rule::kFieldUnknown));
    EXPECT_EQ(r.violations.size(), 2u);
    EXPECT_TRUE(discount_with("title", "").violates(rule::kTextLength));
}

TEST(ValidatorTest, DescriptionIsSanitized) {
    const auto r = check(ActionKind::kUpdateProductDescription,
                         R"({"productId":"gid://shopify/Product/3","descriptionHtml":
                           "<p class=\"x\" onclick=\"evil()\">Warm <b>wool</b> <strong>cap</strong></p><script>alert(1)</script><ul><li><em>Soft</em></li></ul><img src=x onerror=alert(1)><a href=\"javascript:x\">link</a>"})");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.parameters.at("descriptionHtml").as_string(),
              "<p>Warm wool <strong>cap</strong></p><ul><li><em>Soft</em></li></ul>link");
    EXPECT_TRUE(check(ActionKind::kUpdateProductDescription,
                      R"({"productId":"gid://shopify/Product/3","descriptionHtml":"<script>x</script>  <p> </p>"})")
                    .violates(rule::kHtmlEmpty));
    EXPECT_TRUE(check(ActionKind::kUpdateProductDescription, R"({"productId":"3","descriptionHtml":"<p>x</p>"})")
                    .violates(rule::kIdFormat));
    boost::json::object big{{"productId", "gid://shopify/Product/3"},
                            {"descriptionHtml", std::string(kMaxHtmlBytes + 1, 'a')}};
    EXPECT_TRUE(validate_proposal(ActionKind::kUpdateProductDescription, big, kCtx).violates(rule::kHtmlTooLong));
}

TEST(ValidatorTest, SanitizerEscapesTextAndKeepsOnlyTheAllowList) {
    EXPECT_EQ(sanitize_html("a &lt;b&gt; &amp; c"), "a &lt;b&gt; &amp; c");
    EXPECT_EQ(sanitize_html("<P STYLE='x'>Hi</P><!-- c --><style>p{}</style>"), "<p>Hi</p>");
    EXPECT_EQ(sanitize_html("<div><h1>Title</h1><p>Body</p></div>"), "Title<p>Body</p>");
    EXPECT_EQ(html_text("<p>Two</p><p>words</p>"), "Two words");
}

ValidationResult price(std::string_view current, std::string_view next, bool confirmed = false) {
    boost::json::object p{{"productId", "gid://shopify/Product/1"},
                          {"variantId", "gid://shopify/ProductVariant/11"},
                          {"currentPrice", current},
                          {"newPrice", next}};
    if (confirmed) p["confirmed"] = true;
    return validate_proposal(ActionKind::kUpdateProductPrice, p, kCtx);
}

TEST(ValidatorTest, PriceRules) {
    EXPECT_TRUE(price("20.00", "22.00").ok());
    EXPECT_TRUE(price("20.00", "30.00").ok());  // +50 % exactly
    EXPECT_TRUE(price("20.00", "10.00").ok());  // -50 % exactly
    EXPECT_TRUE(price("20.00", "30.01").violates(rule::kPriceChangeLimit));
    EXPECT_TRUE(price("20.00", "9.99").violates(rule::kPriceChangeLimit));
    EXPECT_TRUE(price("20.00", "45.00", true).ok());
    EXPECT_TRUE(price("20.00", "0").violates(rule::kPricePositive));
    EXPECT_TRUE(price("20.00", "-1").violates(rule::kPriceFormat));
    EXPECT_TRUE(price("20.00", "1.2345").violates(rule::kPriceFormat));
    EXPECT_TRUE(price("20.00", "20").violates(rule::kPriceUnchanged));
    EXPECT_EQ(parse_decimal_milli("19.99"), 19990);
    EXPECT_EQ(format_decimal(1999, 2), "19.99");
    EXPECT_EQ(format_decimal(-5, 2), "-0.05");
    EXPECT_EQ(format_decimal(1500, 0), "1500");
}

ValidationResult inventory(std::int64_t current, std::int64_t delta, std::string_view reason = "restock") {
    boost::json::object p{{"inventoryItemId", "gid://shopify/InventoryItem/111"},
                          {"locationId", "gid://shopify/Location/1"},
                          {"currentAvailable", current},
                          {"delta", delta},
                          {"reason", reason}};
    return validate_proposal(ActionKind::kAdjustInventory, p, kCtx);
}

TEST(ValidatorTest, InventoryRules) {
    EXPECT_TRUE(inventory(0, 40).ok());
    EXPECT_TRUE(inventory(5, -5, "correction").ok());
    EXPECT_TRUE(inventory(5, -6, "correction").violates(rule::kInventoryNonNegative));
    EXPECT_TRUE(inventory(5, 0).violates(rule::kInventoryDeltaNonZero));
    EXPECT_TRUE(inventory(5, 1, "because").violates(rule::kInventoryReason));
}

TEST(ValidatorTest, EmailRules) {
    constexpr std::string_view kGood = R"({"subject":"We miss you","bodyHtml":"<p>Come back</p>",
        "audience":{"segment":"lapsed_customers","customerCount":12},"discountCode":"COMEBACK15"})";
    const auto good = check(ActionKind::kDraftMarketingEmail, kGood);
    EXPECT_TRUE(good.ok());
    auto p = boost::json::parse(kGood).as_object();
    p["audience"] = boost::json::parse(R"({"segment":"everyone_ever"})");
    p["subject"] = std::string(151, 'x');
    p["discountCode"] = "x";
    const auto bad = validate_proposal(ActionKind::kDraftMarketingEmail, p, kCtx);
    EXPECT_TRUE(bad.violates(rule::kEmailAudience));
    EXPECT_TRUE(bad.violates(rule::kTextLength));
    EXPECT_TRUE(bad.violates(rule::kDiscountCodeFormat));
}

TEST(ValidatorTest, GidFormat) {
    EXPECT_TRUE(is_gid("gid://shopify/Product/42", "Product"));
    EXPECT_FALSE(is_gid("gid://shopify/Product/", "Product"));
    EXPECT_FALSE(is_gid("gid://shopify/ProductVariant/42", "Product"));
    EXPECT_FALSE(is_gid("gid://shopify/Product/4x", "Product"));
}

}  // namespace
}  // namespace alatar::intelligence
