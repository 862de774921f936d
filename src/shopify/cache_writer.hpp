#pragma once
// Writes Shopify nodes (as bulk objects: parents before children) into the normalized cache tables
// (shop_products, shop_product_variants, shop_orders, shop_order_line_items, shop_refunds (type "Refund", parent:
// the order), shop_refund_line_items ("RefundLineItem", parent: the refund), shop_customers, shop_locations,
// shop_inventory_levels) with fetched_at = now() and expires_at = now() + TTL. Upserts: writing a node twice is
// harmless, so a retried page or an overlapping window cannot duplicate anything.
#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "shopify/bulk_jsonl.hpp"

namespace alatar::db {
class Pool;
}  // namespace alatar::db

namespace alatar::shopify {

class CacheWriter {
  public:
    static constexpr std::size_t kBatchSize = 2000;

    CacheWriter(db::Pool& pool, std::string store_id, std::chrono::milliseconds ttl);
    // Waits for a batch still being written (its failure is then lost: flush() is what reports one).
    ~CacheWriter();
    CacheWriter(const CacheWriter&) = delete;
    CacheWriter& operator=(const CacheWriter&) = delete;

    // Queues one node (all but products and locations already as the row they become). A full batch is written
    // (one transaction) on a thread of its own while the caller reads on: the parsing and the database work
    // overlap. Batches are written one at a time, in order. Types without a table are ignored.
    void add(const BulkObject& object);
    // Writes everything queued and waits for it; rethrows the failure of any batch.
    void flush();

    // Rows written per type ("Product", "Order", ...), up to the last flush.
    const std::map<std::string, std::int64_t, std::less<>>& written() const noexcept { return written_; }

  private:
    struct Batch;
    // Hands the queued batch over to be written, after the one before it is done.
    void submit();
    // Waits for the batch being written; rethrows its failure.
    void wait();

    db::Pool& pool_;
    std::string store_id_;
    std::chrono::milliseconds ttl_;
    std::unique_ptr<Batch> batch_;
    std::future<std::map<std::string, std::int64_t, std::less<>>> in_flight_;
    std::map<std::string, std::int64_t, std::less<>> written_;
};

// A node of a paginated answer turned into bulk objects: the node itself, then the nodes of its nested
// connections (`children` names them, e.g. {"lineItems"}) with parent_id set, as a bulk file would list them.
std::vector<BulkObject> flatten_node(const boost::json::object& node, const std::vector<std::string>& children);

}  // namespace alatar::shopify
