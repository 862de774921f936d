#include "agents/store_dataset_loader.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "agents/tools.hpp"
#include "common/error.hpp"
#include "db/result.hpp"
#include "db/transaction.hpp"
#include "intelligence/dataset.hpp"

namespace alatar::agents {

namespace {

namespace intel = alatar::intelligence;

// The store and 10^(currency decimals), the factor from amounts to minor units.
struct Scope {
    std::string store_id;
    std::int64_t scale{100};
};

intel::Instant instant(std::int64_t seconds) { return intel::Instant{std::chrono::seconds{seconds}}; }

// Seconds since the epoch of a timestamptz column, in SQL.
std::string epoch(std::string_view column) { return "extract(epoch FROM " + std::string(column) + ")::bigint"; }

// A numeric amount column in minor units ($2 is 10^decimals).
std::string minor(std::string_view column) { return "round(" + std::string(column) + " * $2::numeric)::bigint"; }

intel::ProductStatus product_status(std::string_view status) {
    if (status == "DRAFT") return intel::ProductStatus::kDraft;
    if (status == "ARCHIVED") return intel::ProductStatus::kArchived;
    return intel::ProductStatus::kActive;
}

void load_shop(db::Transaction& tx, std::string_view store_id, intel::StoreData& out) {
    const auto r =
        tx.exec("SELECT coalesce(name, shop_domain), coalesce(currency, 'USD'), coalesce(timezone, 'UTC'), " +
                    epoch("last_synced_at") + " FROM shopify_stores WHERE id = $1::uuid",
                db::Params{store_id});
    if (r.empty()) throw Error(ErrorCode::kNotFound, "store " + std::string(store_id) + " not found");
    out.shop.name = r.get<std::string>(0, 0);
    out.shop.currency = r.get<std::string>(0, 1);
    out.shop.timezone = r.get<std::string>(0, 2);
    if (const auto synced = r.get<std::optional<std::int64_t>>(0, 3)) out.synced_at = instant(*synced);
}

void load_catalogue(db::Transaction& tx, const Scope& params, intel::StoreData& out) {
    const auto p = tx.exec(
        "SELECT shopify_gid, title, coalesce(product_type, ''), coalesce(vendor, ''), "
        "coalesce(status, 'ACTIVE'), coalesce(description_html, ''), tags, coalesce(" +
            epoch("created_at") +
            ", 0) FROM shop_products WHERE store_id = $1::uuid "
            "ORDER BY shopify_gid",
        db::Params{params.store_id});
    out.products.reserve(static_cast<std::size_t>(p.rows()));
    for (int i = 0; i < p.rows(); ++i) {
        out.products.push_back({.id = p.get<std::string>(i, 0),
                                .title = p.get<std::string>(i, 1),
                                .product_type = p.get<std::string>(i, 2),
                                .vendor = p.get<std::string>(i, 3),
                                .status = product_status(p.text(i, 4)),
                                .description_html = p.get<std::string>(i, 5),
                                .tags = p.get<std::vector<std::string>>(i, 6),
                                .created_at = instant(p.get<std::int64_t>(i, 7))});
    }
    const auto v =
        tx.exec("SELECT shopify_gid, product_gid, coalesce(title, ''), coalesce(sku, ''), " + minor("price") +
                    ", coalesce(inventory_item_gid, '') FROM shop_product_variants "
                    "WHERE store_id = $1::uuid ORDER BY product_gid, shopify_gid",
                db::Params{params.store_id, params.scale});
    out.variants.reserve(static_cast<std::size_t>(v.rows()));
    for (int i = 0; i < v.rows(); ++i) {
        out.variants.push_back({.id = v.get<std::string>(i, 0),
                                .product_id = v.get<std::string>(i, 1),
                                .title = v.get<std::string>(i, 2),
                                .sku = v.get<std::string>(i, 3),
                                .price = v.get<std::int64_t>(i, 4),
                                .unit_cost = std::nullopt,
                                .inventory_item_id = v.get<std::string>(i, 5)});
    }
    const auto l = tx.exec(
        "SELECT inventory_item_gid, location_gid, available FROM shop_inventory_levels "
        "WHERE store_id = $1::uuid ORDER BY inventory_item_gid, location_gid",
        db::Params{params.store_id});
    out.inventory_levels.reserve(static_cast<std::size_t>(l.rows()));
    for (int i = 0; i < l.rows(); ++i) {
        out.inventory_levels.push_back(
            {l.get<std::string>(i, 0), l.get<std::string>(i, 1), static_cast<int>(l.get<std::int64_t>(i, 2))});
    }
}

void load_customers(db::Transaction& tx, const Scope& params, intel::StoreData& out) {
    const auto c = tx.exec("SELECT shopify_gid, coalesce(" + epoch("created_at") +
                               ", 0) FROM shop_customers WHERE store_id = $1::uuid "
                               "ORDER BY shopify_gid",
                           db::Params{params.store_id});
    out.customers.reserve(static_cast<std::size_t>(c.rows()));
    for (int i = 0; i < c.rows(); ++i) {
        out.customers.push_back({c.get<std::string>(i, 0), instant(c.get<std::int64_t>(i, 1)), false});
    }
}

// An order's refunds as Shopify records them (shop_refunds, shop_refund_line_items): each dated by its own
// createdAt, its lines with the refunded line item, units and merchandise amount. Returns the orders that have any.
std::unordered_map<std::string, std::vector<intel::Refund>> load_refunds(db::Transaction& tx, const Scope& params) {
    const auto r = tx.exec("SELECT r.order_gid, r.shopify_gid, " + epoch("r.created_at") +
                               ", rl.line_item_gid, rl.quantity, " + minor("rl.subtotal_amount") +
                               " FROM shop_refunds r LEFT JOIN shop_refund_line_items rl "
                               "ON rl.store_id = r.store_id AND rl.refund_gid = r.shopify_gid "
                               "WHERE r.store_id = $1::uuid ORDER BY r.order_gid, r.created_at, r.shopify_gid, "
                               "rl.shopify_gid",
                           db::Params{params.store_id, params.scale});
    std::unordered_map<std::string, std::vector<intel::Refund>> out;
    std::string_view last_refund;
    for (int i = 0; i < r.rows(); ++i) {
        auto& refunds = out[std::string(r.text(i, 0))];
        if (refunds.empty() || r.text(i, 1) != last_refund) {
            refunds.push_back({instant(r.get<std::int64_t>(i, 2)), {}});
            last_refund = r.text(i, 1);
        }
        if (const auto line = r.get<std::optional<std::string>>(i, 3)) {  // NULL: a refund without lines
            refunds.back().lines.push_back(
                {*line, static_cast<int>(r.get<std::int64_t>(i, 4)), r.get<std::int64_t>(i, 5)});
        }
    }
    return out;
}

// The fallback for an order cached without refund rows (before migration 0005, until it is synced again):
// the merchandise part of the order's refunded total, without the shipping when everything was refunded, and
// without the tax share of what is left.
intel::Money refunded_merchandise(intel::Money refunded, intel::Money subtotal, intel::Money total, intel::Money tax,
                                  intel::Money shipping) {
    if (refunded >= total) refunded -= shipping;
    if (refunded <= 0) return 0;
    if (tax <= 0 || subtotal <= 0) return refunded;
    return static_cast<intel::Money>(std::llround(static_cast<double>(refunded) * static_cast<double>(subtotal) /
                                                  static_cast<double>(subtotal + tax)));
}

void load_orders(db::Transaction& tx, const Scope& params, intel::StoreData& out) {
    auto refunds = load_refunds(tx, params);
    const auto o = tx.exec(
        "SELECT shopify_gid, " + epoch("created_at") + ", " + epoch("coalesce(processed_at, created_at)") + ", " +
            epoch("cancelled_at") + ", test, customer_gid, currency, " + minor("subtotal_amount") + ", " +
            minor("total_amount") + ", " + minor("total_discounts_amount") + ", " + minor("total_refunded_amount") +
            ", " + minor("total_tax_amount") + ", " + minor("total_shipping_amount") + ", " +
            epoch("greatest(coalesce(updated_at, processed_at, created_at), coalesce(processed_at, created_at))") +
            " FROM shop_orders WHERE store_id = $1::uuid ORDER BY coalesce(processed_at, created_at), shopify_gid",
        db::Params{params.store_id, params.scale});
    std::unordered_map<std::string, std::size_t> by_gid;
    by_gid.reserve(static_cast<std::size_t>(o.rows()));
    out.orders.reserve(static_cast<std::size_t>(o.rows()));
    for (int i = 0; i < o.rows(); ++i) {
        intel::Order order;
        order.id = o.get<std::string>(i, 0);
        order.created_at = instant(o.get<std::int64_t>(i, 1));
        order.processed_at = instant(o.get<std::int64_t>(i, 2));
        if (const auto cancelled = o.get<std::optional<std::int64_t>>(i, 3)) order.cancelled_at = instant(*cancelled);
        order.test = o.get<bool>(i, 4);
        order.customer_id = o.get<std::optional<std::string>>(i, 5);
        order.currency = o.get<std::string>(i, 6);
        order.subtotal = o.get<std::int64_t>(i, 7);
        order.total = o.get<std::int64_t>(i, 8);
        order.total_discounts = o.get<std::int64_t>(i, 9);
        if (auto it = refunds.find(order.id); it != refunds.end()) {
            order.refunds = std::move(it->second);
        } else if (const intel::Money merchandise =
                       refunded_merchandise(o.get<std::int64_t>(i, 10), order.subtotal, order.total,
                                            o.get<std::int64_t>(i, 11), o.get<std::int64_t>(i, 12));
                   merchandise > 0) {
            // One refund of no line, dated by the order's last update.
            order.refunds.push_back({instant(o.get<std::int64_t>(i, 13)), {{"", 0, merchandise}}});
        }
        by_gid.emplace(order.id, out.orders.size());
        out.orders.push_back(std::move(order));
    }
    const auto l = tx.exec(
        "SELECT order_gid, shopify_gid, coalesce(product_gid, ''), coalesce(variant_gid, ''), "
        "quantity, " +
            minor("original_unit_price") + ", " + minor("total_discount") +
            " FROM shop_order_line_items WHERE store_id = $1::uuid ORDER BY order_gid, shopify_gid",
        db::Params{params.store_id, params.scale});
    for (int i = 0; i < l.rows(); ++i) {
        const auto it = by_gid.find(std::string(l.text(i, 0)));
        if (it == by_gid.end()) continue;  // the order is gone (cascade in flight)
        out.orders[it->second].lines.push_back({.id = l.get<std::string>(i, 1),
                                                .product_id = l.get<std::string>(i, 2),
                                                .variant_id = l.get<std::string>(i, 3),
                                                .quantity = static_cast<int>(l.get<std::int64_t>(i, 4)),
                                                .unit_price = l.get<std::int64_t>(i, 5),
                                                .discount_allocation = l.get<std::int64_t>(i, 6)});
    }
}

}  // namespace

intel::StoreData load_store_data(ReadOnlyDb& db, std::string_view store_id, Deadline deadline) {
    intel::StoreData out;
    db.snapshot(
        [&](db::Transaction& tx) {
            out = intel::StoreData{};
            load_shop(tx, store_id, out);
            const int decimals = out.shop.currency_decimals.value_or(intel::currency_decimals(out.shop.currency));
            const Scope params{std::string(store_id), static_cast<std::int64_t>(std::llround(std::pow(10, decimals)))};
            load_catalogue(tx, params, out);
            load_customers(tx, params, out);
            load_orders(tx, params, out);
        },
        deadline);
    return out;
}

std::shared_ptr<const intel::Dataset> DatasetCache::get(ReadOnlyDb& db, const std::string& store_id,
                                                        Deadline deadline) {
    const auto v = db.query(
        "SELECT coalesce(extract(epoch FROM last_synced_at)::text, '') || '/' || extract(epoch FROM updated_at)::text "
        "|| '/' || (SELECT count(*) FROM shop_orders WHERE store_id = $1::uuid)::text FROM shopify_stores "
        "WHERE id = $1::uuid",
        db::Params{store_id}, deadline);
    if (v.empty()) throw Error(ErrorCode::kNotFound, "store " + store_id + " not found");
    const std::string version = v.get<std::string>(0, 0);
    const auto now = std::chrono::steady_clock::now();
    {
        const std::lock_guard lock(mutex_);
        const auto it = entries_.find(store_id);
        if (it != entries_.end() && it->second.version == version && now - it->second.loaded < ttl_) {
            return it->second.dataset;
        }
    }
    // Loaded outside the lock: tasks of other stores are not held up (two tasks may load the same store once each).
    auto dataset = std::make_shared<const intel::Dataset>(load_store_data(db, store_id, deadline));
    const std::lock_guard lock(mutex_);
    if (!entries_.contains(store_id) && entries_.size() >= capacity_) {
        auto oldest = entries_.begin();
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (it->second.loaded < oldest->second.loaded) oldest = it;
        }
        entries_.erase(oldest);
    }
    entries_[store_id] = Entry{version, now, dataset};
    return dataset;
}

}  // namespace alatar::agents
