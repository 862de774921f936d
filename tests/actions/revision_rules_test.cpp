// The feedback rules of a revised proposal (revision_rules.hpp): each kind moves in the direction the merchant
// asked for, stays within the validator's rules, and says so when no rule understood the feedback.
#include "actions/revision_rules.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace alatar::actions {
namespace {

namespace json = boost::json;
using intelligence::ActionKind;
using namespace std::chrono_literals;

const intelligence::Instant kNow{std::chrono::sys_days{std::chrono::year{2026} / 3 / 1}};

json::object discount(int percentage) {
    return json::object{{"title", "Spring sale"},
                        {"code", "SPRING20"},
                        {"percentage", percentage},
                        {"scope", json::object{{"type", "ALL"}}},
                        {"startsAt", "2026-03-02T00:00:00Z"},
                        {"endsAt", "2026-03-16T00:00:00Z"}};
}

std::int64_t pct(const RevisedParameters& r) { return r.parameters.at("percentage").to_number<std::int64_t>(); }

bool valid(ActionKind kind, const RevisedParameters& r) {
    return intelligence::validate_proposal(kind, json::value(r.parameters), {.now = kNow}).ok();
}

TEST(RevisionRules, TooGenerousLowersADiscountByAtLeastFivePointsNeverBelowFive) {
    const auto r = revise_parameters(ActionKind::kCreateDiscountCode, discount(20), "too generous, go lower", kNow);
    EXPECT_TRUE(r.matched);
    EXPECT_LE(pct(r), 15);
    EXPECT_GE(pct(r), 5);
    EXPECT_TRUE(valid(ActionKind::kCreateDiscountCode, r));
    EXPECT_EQ(r.parameters.at("code"), "SPRING20-R1");
    EXPECT_NE(r.summary.find("20 % -> 15 %"), std::string::npos) << r.summary;
    EXPECT_EQ(pct(revise_parameters(ActionKind::kCreateDiscountCode, discount(8), "too much", kNow)), 5);
    EXPECT_EQ(pct(revise_parameters(ActionKind::kCreateDiscountCode, discount(60), "lower", kNow)), 45);
}

TEST(RevisionRules, HigherRaisesADiscountAtMostToNinety) {
    const auto r = revise_parameters(ActionKind::kCreateDiscountCode, discount(20), "make it bigger", kNow);
    EXPECT_TRUE(r.matched);
    EXPECT_GE(pct(r), 25);
    EXPECT_EQ(pct(revise_parameters(ActionKind::kCreateDiscountCode, discount(88), "higher", kNow)), 90);
}

TEST(RevisionRules, DatesMoveAndShrinkAsAsked) {
    const auto later = revise_parameters(ActionKind::kCreateDiscountCode, discount(20), "start next week", kNow);
    EXPECT_TRUE(later.matched);
    EXPECT_EQ(pct(later), 20);
    EXPECT_EQ(later.parameters.at("startsAt"), "2026-03-09T00:00:00Z");
    EXPECT_EQ(later.parameters.at("endsAt"), "2026-03-23T00:00:00Z");
    const auto shorter = revise_parameters(ActionKind::kCreateDiscountCode, discount(20), "shorter please", kNow);
    EXPECT_EQ(shorter.parameters.at("startsAt"), "2026-03-02T00:00:00Z");
    EXPECT_EQ(shorter.parameters.at("endsAt"), "2026-03-09T00:00:00Z");
    EXPECT_TRUE(valid(ActionKind::kCreateDiscountCode, shorter));
}

TEST(RevisionRules, APastStartMovesToTomorrowSoTheRevisionStaysValid) {
    const auto r = revise_parameters(ActionKind::kCreateDiscountCode, discount(20), "lower", kNow + 24h * 5);
    EXPECT_TRUE(valid(ActionKind::kCreateDiscountCode, r)) << json::serialize(r.parameters);
}

TEST(RevisionRules, UnmatchedFeedbackHalvesConservativelyAndSaysSo) {
    const auto r = revise_parameters(ActionKind::kCreateDiscountCode, discount(20), "hmm, not sure", kNow);
    EXPECT_FALSE(r.matched);
    EXPECT_EQ(pct(r), 10);
    const json::object price{{"productId", "gid://shopify/Product/1"},
                             {"variantId", "gid://shopify/ProductVariant/2"},
                             {"currentPrice", "20.00"},
                             {"newPrice", "23.00"}};
    const auto p = revise_parameters(ActionKind::kUpdateProductPrice, price, "no idea", kNow);
    EXPECT_FALSE(p.matched);
    EXPECT_EQ(p.parameters.at("newPrice"), "21.50");
}

TEST(RevisionRules, PriceTooMuchHalvesTheChange) {
    const json::object price{{"productId", "gid://shopify/Product/1"},
                             {"variantId", "gid://shopify/ProductVariant/2"},
                             {"currentPrice", "19.99"},
                             {"newPrice", "22.99"}};
    const auto r = revise_parameters(ActionKind::kUpdateProductPrice, price, "That is too much", kNow);
    EXPECT_TRUE(r.matched);
    EXPECT_EQ(r.parameters.at("newPrice"), "21.49");
    EXPECT_TRUE(valid(ActionKind::kUpdateProductPrice, r));
}

TEST(RevisionRules, InventoryFewerAndMore) {
    const json::object inv{{"inventoryItemId", "gid://shopify/InventoryItem/1"},
                           {"locationId", "gid://shopify/Location/1"},
                           {"currentAvailable", 3},
                           {"delta", 40},
                           {"reason", "restock"}};
    const auto fewer = revise_parameters(ActionKind::kAdjustInventory, inv, "fewer units", kNow);
    EXPECT_EQ(fewer.parameters.at("delta").to_number<std::int64_t>(), 20);
    const auto more = revise_parameters(ActionKind::kAdjustInventory, inv, "we need more", kNow);
    EXPECT_EQ(more.parameters.at("delta").to_number<std::int64_t>(), 60);
    EXPECT_TRUE(valid(ActionKind::kAdjustInventory, fewer));
}

TEST(RevisionRules, DescriptionShorterAndLonger) {
    const std::string html =
        "<p><strong>Tee</strong> by Acme.</p><ul><li>Red</li><li>Cotton</li><li>Fit</li><li>Care</li></ul>"
        "<p><em>Questions?</em></p>";
    const json::object d{{"productId", "gid://shopify/Product/1"}, {"descriptionHtml", html}};
    const auto shorter = revise_parameters(ActionKind::kUpdateProductDescription, d, "too long, simpler", kNow);
    const std::string s(shorter.parameters.at("descriptionHtml").as_string());
    EXPECT_EQ(s, "<p><strong>Tee</strong> by Acme.</p><ul><li>Red</li><li>Cotton</li></ul>");
    const auto longer = revise_parameters(ActionKind::kUpdateProductDescription, d, "make it longer", kNow);
    EXPECT_GT(longer.parameters.at("descriptionHtml").as_string().size(), html.size());
    EXPECT_TRUE(valid(ActionKind::kUpdateProductDescription, shorter));
    EXPECT_TRUE(valid(ActionKind::kUpdateProductDescription, longer));
}

TEST(RevisionRules, RevisedCodesCountUpWithinThirtyTwoCharacters) {
    EXPECT_EQ(revised_code("SPRING20"), "SPRING20-R1");
    EXPECT_EQ(revised_code("SPRING20-R1"), "SPRING20-R2");
    const auto longest = revised_code(std::string(32, 'A'));
    EXPECT_EQ(longest.size(), 32U);
    EXPECT_TRUE(longest.ends_with("-R1"));
}

}  // namespace
}  // namespace alatar::actions
