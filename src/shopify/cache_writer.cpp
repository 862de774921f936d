#include "shopify/cache_writer.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <optional>
#include <unordered_map>

#include "db/pool.hpp"

namespace alatar::shopify {
namespace json = boost::json;

namespace {

std::optional<std::string> text(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_bool()) return std::string(v->get_bool() ? "true" : "false");
    if (v->is_int64()) return std::to_string(v->get_int64());
    if (v->is_uint64()) return std::to_string(v->get_uint64());
    if (v->is_double()) return json::serialize(*v);
    return std::nullopt;
}

// The id of a nested object, e.g. customer { id }.
std::optional<std::string> ref_id(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_object()) return std::nullopt;
    return text(v->get_object(), "id");
}

// shopMoney.amount of a MoneyBag, "0" when absent.
std::string money(const json::object& o, std::string_view key) {
    const auto* bag = o.if_contains(key);
    if (bag == nullptr || !bag->is_object()) return "0";
    const auto* shop = bag->get_object().if_contains("shopMoney");
    if (shop == nullptr || !shop->is_object()) return "0";
    return text(shop->get_object(), "amount").value_or("0");
}

std::optional<std::string> money_v2(const json::object& o, std::string_view key, std::string_view member) {
    const auto* m = o.if_contains(key);
    if (m == nullptr || !m->is_object()) return std::nullopt;
    return text(m->get_object(), member);
}

std::vector<std::string> tags(const json::object& o) {
    std::vector<std::string> out;
    const auto* v = o.if_contains("tags");
    if (v != nullptr && v->is_array()) {
        for (const auto& t : v->get_array()) {
            if (t.is_string()) out.emplace_back(t.get_string());
        }
    }
    return out;
}

std::optional<std::int64_t> integer(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_string()) {  // UnsignedInt64 is serialised as a string
        std::int64_t n = 0;
        const auto s = v->get_string();
        if (std::from_chars(s.data(), s.data() + s.size(), n).ec == std::errc{}) return n;
    }
    return std::nullopt;
}

std::optional<std::int64_t> quantity(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains("quantities");
    if (v == nullptr || !v->is_array()) return std::nullopt;
    for (const auto& q : v->get_array()) {
        if (q.is_object() && text(q.get_object(), "name") == name) return integer(q.get_object(), "quantity");
    }
    return std::nullopt;
}

// Orders, line items, refunds, customers, variants and inventory levels are most of a store's rows: they are
// written a batch per statement (one JSON array of rows), products and locations one statement per row. A gid repeated
// within a batch keeps its last version.
json::value nullable(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::array tag_array(const json::object& o) {
    json::array out;
    for (const auto& t : tags(o)) out.emplace_back(t);
    return out;
}

json::object order_row(const BulkObject& obj) {
    const json::object& f = obj.fields;
    return json::object{{"gid", obj.id},
                        {"name", text(f, "name").value_or("")},
                        {"created_at", nullable(text(f, "createdAt"))},
                        {"processed_at", nullable(text(f, "processedAt"))},
                        {"updated_at", nullable(text(f, "updatedAt"))},
                        {"cancelled_at", nullable(text(f, "cancelledAt"))},
                        {"test", text(f, "test") == "true"},
                        {"financial_status", nullable(text(f, "displayFinancialStatus"))},
                        {"fulfillment_status", nullable(text(f, "displayFulfillmentStatus"))},
                        {"currency", text(f, "currencyCode").value_or("")},
                        {"subtotal", money(f, "subtotalPriceSet")},
                        {"total", money(f, "totalPriceSet")},
                        {"discounts", money(f, "totalDiscountsSet")},
                        {"refunded", money(f, "totalRefundedSet")},
                        {"tax", money(f, "totalTaxSet")},
                        {"shipping", money(f, "totalShippingPriceSet")},
                        {"customer_gid", nullable(ref_id(f, "customer"))},
                        {"source_name", nullable(text(f, "sourceName"))},
                        {"tags", tag_array(f)}};
}

json::object line_item_row(const BulkObject& obj) {
    const json::object& f = obj.fields;
    return json::object{{"gid", obj.id},
                        {"order_gid", obj.parent_id.value_or("")},
                        {"product_gid", nullable(ref_id(f, "product"))},
                        {"variant_gid", nullable(ref_id(f, "variant"))},
                        {"title", text(f, "title").value_or("")},
                        {"sku", nullable(text(f, "sku"))},
                        {"quantity", integer(f, "quantity").value_or(0)},
                        {"original_unit_price", money(f, "originalUnitPriceSet")},
                        {"discounted_total", money(f, "discountedTotalSet")},
                        {"total_discount", money(f, "totalDiscountSet")}};
}

constexpr std::string_view kOrderBatch =
    "INSERT INTO shop_orders (store_id, shopify_gid, expires_at, name, created_at, processed_at, updated_at, "
    "cancelled_at, test, financial_status, fulfillment_status, currency, subtotal_amount, total_amount, "
    "total_discounts_amount, total_refunded_amount, total_tax_amount, total_shipping_amount, customer_gid, "
    "source_name, tags) "
    "SELECT $1::uuid, r.gid, now() + make_interval(secs => $2), r.name, r.created_at, r.processed_at, r.updated_at, "
    "r.cancelled_at, r.test, r.financial_status, r.fulfillment_status, r.currency, r.subtotal, r.total, r.discounts, "
    "r.refunded, r.tax, r.shipping, r.customer_gid, r.source_name, coalesce(r.tags, '{}') "
    "FROM jsonb_to_recordset($3::jsonb) AS r(gid text, name text, created_at timestamptz, processed_at timestamptz, "
    "updated_at timestamptz, cancelled_at timestamptz, test boolean, financial_status text, fulfillment_status text, "
    "currency text, subtotal numeric, total numeric, discounts numeric, refunded numeric, tax numeric, "
    "shipping numeric, customer_gid text, source_name text, tags text[]) "
    "ON CONFLICT (store_id, shopify_gid) DO UPDATE SET name = EXCLUDED.name, "
    "created_at = EXCLUDED.created_at, processed_at = EXCLUDED.processed_at, "
    "updated_at = EXCLUDED.updated_at, cancelled_at = EXCLUDED.cancelled_at, test = EXCLUDED.test, "
    "financial_status = EXCLUDED.financial_status, fulfillment_status = EXCLUDED.fulfillment_status, "
    "currency = EXCLUDED.currency, subtotal_amount = EXCLUDED.subtotal_amount, "
    "total_amount = EXCLUDED.total_amount, total_discounts_amount = EXCLUDED.total_discounts_amount, "
    "total_refunded_amount = EXCLUDED.total_refunded_amount, total_tax_amount = EXCLUDED.total_tax_amount, "
    "total_shipping_amount = EXCLUDED.total_shipping_amount, customer_gid = EXCLUDED.customer_gid, "
    "source_name = EXCLUDED.source_name, tags = EXCLUDED.tags, fetched_at = now(), "
    "expires_at = EXCLUDED.expires_at";

constexpr std::string_view kLineItemBatch =
    "INSERT INTO shop_order_line_items (store_id, shopify_gid, expires_at, order_gid, product_gid, variant_gid, "
    "title, sku, quantity, original_unit_price, discounted_total, total_discount) "
    "SELECT $1::uuid, r.gid, now() + make_interval(secs => $2), r.order_gid, r.product_gid, r.variant_gid, r.title, "
    "r.sku, r.quantity, r.original_unit_price, r.discounted_total, r.total_discount "
    "FROM jsonb_to_recordset($3::jsonb) AS r(gid text, order_gid text, product_gid text, variant_gid text, "
    "title text, sku text, quantity integer, original_unit_price numeric, discounted_total numeric, "
    "total_discount numeric) "
    "ON CONFLICT (store_id, shopify_gid) DO UPDATE SET order_gid = EXCLUDED.order_gid, "
    "product_gid = EXCLUDED.product_gid, variant_gid = EXCLUDED.variant_gid, title = EXCLUDED.title, "
    "sku = EXCLUDED.sku, quantity = EXCLUDED.quantity, original_unit_price = EXCLUDED.original_unit_price, "
    "discounted_total = EXCLUDED.discounted_total, total_discount = EXCLUDED.total_discount, "
    "fetched_at = now(), expires_at = EXCLUDED.expires_at";

// A refund's own fields (its lines come as RefundLineItem objects whose parent is the refund).
json::object refund_row(const BulkObject& obj) {
    const json::object& f = obj.fields;
    return json::object{{"gid", obj.id},
                        {"order_gid", obj.parent_id.value_or("")},
                        {"created_at", nullable(text(f, "createdAt"))},
                        {"total", money(f, "totalRefundedSet")}};
}

json::object refund_line_row(const BulkObject& obj) {
    const json::object& f = obj.fields;
    return json::object{{"gid", obj.id},
                        {"refund_gid", obj.parent_id.value_or("")},
                        {"line_item_gid", ref_id(f, "lineItem").value_or("")},
                        {"quantity", integer(f, "quantity").value_or(0)},
                        {"subtotal", money(f, "subtotalSet")}};
}

// A refund without createdAt (never in practice) is dated now rather than dropped. Refunds are read after their
// orders: one of an order created in between is skipped here, and cached with its order by the next sync.
constexpr std::string_view kRefundBatch =
    "INSERT INTO shop_refunds (store_id, shopify_gid, expires_at, order_gid, created_at, total_refunded_amount) "
    "SELECT $1::uuid, r.gid, now() + make_interval(secs => $2), r.order_gid, coalesce(r.created_at, now()), r.total "
    "FROM jsonb_to_recordset($3::jsonb) AS r(gid text, order_gid text, created_at timestamptz, total numeric) "
    "WHERE EXISTS (SELECT 1 FROM shop_orders o WHERE o.store_id = $1::uuid AND o.shopify_gid = r.order_gid) "
    "ON CONFLICT (store_id, shopify_gid) DO UPDATE SET order_gid = EXCLUDED.order_gid, "
    "created_at = EXCLUDED.created_at, total_refunded_amount = EXCLUDED.total_refunded_amount, fetched_at = now(), "
    "expires_at = EXCLUDED.expires_at";

constexpr std::string_view kRefundLineBatch =
    "INSERT INTO shop_refund_line_items (store_id, shopify_gid, expires_at, refund_gid, line_item_gid, quantity, "
    "subtotal_amount) "
    "SELECT $1::uuid, r.gid, now() + make_interval(secs => $2), r.refund_gid, r.line_item_gid, r.quantity, "
    "r.subtotal FROM jsonb_to_recordset($3::jsonb) AS r(gid text, refund_gid text, line_item_gid text, "
    "quantity integer, subtotal numeric) "
    "WHERE EXISTS (SELECT 1 FROM shop_refunds f WHERE f.store_id = $1::uuid AND f.shopify_gid = r.refund_gid) "
    "ON CONFLICT (store_id, shopify_gid) DO UPDATE SET refund_gid = EXCLUDED.refund_gid, "
    "line_item_gid = EXCLUDED.line_item_gid, quantity = EXCLUDED.quantity, "
    "subtotal_amount = EXCLUDED.subtotal_amount, fetched_at = now(), expires_at = EXCLUDED.expires_at";

// Customers, variants and inventory levels come by the thousand in a backfill: a batch per statement too.
json::value nullable(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object customer_row(const BulkObject& obj) {
    const json::object& f = obj.fields;
    return json::object{{"gid", obj.id},
                        {"email", nullable(text(f, "email"))},
                        {"first_name", nullable(text(f, "firstName"))},
                        {"last_name", nullable(text(f, "lastName"))},
                        {"state", nullable(text(f, "state"))},
                        {"tags", tag_array(f)},
                        {"orders_count", integer(f, "numberOfOrders").value_or(0)},
                        {"amount_spent", money_v2(f, "amountSpent", "amount").value_or("0")},
                        {"currency", nullable(money_v2(f, "amountSpent", "currencyCode"))},
                        {"created_at", nullable(text(f, "createdAt"))},
                        {"updated_at", nullable(text(f, "updatedAt"))}};
}

constexpr std::string_view kCustomerBatch =
    "INSERT INTO shop_customers (store_id, shopify_gid, expires_at, email, first_name, last_name, state, tags, "
    "orders_count, amount_spent, currency, created_at, updated_at) "
    "SELECT $1::uuid, r.gid, now() + make_interval(secs => $2), lower(r.email), r.first_name, r.last_name, r.state, "
    "coalesce(r.tags, '{}'), r.orders_count, r.amount_spent, r.currency, r.created_at, r.updated_at "
    "FROM jsonb_to_recordset($3::jsonb) AS r(gid text, email text, first_name text, last_name text, state text, "
    "tags text[], orders_count integer, amount_spent numeric, currency text, created_at timestamptz, "
    "updated_at timestamptz) "
    "ON CONFLICT (store_id, shopify_gid) DO UPDATE SET email = EXCLUDED.email, "
    "first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, state = EXCLUDED.state, "
    "tags = EXCLUDED.tags, orders_count = EXCLUDED.orders_count, amount_spent = EXCLUDED.amount_spent, "
    "currency = EXCLUDED.currency, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, "
    "fetched_at = now(), expires_at = EXCLUDED.expires_at";

// nullopt for a variant without a product (not cached).
std::optional<json::object> variant_row(const BulkObject& obj) {
    const json::object& f = obj.fields;
    const auto product = obj.parent_id ? obj.parent_id : ref_id(f, "product");
    if (!product) return std::nullopt;
    return json::object{{"gid", obj.id},
                        {"product_gid", *product},
                        {"title", nullable(text(f, "title"))},
                        {"sku", nullable(text(f, "sku"))},
                        {"price", text(f, "price").value_or("0")},
                        {"compare_at_price", nullable(text(f, "compareAtPrice"))},
                        {"inventory_item_gid", nullable(ref_id(f, "inventoryItem"))},
                        {"inventory_quantity", nullable(integer(f, "inventoryQuantity"))},
                        {"created_at", nullable(text(f, "createdAt"))},
                        {"updated_at", nullable(text(f, "updatedAt"))}};
}

constexpr std::string_view kVariantBatch =
    "INSERT INTO shop_product_variants (store_id, shopify_gid, expires_at, product_gid, title, sku, price, "
    "compare_at_price, inventory_item_gid, inventory_quantity, created_at, updated_at) "
    "SELECT $1::uuid, r.gid, now() + make_interval(secs => $2), r.product_gid, r.title, r.sku, r.price, "
    "r.compare_at_price, r.inventory_item_gid, r.inventory_quantity, r.created_at, r.updated_at "
    "FROM jsonb_to_recordset($3::jsonb) AS r(gid text, product_gid text, title text, sku text, price numeric, "
    "compare_at_price numeric, inventory_item_gid text, inventory_quantity integer, created_at timestamptz, "
    "updated_at timestamptz) "
    "ON CONFLICT (store_id, shopify_gid) DO UPDATE SET product_gid = EXCLUDED.product_gid, "
    "title = EXCLUDED.title, sku = EXCLUDED.sku, price = EXCLUDED.price, "
    "compare_at_price = EXCLUDED.compare_at_price, inventory_item_gid = EXCLUDED.inventory_item_gid, "
    "inventory_quantity = EXCLUDED.inventory_quantity, created_at = EXCLUDED.created_at, "
    "updated_at = EXCLUDED.updated_at, fetched_at = now(), expires_at = EXCLUDED.expires_at";

// nullopt for a level without its item or location (not cached).
std::optional<json::object> inventory_level_row(const BulkObject& obj) {
    const json::object& f = obj.fields;
    const auto item = obj.parent_id ? obj.parent_id : ref_id(f, "item");
    const auto location = ref_id(f, "location");
    if (!item || !location) return std::nullopt;
    return json::object{{"gid", obj.id},
                        {"item_gid", *item},
                        {"location_gid", *location},
                        {"available", quantity(f, "available").value_or(0)},
                        {"on_hand", nullable(quantity(f, "on_hand"))},
                        {"updated_at", nullable(text(f, "updatedAt"))}};
}

constexpr std::string_view kInventoryLevelBatch =
    "INSERT INTO shop_inventory_levels (store_id, shopify_gid, expires_at, inventory_item_gid, location_gid, "
    "available, on_hand, updated_at) "
    "SELECT $1::uuid, r.gid, now() + make_interval(secs => $2), r.item_gid, r.location_gid, r.available, r.on_hand, "
    "r.updated_at FROM jsonb_to_recordset($3::jsonb) AS r(gid text, item_gid text, location_gid text, "
    "available integer, on_hand integer, updated_at timestamptz) "
    "ON CONFLICT (store_id, shopify_gid) DO UPDATE SET inventory_item_gid = EXCLUDED.inventory_item_gid, "
    "location_gid = EXCLUDED.location_gid, available = EXCLUDED.available, on_hand = EXCLUDED.on_hand, "
    "updated_at = EXCLUDED.updated_at, fetched_at = now(), expires_at = EXCLUDED.expires_at";

// Rows (serialised JSON objects) keyed by gid, last version wins, in first-seen order.
class RowBatch {
  public:
    void add(const std::string& gid, const json::object& row) {
        std::string text = json::serialize(row);
        const auto [it, inserted] = index_.try_emplace(gid, rows_.size());
        if (inserted) {
            rows_.push_back(std::move(text));
        } else {
            rows_[it->second] = std::move(text);
        }
    }
    void write(db::Transaction& tx, std::string_view sql, const std::string& store, double ttl_s) const {
        if (rows_.empty()) return;
        std::size_t size = 2;
        for (const auto& r : rows_) size += r.size() + 1;
        std::string array;
        array.reserve(size);
        array += '[';
        for (const auto& r : rows_) {
            if (array.size() > 1) array += ',';
            array += r;
        }
        array += ']';
        tx.exec(sql, db::Params{store, ttl_s, db::Json{std::move(array)}});
    }

  private:
    std::vector<std::string> rows_;
    std::unordered_map<std::string, std::size_t> index_;
};

constexpr std::string_view kExpiry = "now() + make_interval(secs => $3)";

void write_one(db::Transaction& tx, const std::string& store, double ttl_s, const BulkObject& obj) {
    const json::object& f = obj.fields;
    const std::string expiry(kExpiry);
    if (obj.type == "Product") {
        tx.exec(
            "INSERT INTO shop_products (store_id, shopify_gid, expires_at, title, handle, description_html, "
            "product_type, "
            "vendor, status, tags, total_inventory, created_at, updated_at, published_at) VALUES ($1, $2, " +
                expiry +
                ", $4, $5, $6, $7, $8, $9, $10, $11, $12::timestamptz, $13::timestamptz, $14::timestamptz) "
                "ON CONFLICT (store_id, shopify_gid) DO UPDATE SET title = EXCLUDED.title, handle = EXCLUDED.handle, "
                "description_html = EXCLUDED.description_html, product_type = EXCLUDED.product_type, vendor = "
                "EXCLUDED.vendor, "
                "status = EXCLUDED.status, tags = EXCLUDED.tags, total_inventory = EXCLUDED.total_inventory, "
                "created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, "
                "published_at = EXCLUDED.published_at, fetched_at = now(), expires_at = EXCLUDED.expires_at",
            db::Params{store, obj.id, ttl_s, text(f, "title").value_or(""), text(f, "handle"),
                       text(f, "descriptionHtml"), text(f, "productType"), text(f, "vendor"), text(f, "status"),
                       tags(f), integer(f, "totalInventory"), text(f, "createdAt"), text(f, "updatedAt"),
                       text(f, "publishedAt")});
    } else if (obj.type == "Location") {
        tx.exec("INSERT INTO shop_locations (store_id, shopify_gid, expires_at, name, active) VALUES ($1, $2, " +
                    expiry +
                    ", $4, $5) ON CONFLICT (store_id, shopify_gid) DO UPDATE SET name = EXCLUDED.name, "
                    "active = EXCLUDED.active, fetched_at = now(), expires_at = EXCLUDED.expires_at",
                db::Params{store, obj.id, ttl_s, text(f, "name").value_or(""), text(f, "isActive") != "false"});
    }
}

}  // namespace

// Most types become their row as they come (the node itself is not kept); products and locations, few and
// wide, are kept as nodes and written one statement each.
struct CacheWriter::Batch {
    RowBatch orders;
    RowBatch line_items;
    RowBatch refunds;
    RowBatch refund_lines;
    RowBatch customers;
    RowBatch variants;
    RowBatch inventory_levels;
    std::vector<BulkObject> others;
    std::map<std::string, std::int64_t, std::less<>> types;  // nodes per type, for written()
    std::size_t size = 0;

    void write(db::Pool& pool, const std::string& store, double ttl_s) const {
        pool.transact_blocking([&](db::Transaction& tx) {
            for (const auto& obj : others) write_one(tx, store, ttl_s, obj);  // products among them
            customers.write(tx, kCustomerBatch, store, ttl_s);
            variants.write(tx, kVariantBatch, store, ttl_s);  // after their products (foreign key)
            inventory_levels.write(tx, kInventoryLevelBatch, store, ttl_s);
            orders.write(tx, kOrderBatch, store, ttl_s);  // before their line items (foreign key)
            line_items.write(tx, kLineItemBatch, store, ttl_s);
            refunds.write(tx, kRefundBatch, store, ttl_s);  // after their orders, before their lines
            refund_lines.write(tx, kRefundLineBatch, store, ttl_s);
        });
    }
};

CacheWriter::CacheWriter(db::Pool& pool, std::string store_id, std::chrono::milliseconds ttl)
    : pool_(pool), store_id_(std::move(store_id)), ttl_(ttl), batch_(std::make_unique<Batch>()) {}

CacheWriter::~CacheWriter() {
    if (in_flight_.valid()) in_flight_.wait();
}

void CacheWriter::add(const BulkObject& obj) {
    Batch& b = *batch_;
    if (obj.type == "Order") {
        b.orders.add(obj.id, order_row(obj));
    } else if (obj.type == "LineItem") {
        if (obj.parent_id) b.line_items.add(obj.id, line_item_row(obj));
    } else if (obj.type == "Refund") {
        if (obj.parent_id) b.refunds.add(obj.id, refund_row(obj));
    } else if (obj.type == "RefundLineItem") {
        if (obj.parent_id) b.refund_lines.add(obj.id, refund_line_row(obj));
    } else if (obj.type == "Customer") {
        b.customers.add(obj.id, customer_row(obj));
    } else if (obj.type == "ProductVariant") {
        if (auto row = variant_row(obj)) b.variants.add(obj.id, *row);
    } else if (obj.type == "InventoryLevel") {
        if (auto row = inventory_level_row(obj)) b.inventory_levels.add(obj.id, *row);
    } else {
        b.others.push_back(obj);
    }
    ++b.types[obj.type];
    if (++b.size >= kBatchSize) submit();
}

void CacheWriter::submit() {
    if (batch_->size == 0) return;
    wait();  // one batch at a time, in order: a batch's rows may refer to the rows of the one before
    std::shared_ptr<const Batch> batch(std::move(batch_));
    batch_ = std::make_unique<Batch>();
    in_flight_ = std::async(std::launch::async, [&pool = pool_, store = store_id_,
                                                 ttl_s = std::chrono::duration<double>(ttl_).count(), batch] {
        batch->write(pool, store, ttl_s);
        return batch->types;
    });
}

void CacheWriter::wait() {
    if (!in_flight_.valid()) return;
    for (const auto& [type, n] : in_flight_.get()) written_[type] += n;
}

void CacheWriter::flush() {
    submit();
    wait();
}

std::vector<BulkObject> flatten_node(const json::object& node, const std::vector<std::string>& children) {
    std::vector<BulkObject> out;
    BulkObject parent;
    parent.fields = node;
    if (const auto* id = node.if_contains("id"); id != nullptr && id->is_string()) {
        parent.id = std::string(id->get_string());
        parent.type = gid_type(parent.id);
    }
    for (const auto& name : children) parent.fields.erase(name);
    out.push_back(parent);
    for (const auto& name : children) {
        const auto* conn = node.if_contains(name);
        const auto* nodes = conn != nullptr && conn->is_object() ? conn->get_object().if_contains("nodes") : nullptr;
        if (nodes == nullptr || !nodes->is_array()) continue;
        for (const auto& child : nodes->get_array()) {
            if (!child.is_object()) continue;
            BulkObject c;
            c.fields = child.get_object();
            c.id = text(c.fields, "id").value_or("");
            c.type = gid_type(c.id);
            c.parent_id = parent.id;
            out.push_back(std::move(c));
        }
    }
    return out;
}

}  // namespace alatar::shopify
