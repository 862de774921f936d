#pragma once
// Loads a store's cached Shopify tables (shop_orders, shop_order_line_items, shop_products,
// shop_product_variants, shop_customers, shop_inventory_levels, shopify_stores) into the intelligence
// StoreData every formula computes on: one query per table, all in one read-only snapshot.
//
// Money: the cache keeps numeric amounts in the shop currency; they become minor units here.
// What the cache does not hold: refund lines and their dates. Each order's refunded total becomes one
// refund dated at the order's last update, without a line (the dataset counts it as unmatched and the
// analysis says so), its merchandise part estimated by leaving out the shipping (when everything was
// refunded) and the tax share. Variant costs, marketing consent and discount codes are not cached either.
#include <string_view>

#include "common/time.hpp"
#include "intelligence/store_data.hpp"

namespace alatar::agents {

class ReadOnlyDb;

// Throws alatar::Error kNotFound for an unknown store.
intelligence::StoreData load_store_data(ReadOnlyDb& db, std::string_view store_id, Deadline deadline);

}  // namespace alatar::agents
