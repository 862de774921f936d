#pragma once
// The dataset prepared for computing: the raw StoreData plus column arrays of what counts as a sale
// (orders that are neither test nor cancelled, sorted by processed_at), their lines and their refund lines
// (sorted by refund date), with local days precomputed. Built once per analysis; every formula reads it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "intelligence/calendar.hpp"
#include "intelligence/store_data.hpp"

namespace alatar::intelligence {

using Index = std::int32_t;  // position in a column or entity vector; -1 for none
inline constexpr Index kNone = -1;

// Orders that count as sales, ascending processed_at. Row i's lines are [line_begin[i], line_begin[i+1]).
struct SaleOrders {
    std::vector<std::int64_t> time;      // processed_at, seconds since the epoch (UTC)
    std::vector<std::int32_t> day;       // local day number (days since 1970-01-01 in the shop zone)
    std::vector<Index> customer;         // customer index, kNone for guest checkouts
    std::vector<std::uint32_t> ordinal;  // 1 for the customer's first sale order, 2 for the second, ...
    std::vector<Money> gross;            // sum of unit price * quantity
    std::vector<Money> discounts;        // total_discounts
    std::vector<Money> line_discounts;   // the part allocated to lines
    std::vector<std::int32_t> units;
    std::vector<Index> discount_code;   // first code's index in Dataset::discount_codes(), kNone without
    std::vector<std::uint32_t> source;  // index into StoreData::orders
    std::vector<std::uint32_t> line_begin;

    std::size_t size() const noexcept { return time.size(); }
};

struct SaleLines {
    std::vector<Index> order;  // SaleOrders row
    std::vector<Index> product;
    std::vector<Index> variant;  // kNone when the variant is unknown
    std::vector<std::int32_t> quantity;
    std::vector<Money> gross;
    std::vector<Money> discount;
    std::vector<std::int32_t> refunded;  // units refunded so far, whatever the refund date

    std::size_t size() const noexcept { return order.size(); }
};

// Refund lines of sale orders, ascending refund date.
struct ReturnLines {
    std::vector<std::int64_t> time;
    std::vector<std::int32_t> day;
    std::vector<Index> order;  // SaleOrders row of the refunded order
    std::vector<Index> line;   // SaleLines row, kNone when the refunded line is unknown
    std::vector<Index> product;
    std::vector<std::int32_t> quantity;
    std::vector<Money> amount;

    std::size_t size() const noexcept { return time.size(); }
};

struct DataQuality {
    std::size_t test_orders = 0;
    std::size_t cancelled_orders = 0;
    std::size_t unmatched_refund_lines = 0;  // refund lines naming a line the order does not have
    std::size_t unknown_products = 0;        // line items naming products not in the catalogue
};

class Dataset {
  public:
    // Throws std::invalid_argument when the shop's time zone is unknown.
    explicit Dataset(StoreData data);

    const StoreData& raw() const noexcept { return data_; }
    const ShopClock& clock() const noexcept { return clock_; }
    const std::string& currency() const noexcept { return data_.shop.currency; }
    int decimals() const noexcept { return decimals_; }
    // Minor units to a display amount (only for output and ratios).
    double to_major(Money minor) const noexcept;
    double to_major(double minor) const noexcept;

    const SaleOrders& orders() const noexcept { return orders_; }
    const SaleLines& lines() const noexcept { return lines_; }
    const ReturnLines& returns() const noexcept { return returns_; }
    const DataQuality& quality() const noexcept { return quality_; }

    // Rows of orders processed within the window / refund lines created within it: [first, second).
    std::pair<std::size_t, std::size_t> order_rows(const DateWindow& window) const;
    std::pair<std::size_t, std::size_t> return_rows(const DateWindow& window) const;

    // Products, including placeholders for ids the catalogue does not have (status archived).
    std::size_t product_count() const noexcept { return products_.size(); }
    const Product& product(Index p) const { return products_[static_cast<std::size_t>(p)]; }
    std::optional<Index> find_product(std::string_view id) const;
    // Distinct product types ("" shows as "(none)"); product_type_of(p) indexes it.
    const std::vector<std::string>& product_types() const noexcept { return product_types_; }
    Index product_type_of(Index p) const { return product_type_[static_cast<std::size_t>(p)]; }
    // Units available summed over variants and locations; nullopt when no inventory level is known.
    std::optional<int> available(Index p) const { return available_[static_cast<std::size_t>(p)]; }
    // The first variant's price and the average known unit cost over the product's variants.
    std::optional<Money> price(Index p) const { return price_[static_cast<std::size_t>(p)]; }
    std::optional<Money> unit_cost(Index p) const { return unit_cost_[static_cast<std::size_t>(p)]; }
    // Variants of a product (indexes into raw().variants).
    const std::vector<Index>& variants_of(Index p) const { return variants_of_[static_cast<std::size_t>(p)]; }

    std::size_t customer_count() const noexcept { return customer_ids_.size(); }
    const std::string& customer_id(Index c) const { return customer_ids_[static_cast<std::size_t>(c)]; }
    // Time of the customer's first sale order, nullopt when they have none.
    std::optional<std::int64_t> first_order_time(Index c) const;

    const std::vector<std::string>& discount_codes() const noexcept { return discount_codes_; }

    // Local day number (days since 1970-01-01 in the shop's zone) of a window's ends.
    static std::int32_t day_number(LocalDay day) noexcept {
        return static_cast<std::int32_t>(day.time_since_epoch().count());
    }
    static LocalDay local_day(std::int32_t number) noexcept { return LocalDay{date::days{number}}; }

    // The last local day with any sale or refund; nullopt for an empty store.
    std::optional<LocalDay> last_activity_day() const;

  private:
    Index intern_product(const std::string& id);
    void index_catalogue();
    void index_orders();
    void index_inventory();

    StoreData data_;
    ShopClock clock_;
    int decimals_;
    std::vector<Product> products_;
    std::unordered_map<std::string, Index> product_by_id_;
    std::unordered_map<std::string, Index> variant_by_id_;
    std::vector<Index> product_type_;
    std::vector<std::string> product_types_;
    std::vector<std::optional<int>> available_;
    std::vector<std::optional<Money>> price_;
    std::vector<std::optional<Money>> unit_cost_;
    std::vector<std::vector<Index>> variants_of_;
    std::vector<std::string> customer_ids_;
    std::vector<std::int64_t> customer_first_time_;
    std::vector<std::string> discount_codes_;
    SaleOrders orders_;
    SaleLines lines_;
    ReturnLines returns_;
    DataQuality quality_;
};

}  // namespace alatar::intelligence
