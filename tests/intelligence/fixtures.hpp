#pragma once
// A small hand-built store whose figures are computed by hand in the tests (see metrics_test.cpp).
#include <date/date.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "intelligence/store_data.hpp"

namespace alatar::intelligence::testing {

// "2024-10-01T04:30:00Z" -> instant.
inline Instant at(std::string_view text) {
    std::istringstream in{std::string(text)};
    Instant t;
    in >> date::parse("%FT%TZ", t);
    if (in.fail()) throw std::invalid_argument("bad instant in test: " + std::string(text));
    return t;
}

inline LineItem line(std::string id, std::string product, std::string variant, int quantity, Money unit_price,
                     Money discount = 0) {
    return {std::move(id), std::move(product), std::move(variant), quantity, unit_price, discount};
}

inline Order order(std::string id, std::string_view processed, std::optional<std::string> customer,
                   std::vector<LineItem> lines, Money total_discounts = 0) {
    Order o;
    o.id = std::move(id);
    o.processed_at = at(processed);
    o.created_at = o.processed_at;
    o.customer_id = std::move(customer);
    o.currency = "USD";
    o.lines = std::move(lines);
    o.total_discounts = total_discounts;
    Money gross = 0;
    for (const auto& l : o.lines) gross += l.unit_price * l.quantity;
    o.subtotal = gross - total_discounts;
    o.total = o.subtotal;
    return o;
}

// The store of metrics_test.cpp: shop in America/New_York (UTC-4 in October), USD.
//  O1 C1 2024-09-20         1 x Tee 20.00                      refunded 20.00 on 2024-10-05
//  O2 C1 2024-09-30 23:30   1 x Mug 15.00                      (00:30 UTC on Oct 1: still September locally)
//  O3 C2 2024-10-01 00:30   2 x Tee 20.00, discount 4.00 (code save10)
//  O4 C1 2024-10-10         1 x Tee 20.00 + 3 x Mug 15.00, discounts 7.00 (5.00 on the mugs, 2.00 unallocated),
//                           code WELCOME; 1 mug refunded 13.33 on 2024-11-02
//  O5 C3 test order, O6 C3 cancelled order (both excluded)
//  O7 guest 2024-10-31 19:00  1 x Mug 15.00
//  O8 C3 2024-10-31 23:59:59  1 x Tee 20.00
inline StoreData small_store() {
    StoreData s;
    s.shop = {.name = "Test Shop", .currency = "USD", .timezone = "America/New_York"};
    const std::string tee = "gid://shopify/Product/1";
    const std::string mug = "gid://shopify/Product/2";
    const std::string cap = "gid://shopify/Product/3";
    s.products = {
        {.id = tee,
         .title = "Alpha Tee",
         .product_type = "Shirts",
         .vendor = "Acme",
         .description_html = "<p>Soft.</p>",
         .created_at = at("2024-01-01T00:00:00Z")},
        {.id = mug,
         .title = "Beta Mug",
         .product_type = "Mugs",
         .vendor = "Acme",
         .description_html = "<p>A mug.</p>",
         .created_at = at("2024-01-01T00:00:00Z")},
        {.id = cap,
         .title = "Gamma Cap",
         .product_type = "Hats",
         .vendor = "Acme",
         .description_html = "<p>A cap.</p>",
         .created_at = at("2024-01-01T00:00:00Z")},
    };
    s.variants = {
        {.id = "gid://shopify/ProductVariant/11",
         .product_id = tee,
         .title = "M",
         .sku = "TEE-M",
         .price = 2000,
         .unit_cost = 800,
         .inventory_item_id = "gid://shopify/InventoryItem/111"},
        {.id = "gid://shopify/ProductVariant/21",
         .product_id = mug,
         .title = "Default Title",
         .sku = "MUG",
         .price = 1500,
         .unit_cost = 500,
         .inventory_item_id = "gid://shopify/InventoryItem/211"},
        {.id = "gid://shopify/ProductVariant/31",
         .product_id = cap,
         .title = "Default Title",
         .sku = "CAP",
         .price = 1000,
         .unit_cost = 400,
         .inventory_item_id = "gid://shopify/InventoryItem/311"},
    };
    s.inventory_levels = {
        {"gid://shopify/InventoryItem/111", "gid://shopify/Location/1", 10},
        {"gid://shopify/InventoryItem/111", "gid://shopify/Location/2", 5},
        {"gid://shopify/InventoryItem/211", "gid://shopify/Location/1", 0},
        {"gid://shopify/InventoryItem/311", "gid://shopify/Location/1", 40},
    };
    s.customers = {{"gid://shopify/Customer/1", at("2024-09-01T00:00:00Z"), true},
                   {"gid://shopify/Customer/2", at("2024-09-01T00:00:00Z"), true},
                   {"gid://shopify/Customer/3", at("2024-09-01T00:00:00Z"), false}};
    const std::string v_tee = "gid://shopify/ProductVariant/11";
    const std::string v_mug = "gid://shopify/ProductVariant/21";
    const std::string c1 = "gid://shopify/Customer/1";
    const std::string c2 = "gid://shopify/Customer/2";
    const std::string c3 = "gid://shopify/Customer/3";

    Order o1 = order("gid://shopify/Order/1", "2024-09-20T15:00:00Z", c1, {line("L1", tee, v_tee, 1, 2000)});
    o1.refunds.push_back({at("2024-10-05T12:00:00Z"), {{"L1", 1, 2000}}});
    Order o2 = order("gid://shopify/Order/2", "2024-10-01T03:30:00Z", c1, {line("L2", mug, v_mug, 1, 1500)});
    Order o3 = order("gid://shopify/Order/3", "2024-10-01T04:30:00Z", c2, {line("L3", tee, v_tee, 2, 2000, 400)}, 400);
    o3.discount_codes = {"save10"};
    Order o4 = order("gid://shopify/Order/4", "2024-10-10T16:00:00Z", c1,
                     {line("L4a", tee, v_tee, 1, 2000), line("L4b", mug, v_mug, 3, 1500, 500)}, 700);
    o4.discount_codes = {"WELCOME"};
    o4.refunds.push_back({at("2024-11-02T12:00:00Z"), {{"L4b", 1, 1333}}});
    Order o5 = order("gid://shopify/Order/5", "2024-10-12T16:00:00Z", c3, {line("L5", tee, v_tee, 1, 2000)});
    o5.test = true;
    Order o6 = order("gid://shopify/Order/6", "2024-10-13T16:00:00Z", c3, {line("L6", tee, v_tee, 5, 2000)});
    o6.cancelled_at = at("2024-10-13T18:00:00Z");
    Order o7 = order("gid://shopify/Order/7", "2024-10-31T23:00:00Z", std::nullopt, {line("L7", mug, v_mug, 1, 1500)});
    Order o8 = order("gid://shopify/Order/8", "2024-11-01T03:59:59Z", c3, {line("L8", tee, v_tee, 1, 2000)});
    // Out of time order on purpose: the dataset sorts by processed_at.
    s.orders = {o4, o1, o3, o2, o5, o6, o8, o7};
    s.synced_at = at("2024-11-05T00:00:00Z");
    return s;
}

}  // namespace alatar::intelligence::testing
