#pragma once
// "Why did net sales change?" (driver_decomposition.v1): the change between two windows split three ways,
// each summing to the change:
//   orders x AOV:     delta = volume + value + interaction - delta(returns)
//                     volume = dOrders * AOV0, value = Orders0 * dAOV, interaction = dOrders * dAOV
//   customers:        new + returning + guest order net, minus returns
//   products/types:   product net sales (lines - line discounts - returns by refund date) plus the order
//                     discounts not allocated to any line
#include <optional>
#include <string>
#include <vector>

#include "intelligence/dataset.hpp"

namespace alatar::intelligence {

struct Contribution {
    std::string key;  // product gid, product type, or a segment name
    std::string label;
    Money previous = 0;
    Money current = 0;
    Money delta() const noexcept { return current - previous; }
};

struct TopNegativeDriver {
    Index product = kNone;
    Money delta = 0;
    bool stockout = false;  // out of stock now, or a silent run after steady sales
    std::optional<int> available;
    int days_without_sales = 0;
    double prior_daily_units = 0;
};

struct DriverDecomposition {
    DateWindow window;
    DateWindow previous;
    Money net_current = 0;
    Money net_previous = 0;
    std::int64_t orders_current = 0;
    std::int64_t orders_previous = 0;
    // In minor units (fractions possible): volume + value + interaction + returns_effect == delta.
    double volume_effect = 0;
    double value_effect = 0;
    double interaction_effect = 0;
    Money returns_effect = 0;                   // -(returns now - returns before)
    std::vector<Contribution> by_segment;       // new, returning, guest, returns
    std::vector<Contribution> by_product;       // most negative delta first; last: unallocated discounts
    std::vector<Contribution> by_product_type;  // most negative delta first; last: unallocated discounts
    std::optional<TopNegativeDriver> top_negative;

    Money delta() const noexcept { return net_current - net_previous; }
};

DriverDecomposition decompose_net_sales(const Dataset& ds, const DateWindow& window, const DateWindow& previous);

}  // namespace alatar::intelligence
