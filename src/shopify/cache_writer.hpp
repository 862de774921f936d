#pragma once
// Writes Shopify nodes (as bulk objects: parents before children) into the normalized cache tables
// (shop_products, shop_product_variants, shop_orders, shop_order_line_items, shop_refunds (type "Refund", parent:
// the order), shop_refund_line_items ("RefundLineItem", parent: the refund), shop_customers, shop_locations,
// shop_inventory_levels) with fetched_at = now() and expires_at = now() + TTL. Upserts: writing a node twice is
// harmless, so a retried page or an overlapping window cannot duplicate anything.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "shopify/bulk_jsonl.hpp"

namespace alatar::db {
class Pool;
}  // namespace alatar::db

namespace alatar::shopify {

class CacheWriter {
  public:
    static constexpr std::size_t kBatchSize = 500;

    CacheWriter(db::Pool& pool, std::string store_id, std::chrono::milliseconds ttl)
        : pool_(pool), store_id_(std::move(store_id)), ttl_(ttl) {}

    // Queues one node; writes a batch (one transaction) when full. Types without a table are ignored.
    void add(BulkObject object);
    void flush();

    // Rows written per type ("Product", "Order", ...).
    const std::map<std::string, std::int64_t, std::less<>>& written() const noexcept { return written_; }

  private:
    db::Pool& pool_;
    std::string store_id_;
    std::chrono::milliseconds ttl_;
    std::vector<BulkObject> batch_;
    std::map<std::string, std::int64_t, std::less<>> written_;
};

// A node of a paginated answer turned into bulk objects: the node itself, then the nodes of its nested
// connections (`children` names them, e.g. {"lineItems"}) with parent_id set, as a bulk file would list them.
std::vector<BulkObject> flatten_node(const boost::json::object& node, const std::vector<std::string>& children);

}  // namespace alatar::shopify
