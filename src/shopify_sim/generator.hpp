#pragma once
// Deterministic shop generator: the same options always give the same Store, byte for byte once exported.
//
// The history covers the `kHistoryDays` local days before `today` (today itself has no orders yet). It has
// weekly and yearly seasonality (a November peak around Black Friday), growth, products trending up and
// down, launches and discontinued products, discount codes, refunds, cancelled and test orders, and repeat
// customers with a long tail. Three situations are planted for an analyst to find (see Planted):
//  - the top seller is out of stock since the Sunday before the last complete week, so last week's sales drop;
//  - a slow-moving product holds far more stock than anything else;
//  - one product with a one-line description is refunded far more often than the rest.
#include <cstdint>
#include <string>

#include "shopify_sim/store_model.hpp"

namespace alatar::shopify_sim {

inline constexpr int kHistoryDays = 730;

struct GeneratorOptions {
    std::string shop_domain = "demo.myshopify.test";
    Profile profile = Profile::kSmall;
    std::uint64_t seed = 42;
    Date today = 0;  // local date; see current_utc_date()
    std::string currency_code = "USD";
    std::string iana_timezone = "America/Phoenix";  // must be a zone find_fixed_zone() knows
    std::string plan_display_name = "Shopify";
    std::string rate_limit_plan = "Standard";
};

// Today's date in UTC, from the system clock.
Date current_utc_date();

// Throws std::invalid_argument for an unknown time zone or an empty shop domain.
Store generate_store(const GeneratorOptions& options);

// Recomputes the planted figures from the data (the generator calls it; the API calls it after changes).
void compute_planted_figures(Store& store);

}  // namespace alatar::shopify_sim
