#pragma once
// New orders placed while the simulator runs (POST /_sim/shops/{shop}/orders): priced like the generator's
// orders, stock committed at the first location that holds the variant, the customer's totals updated.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "shopify_sim/store_model.hpp"

namespace alatar::shopify_sim {

struct NewOrderLine {
    Id variant_id = 0;
    int quantity = 1;
};

struct NewOrder {
    std::vector<NewOrderLine> lines;  // empty: one unit of the first active product's first variant
    std::optional<Id> customer_id;
    bool test = false;
};

// The index of the new order in store.orders, or the reason it cannot be placed.
std::variant<std::size_t, std::string> place_order(Store& store, const NewOrder& order, Timestamp now);

}  // namespace alatar::shopify_sim
