#pragma once
// Loads a store's cached Shopify tables (shop_orders, shop_order_line_items, shop_refunds,
// shop_refund_line_items, shop_products, shop_product_variants, shop_customers, shop_inventory_levels,
// shopify_stores) into the intelligence StoreData every formula computes on: one query per table, all in one
// read-only snapshot.
//
// Money: the cache keeps numeric amounts in the shop currency; they become minor units here.
// Refunds: each cached refund, dated by its createdAt, with its lines (the refunded line item, units and
// merchandise subtotal). Fallback for an order cached without refund rows (synced before migration 0005): its
// refunded total becomes one refund dated at the order's last update, without a line (the dataset counts it as
// unmatched and the analysis says so), its merchandise part estimated by leaving out the shipping (when
// everything was refunded) and the tax share. Variant costs, marketing consent and discount codes are not cached.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/time.hpp"
#include "intelligence/store_data.hpp"

namespace alatar::agents {

class ReadOnlyDb;

// Throws alatar::Error kNotFound for an unknown store.
intelligence::StoreData load_store_data(ReadOnlyDb& db, std::string_view store_id, Deadline deadline);

}  // namespace alatar::agents

namespace alatar::intelligence {
class Dataset;
}  // namespace alatar::intelligence

namespace alatar::agents {

// The prepared datasets of recently analysed stores, shared by a worker's department tasks so that the tasks of
// one request (and the next requests about the same store) do not each load the cache again. An entry is used
// while its store's version is unchanged (last sync, store row update, cached order count) and it is younger
// than `ttl`; the oldest entry goes when `capacity` stores are held. Thread-safe.
class DatasetCache {
  public:
    explicit DatasetCache(std::chrono::milliseconds ttl = std::chrono::seconds{30}, std::size_t capacity = 8)
        : ttl_(ttl), capacity_(capacity) {}

    // Throws like load_store_data, and std::invalid_argument for an unknown shop time zone.
    std::shared_ptr<const intelligence::Dataset> get(ReadOnlyDb& db, const std::string& store_id, Deadline deadline);

  private:
    struct Entry {
        std::string version;
        std::chrono::steady_clock::time_point loaded;
        std::shared_ptr<const intelligence::Dataset> dataset;
    };
    std::chrono::milliseconds ttl_;
    std::size_t capacity_;
    std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace alatar::agents
