#include "actions/store_writer.hpp"

#include <boost/json.hpp>

#include "common/error.hpp"

namespace alatar::actions {

namespace json = boost::json;
using intelligence::ActionKind;

namespace {

std::string str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

constexpr std::string_view kDiscountCreate =
    "mutation($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) { "
    "codeDiscountNode { id } userErrors { field message } } }";
constexpr std::string_view kDiscountDeactivate =
    "mutation($id: ID!) { discountCodeDeactivate(id: $id) { codeDiscountNode { id } userErrors { field message } } }";
constexpr std::string_view kProductUpdate =
    "mutation($product: ProductUpdateInput!) { productUpdate(product: $product) { product { id } "
    "userErrors { field message } } }";
constexpr std::string_view kVariantsUpdate =
    "mutation($productId: ID!, $variants: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: "
    "$productId, variants: $variants) { productVariants { id price } userErrors { field message } } }";
constexpr std::string_view kInventoryAdjust =
    "mutation($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) { "
    "inventoryAdjustmentGroup { id } userErrors { field message } } }";

json::object discount_input(const json::object& p) {
    json::object input{{"title", p.at("title")},
                       {"code", p.at("code")},
                       {"startsAt", p.at("startsAt")},
                       {"context", json::object{{"all", "ALL"}}}};
    if (const auto* ends = p.if_contains("endsAt")) input["endsAt"] = *ends;
    if (const auto* limit = p.if_contains("usageLimit")) input["usageLimit"] = *limit;
    if (const auto* once = p.if_contains("appliesOncePerCustomer")) input["appliesOncePerCustomer"] = *once;
    const double percentage = p.at("percentage").to_number<double>();
    json::object items{{"all", true}};
    const auto& scope = p.at("scope").as_object();
    if (str(scope, "type") == "PRODUCTS") {
        items = json::object{{"products", json::object{{"productsToAdd", scope.at("productIds")}}}};
    }
    input["customerGets"] =
        json::object{{"value", json::object{{"percentage", percentage / 100.0}}}, {"items", std::move(items)}};
    return input;
}

json::object inventory_input(const json::object& p, std::int64_t delta, const std::string& marker) {
    return json::object{{"name", "available"},
                        {"reason", p.at("reason")},
                        {"referenceDocumentUri", "alatar://action/" + marker},
                        {"changes", json::array{json::object{{"delta", delta},
                                                             {"inventoryItemId", p.at("inventoryItemId")},
                                                             {"locationId", p.at("locationId")}}}}};
}

}  // namespace

WriteOutcome StoreWriter::mutate(std::string_view document, const json::object& variables, std::string_view field) {
    const auto response = client_.query(shop_, document, variables, deadline_);
    const auto* payload = response.data.is_object() ? response.data.get_object().if_contains(field) : nullptr;
    if (payload == nullptr || !payload->is_object()) {
        throw Error(ErrorCode::kShopifyError, "Shopify answered " + std::string(field) + " without a payload");
    }
    WriteOutcome out;
    if (const auto* errors = payload->get_object().if_contains("userErrors"); errors != nullptr && errors->is_array()) {
        for (const auto& e : errors->get_array()) {
            std::string where;
            if (const auto* f = e.as_object().if_contains("field"); f != nullptr && f->is_array()) {
                for (const auto& part : f->get_array()) {
                    if (!where.empty()) where += '.';
                    where += part.is_string() ? std::string(part.get_string()) : json::serialize(part);
                }
            }
            const auto* message = e.as_object().if_contains("message");
            const std::string text = message != nullptr && message->is_string() ? std::string(message->get_string())
                                                                                : std::string("(no message)");
            std::string entry = where;
            if (!entry.empty()) entry += ": ";
            entry += text;
            out.user_errors.push_back(std::move(entry));
        }
    }
    out.ok = out.user_errors.empty();
    return out;
}

WriteOutcome StoreWriter::apply(ActionKind kind, const json::object& p, const std::string& marker) {
    switch (kind) {
        case ActionKind::kCreateDiscountCode: {
            auto out = mutate(kDiscountCreate, json::object{{"input", discount_input(p)}}, "discountCodeBasicCreate");
            if (out.ok) {
                const auto response_id =
                    client_
                        .query(shop_, "query($code: String!) { codeDiscountNodeByCode(code: $code) { id } }",
                               json::object{{"code", p.at("code")}}, deadline_)
                        .data;
                const auto* node = response_id.as_object().if_contains("codeDiscountNodeByCode");
                if (node != nullptr && node->is_object()) out.result["discountId"] = node->as_object().at("id");
            }
            return out;
        }
        case ActionKind::kUpdateProductDescription:
            return mutate(kProductUpdate,
                          json::object{{"product", json::object{{"id", p.at("productId")},
                                                                {"descriptionHtml", p.at("descriptionHtml")}}}},
                          "productUpdate");
        case ActionKind::kUpdateProductPrice:
            return mutate(
                kVariantsUpdate,
                json::object{
                    {"productId", p.at("productId")},
                    {"variants", json::array{json::object{{"id", p.at("variantId")}, {"price", p.at("newPrice")}}}}},
                "productVariantsBulkUpdate");
        case ActionKind::kAdjustInventory:
            return mutate(kInventoryAdjust,
                          json::object{{"input", inventory_input(p, p.at("delta").to_number<std::int64_t>(), marker)}},
                          "inventoryAdjustQuantities");
        case ActionKind::kDraftMarketingEmail:
            return WriteOutcome{.ok = true, .user_errors = {}, .result = {}};
    }
    throw Error(ErrorCode::kInternal, "unknown action kind");
}

WriteOutcome StoreWriter::revert(ActionKind kind, const json::object& p, const json::object& before,
                                 const json::object& executed, const std::string& marker) {
    switch (kind) {
        case ActionKind::kCreateDiscountCode:
            return mutate(kDiscountDeactivate, json::object{{"id", executed.at("discountId")}},
                          "discountCodeDeactivate");
        case ActionKind::kUpdateProductDescription:
            return mutate(kProductUpdate,
                          json::object{{"product", json::object{{"id", p.at("productId")},
                                                                {"descriptionHtml", before.at("descriptionHtml")}}}},
                          "productUpdate");
        case ActionKind::kUpdateProductPrice:
            return mutate(
                kVariantsUpdate,
                json::object{
                    {"productId", p.at("productId")},
                    {"variants", json::array{json::object{{"id", p.at("variantId")}, {"price", before.at("price")}}}}},
                "productVariantsBulkUpdate");
        case ActionKind::kAdjustInventory:
            // The reverse delta, not the old absolute quantity: sales since the adjustment stay counted.
            return mutate(
                kInventoryAdjust,
                json::object{{"input", inventory_input(p, -p.at("delta").to_number<std::int64_t>(), marker + ":undo")}},
                "inventoryAdjustQuantities");
        case ActionKind::kDraftMarketingEmail:
            return WriteOutcome{.ok = true, .user_errors = {}, .result = {}};
    }
    throw Error(ErrorCode::kInternal, "unknown action kind");
}

}  // namespace alatar::actions
