#include "actions/target.hpp"

#include <boost/json.hpp>

namespace alatar::actions {

namespace json = boost::json;
using intelligence::ActionKind;

namespace {

std::string str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

const json::value* path(const json::value& root, std::initializer_list<std::string_view> keys) {
    const json::value* v = &root;
    for (const auto key : keys) {
        if (!v->is_object()) return nullptr;
        v = v->get_object().if_contains(key);
        if (v == nullptr) return nullptr;
    }
    return v->is_null() ? nullptr : v;
}

constexpr std::string_view kDiscountQuery =
    "query($code: String!) { codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on DiscountCodeBasic { "
    "status title } } } }";
constexpr std::string_view kProductQuery = "query($id: ID!) { product(id: $id) { id title descriptionHtml } }";
constexpr std::string_view kVariantQuery =
    "query($id: ID!) { productVariant(id: $id) { id price displayName product { id } } }";
constexpr std::string_view kInventoryQuery =
    "query($item: ID!, $location: ID!) { inventoryItem(id: $item) { id sku variant { displayName } "
    "inventoryLevel(locationId: $location) { quantities(names: [\"available\"]) { name quantity } } } }";

}  // namespace

bool same_amount(std::string_view a, std::string_view b) noexcept {
    const auto x = intelligence::parse_decimal_milli(a);
    const auto y = intelligence::parse_decimal_milli(b);
    return x && y && *x == *y;
}

json::value TargetReader::query(std::string_view document, const json::object& variables) {
    return client_.query(shop_, document, variables, deadline_).data;
}

json::object TargetReader::read(ActionKind kind, const json::object& parameters) {
    switch (kind) {
        case ActionKind::kCreateDiscountCode: {
            const auto data = query(kDiscountQuery, json::object{{"code", str(parameters, "code")}});
            const auto* node = path(data, {"codeDiscountNodeByCode"});
            if (node == nullptr) return json::object{{"exists", false}, {"id", nullptr}, {"status", nullptr}};
            const auto* status = path(*node, {"codeDiscount", "status"});
            return json::object{{"exists", true},
                                {"id", node->at("id")},
                                {"status", status != nullptr ? *status : json::value(nullptr)}};
        }
        case ActionKind::kUpdateProductDescription: {
            const auto data = query(kProductQuery, json::object{{"id", str(parameters, "productId")}});
            const auto* product = path(data, {"product"});
            if (product == nullptr) return json::object{{"exists", false}};
            return json::object{
                {"exists", true}, {"title", product->at("title")}, {"descriptionHtml", product->at("descriptionHtml")}};
        }
        case ActionKind::kUpdateProductPrice: {
            const auto data = query(kVariantQuery, json::object{{"id", str(parameters, "variantId")}});
            const auto* variant = path(data, {"productVariant"});
            const auto* product = variant != nullptr ? path(*variant, {"product", "id"}) : nullptr;
            if (product == nullptr || !product->is_string() || product->get_string() != str(parameters, "productId")) {
                return json::object{{"exists", false}};
            }
            return json::object{
                {"exists", true}, {"title", variant->at("displayName")}, {"price", variant->at("price")}};
        }
        case ActionKind::kAdjustInventory: {
            const auto data = query(kInventoryQuery, json::object{{"item", str(parameters, "inventoryItemId")},
                                                                  {"location", str(parameters, "locationId")}});
            const auto* quantities = path(data, {"inventoryItem", "inventoryLevel", "quantities"});
            if (quantities == nullptr || !quantities->is_array()) return json::object{{"exists", false}};
            for (const auto& q : quantities->get_array()) {
                if (q.at("name") == "available") {
                    const auto* name = path(data, {"inventoryItem", "variant", "displayName"});
                    return json::object{{"exists", true},
                                        {"title", name != nullptr ? *name : json::value("")},
                                        {"available", q.at("quantity").to_number<std::int64_t>()}};
                }
            }
            return json::object{{"exists", false}};
        }
        case ActionKind::kDraftMarketingEmail:
            return {};
    }
    return {};
}

}  // namespace alatar::actions
