#include "shopify_sim/admin_support.hpp"

#include <algorithm>
#include <cstdio>

#include "shopify_sim/money.hpp"
#include "shopify_sim/oauth.hpp"

namespace alatar::shopify_sim {

std::string gid(std::string_view type, Id id) {
    std::string out = "gid://shopify/";
    out += type;
    out += '/';
    out += std::to_string(id);
    return out;
}

std::string_view gid_type(std::string_view gid) {
    constexpr std::string_view kPrefix = "gid://shopify/";
    if (!gid.starts_with(kPrefix)) return {};
    gid.remove_prefix(kPrefix.size());
    const auto slash = gid.find('/');
    return slash == std::string_view::npos ? std::string_view{} : gid.substr(0, slash);
}

std::optional<Id> parse_gid(std::string_view gid, std::string_view type) {
    if (gid_type(gid) != type) return std::nullopt;
    std::string_view rest = gid.substr(std::string_view("gid://shopify/").size() + type.size() + 1);
    rest = rest.substr(0, rest.find('?'));
    if (rest.empty() || rest.size() > 19) return std::nullopt;
    Id id = 0;
    for (const char c : rest) {
        if (c < '0' || c > '9') return std::nullopt;
        id = id * 10 + static_cast<Id>(c - '0');
    }
    return id;
}

std::optional<std::string_view> required_scope(std::string_view root_field) {
    static constexpr std::pair<std::string_view, std::string_view> kScopes[] = {
        {"order", "read_orders"},
        {"orders", "read_orders"},
        {"ordersCount", "read_orders"},
        {"product", "read_products"},
        {"products", "read_products"},
        {"productsCount", "read_products"},
        {"productVariant", "read_products"},
        {"productVariants", "read_products"},
        {"customer", "read_customers"},
        {"customers", "read_customers"},
        {"customersCount", "read_customers"},
        {"inventoryItem", "read_inventory"},
        {"inventoryItems", "read_inventory"},
        {"inventoryLevel", "read_inventory"},
        {"location", "read_locations"},
        {"locations", "read_locations"},
        {"codeDiscountNode", "read_discounts"},
        {"codeDiscountNodeByCode", "read_discounts"},
        {"codeDiscountNodes", "read_discounts"},
        {"discountCodeBasicCreate", "write_discounts"},
        {"discountCodeDeactivate", "write_discounts"},
        {"productUpdate", "write_products"},
        {"productVariantsBulkUpdate", "write_products"},
        {"inventoryAdjustQuantities", "write_inventory"},
    };
    for (const auto& [field, scope] : kScopes) {
        if (field == root_field) return scope;
    }
    return std::nullopt;
}

namespace admin {

ApiContext& context(const graphql::ResolveInfo& info) {
    auto* ctx = dynamic_cast<ApiContext*>(info.context);
    if (ctx == nullptr || ctx->store == nullptr) throw std::logic_error("Admin API executed without its context");
    return *ctx;
}

void require_scope(const graphql::ResolveInfo& info, std::string_view scope) {
    const ApiContext& ctx = context(info);
    if (!ctx.scopes || scope_covers(*ctx.scopes, scope)) return;
    const std::string required = "`" + std::string(scope) + "` access scope.";
    throw graphql::FieldError(
        "Access denied for " + std::string(info.field.name) + " field. Required access: " + required,
        json::object{{"code", "ACCESS_DENIED"},
                     {"documentation", "https://shopify.dev/api/usage/access-scopes"},
                     {"requiredAccess", required}});
}

const json::value* arg(const graphql::ResolveInfo& info, std::string_view name) {
    const auto* v = info.args.if_contains(name);
    return v == nullptr || v->is_null() ? nullptr : v;
}

std::optional<std::string> arg_string(const graphql::ResolveInfo& info, std::string_view name) {
    const auto* v = arg(info, name);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->get_string());
}

std::optional<std::int64_t> arg_int(const graphql::ResolveInfo& info, std::string_view name) {
    const auto* v = arg(info, name);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    return std::nullopt;
}

bool arg_bool(const graphql::ResolveInfo& info, std::string_view name, bool fallback) {
    const auto* v = arg(info, name);
    return v != nullptr && v->is_bool() ? v->get_bool() : fallback;
}

const json::value* member(const json::value* object, std::string_view name) {
    if (object == nullptr || !object->is_object()) return nullptr;
    const auto* v = object->get_object().if_contains(name);
    return v == nullptr || v->is_null() ? nullptr : v;
}

std::optional<std::string> member_string(const json::value* object, std::string_view name) {
    const auto* v = member(object, name);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->get_string());
}

std::optional<double> as_double(const json::value* value) {
    if (value == nullptr) return std::nullopt;
    if (value->is_double()) return value->get_double();
    if (value->is_int64()) return static_cast<double>(value->get_int64());
    if (value->is_uint64()) return static_cast<double>(value->get_uint64());
    if (value->is_string()) {
        const std::string text(value->get_string());
        char* end = nullptr;
        const double d = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
        return d;
    }
    return std::nullopt;
}

std::size_t source_index(const graphql::ResolveInfo& info, std::string_view key) {
    const auto* obj = info.source.if_object();
    const auto* v = obj != nullptr ? obj->if_contains(key) : nullptr;
    if (v == nullptr || !v->is_uint64()) throw std::logic_error("entity JSON without its index");
    return static_cast<std::size_t>(v->get_uint64());
}

json::object money_v2(Cents cents, std::string_view currency) {
    return json::object{{"amount", format_money(cents)}, {"currencyCode", currency}};
}

json::object money_bag(Cents cents, std::string_view currency) {
    json::value m = money_v2(cents, currency);
    return json::object{{"shopMoney", m}, {"presentmentMoney", m}};
}

std::string format_time(Timestamp ts) { return format_timestamp(ts); }

json::value optional_time(const std::optional<Timestamp>& ts) {
    if (!ts) return nullptr;
    return json::value(format_timestamp(*ts));
}

json::array string_array(const std::vector<std::string>& items) {
    json::array out;
    out.reserve(items.size());
    for (const auto& s : items) out.emplace_back(s);
    return out;
}

namespace {

std::string offset_text(int minutes) {
    char buf[16];
    const int a = (minutes < 0 ? -minutes : minutes) % (24 * 60);
    std::snprintf(buf, sizeof buf, "%c%02d%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

json::value index_value(std::size_t i) { return json::value(static_cast<std::uint64_t>(i)); }

}  // namespace

json::object shop_json(const Store& store) {
    const Shop& s = store.shop;
    json::object o;
    o["__typename"] = "Shop";
    o["id"] = gid("Shop", s.id);
    o["name"] = s.name;
    o["email"] = s.email;
    o["contactEmail"] = s.email;
    o["myshopifyDomain"] = s.domain;
    o["url"] = "https://" + s.domain;
    o["primaryDomain"] = json::object{{"__typename", "Domain"},
                                      {"id", gid("Domain", s.id)},
                                      {"host", s.domain},
                                      {"url", "https://" + s.domain},
                                      {"sslEnabled", true}};
    o["currencyCode"] = s.currency_code;
    o["ianaTimezone"] = s.iana_timezone;
    o["timezoneAbbreviation"] = s.timezone_abbreviation;
    o["timezoneOffset"] = offset_text(s.utc_offset_minutes);
    o["timezoneOffsetMinutes"] = s.utc_offset_minutes;
    o["plan"] = json::object{{"displayName", s.plan_display_name},
                             {"partnerDevelopment", false},
                             {"shopifyPlus", s.rate_limit_plan == "Plus"},
                             {"publicDisplayName", s.plan_display_name}};
    o["createdAt"] = format_time(s.created_at);
    o["updatedAt"] = format_time(s.created_at);
    return o;
}

json::object order_json(const Store& store, std::size_t index) {
    const Order& r = store.orders[index];
    json::object o;
    o["__typename"] = "Order";
    o["_i"] = index_value(index);
    o["id"] = gid("Order", r.id);
    o["legacyResourceId"] = std::to_string(r.id);
    o["name"] = r.name;
    o["email"] = r.email.empty() ? json::value(nullptr) : json::value(r.email);
    o["createdAt"] = format_time(r.created_at);
    o["processedAt"] = format_time(r.processed_at);
    o["updatedAt"] = format_time(r.updated_at);
    o["cancelledAt"] = optional_time(r.cancelled_at);
    o["cancelReason"] = r.cancel_reason.empty() ? json::value(nullptr) : json::value(r.cancel_reason);
    o["closedAt"] = optional_time(r.closed_at);
    o["closed"] = r.closed_at.has_value();
    o["test"] = r.test;
    o["tags"] = string_array(r.tags);
    o["sourceName"] = r.source_name;
    o["currencyCode"] = store.shop.currency_code;
    o["presentmentCurrencyCode"] = store.shop.currency_code;
    o["displayFinancialStatus"] = r.financial_status;
    o["displayFulfillmentStatus"] = r.fulfillment_status;
    o["fullyPaid"] =
        r.financial_status == "PAID" || r.financial_status == "PARTIALLY_REFUNDED" || r.financial_status == "REFUNDED";
    o["discountCode"] = r.discount_codes.empty() ? json::value(nullptr) : json::value(r.discount_codes.front());
    o["discountCodes"] = string_array(r.discount_codes);
    int quantity = 0;
    int current = 0;
    for (const auto& l : r.lines) {
        quantity += l.quantity;
        current += l.current_quantity;
    }
    o["subtotalLineItemsQuantity"] = quantity;
    o["currentSubtotalLineItemsQuantity"] = current;
    return o;
}

json::object line_item_json(const Store& store, std::size_t order_index, std::size_t line_index) {
    const LineItem& l = store.orders[order_index].lines[line_index];
    const Product* p = store.find_product(l.product_id);
    json::object o;
    o["__typename"] = "LineItem";
    o["_i"] = index_value(order_index);
    o["_l"] = index_value(line_index);
    o["id"] = gid("LineItem", l.id);
    o["title"] = l.title;
    o["name"] =
        l.variant_title.empty() || l.variant_title == "Default Title" ? l.title : l.title + " - " + l.variant_title;
    o["variantTitle"] = l.variant_title.empty() ? json::value(nullptr) : json::value(l.variant_title);
    o["sku"] = l.sku.empty() ? json::value(nullptr) : json::value(l.sku);
    o["vendor"] = p != nullptr ? json::value(p->vendor) : json::value(nullptr);
    o["quantity"] = l.quantity;
    o["currentQuantity"] = l.current_quantity;
    o["refundableQuantity"] = l.current_quantity;
    return o;
}

json::object product_json(const Store& store, std::size_t index) {
    const Product& p = store.products[index];
    json::object o;
    o["__typename"] = "Product";
    o["_i"] = index_value(index);
    o["id"] = gid("Product", p.id);
    o["legacyResourceId"] = std::to_string(p.id);
    o["title"] = p.title;
    o["handle"] = p.handle;
    o["descriptionHtml"] = p.description_html;
    o["productType"] = p.product_type;
    o["vendor"] = p.vendor;
    o["status"] = product_status_name(p.status);
    o["tags"] = string_array(p.tags);
    o["createdAt"] = format_time(p.created_at);
    o["updatedAt"] = format_time(p.updated_at);
    o["publishedAt"] = optional_time(p.published_at);
    int total = 0;
    for (std::size_t v = p.first_variant; v < p.first_variant + p.variant_count; ++v) {
        total += variant_available(store, store.variants[v]);
    }
    o["totalInventory"] = total;
    o["tracksInventory"] = true;
    o["hasOnlyDefaultVariant"] = p.variant_count == 1 && store.variants[p.first_variant].title == "Default Title";
    o["variantsCount"] = json::object{{"count", p.variant_count}, {"precision", "EXACT"}};
    return o;
}

json::object variant_json(const Store& store, std::size_t index) {
    const Variant& v = store.variants[index];
    const Product* p = store.find_product(v.product_id);
    json::object o;
    o["__typename"] = "ProductVariant";
    o["_i"] = index_value(index);
    o["id"] = gid("ProductVariant", v.id);
    o["legacyResourceId"] = std::to_string(v.id);
    o["title"] = v.title;
    o["displayName"] = (p != nullptr ? p->title : std::string()) + " - " + v.title;
    o["sku"] = v.sku;
    o["price"] = format_money(v.price);
    o["compareAtPrice"] = v.compare_at_price ? json::value(format_money(*v.compare_at_price)) : json::value(nullptr);
    o["position"] = v.position;
    o["inventoryQuantity"] = variant_available(store, v);
    o["createdAt"] = format_time(v.created_at);
    o["updatedAt"] = format_time(v.updated_at);
    return o;
}

json::object inventory_item_json(const Store& store, std::size_t variant_index) {
    const Variant& v = store.variants[variant_index];
    json::object o;
    o["__typename"] = "InventoryItem";
    o["_i"] = index_value(variant_index);
    o["id"] = gid("InventoryItem", v.inventory_item_id);
    o["legacyResourceId"] = std::to_string(v.inventory_item_id);
    o["sku"] = v.sku;
    o["tracked"] = true;
    o["unitCost"] = money_v2(v.unit_cost, store.shop.currency_code);
    o["createdAt"] = format_time(v.created_at);
    o["updatedAt"] = format_time(v.updated_at);
    return o;
}

json::object inventory_level_json(const Store& store, std::size_t level_index) {
    const InventoryLevel& l = store.inventory_levels[level_index];
    json::object o;
    o["__typename"] = "InventoryLevel";
    o["_i"] = index_value(level_index);
    o["id"] = gid("InventoryLevel", l.location_id) + "?inventory_item_id=" + std::to_string(l.inventory_item_id);
    o["createdAt"] = format_time(store.shop.created_at);
    o["updatedAt"] = format_time(l.updated_at);
    return o;
}

json::object location_json(const Store& store, std::size_t index) {
    const Location& l = store.locations[index];
    json::object o;
    o["__typename"] = "Location";
    o["_i"] = index_value(index);
    o["id"] = gid("Location", l.id);
    o["legacyResourceId"] = std::to_string(l.id);
    o["name"] = l.name;
    o["address"] = json::object{{"address1", l.address1}, {"city", l.city}, {"countryCode", l.country_code}};
    o["isActive"] = l.active;
    o["fulfillsOnlineOrders"] = l.active;
    o["createdAt"] = format_time(l.created_at);
    return o;
}

json::object customer_json(const Store& store, std::size_t index) {
    const Customer& c = store.customers[index];
    json::object o;
    o["__typename"] = "Customer";
    o["_i"] = index_value(index);
    o["id"] = gid("Customer", c.id);
    o["legacyResourceId"] = std::to_string(c.id);
    o["firstName"] = c.first_name;
    o["lastName"] = c.last_name;
    o["displayName"] = c.first_name + " " + c.last_name;
    o["email"] = c.email;
    o["defaultEmailAddress"] = json::object{{"emailAddress", c.email}};
    o["phone"] = c.phone.empty() ? json::value(nullptr) : json::value(c.phone);
    o["state"] = c.state;
    o["verifiedEmail"] = c.verified_email;
    o["tags"] = string_array(c.tags);
    o["numberOfOrders"] = std::to_string(c.orders_count);
    o["amountSpent"] = money_v2(c.amount_spent, store.shop.currency_code);
    o["createdAt"] = format_time(c.created_at);
    o["updatedAt"] = format_time(c.updated_at);
    return o;
}

json::object discount_node_json(const Store& store, std::size_t index, Timestamp now) {
    const DiscountCode& d = store.discount_codes[index];
    const std::string& currency = store.shop.currency_code;
    json::object basic;
    basic["__typename"] = "DiscountCodeBasic";
    basic["_i"] = index_value(index);
    basic["title"] = d.title;
    std::string summary;
    json::object value;
    if (d.kind == DiscountValueKind::kPercentage) {
        value = json::object{{"__typename", "DiscountPercentage"}, {"percentage", d.percentage_bp / 10000.0}};
        summary = std::to_string(d.percentage_bp / 100) + "% off";
    } else {
        value = json::object{
            {"__typename", "DiscountAmount"}, {"amount", money_v2(d.amount, currency)}, {"appliesOnEachItem", false}};
        summary = "$" + format_money(d.amount) + " off";
    }
    summary += d.product_ids.empty() ? " entire order" : " specific products";
    if (d.minimum_subtotal > 0) summary += " • Minimum purchase of $" + format_money(d.minimum_subtotal);
    basic["summary"] = summary;
    basic["status"] = discount_status(d, now);
    basic["discountClass"] = d.product_ids.empty() ? "ORDER" : "PRODUCT";
    basic["startsAt"] = format_time(d.starts_at);
    basic["endsAt"] = optional_time(d.ends_at);
    basic["createdAt"] = format_time(d.created_at);
    basic["updatedAt"] = format_time(d.updated_at);
    basic["asyncUsageCount"] = d.usage_count;
    basic["usageLimit"] = d.usage_limit ? json::value(*d.usage_limit) : json::value(nullptr);
    basic["appliesOncePerCustomer"] = d.applies_once_per_customer;
    basic["codesCount"] = json::object{{"count", 1}, {"precision", "EXACT"}};
    json::object items;
    if (d.product_ids.empty()) {
        items = json::object{{"__typename", "AllDiscountItems"}, {"allItems", true}};
    } else {
        items = json::object{{"__typename", "DiscountProducts"}, {"_i", index_value(index)}};
    }
    basic["customerGets"] = json::object{{"value", std::move(value)},
                                         {"items", std::move(items)},
                                         {"appliesOnOneTimePurchase", true},
                                         {"appliesOnSubscription", false}};
    if (d.minimum_subtotal > 0) {
        basic["minimumRequirement"] =
            json::object{{"__typename", "DiscountMinimumSubtotal"},
                         {"greaterThanOrEqualToSubtotal", money_v2(d.minimum_subtotal, currency)}};
    } else {
        basic["minimumRequirement"] = nullptr;
    }
    json::object node;
    node["__typename"] = "DiscountCodeNode";
    node["_i"] = index_value(index);
    node["id"] = gid("DiscountCodeNode", d.id);
    node["codeDiscount"] = std::move(basic);
    return node;
}

json::object bulk_operation_json(const BulkOperationRecord& op) {
    json::object o;
    o["__typename"] = "BulkOperation";
    o["id"] = gid("BulkOperation", op.id);
    o["status"] = op.status;
    o["type"] = "QUERY";
    o["errorCode"] = op.error_code ? json::value(*op.error_code) : json::value(nullptr);
    o["createdAt"] = format_time(op.created_at);
    o["completedAt"] = optional_time(op.completed_at);
    o["objectCount"] = std::to_string(op.object_count);
    o["rootObjectCount"] = std::to_string(op.root_object_count);
    const bool done = op.status == "COMPLETED";
    o["fileSize"] = done ? json::value(std::to_string(op.file_size)) : json::value(nullptr);
    o["url"] = done && op.object_count > 0 ? json::value(op.url) : json::value(nullptr);
    o["partialDataUrl"] = nullptr;
    o["query"] = op.query;
    return o;
}

json::object webhook_json(const WebhookSubscriptionRecord& hook) {
    json::object o;
    o["__typename"] = "WebhookSubscription";
    o["id"] = gid("WebhookSubscription", hook.id);
    o["topic"] = hook.topic;
    o["uri"] = hook.callback_url;
    o["callbackUrl"] = hook.callback_url;
    o["endpoint"] = json::object{{"__typename", "WebhookHttpEndpoint"}, {"callbackUrl", hook.callback_url}};
    o["format"] = hook.format;
    o["includeFields"] = string_array(hook.include_fields);
    o["createdAt"] = format_time(hook.created_at);
    o["updatedAt"] = format_time(hook.updated_at);
    return o;
}

namespace {

template <class T>
std::optional<std::size_t> index_in(const std::vector<T>& items, const T* item) {
    if (item == nullptr) return std::nullopt;
    return static_cast<std::size_t>(item - items.data());
}

}  // namespace

std::optional<std::size_t> order_index(const Store& store, Id id) {
    return index_in(store.orders, store.find_order(id));
}
std::optional<std::size_t> product_index(const Store& store, Id id) {
    return index_in(store.products, store.find_product(id));
}
std::optional<std::size_t> variant_index(const Store& store, Id id) {
    return index_in(store.variants, store.find_variant(id));
}
std::optional<std::size_t> variant_index_by_item(const Store& store, Id inventory_item_id) {
    return index_in(store.variants, store.find_variant_by_inventory_item(inventory_item_id));
}
std::optional<std::size_t> customer_index(const Store& store, Id id) {
    return index_in(store.customers, store.find_customer(id));
}
std::optional<std::size_t> location_index(const Store& store, Id id) {
    return index_in(store.locations, store.find_location(id));
}
std::optional<std::size_t> discount_index(const Store& store, Id id) {
    const auto it = std::lower_bound(store.discount_codes.begin(), store.discount_codes.end(), id,
                                     [](const DiscountCode& d, Id wanted) { return d.id < wanted; });
    if (it == store.discount_codes.end() || it->id != id) return std::nullopt;
    return static_cast<std::size_t>(it - store.discount_codes.begin());
}

std::optional<std::size_t> level_index(const Store& store, Id inventory_item_id, Id location_id) {
    // Levels are grouped by inventory item in variant order, so the variant's position finds the group.
    const auto v = variant_index_by_item(store, inventory_item_id);
    if (!v) return std::nullopt;
    const std::size_t per_item = store.locations.empty() ? 0 : store.inventory_levels.size() / store.variants.size();
    std::size_t start = *v * per_item;
    if (per_item == 0 || start >= store.inventory_levels.size() ||
        store.inventory_levels[start].inventory_item_id != inventory_item_id) {
        start = 0;  // irregular layout: scan
    }
    for (std::size_t i = start; i < store.inventory_levels.size(); ++i) {
        const auto& l = store.inventory_levels[i];
        if (l.inventory_item_id == inventory_item_id && l.location_id == location_id) return i;
        if (start != 0 && l.inventory_item_id != inventory_item_id) break;
    }
    return std::nullopt;
}

int variant_available(const Store& store, const Variant& variant) {
    int total = 0;
    for (const auto& loc : store.locations) {
        if (const auto l = level_index(store, variant.inventory_item_id, loc.id)) {
            total += store.inventory_levels[*l].available;
        }
    }
    return total;
}

json::object user_error(std::initializer_list<std::string_view> field, std::string_view message) {
    json::array f;
    for (const auto s : field) f.emplace_back(s);
    return json::object{{"__typename", "UserError"},
                        {"field", field.size() == 0 ? json::value(nullptr) : json::value(std::move(f))},
                        {"message", message}};
}

json::object coded_user_error(const std::vector<std::string>& field, std::string_view code, std::string_view message) {
    json::array f;
    for (const auto& s : field) f.emplace_back(s);
    return json::object{{"field", field.empty() ? json::value(nullptr) : json::value(std::move(f))},
                        {"code", code},
                        {"message", message},
                        {"extraInfo", nullptr}};
}

json::object coded_user_error(std::initializer_list<std::string_view> field, std::string_view code,
                              std::string_view message) {
    std::vector<std::string> f;
    for (const auto s : field) f.emplace_back(s);
    return coded_user_error(f, code, message);
}

std::string order_webhook_body(const Store& store, const Order& order) {
    const std::string& currency = store.shop.currency_code;
    json::object o;
    o["id"] = order.id;
    o["admin_graphql_api_id"] = gid("Order", order.id);
    o["name"] = order.name;
    o["order_number"] = order.id;
    o["email"] = order.email;
    o["created_at"] = format_time(order.created_at);
    o["processed_at"] = format_time(order.processed_at);
    o["updated_at"] = format_time(order.updated_at);
    o["cancelled_at"] = optional_time(order.cancelled_at);
    o["test"] = order.test;
    o["currency"] = currency;
    o["financial_status"] = [&] {
        std::string s = order.financial_status;
        for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        return s;
    }();
    o["total_price"] = format_money(order.total_price);
    o["subtotal_price"] = format_money(order.subtotal_price);
    o["total_discounts"] = format_money(order.total_discounts);
    o["total_tax"] = format_money(order.total_tax);
    o["total_line_items_price"] = format_money(order.total_line_items_price);
    o["tags"] = [&] {
        std::string joined;
        for (const auto& t : order.tags) joined += (joined.empty() ? "" : ", ") + t;
        return joined;
    }();
    json::array codes;
    for (const auto& c : order.discount_codes) codes.push_back(json::object{{"code", c}, {"type", "percentage"}});
    o["discount_codes"] = std::move(codes);
    json::array lines;
    for (const auto& l : order.lines) {
        json::object line;
        line["id"] = l.id;
        line["admin_graphql_api_id"] = gid("LineItem", l.id);
        line["product_id"] = l.product_id;
        line["variant_id"] = l.variant_id;
        line["title"] = l.title;
        line["variant_title"] = l.variant_title;
        line["sku"] = l.sku;
        line["quantity"] = l.quantity;
        line["current_quantity"] = l.current_quantity;
        line["price"] = format_money(l.price);
        line["total_discount"] = format_money(l.total_discount);
        lines.push_back(std::move(line));
    }
    o["line_items"] = std::move(lines);
    if (order.customer_id) {
        if (const Customer* c = store.find_customer(*order.customer_id)) {
            o["customer"] = json::object{{"id", c->id},
                                         {"admin_graphql_api_id", gid("Customer", c->id)},
                                         {"email", c->email},
                                         {"first_name", c->first_name},
                                         {"last_name", c->last_name}};
        }
    } else {
        o["customer"] = nullptr;
    }
    return json::serialize(o);
}

std::string product_webhook_body(const Store& store, const Product& product) {
    json::object o;
    o["id"] = product.id;
    o["admin_graphql_api_id"] = gid("Product", product.id);
    o["title"] = product.title;
    o["body_html"] = product.description_html;
    o["vendor"] = product.vendor;
    o["product_type"] = product.product_type;
    o["handle"] = product.handle;
    std::string status(product_status_name(product.status));
    for (char& c : status) c = static_cast<char>(c - 'A' + 'a');
    o["status"] = status;
    o["created_at"] = format_time(product.created_at);
    o["updated_at"] = format_time(product.updated_at);
    std::string tags;
    for (const auto& t : product.tags) tags += (tags.empty() ? "" : ", ") + t;
    o["tags"] = tags;
    json::array variants;
    for (std::size_t i = product.first_variant; i < product.first_variant + product.variant_count; ++i) {
        const Variant& v = store.variants[i];
        variants.push_back(json::object{
            {"id", v.id},
            {"admin_graphql_api_id", gid("ProductVariant", v.id)},
            {"product_id", v.product_id},
            {"title", v.title},
            {"sku", v.sku},
            {"price", format_money(v.price)},
            {"compare_at_price", v.compare_at_price ? json::value(format_money(*v.compare_at_price)) : nullptr},
            {"inventory_item_id", v.inventory_item_id},
            {"inventory_quantity", variant_available(store, v)},
            {"updated_at", format_time(v.updated_at)}});
    }
    o["variants"] = std::move(variants);
    return json::serialize(o);
}

std::string shop_webhook_body(const Store& store) {
    const Shop& s = store.shop;
    json::object o{{"id", s.id},
                   {"name", s.name},
                   {"email", s.email},
                   {"domain", s.domain},
                   {"myshopify_domain", s.domain},
                   {"currency", s.currency_code},
                   {"iana_timezone", s.iana_timezone},
                   {"plan_display_name", s.plan_display_name},
                   {"created_at", format_time(s.created_at)}};
    return json::serialize(o);
}

}  // namespace admin
}  // namespace alatar::shopify_sim
