#pragma once
// The single source of truth for action proposal parameters: the recommendation rules check what they
// propose with it, and the action executor re-validates approved parameters with the same function.
//
// Parameters per kind (JSON object; unknown fields are rejected):
//   CREATE_DISCOUNT_CODE        {title, code, percentage, scope:{type:"ALL"|"PRODUCTS", productIds?:[gid]},
//                                startsAt, endsAt, usageLimit?, appliesOncePerCustomer?}
//   UPDATE_PRODUCT_DESCRIPTION  {productId, descriptionHtml}
//   UPDATE_PRODUCT_PRICE        {productId, variantId, currentPrice, newPrice, confirmed?}   (Decimal strings)
//   ADJUST_INVENTORY            {inventoryItemId, locationId, currentAvailable, delta, reason}
//   DRAFT_MARKETING_EMAIL       {subject, previewText?, bodyHtml, audience:{segment, customerCount?},
//                                discountCode?}
// Rules (Violation::rule names them; docs/metrics.md lists them):
//   discount 1-90 %, dates in the future and ordered, code [A-Z0-9_-]{4,32}, HTML reduced to the
//   allow-list of html_sanitizer.hpp, price positive and within +-50 % of the current price unless
//   confirmed, inventory never below zero.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intelligence/store_data.hpp"

namespace alatar::intelligence {

enum class ActionKind {
    kCreateDiscountCode,
    kUpdateProductDescription,
    kUpdateProductPrice,
    kAdjustInventory,
    kDraftMarketingEmail
};

// "CREATE_DISCOUNT_CODE", ... (the GraphQL ActionKind enum values).
std::string_view action_kind_name(ActionKind kind) noexcept;
std::optional<ActionKind> parse_action_kind(std::string_view name) noexcept;

namespace rule {
inline constexpr std::string_view kParametersObject = "parameters.object";
inline constexpr std::string_view kFieldRequired = "field.required";
inline constexpr std::string_view kFieldType = "field.type";
inline constexpr std::string_view kFieldUnknown = "field.unknown";
inline constexpr std::string_view kIdFormat = "id.format";
inline constexpr std::string_view kTextLength = "text.length";
inline constexpr std::string_view kDiscountCodeFormat = "discount.code_format";
inline constexpr std::string_view kDiscountPercentageRange = "discount.percentage_range";
inline constexpr std::string_view kDiscountStartsInFuture = "discount.starts_in_future";
inline constexpr std::string_view kDiscountEndsAfterStart = "discount.ends_after_start";
inline constexpr std::string_view kDiscountScope = "discount.scope";
inline constexpr std::string_view kDiscountUsageLimit = "discount.usage_limit";
inline constexpr std::string_view kHtmlEmpty = "html.empty";
inline constexpr std::string_view kHtmlTooLong = "html.too_long";
inline constexpr std::string_view kPriceFormat = "price.format";
inline constexpr std::string_view kPricePositive = "price.positive";
inline constexpr std::string_view kPriceChangeLimit = "price.change_limit";
inline constexpr std::string_view kPriceUnchanged = "price.unchanged";
inline constexpr std::string_view kInventoryDeltaNonZero = "inventory.delta_nonzero";
inline constexpr std::string_view kInventoryNonNegative = "inventory.non_negative";
inline constexpr std::string_view kInventoryReason = "inventory.reason";
inline constexpr std::string_view kEmailAudience = "email.audience";
}  // namespace rule

struct Violation {
    std::string rule;   // one of rule::k*
    std::string field;  // JSON path of the offending field, e.g. "scope.productIds[0]"
    std::string message;
};

struct ValidationResult {
    std::vector<Violation> violations;
    // The parameters to execute: a copy of the input with HTML sanitized. Meaningful only when ok().
    boost::json::object parameters;

    bool ok() const noexcept { return violations.empty(); }
    bool violates(std::string_view rule_name) const noexcept;
};

struct ValidationContext {
    Instant now{};  // dates must be after this
};

inline constexpr int kMaxDiscountPercentage = 90;
inline constexpr std::size_t kMaxHtmlBytes = 65535;

ValidationResult validate_proposal(ActionKind kind, const boost::json::value& parameters,
                                   const ValidationContext& context);

// Exposed for the rules that build proposals.
bool is_valid_discount_code(std::string_view code) noexcept;
// "gid://shopify/<type>/<digits>".
bool is_gid(std::string_view text, std::string_view type) noexcept;
// Decimal string ("12", "12.5", "12.50") to thousandths; nullopt when malformed or negative.
std::optional<std::int64_t> parse_decimal_milli(std::string_view text) noexcept;
// Minor units to a Decimal string with `decimals` digits: 1999, 2 -> "19.99".
std::string format_decimal(Money minor, int decimals);

}  // namespace alatar::intelligence
