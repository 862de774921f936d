#include "intelligence/proposal_validator.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <initializer_list>

#include "common/time.hpp"
#include "intelligence/html_sanitizer.hpp"

namespace alatar::intelligence {

namespace {

constexpr std::array<std::string_view, 5> kKindNames{"CREATE_DISCOUNT_CODE", "UPDATE_PRODUCT_DESCRIPTION",
                                                     "UPDATE_PRODUCT_PRICE", "ADJUST_INVENTORY",
                                                     "DRAFT_MARKETING_EMAIL"};
// Shopify's inventory adjustment reasons that make sense for a proposed correction.
constexpr std::array<std::string_view, 6> kInventoryReasons{
    "correction", "cycle_count_available", "damaged", "received", "restock", "shrinkage"};
constexpr std::array<std::string_view, 4> kEmailSegments{"lapsed_customers", "repeat_customers", "new_customers",
                                                         "all_subscribers"};

// Collects violations while reading one parameters object.
class Checker {
  public:
    Checker(const boost::json::object& params, ValidationResult& result) : params_(params), result_(result) {}

    void fail(std::string_view rule_name, std::string field, std::string message) {
        result_.violations.push_back({std::string(rule_name), std::move(field), std::move(message)});
    }

    void only_fields(std::initializer_list<std::string_view> known) {
        for (const auto& [key, value] : params_) {
            if (std::find(known.begin(), known.end(), std::string_view(key)) == known.end()) {
                fail(rule::kFieldUnknown, std::string(key), "unknown field");
            }
        }
    }

    const boost::json::value* field(std::string_view name, bool required) {
        const auto* v = params_.if_contains(name);
        if (v == nullptr && required) fail(rule::kFieldRequired, std::string(name), "is required");
        return v;
    }

    std::optional<std::string_view> string(std::string_view name, bool required = true) {
        const auto* v = field(name, required);
        if (v == nullptr) return std::nullopt;
        if (!v->is_string()) {
            fail(rule::kFieldType, std::string(name), "must be a string");
            return std::nullopt;
        }
        return std::string_view(v->get_string());
    }

    std::optional<std::string_view> text(std::string_view name, std::size_t min, std::size_t max,
                                         bool required = true) {
        auto s = string(name, required);
        if (s && (s->size() < min || s->size() > max)) {
            fail(rule::kTextLength, std::string(name),
                 "must be " + std::to_string(min) + " to " + std::to_string(max) + " characters");
        }
        return s;
    }

    std::optional<std::int64_t> integer(std::string_view name, bool required = true) {
        const auto* v = field(name, required);
        if (v == nullptr) return std::nullopt;
        if (v->is_int64()) return v->get_int64();
        if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
            return static_cast<std::int64_t>(v->get_uint64());
        }
        if (v->is_double() && std::floor(v->get_double()) == v->get_double() && std::fabs(v->get_double()) < 9e15) {
            return static_cast<std::int64_t>(v->get_double());
        }
        fail(rule::kFieldType, std::string(name), "must be an integer");
        return std::nullopt;
    }

    std::optional<double> number(std::string_view name) {
        const auto* v = field(name, true);
        if (v == nullptr) return std::nullopt;
        if (v->is_number()) return v->to_number<double>();
        fail(rule::kFieldType, std::string(name), "must be a number");
        return std::nullopt;
    }

    std::optional<bool> boolean(std::string_view name) {
        const auto* v = field(name, false);
        if (v == nullptr) return std::nullopt;
        if (!v->is_bool()) {
            fail(rule::kFieldType, std::string(name), "must be a boolean");
            return std::nullopt;
        }
        return v->get_bool();
    }

    void gid(std::string_view name, std::string_view type) {
        if (auto s = string(name); s && !is_gid(*s, type)) {
            fail(rule::kIdFormat, std::string(name), "must be a gid://shopify/" + std::string(type) + "/<id>");
        }
    }

    std::optional<SystemTime> instant(std::string_view name) {
        auto s = string(name);
        if (!s) return std::nullopt;
        auto t = parse_rfc3339(*s);
        if (!t) fail(rule::kFieldType, std::string(name), "must be an RFC 3339 date-time");
        return t;
    }

    // Sanitizes an HTML field into the result's parameters; empty text and oversize input are violations.
    void html(std::string_view name) {
        auto s = string(name);
        if (!s) return;
        if (s->size() > kMaxHtmlBytes) {
            fail(rule::kHtmlTooLong, std::string(name), "must be at most " + std::to_string(kMaxHtmlBytes) + " bytes");
            return;
        }
        std::string clean = sanitize_html(*s);
        if (html_text(clean).empty()) fail(rule::kHtmlEmpty, std::string(name), "has no text");
        result_.parameters[name] = clean;
    }

  private:
    const boost::json::object& params_;
    ValidationResult& result_;
};

void check_discount(Checker& c, const ValidationContext& ctx) {
    c.only_fields(
        {"title", "code", "percentage", "scope", "startsAt", "endsAt", "usageLimit", "appliesOncePerCustomer"});
    c.text("title", 1, 255);
    if (auto code = c.string("code"); code && !is_valid_discount_code(*code)) {
        c.fail(rule::kDiscountCodeFormat, "code", "must match [A-Z0-9_-]{4,32}");
    }
    if (auto pct = c.number("percentage"); pct && !(*pct >= 1.0 && *pct <= kMaxDiscountPercentage)) {
        c.fail(rule::kDiscountPercentageRange, "percentage", "must be between 1 and 90");
    }
    const auto starts = c.instant("startsAt");
    const auto ends = c.instant("endsAt");
    const SystemTime now{std::chrono::duration_cast<SystemTime::duration>(ctx.now.time_since_epoch())};
    if (starts && *starts <= now) c.fail(rule::kDiscountStartsInFuture, "startsAt", "must be in the future");
    if (ends && *ends <= now) c.fail(rule::kDiscountStartsInFuture, "endsAt", "must be in the future");
    if (starts && ends && *ends <= *starts) c.fail(rule::kDiscountEndsAfterStart, "endsAt", "must be after startsAt");
    if (auto limit = c.integer("usageLimit", false); limit && *limit < 1) {
        c.fail(rule::kDiscountUsageLimit, "usageLimit", "must be at least 1");
    }
    c.boolean("appliesOncePerCustomer");
    const auto* scope = c.field("scope", true);
    if (scope == nullptr) return;
    const auto* obj = scope->if_object();
    const auto* type = obj ? obj->if_contains("type") : nullptr;
    if (type == nullptr || !type->is_string() || (type->get_string() != "ALL" && type->get_string() != "PRODUCTS")) {
        c.fail(rule::kDiscountScope, "scope.type", "must be ALL or PRODUCTS");
        return;
    }
    const auto* ids = obj->if_contains("productIds");
    if (type->get_string() == "ALL") {
        if (ids != nullptr) c.fail(rule::kDiscountScope, "scope.productIds", "must be absent for ALL");
        return;
    }
    if (ids == nullptr || !ids->is_array() || ids->get_array().empty()) {
        c.fail(rule::kDiscountScope, "scope.productIds", "must list at least one product");
        return;
    }
    const auto& arr = ids->get_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_string() || !is_gid(arr[i].get_string(), "Product")) {
            c.fail(rule::kIdFormat, "scope.productIds[" + std::to_string(i) + "]",
                   "must be a gid://shopify/Product/<id>");
        }
    }
}

void check_description(Checker& c) {
    c.only_fields({"productId", "descriptionHtml"});
    c.gid("productId", "Product");
    c.html("descriptionHtml");
}

void check_price(Checker& c) {
    c.only_fields({"productId", "variantId", "currentPrice", "newPrice", "confirmed"});
    c.gid("productId", "Product");
    c.gid("variantId", "ProductVariant");
    auto decimal = [&](std::string_view name) -> std::optional<std::int64_t> {
        auto s = c.string(name);
        if (!s) return std::nullopt;
        auto v = parse_decimal_milli(*s);
        if (!v) c.fail(rule::kPriceFormat, std::string(name), "must be a non-negative decimal string like \"19.99\"");
        return v;
    };
    const auto current = decimal("currentPrice");
    const auto next = decimal("newPrice");
    const bool confirmed = c.boolean("confirmed").value_or(false);
    if (current && *current <= 0) c.fail(rule::kPricePositive, "currentPrice", "must be greater than 0");
    if (next && *next <= 0) c.fail(rule::kPricePositive, "newPrice", "must be greater than 0");
    if (current && next && *current > 0 && *next > 0) {
        if (*next == *current) c.fail(rule::kPriceUnchanged, "newPrice", "equals the current price");
        // Within +-50 %: 0.5 * current <= new <= 1.5 * current, in integers.
        const bool within = 2 * *next >= *current && 2 * *next <= 3 * *current;
        if (!within && !confirmed) {
            c.fail(rule::kPriceChangeLimit, "newPrice", "changes the price by more than 50 %; set confirmed to allow");
        }
    }
}

void check_inventory(Checker& c) {
    c.only_fields({"inventoryItemId", "locationId", "currentAvailable", "delta", "reason"});
    c.gid("inventoryItemId", "InventoryItem");
    c.gid("locationId", "Location");
    const auto current = c.integer("currentAvailable");
    const auto delta = c.integer("delta");
    if (delta && *delta == 0) c.fail(rule::kInventoryDeltaNonZero, "delta", "must not be 0");
    if (current && delta && *current + *delta < 0) {
        c.fail(rule::kInventoryNonNegative, "delta", "would take available inventory below zero");
    }
    if (auto reason = c.string("reason");
        reason && std::find(kInventoryReasons.begin(), kInventoryReasons.end(), *reason) == kInventoryReasons.end()) {
        c.fail(rule::kInventoryReason, "reason",
               "must be one of correction, cycle_count_available, damaged, received, "
               "restock, shrinkage");
    }
}

void check_email(Checker& c) {
    c.only_fields({"subject", "previewText", "bodyHtml", "audience", "discountCode"});
    c.text("subject", 1, 150);
    c.text("previewText", 0, 200, false);
    c.html("bodyHtml");
    if (auto code = c.string("discountCode", false); code && !is_valid_discount_code(*code)) {
        c.fail(rule::kDiscountCodeFormat, "discountCode", "must match [A-Z0-9_-]{4,32}");
    }
    const auto* audience = c.field("audience", true);
    if (audience == nullptr) return;
    const auto* obj = audience->if_object();
    const auto* segment = obj ? obj->if_contains("segment") : nullptr;
    if (segment == nullptr || !segment->is_string() ||
        std::find(kEmailSegments.begin(), kEmailSegments.end(), std::string_view(segment->get_string())) ==
            kEmailSegments.end()) {
        c.fail(rule::kEmailAudience, "audience.segment",
               "must be one of lapsed_customers, repeat_customers, new_customers, all_subscribers");
    }
}

}  // namespace

std::string_view action_kind_name(ActionKind kind) noexcept { return kKindNames[static_cast<std::size_t>(kind)]; }

std::optional<ActionKind> parse_action_kind(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kKindNames.size(); ++i) {
        if (kKindNames[i] == name) return static_cast<ActionKind>(i);
    }
    return std::nullopt;
}

bool ValidationResult::violates(std::string_view rule_name) const noexcept {
    return std::any_of(violations.begin(), violations.end(), [&](const Violation& v) { return v.rule == rule_name; });
}

bool is_valid_discount_code(std::string_view code) noexcept {
    if (code.size() < 4 || code.size() > 32) return false;
    return std::all_of(code.begin(), code.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; });
}

bool is_gid(std::string_view text, std::string_view type) noexcept {
    constexpr std::string_view kPrefix = "gid://shopify/";
    if (!text.starts_with(kPrefix)) return false;
    text.remove_prefix(kPrefix.size());
    if (!text.starts_with(type) || text.size() <= type.size() + 1 || text[type.size()] != '/') return false;
    text.remove_prefix(type.size() + 1);
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::int64_t> parse_decimal_milli(std::string_view text) noexcept {
    if (text.empty() || text.size() > 15) return std::nullopt;
    std::int64_t whole = 0;
    std::size_t i = 0;
    for (; i < text.size() && text[i] != '.'; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        whole = whole * 10 + (text[i] - '0');
    }
    if (i == 0) return std::nullopt;
    std::int64_t frac = 0;
    int digits = 0;
    if (i < text.size()) {
        ++i;
        if (i == text.size()) return std::nullopt;
        for (; i < text.size(); ++i, ++digits) {
            if (text[i] < '0' || text[i] > '9' || digits == 3) return std::nullopt;
            frac = frac * 10 + (text[i] - '0');
        }
    }
    for (; digits < 3; ++digits) frac *= 10;
    return whole * 1000 + frac;
}

std::string format_decimal(Money minor, int decimals) {
    const bool negative = minor < 0;
    const std::uint64_t magnitude =
        negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
    std::uint64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    std::string out = (negative ? "-" : "") + std::to_string(magnitude / scale);
    if (decimals > 0) {
        std::string frac = std::to_string(magnitude % scale);
        out += "." + std::string(static_cast<std::size_t>(decimals) - frac.size(), '0') + frac;
    }
    return out;
}

ValidationResult validate_proposal(ActionKind kind, const boost::json::value& parameters,
                                   const ValidationContext& context) {
    ValidationResult result;
    const auto* params = parameters.if_object();
    if (params == nullptr) {
        result.violations.push_back({std::string(rule::kParametersObject), "", "parameters must be a JSON object"});
        return result;
    }
    result.parameters = *params;
    Checker c(*params, result);
    switch (kind) {
        case ActionKind::kCreateDiscountCode:
            check_discount(c, context);
            break;
        case ActionKind::kUpdateProductDescription:
            check_description(c);
            break;
        case ActionKind::kUpdateProductPrice:
            check_price(c);
            break;
        case ActionKind::kAdjustInventory:
            check_inventory(c);
            break;
        case ActionKind::kDraftMarketingEmail:
            check_email(c);
            break;
    }
    return result;
}

}  // namespace alatar::intelligence
