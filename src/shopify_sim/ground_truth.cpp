#include "shopify_sim/ground_truth.hpp"

#include <fstream>
#include <stdexcept>

#include "shopify_sim/json_writer.hpp"

namespace alatar::shopify_sim {
namespace {

class JsonlFile {
  public:
    JsonlFile(const std::filesystem::path& dir, std::string name) : name_(std::move(name)), out_(dir / name_) {
        if (!out_) throw std::runtime_error("cannot write " + (dir / name_).string());
    }
    void write(std::string line) {
        line += '\n';
        out_.write(line.data(), static_cast<std::streamsize>(line.size()));
        ++count_;
    }
    std::pair<std::string, std::size_t> close() {
        out_.close();
        if (!out_) throw std::runtime_error("write failed: " + name_);
        return {name_, count_};
    }

  private:
    std::string name_;
    std::ofstream out_;
    std::size_t count_ = 0;
};

std::string shop_json(const Store& store) {
    const Shop& s = store.shop;
    return JsonObjectWriter{}
        .uinteger("id", s.id)
        .str("name", s.name)
        .str("domain", s.domain)
        .str("email", s.email)
        .str("currency_code", s.currency_code)
        .str("iana_timezone", s.iana_timezone)
        .str("timezone_abbreviation", s.timezone_abbreviation)
        .integer("utc_offset_minutes", s.utc_offset_minutes)
        .str("plan_display_name", s.plan_display_name)
        .str("rate_limit_plan", s.rate_limit_plan)
        .integer("tax_rate_bp", s.tax_rate_bp)
        .timestamp("created_at", s.created_at)
        .finish();
}

std::string product_json(const Store& store, const Product& p) {
    std::vector<std::uint64_t> variant_ids;
    for (std::size_t i = 0; i < p.variant_count; ++i) variant_ids.push_back(store.variants[p.first_variant + i].id);
    return JsonObjectWriter{}
        .uinteger("id", p.id)
        .str("title", p.title)
        .str("handle", p.handle)
        .str("product_type", p.product_type)
        .str("vendor", p.vendor)
        .str("status", product_status_name(p.status))
        .strings("tags", p.tags)
        .str("description_html", p.description_html)
        .timestamp("created_at", p.created_at)
        .timestamp("updated_at", p.updated_at)
        .opt_timestamp("published_at", p.published_at)
        .uintegers("variant_ids", variant_ids)
        .decimal("sim_trend_per_year", p.sim_trend_per_year)
        .decimal("sim_refund_rate", p.sim_refund_rate)
        .finish();
}

std::string variant_json(const Variant& v) {
    return JsonObjectWriter{}
        .uinteger("id", v.id)
        .uinteger("product_id", v.product_id)
        .uinteger("inventory_item_id", v.inventory_item_id)
        .str("title", v.title)
        .str("sku", v.sku)
        .integer("position", v.position)
        .money("price", v.price)
        .opt_money("compare_at_price", v.compare_at_price)
        .money("unit_cost", v.unit_cost)
        .timestamp("created_at", v.created_at)
        .timestamp("updated_at", v.updated_at)
        .finish();
}

std::string inventory_json(const InventoryLevel& l) {
    return JsonObjectWriter{}
        .uinteger("inventory_item_id", l.inventory_item_id)
        .uinteger("location_id", l.location_id)
        .integer("available", l.available)
        .integer("committed", l.committed)
        .integer("on_hand", l.on_hand)
        .integer("incoming", l.incoming)
        .timestamp("updated_at", l.updated_at)
        .finish();
}

std::string customer_json(const Customer& c) {
    return JsonObjectWriter{}
        .uinteger("id", c.id)
        .str("first_name", c.first_name)
        .str("last_name", c.last_name)
        .str("email", c.email)
        .opt_str("phone", c.phone)
        .str("state", c.state)
        .boolean("verified_email", c.verified_email)
        .boolean("accepts_marketing", c.accepts_marketing)
        .strings("tags", c.tags)
        .timestamp("created_at", c.created_at)
        .timestamp("updated_at", c.updated_at)
        .integer("orders_count", c.orders_count)
        .money("amount_spent", c.amount_spent)
        .opt_uinteger("last_order_id", c.last_order_id)
        .finish();
}

std::string order_json(const Order& o) {
    return JsonObjectWriter{}
        .uinteger("id", o.id)
        .str("name", o.name)
        .opt_uinteger("customer_id", o.customer_id)
        .opt_str("email", o.email)
        .timestamp("created_at", o.created_at)
        .timestamp("processed_at", o.processed_at)
        .timestamp("updated_at", o.updated_at)
        .opt_timestamp("cancelled_at", o.cancelled_at)
        .opt_str("cancel_reason", o.cancel_reason)
        .opt_timestamp("closed_at", o.closed_at)
        .opt_timestamp("fulfilled_at", o.fulfilled_at)
        .boolean("test", o.test)
        .str("financial_status", o.financial_status)
        .str("fulfillment_status", o.fulfillment_status)
        .str("source_name", o.source_name)
        .strings("tags", o.tags)
        .strings("discount_codes", o.discount_codes)
        .money("total_line_items_price", o.total_line_items_price)
        .money("total_discounts", o.total_discounts)
        .money("subtotal_price", o.subtotal_price)
        .money("total_shipping", o.total_shipping)
        .money("total_tax", o.total_tax)
        .money("total_price", o.total_price)
        .money("total_refunded", o.total_refunded)
        .money("current_subtotal_price", o.current_subtotal_price())
        .money("current_total_tax", o.current_total_tax())
        .money("current_total_price", o.current_total_price())
        .money("net_payment", o.net_payment())
        .integer("line_item_count", static_cast<std::int64_t>(o.lines.size()))
        .finish();
}

std::string line_item_json(const Order& o, const LineItem& l) {
    return JsonObjectWriter{}
        .uinteger("id", l.id)
        .uinteger("order_id", o.id)
        .uinteger("product_id", l.product_id)
        .uinteger("variant_id", l.variant_id)
        .str("title", l.title)
        .str("variant_title", l.variant_title)
        .str("sku", l.sku)
        .integer("quantity", l.quantity)
        .integer("current_quantity", l.current_quantity)
        .integer("refunded_quantity", l.refunded_quantity)
        .money("price", l.price)
        .money("original_total", l.original_total())
        .money("total_discount", l.total_discount)
        .money("discounted_total", l.discounted_total())
        .money("tax", l.tax)
        .finish();
}

std::string refund_json(const Order& o, const Refund& r) {
    return JsonObjectWriter{}
        .uinteger("id", r.id)
        .uinteger("order_id", o.id)
        .timestamp("created_at", r.created_at)
        .str("note", r.note)
        .money("subtotal", r.subtotal())
        .money("shipping", r.shipping)
        .money("total", r.total)
        .finish();
}

std::string refund_line_json(const Order& o, const Refund& r, const RefundLineItem& rl) {
    return JsonObjectWriter{}
        .uinteger("id", rl.id)
        .uinteger("refund_id", r.id)
        .uinteger("order_id", o.id)
        .uinteger("line_item_id", rl.line_item_id)
        .integer("quantity", rl.quantity)
        .money("subtotal", rl.subtotal)
        .money("total_tax", rl.total_tax)
        .str("restock_type", rl.restock_type)
        .finish();
}

std::string discount_json(const Store& store, const DiscountCode& d) {
    JsonObjectWriter w;
    w.uinteger("id", d.id)
        .uinteger("redeem_code_id", d.redeem_code_id)
        .str("title", d.title)
        .str("code", d.code)
        .str("value_type", d.kind == DiscountValueKind::kPercentage ? "percentage" : "fixed_amount");
    if (d.kind == DiscountValueKind::kPercentage) {
        w.decimal("percentage", d.percentage_bp / 10000.0, 4);
    } else {
        w.money("amount", d.amount);
    }
    return w.money("minimum_subtotal", d.minimum_subtotal)
        .timestamp("starts_at", d.starts_at)
        .opt_timestamp("ends_at", d.ends_at)
        .str("status", discount_status(d, store.info.history_end))
        .integer("usage_count", d.usage_count)
        .timestamp("created_at", d.created_at)
        .timestamp("updated_at", d.updated_at)
        .finish();
}

}  // namespace

std::string planted_json(const Store& store) {
    const auto& so = store.planted.stockout;
    const auto& ov = store.planted.overstock;
    const auto& wd = store.planted.weak_description;
    const std::string stockout =
        JsonObjectWriter{}
            .uinteger("product_id", so.product_id)
            .str("title", so.title)
            .timestamp("stockout_start", so.stockout_start)
            .date("stockout_start_date", so.stockout_start_date)
            .date("week_start", so.week_start)
            .date("week_end", so.week_end)
            .integer("units_last_week", so.units_last_week)
            .decimal("avg_units_prior_4_weeks", so.avg_units_prior_4_weeks, 2)
            .money("store_net_sales_last_week", so.store_net_sales_last_week)
            .money("store_avg_net_sales_prior_4_weeks", so.store_avg_net_sales_prior_4_weeks)
            .str("explanation",
                 "The top seller has had no stock at any location since stockout_start; its demand in the week "
                 "week_start..week_end (shop-local dates) was lost, so the shop's net sales dropped.")
            .finish();
    const std::string overstock =
        JsonObjectWriter{}
            .uinteger("product_id", ov.product_id)
            .str("title", ov.title)
            .integer("on_hand", ov.on_hand)
            .integer("units_sold_last_90_days", ov.units_sold_last_90_days)
            .money("inventory_value_at_cost", ov.inventory_value_at_cost)
            .str("explanation", "An active product holding far more stock than its sales justify.")
            .finish();
    const std::string weak = JsonObjectWriter{}
                                 .uinteger("product_id", wd.product_id)
                                 .str("title", wd.title)
                                 .str("description_html", wd.description_html)
                                 .integer("units_sold", wd.units_sold)
                                 .integer("units_refunded", wd.units_refunded)
                                 .decimal("refund_rate", wd.refund_rate, 4)
                                 .decimal("store_refund_rate", wd.store_refund_rate, 4)
                                 .str("explanation",
                                      "A product with a one-line description whose units are refunded far more often "
                                      "than the rest of the catalogue (refund notes say 'Not as described').")
                                 .finish();
    return JsonObjectWriter{}
        .str("net_sales_formula",
             "sum over orders with test=false and cancelled_at=null, grouped by the shop-local date of created_at, of "
             "total_line_items_price - total_discounts - sum(refund subtotals of that order)")
        .raw("stockout", stockout)
        .raw("overstock", overstock)
        .raw("weak_description", weak)
        .finish();
}

ExportSummary export_ground_truth(const Store& store, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    ExportSummary summary;
    {
        JsonlFile f(dir, "shop.json");
        f.write(shop_json(store));
        summary.files.push_back(f.close());
    }
    {
        JsonlFile f(dir, "locations.jsonl");
        for (const auto& l : store.locations) {
            f.write(JsonObjectWriter{}
                        .uinteger("id", l.id)
                        .str("name", l.name)
                        .str("address1", l.address1)
                        .str("city", l.city)
                        .str("country_code", l.country_code)
                        .boolean("active", l.active)
                        .timestamp("created_at", l.created_at)
                        .finish());
        }
        summary.files.push_back(f.close());
    }
    {
        JsonlFile f(dir, "products.jsonl");
        for (const auto& p : store.products) f.write(product_json(store, p));
        summary.files.push_back(f.close());
    }
    {
        JsonlFile f(dir, "variants.jsonl");
        for (const auto& v : store.variants) f.write(variant_json(v));
        summary.files.push_back(f.close());
    }
    {
        JsonlFile f(dir, "inventory_levels.jsonl");
        for (const auto& l : store.inventory_levels) f.write(inventory_json(l));
        summary.files.push_back(f.close());
    }
    {
        JsonlFile f(dir, "customers.jsonl");
        for (const auto& c : store.customers) f.write(customer_json(c));
        summary.files.push_back(f.close());
    }
    {
        JsonlFile orders(dir, "orders.jsonl");
        JsonlFile lines(dir, "line_items.jsonl");
        JsonlFile refunds(dir, "refunds.jsonl");
        JsonlFile refund_lines(dir, "refund_line_items.jsonl");
        for (const auto& o : store.orders) {
            orders.write(order_json(o));
            for (const auto& l : o.lines) lines.write(line_item_json(o, l));
            for (const auto& r : o.refunds) {
                refunds.write(refund_json(o, r));
                for (const auto& rl : r.lines) refund_lines.write(refund_line_json(o, r, rl));
            }
        }
        summary.files.push_back(orders.close());
        summary.files.push_back(lines.close());
        summary.files.push_back(refunds.close());
        summary.files.push_back(refund_lines.close());
    }
    {
        JsonlFile f(dir, "discount_codes.jsonl");
        for (const auto& d : store.discount_codes) f.write(discount_json(store, d));
        summary.files.push_back(f.close());
    }
    {
        JsonlFile f(dir, "planted.json");
        f.write(planted_json(store));
        summary.files.push_back(f.close());
    }
    std::string files = "{";
    for (std::size_t i = 0; i < summary.files.size(); ++i) {
        if (i > 0) files += ',';
        append_json_string(files, summary.files[i].first);
        files += ':' + std::to_string(summary.files[i].second);
    }
    files += '}';
    JsonlFile manifest(dir, "manifest.json");
    manifest.write(JsonObjectWriter{}
                       .str("format_version", kExportFormatVersion)
                       .str("shop", store.shop.domain)
                       .str("profile", profile_name(store.info.profile))
                       .uinteger("seed", store.info.seed)
                       .date("today", store.info.today)
                       .date("history_start", store.info.history_start)
                       .timestamp("history_end", store.info.history_end)
                       .str("money", "decimal strings in the shop currency, exact to the cent")
                       .str("times", "UTC, RFC 3339; shop-local dates use shop.json utc_offset_minutes (no DST)")
                       .raw("records", files)
                       .finish());
    summary.files.push_back(manifest.close());
    return summary;
}

}  // namespace alatar::shopify_sim
