#include "shopify_sim/admin_api.hpp"

#include <algorithm>
#include <stdexcept>

#include "graphql/error.hpp"
#include "shopify_sim/admin_support.hpp"
#include "shopify_sim/money.hpp"
#include "shopify_sim/oauth.hpp"
#include "shopify_sim/pagination.hpp"
#include "shopify_sim/search_query.hpp"

namespace alatar::shopify_sim {

extern const char* const kAdminSchemaSdl;  // admin_schema_sdl.cpp, generated from admin_schema.graphql

namespace admin {
namespace {

using graphql::ResolveInfo;

void on(graphql::Schema& schema, std::string_view type, std::string_view field,
        std::function<json::value(const ResolveInfo&)> fn) {
    if (!schema.set_resolver(type, field,
                             graphql::FieldResolver{.sync = std::move(fn), .async = {}, .subscribe = {}})) {
        throw std::logic_error("Admin schema has no field " + std::string(type) + "." + std::string(field));
    }
}

const Store& store_of(const ResolveInfo& info) { return *context(info).store; }

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool contains_ci(std::string_view haystack, std::string_view needle) {
    return lower(haystack).find(lower(needle)) != std::string::npos;
}

bool any_tag(const std::vector<std::string>& tags, const SearchTerm& term) {
    return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return match_string(t, term); });
}

// ---- connections --------------------------------------------------------------------------------------------

struct Parts {
    bool edges = false;
    bool nodes = false;
};

// Which of edges/nodes the query selects, so the other is not built (both when fragments hide it).
Parts selected_parts(const ResolveInfo& info) {
    Parts parts;
    const auto* set = info.field_node.selection_set;
    if (set == nullptr) return parts;
    for (const auto* sel : set->selections) {
        if (sel->kind != graphql::ast::SelectionKind::kField) return {true, true};
        if (sel->name.value == "edges") parts.edges = true;
        if (sel->name.value == "nodes") parts.nodes = true;
    }
    return parts;
}

template <class T, class KeyFn, class JsonFn>
json::value connection(const ResolveInfo& info, std::vector<const T*> items, KeyFn key, JsonFn to_json) {
    const Parts parts = selected_parts(info);
    PageRequest request;
    request.first = arg_int(info, "first");
    request.last = arg_int(info, "last");
    request.after = arg_string(info, "after");
    request.before = arg_string(info, "before");
    request.reverse = arg_bool(info, "reverse", false);
    Page<T> page;
    if (context(info).bulk && !request.first && !request.last) {
        // Bulk operations walk whole connections.
        const bool reverse = request.reverse;
        std::vector<std::pair<CursorKey, const T*>> sorted;
        sorted.reserve(items.size());
        for (const T* item : items) sorted.emplace_back(key(*item), item);
        std::sort(sorted.begin(), sorted.end(), [reverse](const auto& a, const auto& b) {
            return reverse ? cursor_less(b.first, a.first) : cursor_less(a.first, b.first);
        });
        std::size_t lo = 0;
        std::size_t hi = sorted.size();
        const auto& window = context(info).bulk_window;
        if (info.path.parent == nullptr && window.limit > 0) {
            lo = std::min(window.offset, sorted.size());
            hi = std::min(sorted.size(), lo + window.limit);
        }
        for (std::size_t i = lo; i < hi; ++i) {
            const auto& [k, item] = sorted[i];
            page.items.push_back(item);
            if (parts.edges) page.cursors.push_back(encode_cursor(k));
        }
    } else {
        auto result = paginate<T>(std::move(items), key, request);
        if (const auto* error = std::get_if<PageError>(&result)) throw graphql::FieldError(error->message);
        page = std::move(std::get<Page<T>>(result));
    }
    json::array edges;
    json::array nodes;
    for (std::size_t i = 0; i < page.items.size(); ++i) {
        json::object node = to_json(*page.items[i]);
        if (parts.edges && parts.nodes) nodes.emplace_back(node);
        if (parts.edges) {
            json::object edge;
            edge["cursor"] = i < page.cursors.size() ? page.cursors[i] : std::string();
            edge["node"] = std::move(node);
            edges.emplace_back(std::move(edge));
        } else if (parts.nodes) {
            nodes.emplace_back(std::move(node));
        }
    }
    json::object info_json;
    info_json["hasNextPage"] = page.info.has_next_page;
    info_json["hasPreviousPage"] = page.info.has_previous_page;
    info_json["startCursor"] = page.info.start_cursor ? json::value(*page.info.start_cursor) : json::value(nullptr);
    info_json["endCursor"] = page.info.end_cursor ? json::value(*page.info.end_cursor) : json::value(nullptr);
    return json::object{{"edges", std::move(edges)}, {"nodes", std::move(nodes)}, {"pageInfo", std::move(info_json)}};
}

// Items of `all` that match the `query:` argument (all of them without one).
template <class T, class MatchFn>
std::vector<const T*> filtered(const ResolveInfo& info, const std::vector<T>& all, MatchFn matches) {
    std::vector<const T*> out;
    out.reserve(all.size());
    const auto query = arg_string(info, "query");
    if (!query || query->find_first_not_of(" \t") == std::string::npos) {
        for (const T& item : all) out.push_back(&item);
        return out;
    }
    auto parsed = parse_search_query(*query);
    if (const auto* error = std::get_if<SearchSyntaxError>(&parsed)) {
        throw graphql::FieldError("Invalid search query: " + error->message);
    }
    const SearchNode& tree = std::get<SearchNode>(parsed);
    for (const T& item : all) {
        if (search_matches(tree, [&](const SearchTerm& term) { return matches(item, term); })) out.push_back(&item);
    }
    return out;
}

std::string sort_key(const ResolveInfo& info, std::string_view fallback) {
    return arg_string(info, "sortKey").value_or(std::string(fallback));
}

json::value count_json(const ResolveInfo& info, std::size_t n) {
    const std::int64_t limit = arg_int(info, "limit").value_or(10000);
    const bool capped = limit >= 0 && static_cast<std::int64_t>(n) > limit;
    return json::object{{"count", capped ? limit : static_cast<std::int64_t>(n)},
                        {"precision", capped ? "AT_LEAST" : "EXACT"}};
}

// ---- orders -------------------------------------------------------------------------------------------------

bool order_matches(const Store& store, const Order& o, const SearchTerm& t) {
    const int offset = store.shop.utc_offset_minutes;
    const std::string& f = t.field;
    if (f.empty()) {
        return contains_ci(o.name, t.value) || contains_ci(o.email, t.value) ||
               (t.value.starts_with('#') ? false : contains_ci(o.name, "#" + t.value));
    }
    if (f == "created_at") return match_timestamp(o.created_at, t, offset);
    if (f == "processed_at") return match_timestamp(o.processed_at, t, offset);
    if (f == "updated_at") return match_timestamp(o.updated_at, t, offset);
    if (f == "id") return match_integer(static_cast<std::int64_t>(o.id), t);
    if (f == "name") return match_string(o.name, t) || match_string(o.name.substr(1), t);
    if (f == "email") return match_string(o.email, t);
    if (f == "test") return match_bool(o.test, t);
    if (f == "tag") return any_tag(o.tags, t);
    if (f == "financial_status") return match_string(o.financial_status, t);
    if (f == "fulfillment_status") return match_string(o.fulfillment_status, t);
    if (f == "source_name") return match_string(o.source_name, t);
    if (f == "customer_id") return o.customer_id && match_integer(static_cast<std::int64_t>(*o.customer_id), t);
    if (f == "discount_code") {
        return std::any_of(o.discount_codes.begin(), o.discount_codes.end(),
                           [&](const std::string& c) { return match_string(c, t); });
    }
    if (f == "sku") {
        return std::any_of(o.lines.begin(), o.lines.end(), [&](const LineItem& l) { return match_string(l.sku, t); });
    }
    if (f == "status") {
        const std::string status = o.cancelled_at ? "cancelled" : (o.closed_at ? "closed" : "open");
        return match_string(status, t);
    }
    return true;  // Shopify ignores filters it does not know (and warns in extensions.search)
}

CursorKey order_key(const Order& o, std::string_view sort) {
    if (sort == "CREATED_AT") return {o.created_at, o.id};
    if (sort == "UPDATED_AT") return {o.updated_at, o.id};
    if (sort == "PROCESSED_AT") return {o.processed_at, o.id};
    if (sort == "TOTAL_PRICE") return {o.total_price, o.id};
    if (sort == "FINANCIAL_STATUS") return {o.financial_status, o.id};
    if (sort == "FULFILLMENT_STATUS") return {o.fulfillment_status, o.id};
    return {static_cast<std::int64_t>(o.id), o.id};
}

json::value orders_connection(const ResolveInfo& info, std::vector<const Order*> items) {
    const Store& store = store_of(info);
    const std::string sort = sort_key(info, "PROCESSED_AT");
    return connection<Order>(
        info, std::move(items), [&](const Order& o) { return order_key(o, sort); },
        [&](const Order& o) { return order_json(store, static_cast<std::size_t>(&o - store.orders.data())); });
}

// ---- products and variants ----------------------------------------------------------------------------------

bool product_matches(const Store& store, const Product& p, const SearchTerm& t) {
    const int offset = store.shop.utc_offset_minutes;
    const std::string& f = t.field;
    if (f.empty()) return contains_ci(p.title, t.value) || contains_ci(p.vendor, t.value);
    if (f == "title") return t.prefix ? match_string(p.title, t) : contains_ci(p.title, t.value);
    if (f == "handle") return match_string(p.handle, t);
    if (f == "product_type") return match_string(p.product_type, t);
    if (f == "vendor") return match_string(p.vendor, t);
    if (f == "status") return match_string(product_status_name(p.status), t);
    if (f == "tag") return any_tag(p.tags, t);
    if (f == "created_at") return match_timestamp(p.created_at, t, offset);
    if (f == "updated_at") return match_timestamp(p.updated_at, t, offset);
    if (f == "published_at") return p.published_at && match_timestamp(*p.published_at, t, offset);
    if (f == "id") return match_integer(static_cast<std::int64_t>(p.id), t);
    if (f == "sku") {
        for (std::size_t i = p.first_variant; i < p.first_variant + p.variant_count; ++i) {
            if (match_string(store.variants[i].sku, t)) return true;
        }
        return false;
    }
    return true;
}

CursorKey product_key(const Store& store, const Product& p, std::string_view sort) {
    if (sort == "TITLE") return {lower(p.title), p.id};
    if (sort == "CREATED_AT") return {p.created_at, p.id};
    if (sort == "UPDATED_AT") return {p.updated_at, p.id};
    if (sort == "PUBLISHED_AT") return {p.published_at.value_or(0), p.id};
    if (sort == "PRODUCT_TYPE") return {lower(p.product_type), p.id};
    if (sort == "VENDOR") return {lower(p.vendor), p.id};
    if (sort == "INVENTORY_TOTAL") {
        std::int64_t total = 0;
        for (std::size_t i = p.first_variant; i < p.first_variant + p.variant_count; ++i) {
            total += variant_available(store, store.variants[i]);
        }
        return {total, p.id};
    }
    return {static_cast<std::int64_t>(p.id), p.id};
}

bool variant_matches(const Store& store, const Variant& v, const SearchTerm& t) {
    const std::string& f = t.field;
    if (f.empty()) return contains_ci(v.sku, t.value) || contains_ci(v.title, t.value);
    if (f == "sku") return match_string(v.sku, t);
    if (f == "title") return match_string(v.title, t);
    if (f == "product_id") return match_integer(static_cast<std::int64_t>(v.product_id), t);
    if (f == "id") return match_integer(static_cast<std::int64_t>(v.id), t);
    if (f == "price") {
        const auto wanted = parse_money(t.value);
        if (!wanted) return false;
        SearchTerm cents = t;
        cents.value = std::to_string(*wanted);
        return match_integer(v.price, cents);
    }
    if (f == "inventory_quantity") return match_integer(variant_available(store, v), t);
    if (f == "updated_at") return match_timestamp(v.updated_at, t, store.shop.utc_offset_minutes);
    return true;
}

CursorKey variant_key(const Variant& v, std::string_view sort) {
    if (sort == "SKU") return {lower(v.sku), v.id};
    if (sort == "TITLE" || sort == "NAME" || sort == "FULL_TITLE") return {lower(v.title), v.id};
    if (sort == "POSITION") return {static_cast<std::int64_t>(v.position), v.id};
    return {static_cast<std::int64_t>(v.id), v.id};
}

json::value variants_connection(const ResolveInfo& info, std::vector<const Variant*> items, std::string_view fallback) {
    const Store& store = store_of(info);
    const std::string sort = sort_key(info, fallback);
    return connection<Variant>(
        info, std::move(items), [&](const Variant& v) { return variant_key(v, sort); },
        [&](const Variant& v) { return variant_json(store, static_cast<std::size_t>(&v - store.variants.data())); });
}

// ---- customers ----------------------------------------------------------------------------------------------

bool customer_matches(const Store& store, const Customer& c, const SearchTerm& t) {
    const int offset = store.shop.utc_offset_minutes;
    const std::string& f = t.field;
    if (f.empty()) {
        return contains_ci(c.first_name, t.value) || contains_ci(c.last_name, t.value) || contains_ci(c.email, t.value);
    }
    if (f == "email") return match_string(c.email, t);
    if (f == "first_name") return match_string(c.first_name, t);
    if (f == "last_name") return match_string(c.last_name, t);
    if (f == "phone") return match_string(c.phone, t);
    if (f == "state") return match_string(c.state, t);
    if (f == "tag") return any_tag(c.tags, t);
    if (f == "created_at") return match_timestamp(c.created_at, t, offset);
    if (f == "updated_at") return match_timestamp(c.updated_at, t, offset);
    if (f == "id") return match_integer(static_cast<std::int64_t>(c.id), t);
    if (f == "orders_count" || f == "number_of_orders") return match_integer(c.orders_count, t);
    if (f == "total_spent" || f == "amount_spent") {
        const auto wanted = parse_money(t.value);
        if (!wanted) return false;
        SearchTerm cents = t;
        cents.value = std::to_string(*wanted);
        return match_integer(c.amount_spent, cents);
    }
    if (f == "accepts_marketing") return match_bool(c.accepts_marketing, t);
    return true;
}

CursorKey customer_key(const Customer& c, std::string_view sort) {
    if (sort == "CREATED_AT") return {c.created_at, c.id};
    if (sort == "UPDATED_AT") return {c.updated_at, c.id};
    if (sort == "NAME") return {lower(c.first_name + " " + c.last_name), c.id};
    return {static_cast<std::int64_t>(c.id), c.id};
}

// ---- inventory and locations --------------------------------------------------------------------------------

bool item_matches(const Store& store, const Variant& v, const SearchTerm& t) {
    const std::string& f = t.field;
    if (f.empty() || f == "sku") return f.empty() ? contains_ci(v.sku, t.value) : match_string(v.sku, t);
    if (f == "id") return match_integer(static_cast<std::int64_t>(v.inventory_item_id), t);
    if (f == "created_at") return match_timestamp(v.created_at, t, store.shop.utc_offset_minutes);
    if (f == "updated_at") return match_timestamp(v.updated_at, t, store.shop.utc_offset_minutes);
    return true;
}

bool location_matches(const Location& l, const SearchTerm& t) {
    const std::string& f = t.field;
    if (f.empty()) return contains_ci(l.name, t.value);
    if (f == "name") return match_string(l.name, t);
    if (f == "id") return match_integer(static_cast<std::int64_t>(l.id), t);
    if (f == "active") return match_bool(l.active, t);
    return true;
}

json::value levels_connection(const ResolveInfo& info, std::vector<const InventoryLevel*> items) {
    const Store& store = store_of(info);
    return connection<InventoryLevel>(
        info, std::move(items),
        [&](const InventoryLevel& l) {
            return CursorKey{static_cast<std::int64_t>(l.inventory_item_id),
                             static_cast<std::uint64_t>(&l - store.inventory_levels.data())};
        },
        [&](const InventoryLevel& l) {
            return inventory_level_json(store, static_cast<std::size_t>(&l - store.inventory_levels.data()));
        });
}

bool level_query_matches(const Store& store, const InventoryLevel& l, const SearchTerm& t) {
    if (t.field == "available") return match_integer(l.available, t);
    if (t.field == "on_hand") return match_integer(l.on_hand, t);
    if (t.field == "updated_at") return match_timestamp(l.updated_at, t, store.shop.utc_offset_minutes);
    if (t.field == "location_id") return match_integer(static_cast<std::int64_t>(l.location_id), t);
    if (t.field == "inventory_item_id") return match_integer(static_cast<std::int64_t>(l.inventory_item_id), t);
    return true;
}

// ---- discounts ----------------------------------------------------------------------------------------------

bool discount_matches(const Store& store, const DiscountCode& d, const SearchTerm& t, Timestamp now) {
    const std::string& f = t.field;
    if (f.empty()) return contains_ci(d.title, t.value) || contains_ci(d.code, t.value);
    if (f == "code") return match_string(d.code, t);
    if (f == "title") return match_string(d.title, t);
    if (f == "status") return match_string(discount_status(d, now), t);
    if (f == "starts_at") return match_timestamp(d.starts_at, t, store.shop.utc_offset_minutes);
    if (f == "ends_at") return d.ends_at && match_timestamp(*d.ends_at, t, store.shop.utc_offset_minutes);
    if (f == "created_at") return match_timestamp(d.created_at, t, store.shop.utc_offset_minutes);
    if (f == "updated_at") return match_timestamp(d.updated_at, t, store.shop.utc_offset_minutes);
    if (f == "id") return match_integer(static_cast<std::int64_t>(d.id), t);
    return true;
}

CursorKey discount_key(const DiscountCode& d, std::string_view sort) {
    if (sort == "CREATED_AT") return {d.created_at, d.id};
    if (sort == "UPDATED_AT") return {d.updated_at, d.id};
    if (sort == "STARTS_AT") return {d.starts_at, d.id};
    if (sort == "ENDS_AT") return {d.ends_at.value_or(0), d.id};
    if (sort == "TITLE") return {lower(d.title), d.id};
    return {static_cast<std::int64_t>(d.id), d.id};
}

// ---- node ---------------------------------------------------------------------------------------------------

json::value node_by_id(const ResolveInfo& info, std::string_view id) {
    ApiContext& ctx = context(info);
    const Store& store = *ctx.store;
    const std::string_view type = gid_type(id);
    const auto number = parse_gid(id, type);
    if (!number) return nullptr;
    const auto with_scope = [&](std::string_view scope) {
        if (!ctx.scopes || scope_covers(*ctx.scopes, scope)) return true;
        require_scope(info, scope);
        return false;
    };
    if (type == "Order") {
        const auto i = order_index(store, *number);
        if (!i || !with_scope("read_orders")) return nullptr;
        return order_json(store, *i);
    }
    if (type == "Product") {
        const auto i = product_index(store, *number);
        if (!i || !with_scope("read_products")) return nullptr;
        return product_json(store, *i);
    }
    if (type == "ProductVariant") {
        const auto i = variant_index(store, *number);
        if (!i || !with_scope("read_products")) return nullptr;
        return variant_json(store, *i);
    }
    if (type == "InventoryItem") {
        const auto i = variant_index_by_item(store, *number);
        if (!i || !with_scope("read_inventory")) return nullptr;
        return inventory_item_json(store, *i);
    }
    if (type == "InventoryLevel") {
        const auto q = id.find("?inventory_item_id=");
        if (q == std::string_view::npos) return nullptr;
        const auto item = parse_gid("gid://shopify/InventoryItem/" + std::string(id.substr(q + 19)), "InventoryItem");
        const auto i = item ? level_index(store, *item, *number) : std::nullopt;
        if (!i || !with_scope("read_inventory")) return nullptr;
        return inventory_level_json(store, *i);
    }
    if (type == "Customer") {
        const auto i = customer_index(store, *number);
        if (!i || !with_scope("read_customers")) return nullptr;
        return customer_json(store, *i);
    }
    if (type == "Location") {
        const auto i = location_index(store, *number);
        if (!i || !with_scope("read_locations")) return nullptr;
        return location_json(store, *i);
    }
    if (type == "DiscountCodeNode") {
        const auto i = discount_index(store, *number);
        if (!i || !with_scope("read_discounts")) return nullptr;
        return discount_node_json(store, *i, ctx.now);
    }
    if (type == "Shop") return *number == store.shop.id ? json::value(shop_json(store)) : json::value(nullptr);
    if (ctx.shop != nullptr && type == "BulkOperation") {
        for (const auto& op : ctx.shop->bulk_operations) {
            if (op.id == *number) return bulk_operation_json(op);
        }
    }
    if (ctx.shop != nullptr && type == "WebhookSubscription") {
        for (const auto& hook : ctx.shop->webhooks) {
            if (hook.id == *number) return webhook_json(hook);
        }
    }
    return nullptr;
}

// ---- wiring -------------------------------------------------------------------------------------------------

void install_query_root(graphql::Schema& s) {
    on(s, "QueryRoot", "shop", [](const ResolveInfo& info) { return json::value(shop_json(store_of(info))); });
    on(s, "QueryRoot", "node", [](const ResolveInfo& info) { return node_by_id(info, *arg_string(info, "id")); });
    on(s, "QueryRoot", "nodes", [](const ResolveInfo& info) {
        json::array out;
        const auto* ids = arg(info, "ids");
        if (ids != nullptr && ids->is_array()) {
            if (ids->get_array().size() > 250)
                throw graphql::FieldError("The input array size of 251 is greater than the maximum allowed of 250.");
            for (const auto& id : ids->get_array()) out.push_back(node_by_id(info, id.get_string()));
        }
        return json::value(std::move(out));
    });

    on(s, "QueryRoot", "order", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_orders");
        const auto id = parse_gid(*arg_string(info, "id"), "Order");
        const auto i = id ? order_index(store_of(info), *id) : std::nullopt;
        return i ? json::value(order_json(store_of(info), *i)) : json::value(nullptr);
    });
    on(s, "QueryRoot", "orders", [](const ResolveInfo& info) {
        require_scope(info, "read_orders");
        const Store& store = store_of(info);
        return orders_connection(info, filtered(info, store.orders, [&](const Order& o, const SearchTerm& t) {
                                     return order_matches(store, o, t);
                                 }));
    });
    on(s, "QueryRoot", "ordersCount", [](const ResolveInfo& info) {
        require_scope(info, "read_orders");
        const Store& store = store_of(info);
        return count_json(info, filtered(info, store.orders, [&](const Order& o, const SearchTerm& t) {
                                    return order_matches(store, o, t);
                                }).size());
    });

    on(s, "QueryRoot", "product", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_products");
        const auto id = parse_gid(*arg_string(info, "id"), "Product");
        const auto i = id ? product_index(store_of(info), *id) : std::nullopt;
        return i ? json::value(product_json(store_of(info), *i)) : json::value(nullptr);
    });
    const auto products = [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        return filtered(info, store.products,
                        [&](const Product& p, const SearchTerm& t) { return product_matches(store, p, t); });
    };
    on(s, "QueryRoot", "products", [products](const ResolveInfo& info) {
        require_scope(info, "read_products");
        const Store& store = store_of(info);
        const std::string sort = sort_key(info, "ID");
        return connection<Product>(
            info, products(info), [&](const Product& p) { return product_key(store, p, sort); },
            [&](const Product& p) {
                return product_json(store, static_cast<std::size_t>(&p - store.products.data()));
            });
    });
    on(s, "QueryRoot", "productsCount", [products](const ResolveInfo& info) {
        require_scope(info, "read_products");
        return count_json(info, products(info).size());
    });
    on(s, "QueryRoot", "productVariant", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_products");
        const auto id = parse_gid(*arg_string(info, "id"), "ProductVariant");
        const auto i = id ? variant_index(store_of(info), *id) : std::nullopt;
        return i ? json::value(variant_json(store_of(info), *i)) : json::value(nullptr);
    });
    on(s, "QueryRoot", "productVariants", [](const ResolveInfo& info) {
        require_scope(info, "read_products");
        const Store& store = store_of(info);
        return variants_connection(
            info,
            filtered(info, store.variants,
                     [&](const Variant& v, const SearchTerm& t) { return variant_matches(store, v, t); }),
            "ID");
    });

    on(s, "QueryRoot", "customer", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_customers");
        const auto id = parse_gid(*arg_string(info, "id"), "Customer");
        const auto i = id ? customer_index(store_of(info), *id) : std::nullopt;
        return i ? json::value(customer_json(store_of(info), *i)) : json::value(nullptr);
    });
    const auto customers = [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        return filtered(info, store.customers,
                        [&](const Customer& c, const SearchTerm& t) { return customer_matches(store, c, t); });
    };
    on(s, "QueryRoot", "customers", [customers](const ResolveInfo& info) {
        require_scope(info, "read_customers");
        const Store& store = store_of(info);
        const std::string sort = sort_key(info, "ID");
        return connection<Customer>(
            info, customers(info), [&](const Customer& c) { return customer_key(c, sort); },
            [&](const Customer& c) {
                return customer_json(store, static_cast<std::size_t>(&c - store.customers.data()));
            });
    });
    on(s, "QueryRoot", "customersCount", [customers](const ResolveInfo& info) {
        require_scope(info, "read_customers");
        return count_json(info, customers(info).size());
    });

    on(s, "QueryRoot", "inventoryItem", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_inventory");
        const auto id = parse_gid(*arg_string(info, "id"), "InventoryItem");
        const auto i = id ? variant_index_by_item(store_of(info), *id) : std::nullopt;
        return i ? json::value(inventory_item_json(store_of(info), *i)) : json::value(nullptr);
    });
    on(s, "QueryRoot", "inventoryItems", [](const ResolveInfo& info) {
        require_scope(info, "read_inventory");
        const Store& store = store_of(info);
        return connection<Variant>(
            info,
            filtered(info, store.variants,
                     [&](const Variant& v, const SearchTerm& t) { return item_matches(store, v, t); }),
            [](const Variant& v) {
                return CursorKey{static_cast<std::int64_t>(v.inventory_item_id), v.inventory_item_id};
            },
            [&](const Variant& v) {
                return inventory_item_json(store, static_cast<std::size_t>(&v - store.variants.data()));
            });
    });
    on(s, "QueryRoot", "inventoryLevel", [](const ResolveInfo& info) {
        require_scope(info, "read_inventory");
        return node_by_id(info, *arg_string(info, "id"));
    });
    on(s, "QueryRoot", "location", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_locations");
        const Store& store = store_of(info);
        const auto given = arg_string(info, "id");
        if (!given) return store.locations.empty() ? json::value(nullptr) : json::value(location_json(store, 0));
        const auto id = parse_gid(*given, "Location");
        const auto i = id ? location_index(store, *id) : std::nullopt;
        return i ? json::value(location_json(store, *i)) : json::value(nullptr);
    });
    on(s, "QueryRoot", "locations", [](const ResolveInfo& info) {
        require_scope(info, "read_locations");
        const Store& store = store_of(info);
        const bool inactive = arg_bool(info, "includeInactive", false);
        auto items = filtered(info, store.locations,
                              [&](const Location& l, const SearchTerm& t) { return location_matches(l, t); });
        if (!inactive) std::erase_if(items, [](const Location* l) { return !l->active; });
        const std::string sort = sort_key(info, "NAME");
        return connection<Location>(
            info, std::move(items),
            [&](const Location& l) {
                return sort == "NAME" ? CursorKey{lower(l.name), l.id}
                                      : CursorKey{static_cast<std::int64_t>(l.id), l.id};
            },
            [&](const Location& l) {
                return location_json(store, static_cast<std::size_t>(&l - store.locations.data()));
            });
    });

    on(s, "QueryRoot", "codeDiscountNode", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_discounts");
        const auto id = parse_gid(*arg_string(info, "id"), "DiscountCodeNode");
        const auto i = id ? discount_index(store_of(info), *id) : std::nullopt;
        return i ? json::value(discount_node_json(store_of(info), *i, context(info).now)) : json::value(nullptr);
    });
    on(s, "QueryRoot", "codeDiscountNodeByCode", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_discounts");
        const Store& store = store_of(info);
        const std::string code = lower(*arg_string(info, "code"));
        for (std::size_t i = 0; i < store.discount_codes.size(); ++i) {
            if (lower(store.discount_codes[i].code) == code) return discount_node_json(store, i, context(info).now);
        }
        return nullptr;
    });
    on(s, "QueryRoot", "codeDiscountNodes", [](const ResolveInfo& info) {
        require_scope(info, "read_discounts");
        const Store& store = store_of(info);
        const Timestamp now = context(info).now;
        const std::string sort = sort_key(info, "ID");
        return connection<DiscountCode>(
            info,
            filtered(info, store.discount_codes,
                     [&](const DiscountCode& d, const SearchTerm& t) { return discount_matches(store, d, t, now); }),
            [&](const DiscountCode& d) { return discount_key(d, sort); },
            [&](const DiscountCode& d) {
                return discount_node_json(store, static_cast<std::size_t>(&d - store.discount_codes.data()), now);
            });
    });

    on(s, "QueryRoot", "currentBulkOperation", [](const ResolveInfo& info) -> json::value {
        const ApiContext& ctx = context(info);
        if (ctx.shop == nullptr || ctx.shop->bulk_operations.empty()) return nullptr;
        if (arg_string(info, "type").value_or("QUERY") != "QUERY") return nullptr;
        return bulk_operation_json(ctx.shop->bulk_operations.back());
    });
    on(s, "QueryRoot", "bulkOperation", [](const ResolveInfo& info) -> json::value {
        const ApiContext& ctx = context(info);
        const auto id = parse_gid(*arg_string(info, "id"), "BulkOperation");
        if (ctx.shop == nullptr || !id) return nullptr;
        for (const auto& op : ctx.shop->bulk_operations) {
            if (op.id == *id) return bulk_operation_json(op);
        }
        return nullptr;
    });
    on(s, "QueryRoot", "webhookSubscription", [](const ResolveInfo& info) -> json::value {
        const auto id = *arg_string(info, "id");
        return gid_type(id) == "WebhookSubscription" ? node_by_id(info, id) : json::value(nullptr);
    });
    on(s, "QueryRoot", "webhookSubscriptions", [](const ResolveInfo& info) {
        const ApiContext& ctx = context(info);
        static const std::vector<WebhookSubscriptionRecord> kNone;
        const auto& hooks = ctx.shop != nullptr ? ctx.shop->webhooks : kNone;
        std::vector<const WebhookSubscriptionRecord*> items;
        const auto* topics = arg(info, "topics");
        for (const auto& h : hooks) {
            bool wanted = topics == nullptr;
            if (topics != nullptr && topics->is_array()) {
                for (const auto& t : topics->get_array())
                    wanted = wanted || (t.is_string() && t.get_string() == h.topic);
            }
            if (wanted) items.push_back(&h);
        }
        return connection<WebhookSubscriptionRecord>(
            info, std::move(items),
            [](const WebhookSubscriptionRecord& h) {
                return CursorKey{static_cast<std::int64_t>(h.id), h.id};
            },
            [](const WebhookSubscriptionRecord& h) { return webhook_json(h); });
    });
}

// A money field computed from the entity at "_i" (and "_l" for line items).
template <class Fn>
void money_field(graphql::Schema& s, std::string_view type, std::string_view field, Fn cents) {
    on(s, type, field, [cents](const ResolveInfo& info) {
        const Store& store = store_of(info);
        return json::value(money_bag(cents(store, info), store.shop.currency_code));
    });
}

const Order& order_at(const Store& store, const ResolveInfo& info) { return store.orders[source_index(info)]; }
const LineItem& line_at(const Store& store, const ResolveInfo& info) {
    return store.orders[source_index(info)].lines[source_index(info, "_l")];
}
const Refund& refund_at(const Store& store, const ResolveInfo& info) {
    return store.orders[source_index(info)].refunds[source_index(info, "_r")];
}
const RefundLineItem& refund_line_at(const Store& store, const ResolveInfo& info) {
    return refund_at(store, info).lines[source_index(info, "_k")];
}

json::object refund_json(const Store& store, std::size_t order_i, std::size_t refund_i) {
    const Refund& r = store.orders[order_i].refunds[refund_i];
    json::object o;
    o["__typename"] = "Refund";
    o["_i"] = static_cast<std::uint64_t>(order_i);
    o["_r"] = static_cast<std::uint64_t>(refund_i);
    o["id"] = gid("Refund", r.id);
    o["legacyResourceId"] = std::to_string(r.id);
    o["createdAt"] = format_time(r.created_at);
    o["updatedAt"] = format_time(r.created_at);
    o["note"] = r.note.empty() ? json::value(nullptr) : json::value(r.note);
    return o;
}

void install_orders(graphql::Schema& s) {
    money_field(s, "Order", "totalPriceSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).total_price; });
    money_field(s, "Order", "subtotalPriceSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).subtotal_price; });
    money_field(s, "Order", "totalDiscountsSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).total_discounts; });
    money_field(s, "Order", "totalRefundedSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).total_refunded; });
    money_field(s, "Order", "totalShippingPriceSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).total_shipping; });
    money_field(s, "Order", "totalTaxSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).total_tax; });
    money_field(s, "Order", "currentTotalPriceSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).current_total_price(); });
    money_field(s, "Order", "currentSubtotalPriceSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).current_subtotal_price(); });
    money_field(s, "Order", "currentTotalTaxSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).current_total_tax(); });
    money_field(s, "Order", "netPaymentSet",
                [](const Store& st, const ResolveInfo& i) { return order_at(st, i).net_payment(); });
    on(s, "Order", "customer", [](const ResolveInfo& info) -> json::value {
        const Store& store = store_of(info);
        const Order& o = order_at(store, info);
        if (!o.customer_id) return nullptr;
        require_scope(info, "read_customers");
        const auto i = customer_index(store, *o.customer_id);
        return i ? json::value(customer_json(store, *i)) : json::value(nullptr);
    });
    on(s, "Order", "lineItems", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const std::size_t oi = source_index(info);
        const Order& o = store.orders[oi];
        std::vector<const LineItem*> items;
        for (const auto& l : o.lines) items.push_back(&l);
        return connection<LineItem>(
            info, std::move(items),
            [](const LineItem& l) {
                return CursorKey{static_cast<std::int64_t>(l.id), l.id};
            },
            [&](const LineItem& l) {
                return line_item_json(store, oi, static_cast<std::size_t>(&l - o.lines.data()));
            });
    });
    on(s, "Order", "refunds", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const std::size_t oi = source_index(info);
        const auto limit = arg_int(info, "first");
        json::array out;
        for (std::size_t r = 0; r < store.orders[oi].refunds.size(); ++r) {
            if (limit && static_cast<std::int64_t>(r) >= *limit) break;
            out.push_back(refund_json(store, oi, r));
        }
        return json::value(std::move(out));
    });

    const auto unit = [](const LineItem& l) { return l.price; };
    money_field(s, "LineItem", "originalUnitPriceSet",
                [unit](const Store& st, const ResolveInfo& i) { return unit(line_at(st, i)); });
    money_field(s, "LineItem", "originalTotalSet",
                [](const Store& st, const ResolveInfo& i) { return line_at(st, i).original_total(); });
    money_field(s, "LineItem", "discountedTotalSet",
                [](const Store& st, const ResolveInfo& i) { return line_at(st, i).discounted_total(); });
    money_field(s, "LineItem", "discountedUnitPriceSet", [](const Store& st, const ResolveInfo& i) {
        const LineItem& l = line_at(st, i);
        return l.quantity == 0 ? l.price : mul_div_round(l.discounted_total(), 1, l.quantity);
    });
    money_field(s, "LineItem", "totalDiscountSet",
                [](const Store& st, const ResolveInfo& i) { return line_at(st, i).total_discount; });
    on(s, "LineItem", "variant", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_products");
        const Store& store = store_of(info);
        const auto i = variant_index(store, line_at(store, info).variant_id);
        return i ? json::value(variant_json(store, *i)) : json::value(nullptr);
    });
    on(s, "LineItem", "product", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_products");
        const Store& store = store_of(info);
        const auto i = product_index(store, line_at(store, info).product_id);
        return i ? json::value(product_json(store, *i)) : json::value(nullptr);
    });

    money_field(s, "Refund", "totalRefundedSet",
                [](const Store& st, const ResolveInfo& i) { return refund_at(st, i).total; });
    on(s, "Refund", "order",
       [](const ResolveInfo& info) { return json::value(order_json(store_of(info), source_index(info))); });
    on(s, "Refund", "refundLineItems", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const std::size_t oi = source_index(info);
        const std::size_t ri = source_index(info, "_r");
        const Refund& r = store.orders[oi].refunds[ri];
        std::vector<const RefundLineItem*> items;
        for (const auto& l : r.lines) items.push_back(&l);
        return connection<RefundLineItem>(
            info, std::move(items),
            [](const RefundLineItem& l) {
                return CursorKey{static_cast<std::int64_t>(l.id), l.id};
            },
            [&](const RefundLineItem& l) {
                json::object o;
                o["__typename"] = "RefundLineItem";
                o["_i"] = static_cast<std::uint64_t>(oi);
                o["_r"] = static_cast<std::uint64_t>(ri);
                o["_k"] = static_cast<std::uint64_t>(&l - r.lines.data());
                o["id"] = gid("RefundLineItem", l.id);
                o["quantity"] = l.quantity;
                o["restockType"] = l.restock_type;
                o["restocked"] = l.restock_type == "RETURN";
                return o;
            });
    });
    on(s, "RefundLineItem", "lineItem", [](const ResolveInfo& info) -> json::value {
        const Store& store = store_of(info);
        const std::size_t oi = source_index(info);
        const Id line_id = refund_line_at(store, info).line_item_id;
        const auto& lines = store.orders[oi].lines;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (lines[i].id == line_id) return line_item_json(store, oi, i);
        }
        throw std::logic_error("refund line without its line item");
    });
    money_field(s, "RefundLineItem", "subtotalSet",
                [](const Store& st, const ResolveInfo& i) { return refund_line_at(st, i).subtotal; });
    money_field(s, "RefundLineItem", "totalTaxSet",
                [](const Store& st, const ResolveInfo& i) { return refund_line_at(st, i).total_tax; });
    money_field(s, "RefundLineItem", "priceSet", [](const Store& st, const ResolveInfo& i) {
        const RefundLineItem& l = refund_line_at(st, i);
        return l.quantity == 0 ? 0 : mul_div_round(l.subtotal, 1, l.quantity);
    });
}

void install_catalog(graphql::Schema& s) {
    on(s, "Product", "description", [](const ResolveInfo& info) {
        const std::string& html = store_of(info).products[source_index(info)].description_html;
        std::string text;
        bool in_tag = false;
        for (const char c : html) {
            if (c == '<') {
                in_tag = true;
            } else if (c == '>') {
                in_tag = false;
            } else if (!in_tag) {
                text += c;
            }
        }
        if (const auto n = arg_int(info, "truncateAt"); n && *n >= 0 && text.size() > static_cast<std::size_t>(*n)) {
            text.resize(static_cast<std::size_t>(*n));
            text += "...";
        }
        return json::value(text);
    });
    on(s, "Product", "variants", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const Product& p = store.products[source_index(info)];
        std::vector<const Variant*> items;
        for (std::size_t i = p.first_variant; i < p.first_variant + p.variant_count; ++i)
            items.push_back(&store.variants[i]);
        return variants_connection(info, std::move(items), "POSITION");
    });
    on(s, "ProductVariant", "product", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        return json::value(product_json(store, *product_index(store, store.variants[source_index(info)].product_id)));
    });
    on(s, "ProductVariant", "inventoryItem",
       [](const ResolveInfo& info) { return json::value(inventory_item_json(store_of(info), source_index(info))); });
    on(s, "InventoryItem", "variant",
       [](const ResolveInfo& info) { return json::value(variant_json(store_of(info), source_index(info))); });
    on(s, "InventoryItem", "inventoryLevel", [](const ResolveInfo& info) -> json::value {
        const Store& store = store_of(info);
        const auto location = parse_gid(*arg_string(info, "locationId"), "Location");
        const auto i = location ? level_index(store, store.variants[source_index(info)].inventory_item_id, *location)
                                : std::nullopt;
        return i ? json::value(inventory_level_json(store, *i)) : json::value(nullptr);
    });
    on(s, "InventoryItem", "inventoryLevels", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const Id item = store.variants[source_index(info)].inventory_item_id;
        std::vector<const InventoryLevel*> items;
        for (const auto& loc : store.locations) {
            if (const auto i = level_index(store, item, loc.id)) items.push_back(&store.inventory_levels[*i]);
        }
        if (const auto query = arg_string(info, "query")) {
            auto parsed = parse_search_query(*query);
            if (const auto* tree = std::get_if<SearchNode>(&parsed)) {
                std::erase_if(items, [&](const InventoryLevel* l) {
                    return !search_matches(*tree,
                                           [&](const SearchTerm& t) { return level_query_matches(store, *l, t); });
                });
            }
        }
        return levels_connection(info, std::move(items));
    });
    on(s, "InventoryLevel", "item", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const auto v = variant_index_by_item(store, store.inventory_levels[source_index(info)].inventory_item_id);
        return json::value(inventory_item_json(store, *v));
    });
    on(s, "InventoryLevel", "location", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        return json::value(
            location_json(store, *location_index(store, store.inventory_levels[source_index(info)].location_id)));
    });
    on(s, "InventoryLevel", "quantities", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const InventoryLevel& l = store.inventory_levels[source_index(info)];
        json::array out;
        const auto* names = arg(info, "names");
        if (names == nullptr || !names->is_array()) return json::value(std::move(out));
        for (const auto& n : names->get_array()) {
            const std::string_view name = n.get_string();
            int q = 0;
            if (name == "available") {
                q = l.available;
            } else if (name == "on_hand") {
                q = l.on_hand;
            } else if (name == "committed") {
                q = l.committed;
            } else if (name == "incoming") {
                q = l.incoming;
            } else if (name == "damaged" || name == "quality_control" || name == "reserved" || name == "safety_stock") {
                q = 0;
            } else {
                throw graphql::FieldError("The quantity name '" + std::string(name) + "' is not valid.");
            }
            out.push_back(json::object{{"id", gid("InventoryQuantity", l.location_id) + "?inventory_item_id=" +
                                                  std::to_string(l.inventory_item_id) + "&name=" + std::string(name)},
                                       {"name", name},
                                       {"quantity", q},
                                       {"updatedAt", format_time(l.updated_at)}});
        }
        return json::value(std::move(out));
    });
    on(s, "Location", "inventoryLevel", [](const ResolveInfo& info) -> json::value {
        const Store& store = store_of(info);
        const auto item = parse_gid(*arg_string(info, "inventoryItemId"), "InventoryItem");
        const auto i = item ? level_index(store, *item, store.locations[source_index(info)].id) : std::nullopt;
        return i ? json::value(inventory_level_json(store, *i)) : json::value(nullptr);
    });
    on(s, "Location", "inventoryLevels", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const Id location = store.locations[source_index(info)].id;
        std::vector<const InventoryLevel*> items;
        for (const auto& l : store.inventory_levels) {
            if (l.location_id == location) items.push_back(&l);
        }
        if (const auto query = arg_string(info, "query")) {
            auto parsed = parse_search_query(*query);
            if (const auto* tree = std::get_if<SearchNode>(&parsed)) {
                std::erase_if(items, [&](const InventoryLevel* l) {
                    return !search_matches(*tree,
                                           [&](const SearchTerm& t) { return level_query_matches(store, *l, t); });
                });
            }
        }
        return levels_connection(info, std::move(items));
    });
}

void install_customers_and_discounts(graphql::Schema& s) {
    on(s, "Customer", "lastOrder", [](const ResolveInfo& info) -> json::value {
        require_scope(info, "read_orders");
        const Store& store = store_of(info);
        const Customer& c = store.customers[source_index(info)];
        const auto i = c.last_order_id ? order_index(store, *c.last_order_id) : std::nullopt;
        return i ? json::value(order_json(store, *i)) : json::value(nullptr);
    });
    on(s, "Customer", "orders", [](const ResolveInfo& info) {
        require_scope(info, "read_orders");
        const Store& store = store_of(info);
        const Id customer = store.customers[source_index(info)].id;
        auto items = filtered(info, store.orders,
                              [&](const Order& o, const SearchTerm& t) { return order_matches(store, o, t); });
        std::erase_if(items, [&](const Order* o) { return o->customer_id != customer; });
        return orders_connection(info, std::move(items));
    });
    on(s, "DiscountCodeBasic", "codes", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const DiscountCode& d = store.discount_codes[source_index(info)];
        std::vector<const DiscountCode*> items{&d};
        return connection<DiscountCode>(
            info, std::move(items),
            [](const DiscountCode& c) {
                return CursorKey{static_cast<std::int64_t>(c.redeem_code_id), c.redeem_code_id};
            },
            [](const DiscountCode& c) {
                return json::object{{"id", gid("DiscountRedeemCode", c.redeem_code_id)},
                                    {"code", c.code},
                                    {"asyncUsageCount", c.usage_count}};
            });
    });
    on(s, "DiscountProducts", "products", [](const ResolveInfo& info) {
        const Store& store = store_of(info);
        const DiscountCode& d = store.discount_codes[source_index(info)];
        std::vector<const Product*> items;
        for (const Id id : d.product_ids) {
            if (const Product* p = store.find_product(id)) items.push_back(p);
        }
        return connection<Product>(
            info, std::move(items),
            [](const Product& p) {
                return CursorKey{static_cast<std::int64_t>(p.id), p.id};
            },
            [&](const Product& p) {
                return product_json(store, static_cast<std::size_t>(&p - store.products.data()));
            });
    });
    on(s, "InventoryAdjustmentGroup", "changes", [](const ResolveInfo& info) {
        const auto* all = info.source.as_object().if_contains("_changes");
        json::array out;
        if (all == nullptr) return json::value(std::move(out));
        const auto* names = arg(info, "quantityNames");
        for (const auto& c : all->get_array()) {
            bool wanted = names == nullptr;
            if (names != nullptr) {
                for (const auto& n : names->get_array()) wanted = wanted || n == c.as_object().at("name");
            }
            if (wanted) out.push_back(c);
        }
        return json::value(std::move(out));
    });
}

}  // namespace
}  // namespace admin

AdminApi::AdminApi() {
    auto built = graphql::build_schema(std::string(kAdminSchemaSdl));
    if (auto* errors = std::get_if<graphql::Errors>(&built)) {
        std::string message = "admin_schema.graphql does not build:";
        for (const auto& e : *errors) message += "\n  " + e.message;
        throw std::logic_error(message);
    }
    schema_ = std::get<graphql::SchemaPtr>(std::move(built));
    graphql::Schema& s = *schema_;
    admin::install_query_root(s);
    admin::install_orders(s);
    admin::install_catalog(s);
    admin::install_customers_and_discounts(s);
    admin::install_mutations(s);
}

std::string_view AdminApi::sdl() { return kAdminSchemaSdl; }

}  // namespace alatar::shopify_sim
