#pragma once
// Converts the simulator's generated store into the intelligence dataset (tests and benchmark only; the
// runtime loads from the database cache).
#include <string>

#include "intelligence/store_data.hpp"
#include "shopify_sim/store_model.hpp"

namespace alatar::intelligence::testing {

inline std::string gid(std::string_view type, shopify_sim::Id id) {
    return "gid://shopify/" + std::string(type) + "/" + std::to_string(id);
}

inline Instant instant(shopify_sim::Timestamp ts) { return Instant{std::chrono::seconds{ts}}; }

inline StoreData from_sim(const shopify_sim::Store& s) {
    StoreData d;
    d.shop = {.name = s.shop.name, .currency = s.shop.currency_code, .timezone = s.shop.iana_timezone};
    d.synced_at = instant(s.info.history_end);
    for (const auto& p : s.products) {
        d.products.push_back({.id = gid("Product", p.id),
                              .title = p.title,
                              .product_type = p.product_type,
                              .vendor = p.vendor,
                              .status = p.status == shopify_sim::ProductStatus::kActive  ? ProductStatus::kActive
                                        : p.status == shopify_sim::ProductStatus::kDraft ? ProductStatus::kDraft
                                                                                         : ProductStatus::kArchived,
                              .description_html = p.description_html,
                              .tags = p.tags,
                              .created_at = instant(p.created_at)});
    }
    for (const auto& v : s.variants) {
        d.variants.push_back({.id = gid("ProductVariant", v.id),
                              .product_id = gid("Product", v.product_id),
                              .title = v.title,
                              .sku = v.sku,
                              .price = v.price,
                              .unit_cost = v.unit_cost,
                              .inventory_item_id = gid("InventoryItem", v.inventory_item_id)});
    }
    for (const auto& l : s.inventory_levels) {
        d.inventory_levels.push_back(
            {gid("InventoryItem", l.inventory_item_id), gid("Location", l.location_id), l.available});
    }
    for (const auto& c : s.customers) {
        d.customers.push_back({gid("Customer", c.id), instant(c.created_at), c.accepts_marketing});
    }
    d.orders.reserve(s.orders.size());
    for (const auto& o : s.orders) {
        Order out;
        out.id = gid("Order", o.id);
        out.created_at = instant(o.created_at);
        out.processed_at = instant(o.processed_at);
        if (o.cancelled_at) out.cancelled_at = instant(*o.cancelled_at);
        out.test = o.test;
        if (o.customer_id) out.customer_id = gid("Customer", *o.customer_id);
        out.currency = s.shop.currency_code;
        for (const auto& l : o.lines) {
            out.lines.push_back({gid("LineItem", l.id), gid("Product", l.product_id),
                                 gid("ProductVariant", l.variant_id), l.quantity, l.price, l.total_discount});
        }
        out.discount_codes = o.discount_codes;
        out.subtotal = o.subtotal_price;
        out.total = o.total_price;
        out.total_discounts = o.total_discounts;
        for (const auto& r : o.refunds) {
            Refund refund{instant(r.created_at), {}};
            for (const auto& rl : r.lines)
                refund.lines.push_back({gid("LineItem", rl.line_item_id), rl.quantity, rl.subtotal});
            out.refunds.push_back(std::move(refund));
        }
        d.orders.push_back(std::move(out));
    }
    return d;
}

}  // namespace alatar::intelligence::testing
