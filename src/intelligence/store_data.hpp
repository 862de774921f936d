#pragma once
// The in-memory dataset every formula computes on: what a loader (the database cache, the simulator's
// ground-truth export, a test) fills in. No database, network or broker types here.
//
// Money is int64 minor units of the shop currency (Shopify's shopMoney), never double while summing.
// Times are UTC instants (std::chrono::sys_seconds); local days come from the shop's IANA time zone.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::intelligence {

using Money = std::int64_t;  // minor units (cents for USD, yen for JPY)
using Instant = std::chrono::sys_seconds;

struct ShopInfo {
    std::string name;
    std::string currency = "USD";          // ISO 4217
    std::string timezone = "UTC";          // IANA name, e.g. America/New_York
    std::optional<int> currency_decimals;  // minor-unit digits; from the currency code when absent
};

enum class ProductStatus { kActive, kDraft, kArchived };

struct Product {
    std::string id;  // gid://shopify/Product/123
    std::string title;
    std::string product_type;
    std::string vendor;
    ProductStatus status = ProductStatus::kActive;
    std::string description_html;
    std::vector<std::string> tags;
    Instant created_at{};
};

struct Variant {
    std::string id;  // gid://shopify/ProductVariant/123
    std::string product_id;
    std::string title;
    std::string sku;
    Money price = 0;
    std::optional<Money> unit_cost;  // the inventory item's cost, when known
    std::string inventory_item_id;   // gid://shopify/InventoryItem/123
};

struct InventoryLevel {
    std::string inventory_item_id;
    std::string location_id;
    int available = 0;
};

struct Customer {
    std::string id;  // gid://shopify/Customer/123
    Instant created_at{};
    bool accepts_marketing = false;
};

struct LineItem {
    std::string id;  // gid://shopify/LineItem/123; refunds refer to it
    std::string product_id;
    std::string variant_id;
    int quantity = 0;
    Money unit_price = 0;           // before discounts
    Money discount_allocation = 0;  // the part of the order's discounts allocated to this line
};

struct RefundLine {
    std::string line_item_id;
    int quantity = 0;
    Money amount = 0;  // refunded merchandise after the line's discount; tax and shipping excluded
};

struct Refund {
    Instant created_at{};
    std::vector<RefundLine> lines;
};

struct Order {
    std::string id;  // gid://shopify/Order/123
    Instant created_at{};
    Instant processed_at{};
    std::optional<Instant> cancelled_at;
    bool test = false;
    std::optional<std::string> customer_id;
    std::string currency;  // presentment currency, informational: amounts are shop money
    std::vector<LineItem> lines;
    std::vector<std::string> discount_codes;
    Money subtotal = 0;         // line items after discounts
    Money total = 0;            // subtotal + shipping + tax
    Money total_discounts = 0;  // all order discounts, allocated to lines or not
    std::vector<Refund> refunds;
};

struct StoreData {
    ShopInfo shop;
    std::vector<Product> products;
    std::vector<Variant> variants;
    std::vector<InventoryLevel> inventory_levels;
    std::vector<Customer> customers;
    std::vector<Order> orders;
    std::optional<Instant> synced_at;  // when the data was last fetched (freshness caveat)
};

// Minor-unit digits of an ISO 4217 code: 0 for JPY, KRW, ...; 3 for BHD, KWD, ...; 2 otherwise.
int currency_decimals(std::string_view currency_code) noexcept;

// Shopify gids end in the numeric id; "gid://shopify/Product/42" -> "42" (the whole text when no slash).
std::string_view gid_tail(std::string_view gid) noexcept;

}  // namespace alatar::intelligence
