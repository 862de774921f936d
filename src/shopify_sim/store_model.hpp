#pragma once
// The simulated shop's data: what the generator produces, what the ground-truth export writes and what
// the Admin API serves. Money is integer cents, times are UTC seconds, ids are Shopify's numeric ids
// (the API wraps them as gid://shopify/{Type}/{id}).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "shopify_sim/civil_time.hpp"
#include "shopify_sim/money.hpp"

namespace alatar::shopify_sim {

using Id = std::uint64_t;

// kMicro: a few hundred orders, for load tests that link hundreds of shops and backfill each one.
enum class Profile { kMicro, kTiny, kSmall, kLarge };

struct ProfileSize {
    int products = 0;
    int customers = 0;
    int orders = 0;
    int locations = 0;
};

ProfileSize profile_size(Profile profile) noexcept;
std::string_view profile_name(Profile profile) noexcept;
std::optional<Profile> parse_profile(std::string_view name) noexcept;

struct Shop {
    Id id = 0;
    std::string name;
    std::string domain;  // e.g. demo.myshopify.test
    std::string email;
    std::string currency_code;  // e.g. USD
    std::string iana_timezone;  // a fixed-offset zone, see civil_time.hpp
    std::string timezone_abbreviation;
    int utc_offset_minutes = 0;
    std::string plan_display_name;  // "Basic", "Shopify", "Advanced", "Shopify Plus"
    std::string rate_limit_plan;    // "Standard", "Advanced", "Plus", "Enterprise"
    int tax_rate_bp = 0;            // sales tax in basis points, charged on discounted line amounts
    Timestamp created_at = 0;
};

struct Location {
    Id id = 0;
    std::string name;
    std::string address1;
    std::string city;
    std::string country_code;
    bool active = true;
    Timestamp created_at = 0;
};

enum class ProductStatus { kActive, kDraft, kArchived };
std::string_view product_status_name(ProductStatus status) noexcept;  // "ACTIVE", "DRAFT", "ARCHIVED"

struct Variant {
    Id id = 0;
    Id product_id = 0;
    Id inventory_item_id = 0;
    std::string title;  // "M", "Black", or "Default Title"
    std::string sku;
    Cents price = 0;
    std::optional<Cents> compare_at_price;
    Cents unit_cost = 0;  // the inventory item's cost (COGS)
    int position = 1;
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
};

struct Product {
    Id id = 0;
    std::string title;
    std::string handle;
    std::string description_html;
    std::string product_type;
    std::string vendor;
    ProductStatus status = ProductStatus::kActive;
    std::vector<std::string> tags;
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
    std::optional<Timestamp> published_at;
    std::size_t first_variant = 0;  // index into Store::variants
    std::size_t variant_count = 0;
    // Generator truth, not Shopify fields: demand trend (log growth per year) and refund probability per line.
    double sim_trend_per_year = 0;
    double sim_refund_rate = 0;
};

// Stock of one inventory item at one location; on_hand = available + committed.
struct InventoryLevel {
    Id inventory_item_id = 0;
    Id location_id = 0;
    int available = 0;
    int committed = 0;
    int on_hand = 0;
    int incoming = 0;
    Timestamp updated_at = 0;
};

struct Customer {
    Id id = 0;
    std::string first_name;
    std::string last_name;
    std::string email;
    std::string phone;
    std::string state;  // "ENABLED", "DISABLED", "INVITED"
    bool verified_email = true;
    bool accepts_marketing = false;
    std::vector<std::string> tags;
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
    // Derived from orders: all orders count (as Shopify's numberOfOrders); amount spent over orders that
    // are not cancelled, net of refunds.
    int orders_count = 0;
    Cents amount_spent = 0;
    std::optional<Id> last_order_id;
};

enum class DiscountValueKind { kPercentage, kFixedAmount };

struct DiscountCode {
    Id id = 0;              // DiscountCodeNode id
    Id redeem_code_id = 0;  // DiscountRedeemCode id
    std::string title;
    std::string code;
    DiscountValueKind kind = DiscountValueKind::kPercentage;
    int percentage_bp = 0;  // kPercentage: 1500 = 15%
    Cents amount = 0;       // kFixedAmount, per order
    Cents minimum_subtotal = 0;
    Timestamp starts_at = 0;
    std::optional<Timestamp> ends_at;
    std::optional<int> usage_limit;
    bool applies_once_per_customer = false;
    bool deactivated = false;
    std::vector<Id> product_ids;  // empty: applies to all items
    int usage_count = 0;
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
};

// "ACTIVE", "EXPIRED" or "SCHEDULED" at `now` (Shopify's DiscountStatus).
std::string_view discount_status(const DiscountCode& code, Timestamp now) noexcept;

struct LineItem {
    Id id = 0;
    Id product_id = 0;
    Id variant_id = 0;
    std::string title;  // product title at the time of the order
    std::string variant_title;
    std::string sku;
    int quantity = 0;
    Cents price = 0;           // unit price
    Cents total_discount = 0;  // order discount allocated to this line
    Cents tax = 0;
    int refunded_quantity = 0;  // sum over refunds
    // Units still on the order: 0 for refunded or cancelled lines.
    int current_quantity = 0;

    Cents original_total() const noexcept { return price * quantity; }
    Cents discounted_total() const noexcept { return original_total() - total_discount; }
};

struct RefundLineItem {
    Id id = 0;
    Id line_item_id = 0;
    int quantity = 0;
    Cents subtotal = 0;  // refunded merchandise amount after the line's discount
    Cents total_tax = 0;
    std::string restock_type;  // "RETURN", "NO_RESTOCK"
};

struct Refund {
    Id id = 0;
    Timestamp created_at = 0;
    std::string note;
    std::vector<RefundLineItem> lines;
    Cents shipping = 0;  // refunded shipping
    Cents total = 0;     // sum of line subtotals, taxes and shipping: the money returned

    Cents subtotal() const noexcept;
};

struct Order {
    Id id = 0;
    std::string name;  // "#1001"
    std::optional<Id> customer_id;
    std::string email;
    Timestamp created_at = 0;
    Timestamp processed_at = 0;
    Timestamp updated_at = 0;
    std::optional<Timestamp> cancelled_at;
    std::string cancel_reason;  // CUSTOMER, INVENTORY, FRAUD, DECLINED, OTHER
    std::optional<Timestamp> closed_at;
    std::optional<Timestamp> fulfilled_at;
    bool test = false;
    std::string financial_status;    // OrderDisplayFinancialStatus
    std::string fulfillment_status;  // OrderDisplayFulfillmentStatus
    std::string source_name;         // "web", "pos"
    std::vector<std::string> tags;
    std::vector<std::string> discount_codes;
    std::vector<LineItem> lines;
    std::vector<Refund> refunds;
    // Totals at creation; Shopify's totalPrice = subtotal + shipping + tax.
    Cents total_line_items_price = 0;  // sum of price * quantity
    Cents total_discounts = 0;
    Cents subtotal_price = 0;  // line items after discounts
    Cents total_shipping = 0;
    Cents total_tax = 0;
    Cents total_price = 0;
    Cents total_refunded = 0;  // sum of refund totals

    // After refunds and cancellation (Shopify's current* fields).
    Cents current_subtotal_price() const noexcept;
    Cents current_total_tax() const noexcept;
    Cents current_total_price() const noexcept;
    Cents net_payment() const noexcept;  // money kept: 0 for voided orders
};

// The situations an analyst should find, with the figures realised in the generated data.
struct PlantedStockout {
    Id product_id = 0;
    std::string title;
    Timestamp stockout_start = 0;  // from here on the product has no stock and sells nothing
    Date stockout_start_date = 0;  // local date
    Date week_start = 0;           // the last complete ISO week (Monday, local) before today
    Date week_end = 0;             // its Sunday
    int units_last_week = 0;
    double avg_units_prior_4_weeks = 0;
    Cents store_net_sales_last_week = 0;  // all products, orders not test/cancelled
    Cents store_avg_net_sales_prior_4_weeks = 0;
};

struct PlantedOverstock {
    Id product_id = 0;
    std::string title;
    int on_hand = 0;
    int units_sold_last_90_days = 0;
    Cents inventory_value_at_cost = 0;
};

struct PlantedWeakDescription {
    Id product_id = 0;
    std::string title;
    std::string description_html;
    int units_sold = 0;
    int units_refunded = 0;
    double refund_rate = 0;        // units refunded / units sold, orders not test/cancelled
    double store_refund_rate = 0;  // the same over all other products
};

struct Planted {
    PlantedStockout stockout;
    PlantedOverstock overstock;
    PlantedWeakDescription weak_description;
};

struct GenerationInfo {
    std::uint64_t seed = 0;
    Profile profile = Profile::kSmall;
    Date today = 0;             // local date; the history ends at its midnight (exclusive)
    Date history_start = 0;     // local date of the first day of history
    Timestamp history_end = 0;  // local midnight of `today`, UTC seconds
};

struct Store {
    GenerationInfo info;
    Shop shop;
    std::vector<Location> locations;
    std::vector<Product> products;                 // ascending id
    std::vector<Variant> variants;                 // ascending id, grouped by product
    std::vector<InventoryLevel> inventory_levels;  // grouped by inventory item, locations in order
    std::vector<Customer> customers;               // ascending id
    std::vector<Order> orders;                     // ascending id == ascending created_at
    std::vector<DiscountCode> discount_codes;      // ascending id
    Planted planted;

    // Lookup by id (built by index(); call again after adding entities).
    void index();
    const Product* find_product(Id id) const;
    const Variant* find_variant(Id id) const;
    const Variant* find_variant_by_inventory_item(Id inventory_item_id) const;
    const Customer* find_customer(Id id) const;
    const Order* find_order(Id id) const;
    const Location* find_location(Id id) const;
    Product* find_product(Id id);
    Variant* find_variant(Id id);
    Customer* find_customer(Id id);
    Order* find_order(Id id);

  private:
    std::unordered_map<Id, std::size_t> product_index_;
    std::unordered_map<Id, std::size_t> variant_index_;
    std::unordered_map<Id, std::size_t> inventory_item_index_;
    std::unordered_map<Id, std::size_t> customer_index_;
    std::unordered_map<Id, std::size_t> order_index_;
    std::unordered_map<Id, std::size_t> location_index_;
};

}  // namespace alatar::shopify_sim
