#include "shopify_sim/order_factory.hpp"

#include <algorithm>

#include "shopify_sim/money.hpp"

namespace alatar::shopify_sim {

std::variant<std::size_t, std::string> place_order(Store& store, const NewOrder& request, Timestamp now) {
    std::vector<NewOrderLine> lines = request.lines;
    if (lines.empty()) {
        const auto it = std::find_if(store.products.begin(), store.products.end(), [](const Product& p) {
            return p.status == ProductStatus::kActive && p.variant_count > 0;
        });
        if (it == store.products.end()) return std::string("the shop has no active product");
        lines.push_back({store.variants[it->first_variant].id, 1});
    }
    if (request.customer_id && store.find_customer(*request.customer_id) == nullptr) {
        return std::string("customer not found");
    }
    Id max_line = 0;
    for (const auto& o : store.orders) {
        for (const auto& l : o.lines) max_line = std::max(max_line, l.id);
    }
    Order o;
    o.id = store.orders.empty() ? 1 : store.orders.back().id + 1;
    int number = 1000;
    if (!store.orders.empty() && store.orders.back().name.size() > 1) {
        number = std::stoi(store.orders.back().name.substr(1));
    }
    o.name = "#" + std::to_string(number + 1);
    o.customer_id = request.customer_id;
    o.created_at = now;
    o.processed_at = now;
    o.updated_at = now;
    o.test = request.test;
    o.financial_status = "PAID";
    o.fulfillment_status = "UNFULFILLED";
    o.source_name = "web";
    for (const auto& req : lines) {
        if (req.quantity < 1) return std::string("quantity must be at least 1");
        const Variant* v = store.find_variant(req.variant_id);
        if (v == nullptr) return std::string("variant not found");
        const Product* p = store.find_product(v->product_id);
        LineItem l;
        l.id = ++max_line;
        l.product_id = v->product_id;
        l.variant_id = v->id;
        l.title = p != nullptr ? p->title : std::string();
        l.variant_title = v->title;
        l.sku = v->sku;
        l.quantity = req.quantity;
        l.current_quantity = req.quantity;
        l.price = v->price;
        l.tax = mul_div_round(l.discounted_total(), store.shop.tax_rate_bp, 10000);
        o.lines.push_back(l);
        // Commit the stock at the first location holding the item.
        for (auto& level : store.inventory_levels) {
            if (level.inventory_item_id == v->inventory_item_id) {
                level.available -= req.quantity;
                level.committed += req.quantity;
                level.updated_at = now;
                break;
            }
        }
    }
    for (const auto& l : o.lines) {
        o.total_line_items_price += l.original_total();
        o.total_tax += l.tax;
    }
    o.subtotal_price = o.total_line_items_price;
    o.total_shipping = o.subtotal_price >= 5000 ? 0 : 599;
    o.total_price = o.subtotal_price + o.total_shipping + o.total_tax;
    if (o.customer_id) {
        Customer* c = store.find_customer(*o.customer_id);
        o.email = c->email;
        c->orders_count += 1;
        c->amount_spent += o.total_price;
        c->last_order_id = o.id;
        c->updated_at = now;
    }
    store.orders.push_back(std::move(o));
    store.index();
    return store.orders.size() - 1;
}

}  // namespace alatar::shopify_sim
