#pragma once
// Test support: a generated simulator store written into the cached Shopify tables, and the thin path's
// figures computed independently from the generated data (the ground truth the agents must match).
#include <cstdint>
#include <string>

#include "db/pool.hpp"
#include "shopify_sim/store_model.hpp"

namespace alatar::agents::testing {

struct SeededStore {
    std::string user_id;
    std::string store_id;
};

// Inserts a user, a linked store (time zone and currency of the shop) and the store's products, orders and
// line items (fetched now, expiring in a day).
SeededStore seed_store(db::Pool& pool, const shopify_sim::Store& store);

// A user without stores (for requests that must fail early).
std::string insert_user(db::Pool& pool);

struct Totals {
    std::int64_t orders{0};
    std::int64_t units{0};
    shopify_sim::Cents gross{0};
    shopify_sim::Cents discounts{0};
    shopify_sim::Cents after_discounts{0};
    shopify_sim::Cents refunded{0};
};

// Orders processed in [from, to) (UTC seconds) that are neither test nor cancelled.
Totals ground_truth(const shopify_sim::Store& store, shopify_sim::Timestamp from, shopify_sim::Timestamp to);

struct Window {
    shopify_sim::Timestamp from{0};
    shopify_sim::Timestamp to{0};
};

// The previous calendar month in the shop's (fixed-offset) zone, relative to `now`.
Window last_month(const shopify_sim::Store& store, shopify_sim::Timestamp now);

// Applies migrations/*.sql of the repository to the database at `url`.
void migrate(const std::string& url);

}  // namespace alatar::agents::testing
