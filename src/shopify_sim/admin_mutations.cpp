// Mutation resolvers: each validates its input the way Shopify does, answers userErrors (HTTP 200, null result)
// when it refuses, and otherwise changes the shop's Store and queues the webhooks Shopify would send.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "graphql/error.hpp"
#include "shopify_sim/admin_support.hpp"
#include "shopify_sim/money.hpp"

namespace alatar::shopify_sim::admin {
namespace {

using graphql::ResolveInfo;

void on(graphql::Schema& schema, std::string_view field, std::function<json::value(const ResolveInfo&)> fn) {
    if (!schema.set_resolver("Mutation", field,
                             graphql::FieldResolver{.sync = std::move(fn), .async = {}, .subscribe = {}})) {
        throw std::logic_error("Admin schema has no mutation " + std::string(field));
    }
}

// The shop a mutation changes; bulk exports (no shop) cannot run mutations.
ShopState& shop_of(const ResolveInfo& info) {
    ApiContext& ctx = context(info);
    if (ctx.shop == nullptr) throw graphql::FieldError("Mutations are not available here");
    return *ctx.shop;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::optional<Timestamp> time_member(const json::value* object, std::string_view name) {
    const auto text = member_string(object, name);
    if (!text) return std::nullopt;
    return parse_timestamp(*text);
}

json::value payload(std::string_view result_key, json::value result, json::array errors) {
    return json::object{{result_key, std::move(result)}, {"userErrors", std::move(errors)}};
}

// ---- discounts ----------------------------------------------------------------------------------------------

json::value discount_code_basic_create(const ResolveInfo& info) {
    require_scope(info, "write_discounts");
    ShopState& shop = shop_of(info);
    Store& store = shop.store;
    const Timestamp now = context(info).now;
    const json::value* input = arg(info, "basicCodeDiscount");
    json::array errors;
    const auto err = [&](std::vector<std::string> field, std::string_view code, std::string_view message) {
        field.insert(field.begin(), "basicCodeDiscount");
        errors.push_back(coded_user_error(field, code, message));
    };

    const auto title = member_string(input, "title");
    if (!title || title->find_first_not_of(' ') == std::string::npos) err({"title"}, "BLANK", "Title can't be blank");
    if (title && title->size() > 255) err({"title"}, "TOO_LONG", "Title is too long (maximum is 255 characters)");
    const auto code = member_string(input, "code");
    if (!code || code->find_first_not_of(' ') == std::string::npos) {
        err({"code"}, "BLANK", "Code can't be blank");
    } else if (code->size() > 255) {
        err({"code"}, "TOO_LONG", "Code is too long (maximum is 255 characters)");
    } else if (code->find_first_of("\r\n") != std::string::npos) {
        err({"code"}, "INVALID", "Code cannot contain newline characters.");
    } else {
        const std::string wanted = lower(*code);
        const bool taken = std::any_of(store.discount_codes.begin(), store.discount_codes.end(),
                                       [&](const DiscountCode& d) { return lower(d.code) == wanted; });
        if (taken) err({"code"}, "TAKEN", "Code must be unique. Please try a different code.");
    }
    const auto starts_text = member_string(input, "startsAt");
    const auto starts = time_member(input, "startsAt");
    if (!starts_text) {
        err({"startsAt"}, "BLANK", "Starts at can't be blank");
    } else if (!starts) {
        err({"startsAt"}, "INVALID", "Starts at is invalid");
    }
    const auto ends_text = member_string(input, "endsAt");
    const auto ends = time_member(input, "endsAt");
    if (ends_text && !ends) err({"endsAt"}, "INVALID", "Ends at is invalid");
    if (starts && ends && *ends <= *starts) err({"endsAt"}, "INVALID", "Ends at needs to be after starts_at");

    DiscountCode d;
    const json::value* gets = member(input, "customerGets");
    const json::value* value = member(gets, "value");
    const json::value* percentage = member(value, "percentage");
    const json::value* amount = member(value, "discountAmount");
    if (gets == nullptr) {
        err({"customerGets"}, "BLANK", "Customer gets can't be blank");
    } else if (value == nullptr || (percentage == nullptr && amount == nullptr)) {
        err({"customerGets", "value"}, "BLANK", "Value can't be blank");
    } else if (percentage != nullptr && amount != nullptr) {
        err({"customerGets", "value"}, "TOO_MANY_ARGUMENTS", "Only one of percentage or discountAmount is allowed");
    } else if (percentage != nullptr) {
        const auto p = as_double(percentage);
        if (!p || *p <= 0.0 || *p > 1.0) {
            err({"customerGets", "value", "percentage"}, "VALUE_OUTSIDE_RANGE", "Value must be between 0.0 and 1.0");
        } else {
            d.kind = DiscountValueKind::kPercentage;
            d.percentage_bp = static_cast<int>(std::lround(*p * 10000.0));
        }
    } else {
        const json::value* a = member(amount, "amount");
        const auto text = a != nullptr && a->is_string() ? std::optional<std::string>(std::string(a->get_string()))
                                                         : std::optional<std::string>();
        std::optional<Cents> cents;
        if (text) {
            cents = parse_money(*text);
        } else if (const auto n = as_double(a)) {
            cents = static_cast<Cents>(std::llround(*n * 100.0));
        }
        if (!cents) {
            err({"customerGets", "value", "discountAmount", "amount"}, "INVALID", "Amount is invalid");
        } else if (*cents <= 0) {
            err({"customerGets", "value", "discountAmount", "amount"}, "GREATER_THAN", "Value must be greater than 0");
        } else {
            d.kind = DiscountValueKind::kFixedAmount;
            d.amount = *cents;
        }
    }
    const json::value* items = member(gets, "items");
    const json::value* products = member(member(items, "products"), "productsToAdd");
    if (gets != nullptr && items == nullptr) err({"customerGets", "items"}, "BLANK", "Items can't be blank");
    if (products != nullptr && products->is_array()) {
        for (std::size_t i = 0; i < products->get_array().size(); ++i) {
            const auto& id = products->get_array()[i];
            const auto pid = id.is_string() ? parse_gid(id.get_string(), "Product") : std::nullopt;
            if (!pid || store.find_product(*pid) == nullptr) {
                err({"customerGets", "items", "products", "productsToAdd"}, "INVALID",
                    "Product with id: " + std::string(id.is_string() ? id.get_string() : "") + " is invalid");
            } else {
                d.product_ids.push_back(*pid);
            }
        }
    }
    const json::value* subtotal = member(member(input, "minimumRequirement"), "subtotal");
    if (const json::value* min = member(subtotal, "greaterThanOrEqualToSubtotal")) {
        const auto n = as_double(min);
        if (!n || *n < 0) {
            err({"minimumRequirement", "subtotal", "greaterThanOrEqualToSubtotal"}, "GREATER_THAN_OR_EQUAL_TO",
                "Minimum subtotal must be greater than or equal to 0");
        } else {
            d.minimum_subtotal = static_cast<Cents>(std::llround(*n * 100.0));
        }
    }
    if (const json::value* limit = member(input, "usageLimit")) {
        if (!limit->is_int64() || limit->get_int64() < 1) {
            err({"usageLimit"}, "GREATER_THAN", "Usage limit must be greater than 0");
        } else {
            d.usage_limit = static_cast<int>(limit->get_int64());
        }
    }
    if (member(input, "customerSelection") != nullptr && member(input, "context") != nullptr) {
        err({"context"}, "TOO_MANY_ARGUMENTS", "Only one of context or customerSelection can be provided.");
    }
    if (!errors.empty()) return payload("codeDiscountNode", nullptr, std::move(errors));

    d.id = store.discount_codes.empty() ? 1 : store.discount_codes.back().id + 1;
    Id redeem = 0;
    for (const auto& existing : store.discount_codes) redeem = std::max(redeem, existing.redeem_code_id);
    d.redeem_code_id = redeem + 1;
    d.title = *title;
    d.code = *code;
    d.starts_at = *starts;
    d.ends_at = ends;
    d.applies_once_per_customer = member(input, "appliesOncePerCustomer") != nullptr &&
                                  member(input, "appliesOncePerCustomer")->is_bool() &&
                                  member(input, "appliesOncePerCustomer")->get_bool();
    d.created_at = now;
    d.updated_at = now;
    store.discount_codes.push_back(std::move(d));
    return payload("codeDiscountNode", discount_node_json(store, store.discount_codes.size() - 1, now), {});
}

json::value discount_code_deactivate(const ResolveInfo& info) {
    require_scope(info, "write_discounts");
    Store& store = shop_of(info).store;
    const Timestamp now = context(info).now;
    const auto id = parse_gid(*arg_string(info, "id"), "DiscountCodeNode");
    const auto i = id ? discount_index(store, *id) : std::nullopt;
    if (!i) {
        return payload("codeDiscountNode", nullptr,
                       json::array{coded_user_error({"id"}, "INVALID", "Discount does not exist")});
    }
    DiscountCode& d = store.discount_codes[*i];
    if (!d.ends_at || *d.ends_at > now) d.ends_at = std::max(now, d.starts_at);
    d.deactivated = true;
    d.updated_at = now;
    return payload("codeDiscountNode", discount_node_json(store, *i, now), {});
}

// ---- products -----------------------------------------------------------------------------------------------

json::value product_update(const ResolveInfo& info) {
    require_scope(info, "write_products");
    ApiContext& ctx = context(info);
    Store& store = shop_of(info).store;
    const json::value* product = arg(info, "product");
    const json::value* legacy = arg(info, "input");
    if (product != nullptr && legacy != nullptr) {
        return payload("product", nullptr,
                       json::array{user_error({}, "Only one of product or input can be provided.")});
    }
    const json::value* input = product != nullptr ? product : legacy;
    if (input == nullptr) {
        return payload("product", nullptr, json::array{user_error({"product"}, "Product input is required")});
    }
    const auto id_text = member_string(input, "id");
    const auto id = id_text ? parse_gid(*id_text, "Product") : std::nullopt;
    const auto index = id ? product_index(store, *id) : std::nullopt;
    if (!index) return payload("product", nullptr, json::array{user_error({"id"}, "Product does not exist")});
    json::array errors;
    const auto title = member_string(input, "title");
    if (member(input, "title") != nullptr && (!title || title->find_first_not_of(' ') == std::string::npos)) {
        errors.push_back(user_error({"title"}, "Title can't be blank"));
    }
    if (title && title->size() > 255)
        errors.push_back(user_error({"title"}, "Title is too long (maximum is 255 characters)"));
    const auto handle = member_string(input, "handle");
    if (handle) {
        for (const auto& p : store.products) {
            if (p.id != *id && p.handle == *handle) {
                errors.push_back(
                    user_error({"handle"}, "Handle '" + *handle + "' already in use. Please provide a new handle."));
                break;
            }
        }
    }
    if (!errors.empty()) return payload("product", nullptr, std::move(errors));

    Product& p = store.products[*index];
    if (title) p.title = *title;
    if (handle) p.handle = *handle;
    if (const auto v = member_string(input, "descriptionHtml")) p.description_html = *v;
    if (const auto v = member_string(input, "productType")) p.product_type = *v;
    if (const auto v = member_string(input, "vendor")) p.vendor = *v;
    if (const auto v = member_string(input, "status")) {
        p.status = *v == "DRAFT" ? ProductStatus::kDraft
                                 : (*v == "ARCHIVED" ? ProductStatus::kArchived : ProductStatus::kActive);
    }
    if (const json::value* tags = member(input, "tags"); tags != nullptr && tags->is_array()) {
        p.tags.clear();
        for (const auto& t : tags->get_array()) p.tags.emplace_back(t.get_string());
    }
    p.updated_at = std::max(ctx.now, p.updated_at + 1);
    ctx.events.push_back({"products/update", product_webhook_body(store, p)});
    return payload("product", product_json(store, *index), {});
}

std::optional<Cents> money_value(const json::value* v) {
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) return parse_money(v->get_string());
    if (const auto d = as_double(v)) return static_cast<Cents>(std::llround(*d * 100.0));
    return std::nullopt;
}

json::value product_variants_bulk_update(const ResolveInfo& info) {
    require_scope(info, "write_products");
    ApiContext& ctx = context(info);
    Store& store = shop_of(info).store;
    const auto pid = parse_gid(*arg_string(info, "productId"), "Product");
    const auto pindex = pid ? product_index(store, *pid) : std::nullopt;
    json::object result{{"product", nullptr}, {"productVariants", nullptr}};
    if (!pindex) {
        result["userErrors"] =
            json::array{coded_user_error({"productId"}, "PRODUCT_DOES_NOT_EXIST", "Product does not exist")};
        return result;
    }
    const bool partial = arg_bool(info, "allowPartialUpdates", false);
    const auto& inputs = arg(info, "variants")->get_array();
    if (inputs.size() > 250)
        throw graphql::FieldError("The input array size of " + std::to_string(inputs.size()) +
                                  " is greater than the maximum allowed of 250.");
    json::array errors;
    struct Change {
        std::size_t variant = 0;
        const json::value* input = nullptr;
    };
    std::vector<Change> changes;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const json::value* in = &inputs[i];
        const std::string at = std::to_string(i);
        const auto id_text = member_string(in, "id");
        if (!id_text) {
            errors.push_back(coded_user_error({"variants", at, "id"}, "PRODUCT_VARIANT_ID_MISSING",
                                              "Product variant is missing ID attribute"));
            continue;
        }
        const auto vid = parse_gid(*id_text, "ProductVariant");
        const auto vindex = vid ? variant_index(store, *vid) : std::nullopt;
        if (!vindex) {
            errors.push_back(coded_user_error({"variants", at, "id"}, "PRODUCT_VARIANT_DOES_NOT_EXIST",
                                              "Product variant does not exist"));
            continue;
        }
        if (store.variants[*vindex].product_id != *pid) {
            errors.push_back(coded_user_error({"variants", at, "id"}, "MUST_BE_FOR_THIS_PRODUCT",
                                              "Product variant does not belong to this product"));
            continue;
        }
        bool ok = true;
        for (const std::string_view key : {"price", "compareAtPrice"}) {
            const json::value* v = member(in, key);
            if (v == nullptr) continue;
            const auto cents = money_value(v);
            if (!cents) {
                errors.push_back(
                    coded_user_error({"variants", at, std::string(key)}, "INVALID",
                                     std::string(key == "price" ? "Price" : "Compare at price") + " is invalid"));
                ok = false;
            } else if (*cents < 0) {
                errors.push_back(coded_user_error({"variants", at, std::string(key)},
                                                  key == "price" ? "NEGATIVE_PRICE_VALUE" : "GREATER_THAN_OR_EQUAL_TO",
                                                  std::string(key == "price" ? "Price" : "Compare at price") +
                                                      " must be greater than or equal to 0"));
                ok = false;
            }
        }
        if (const json::value* cost = member(member(in, "inventoryItem"), "cost")) {
            const auto cents = money_value(cost);
            if (!cents || *cents < 0) {
                errors.push_back(coded_user_error({"variants", at, "inventoryItem", "cost"}, "INVALID",
                                                  "Cost must be greater than or equal to 0"));
                ok = false;
            }
        }
        if (ok) changes.push_back({*vindex, in});
    }
    if (!errors.empty() && !partial) {
        result["userErrors"] = std::move(errors);
        return result;
    }
    json::array updated;
    for (const auto& c : changes) {
        Variant& v = store.variants[c.variant];
        if (const auto price = money_value(member(c.input, "price"))) v.price = *price;
        if (const json::value* compare = member(c.input, "compareAtPrice")) {
            v.compare_at_price = money_value(compare);
        } else if (c.input->as_object().contains("compareAtPrice")) {
            v.compare_at_price.reset();  // explicit null clears it
        }
        const json::value* item = member(c.input, "inventoryItem");
        if (const auto cost = money_value(member(item, "cost"))) v.unit_cost = *cost;
        if (const auto sku = member_string(item, "sku")) v.sku = *sku;
        v.updated_at = std::max(ctx.now, v.updated_at + 1);
        updated.push_back(variant_json(store, c.variant));
    }
    Product& p = store.products[*pindex];
    if (!changes.empty()) {
        p.updated_at = std::max(ctx.now, p.updated_at + 1);
        ctx.events.push_back({"products/update", product_webhook_body(store, p)});
    }
    result["product"] = product_json(store, *pindex);
    result["productVariants"] = std::move(updated);
    result["userErrors"] = std::move(errors);
    return result;
}

// ---- inventory ----------------------------------------------------------------------------------------------

json::value inventory_adjust_quantities(const ResolveInfo& info) {
    require_scope(info, "write_inventory");
    ApiContext& ctx = context(info);
    ShopState& shop = shop_of(info);
    Store& store = shop.store;
    const json::value* input = arg(info, "input");
    json::array errors;
    const auto name = member_string(input, "name").value_or("");
    if (name != "available" && name != "on_hand") {
        errors.push_back(coded_user_error({"input", "name"}, "INVALID_QUANTITY_NAME",
                                          "The quantity name must be either 'available' or 'on_hand'."));
    }
    static constexpr std::string_view kReasons[] = {"correction",
                                                    "cycle_count_available",
                                                    "damaged",
                                                    "movement_canceled",
                                                    "movement_created",
                                                    "movement_received",
                                                    "movement_updated",
                                                    "other",
                                                    "promotion",
                                                    "quality_control",
                                                    "received",
                                                    "reservation_created",
                                                    "reservation_deleted",
                                                    "reservation_updated",
                                                    "restock",
                                                    "safety_stock",
                                                    "shrinkage"};
    const auto reason = member_string(input, "reason").value_or("");
    if (std::find(std::begin(kReasons), std::end(kReasons), reason) == std::end(kReasons)) {
        errors.push_back(coded_user_error({"input", "reason"}, "INVALID_REASON", "The specified reason is invalid."));
    }
    const auto& changes = member(input, "changes")->get_array();
    if (changes.size() > 250)
        throw graphql::FieldError("The input array size of " + std::to_string(changes.size()) +
                                  " is greater than the maximum allowed of 250.");
    std::vector<std::pair<std::size_t, int>> apply;
    for (std::size_t i = 0; i < changes.size(); ++i) {
        const json::value* c = &changes[i];
        const std::string at = std::to_string(i);
        const auto item = parse_gid(member_string(c, "inventoryItemId").value_or(""), "InventoryItem");
        const auto location = parse_gid(member_string(c, "locationId").value_or(""), "Location");
        if (!item || !variant_index_by_item(store, *item)) {
            errors.push_back(coded_user_error({"input", "changes", at, "inventoryItemId"}, "INVALID_INVENTORY_ITEM",
                                              "The specified inventory item could not be found."));
            continue;
        }
        if (!location || !location_index(store, *location)) {
            errors.push_back(coded_user_error({"input", "changes", at, "locationId"}, "INVALID_LOCATION",
                                              "The specified location could not be found."));
            continue;
        }
        const auto level = level_index(store, *item, *location);
        if (!level) {
            errors.push_back(coded_user_error({"input", "changes", at, "locationId"}, "ITEM_NOT_STOCKED_AT_LOCATION",
                                              "The specified inventory item is not stocked at the location."));
            continue;
        }
        const std::int64_t delta = member(c, "delta")->as_int64();
        const std::int64_t after = static_cast<std::int64_t>(store.inventory_levels[*level].available) + delta;
        if (after > 1'000'000'000) {
            errors.push_back(coded_user_error({"input", "changes", at, "delta"}, "INVALID_QUANTITY_TOO_HIGH",
                                              "The quantity can't be higher than 1,000,000,000."));
            continue;
        }
        if (after < -1'000'000'000) {
            errors.push_back(coded_user_error({"input", "changes", at, "delta"}, "INVALID_QUANTITY_TOO_LOW",
                                              "The quantity can't be lower than -1,000,000,000."));
            continue;
        }
        apply.emplace_back(*level, static_cast<int>(delta));
    }
    if (!errors.empty()) return payload("inventoryAdjustmentGroup", nullptr, std::move(errors));

    json::array applied;
    for (const auto& [level, delta] : apply) {
        InventoryLevel& l = store.inventory_levels[level];
        l.available += delta;
        l.on_hand += delta;
        l.updated_at = ctx.now;
        const auto v = *variant_index_by_item(store, l.inventory_item_id);
        json::object item = inventory_item_json(store, v);
        json::object location = location_json(store, *location_index(store, l.location_id));
        for (const std::string_view quantity : {std::string_view("available"), std::string_view("on_hand")}) {
            applied.push_back(json::object{{"name", quantity},
                                           {"delta", delta},
                                           {"quantityAfterChange", quantity == "available" ? l.available : l.on_hand},
                                           {"item", item},
                                           {"location", location},
                                           {"ledgerDocumentUri", nullptr}});
        }
    }
    json::object group;
    group["__typename"] = "InventoryAdjustmentGroup";
    group["id"] = gid("InventoryAdjustmentGroup", shop.next_adjustment_group_id++);
    group["createdAt"] = format_time(ctx.now);
    group["reason"] = reason;
    group["referenceDocumentUri"] = member_string(input, "referenceDocumentUri")
                                        ? json::value(*member_string(input, "referenceDocumentUri"))
                                        : json::value(nullptr);
    group["_changes"] = std::move(applied);
    return payload("inventoryAdjustmentGroup", std::move(group), {});
}

// ---- webhooks and bulk operations ---------------------------------------------------------------------------

json::value webhook_subscription_create(const ResolveInfo& info) {
    ApiContext& ctx = context(info);
    ShopState& shop = shop_of(info);
    const std::string topic = *arg_string(info, "topic");
    const json::value* input = arg(info, "webhookSubscription");
    const auto url = member_string(input, "callbackUrl");
    const auto fail = [](std::string_view message) {
        return payload("webhookSubscription", nullptr,
                       json::array{user_error({"webhookSubscription", "callbackUrl"}, message)});
    };
    if (!url || url->empty()) return fail("Address can't be blank");
    if (!(url->starts_with("https://") || url->starts_with("http://")) || url->find(' ') != std::string::npos) {
        return fail("Address is invalid");
    }
    for (const auto& h : shop.webhooks) {
        if (h.topic == topic && h.callback_url == *url) return fail("Address for this topic has already been taken");
    }
    if (member_string(input, "format").value_or("JSON") != "JSON") {
        return payload("webhookSubscription", nullptr,
                       json::array{user_error({"webhookSubscription", "format"}, "Format is not supported")});
    }
    WebhookSubscriptionRecord hook;
    hook.id = shop.next_webhook_id++;
    hook.topic = topic;
    hook.callback_url = *url;
    if (const json::value* fields = member(input, "includeFields"); fields != nullptr && fields->is_array()) {
        for (const auto& f : fields->get_array()) hook.include_fields.emplace_back(f.get_string());
    }
    hook.created_at = ctx.now;
    hook.updated_at = ctx.now;
    shop.webhooks.push_back(hook);
    return payload("webhookSubscription", webhook_json(hook), {});
}

json::value webhook_subscription_delete(const ResolveInfo& info) {
    ShopState& shop = shop_of(info);
    const std::string id_text = *arg_string(info, "id");
    const auto id = parse_gid(id_text, "WebhookSubscription");
    const auto it = std::find_if(shop.webhooks.begin(), shop.webhooks.end(),
                                 [&](const WebhookSubscriptionRecord& h) { return id && h.id == *id; });
    if (it == shop.webhooks.end()) {
        return payload("deletedWebhookSubscriptionId", nullptr,
                       json::array{user_error({"id"}, "Webhook subscription does not exist")});
    }
    shop.webhooks.erase(it);
    return payload("deletedWebhookSubscriptionId", json::value(id_text), {});
}

json::value bulk_operation_run_query(const ResolveInfo& info) {
    ApiContext& ctx = context(info);
    ShopState& shop = shop_of(info);
    const auto bulk_error = [](std::string_view code, std::string_view message) {
        return payload(
            "bulkOperation", nullptr,
            json::array{json::object{{"field", json::array{"query"}}, {"code", code}, {"message", message}}});
    };
    if (!ctx.start_bulk) return bulk_error("INVALID", "Bulk operations are not available here");
    const auto started = ctx.start_bulk(*arg_string(info, "query"));
    if (const auto* e = std::get_if<BulkStartError>(&started)) return bulk_error(e->code, e->message);
    const Id id = std::get<Id>(started);
    for (const auto& op : shop.bulk_operations) {
        if (op.id == id) return payload("bulkOperation", bulk_operation_json(op), {});
    }
    throw std::logic_error("bulk operation started but not recorded");
}

json::value bulk_operation_cancel(const ResolveInfo& info) {
    ShopState& shop = shop_of(info);
    const auto id = parse_gid(*arg_string(info, "id"), "BulkOperation");
    for (auto& op : shop.bulk_operations) {
        if (!id || op.id != *id) continue;
        if (op.status != "CREATED" && op.status != "RUNNING") {
            return payload("bulkOperation", bulk_operation_json(op),
                           json::array{json::object{
                               {"field", nullptr},
                               {"code", nullptr},
                               {"message", "A bulk operation cannot be canceled when it is " + lower(op.status)}}});
        }
        op.status = "CANCELED";
        op.completed_at = context(info).now;
        return payload("bulkOperation", bulk_operation_json(op), {});
    }
    return payload("bulkOperation", nullptr,
                   json::array{json::object{
                       {"field", json::array{"id"}}, {"code", nullptr}, {"message", "Bulk operation does not exist"}}});
}

}  // namespace

void install_mutations(graphql::Schema& schema) {
    on(schema, "discountCodeBasicCreate", discount_code_basic_create);
    on(schema, "discountCodeDeactivate", discount_code_deactivate);
    on(schema, "productUpdate", product_update);
    on(schema, "productVariantsBulkUpdate", product_variants_bulk_update);
    on(schema, "inventoryAdjustQuantities", inventory_adjust_quantities);
    on(schema, "webhookSubscriptionCreate", webhook_subscription_create);
    on(schema, "webhookSubscriptionDelete", webhook_subscription_delete);
    on(schema, "bulkOperationRunQuery", bulk_operation_run_query);
    on(schema, "bulkOperationCancel", bulk_operation_cancel);
}

}  // namespace alatar::shopify_sim::admin
