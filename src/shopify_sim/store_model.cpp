#include "shopify_sim/store_model.hpp"

namespace alatar::shopify_sim {
namespace {

template <class T, class Map>
T* lookup(std::vector<T>& items, const Map& index, Id id) {
    const auto it = index.find(id);
    return it == index.end() ? nullptr : &items[it->second];
}

template <class T, class Map>
const T* lookup(const std::vector<T>& items, const Map& index, Id id) {
    const auto it = index.find(id);
    return it == index.end() ? nullptr : &items[it->second];
}

template <class T, class Map>
void build_index(const std::vector<T>& items, Map& index) {
    index.clear();
    index.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) index.emplace(items[i].id, i);
}

}  // namespace

ProfileSize profile_size(Profile profile) noexcept {
    switch (profile) {
        case Profile::kMicro:
            return {.products = 20, .customers = 150, .orders = 400, .locations = 2};
        case Profile::kTiny:
            return {.products = 40, .customers = 600, .orders = 3000, .locations = 2};
        case Profile::kSmall:
            return {.products = 200, .customers = 5000, .orders = 20000, .locations = 2};
        case Profile::kLarge:
            return {.products = 2000, .customers = 50000, .orders = 200000, .locations = 3};
    }
    return {};
}

std::string_view profile_name(Profile profile) noexcept {
    switch (profile) {
        case Profile::kMicro:
            return "micro";
        case Profile::kTiny:
            return "tiny";
        case Profile::kSmall:
            return "small";
        case Profile::kLarge:
            return "large";
    }
    return "small";
}

std::optional<Profile> parse_profile(std::string_view name) noexcept {
    for (const Profile p : {Profile::kMicro, Profile::kTiny, Profile::kSmall, Profile::kLarge}) {
        if (profile_name(p) == name) return p;
    }
    return std::nullopt;
}

std::string_view product_status_name(ProductStatus status) noexcept {
    switch (status) {
        case ProductStatus::kActive:
            return "ACTIVE";
        case ProductStatus::kDraft:
            return "DRAFT";
        case ProductStatus::kArchived:
            return "ARCHIVED";
    }
    return "ACTIVE";
}

std::string_view discount_status(const DiscountCode& code, Timestamp now) noexcept {
    if (code.deactivated || (code.ends_at && *code.ends_at <= now)) return "EXPIRED";
    if (code.starts_at > now) return "SCHEDULED";
    return "ACTIVE";
}

Cents Refund::subtotal() const noexcept {
    Cents sum = 0;
    for (const auto& line : lines) sum += line.subtotal;
    return sum;
}

Cents Order::current_subtotal_price() const noexcept {
    if (cancelled_at) return 0;
    Cents refunded = 0;
    for (const auto& r : refunds) refunded += r.subtotal();
    return subtotal_price - refunded;
}

Cents Order::current_total_tax() const noexcept {
    if (cancelled_at) return 0;
    Cents refunded = 0;
    for (const auto& r : refunds) {
        for (const auto& line : r.lines) refunded += line.total_tax;
    }
    return total_tax - refunded;
}

Cents Order::current_total_price() const noexcept {
    if (cancelled_at) return 0;
    return total_price - total_refunded;
}

Cents Order::net_payment() const noexcept {
    if (cancelled_at || financial_status == "PENDING" || financial_status == "AUTHORIZED" ||
        financial_status == "VOIDED") {
        return 0;
    }
    return total_price - total_refunded;
}

void Store::index() {
    build_index(products, product_index_);
    build_index(variants, variant_index_);
    build_index(customers, customer_index_);
    build_index(orders, order_index_);
    build_index(locations, location_index_);
    inventory_item_index_.clear();
    inventory_item_index_.reserve(variants.size());
    for (std::size_t i = 0; i < variants.size(); ++i) inventory_item_index_.emplace(variants[i].inventory_item_id, i);
}

const Product* Store::find_product(Id id) const { return lookup(products, product_index_, id); }
const Variant* Store::find_variant(Id id) const { return lookup(variants, variant_index_, id); }
const Variant* Store::find_variant_by_inventory_item(Id inventory_item_id) const {
    return lookup(variants, inventory_item_index_, inventory_item_id);
}
const Customer* Store::find_customer(Id id) const { return lookup(customers, customer_index_, id); }
const Order* Store::find_order(Id id) const { return lookup(orders, order_index_, id); }
const Location* Store::find_location(Id id) const { return lookup(locations, location_index_, id); }
Product* Store::find_product(Id id) { return lookup(products, product_index_, id); }
Variant* Store::find_variant(Id id) { return lookup(variants, variant_index_, id); }
Customer* Store::find_customer(Id id) { return lookup(customers, customer_index_, id); }
Order* Store::find_order(Id id) { return lookup(orders, order_index_, id); }

}  // namespace alatar::shopify_sim
