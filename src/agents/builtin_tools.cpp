#include "agents/builtin_tools.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <cmath>
#include <string>

#include "agents/json_schema.hpp"
#include "agents/store_data_source.hpp"
#include "common/error.hpp"

namespace alatar::agents {

namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr std::string_view kWindowInput = R"({"type": "object", "required": ["from", "to"],
    "properties": {"from": {"type": "string", "minLength": 20}, "to": {"type": "string", "minLength": 20}},
    "additionalProperties": false})";

constexpr std::string_view kDecimal = R"({"type": "string", "minLength": 1})";

std::string str(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

const json::object* find_object(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}

// dependencies[task].results[tool], or null when the task did not succeed.
const json::object* dependency_result(const ToolContext& ctx, std::string_view task, std::string_view tool) {
    const auto* t = find_object(ctx.dependencies, task);
    const auto* results = t != nullptr ? find_object(*t, "results") : nullptr;
    return results != nullptr ? find_object(*results, tool) : nullptr;
}

double decimal(const json::object& o, std::string_view key) {
    const std::string text = str(o, key);
    return text.empty() ? 0.0 : std::stod(text);
}

std::string money(double amount, const std::string& currency) { return fmt::format("{:.2f} {}", amount, currency); }

ToolSpec ensure_store_data_fresh() {
    return {.name = "ensure_store_data_fresh",
            .department = std::string(departments::kDataRetrieval),
            .description = "Makes sure the store's cached Shopify data is present and reports its freshness.",
            .input_schema = parse_schema(R"({"type": "object", "additionalProperties": false})"),
            .output_schema = parse_schema(R"({"type": "object", "required": ["orders", "products", "stale"],
                "properties": {"orders": {"type": "integer", "minimum": 0},
                               "products": {"type": "integer", "minimum": 0},
                               "fetched_at": {"type": ["string", "null"]}, "stale": {"type": "boolean"}}})"),
            // A first backfill of a store with tens of thousands of orders takes about a minute (debug build).
            .timeout = 5min,
            .run = [](ToolContext& ctx, const json::object&) -> json::value {
                const StoreFreshness f = ctx.data_source->ensure_fresh(ctx.store_id, ctx.deadline);
                json::object out{{"orders", f.orders}, {"products", f.products}, {"stale", f.stale}};
                out["fetched_at"] = f.fetched_at ? json::value(*f.fetched_at) : json::value(nullptr);
                return out;
            }};
}

ToolSpec sales_totals() {
    return {.name = "sales_totals",
            .department = std::string(departments::kQuantitative),
            .description = "Orders, units, gross sales, discounts, sales after discounts, refunds and AOV.",
            .input_schema = parse_schema(kWindowInput),
            .output_schema = parse_schema(fmt::format(
                R"({{"type": "object", "additionalProperties": false,
                "required": ["orders", "units", "gross_sales", "discounts", "sales_after_discounts", "refunded",
                             "average_order_value", "currency"],
                "properties": {{"orders": {{"type": "integer", "minimum": 0}},
                                "units": {{"type": "integer", "minimum": 0}},
                                "gross_sales": {0}, "discounts": {0}, "sales_after_discounts": {0}, "refunded": {0},
                                "average_order_value": {0}, "currency": {{"type": "string"}}}}}})",
                kDecimal)),
            .timeout = 10s,
            .run = [](ToolContext& ctx, const json::object& input) -> json::value {
                const auto r = ctx.db->query(
                    "WITH o AS (SELECT shopify_gid, subtotal_amount, total_discounts_amount, total_refunded_amount "
                    "  FROM shop_orders WHERE store_id = $1 AND processed_at >= $2::timestamptz "
                    "  AND processed_at < $3::timestamptz AND NOT test AND cancelled_at IS NULL), "
                    "l AS (SELECT coalesce(sum(li.quantity), 0) AS units, "
                    "  coalesce(sum(li.original_unit_price * li.quantity), 0) AS gross "
                    "  FROM shop_order_line_items li JOIN o ON o.shopify_gid = li.order_gid WHERE li.store_id = $1) "
                    "SELECT count(*), (SELECT units FROM l), round((SELECT gross FROM l), 2)::text, "
                    "round(coalesce(sum(total_discounts_amount), 0), 2)::text, "
                    "round(coalesce(sum(subtotal_amount), 0), 2)::text, "
                    "round(coalesce(sum(total_refunded_amount), 0), 2)::text, "
                    "round(coalesce(sum(subtotal_amount) / nullif(count(*), 0), 0), 2)::text FROM o",
                    db::Params{ctx.store_id, str(input, "from"), str(input, "to")}, ctx.deadline);
                return json::object{{"orders", r.get<std::int64_t>(0, 0)},
                                    {"units", r.get<std::int64_t>(0, 1)},
                                    {"gross_sales", r.get<std::string>(0, 2)},
                                    {"discounts", r.get<std::string>(0, 3)},
                                    {"sales_after_discounts", r.get<std::string>(0, 4)},
                                    {"refunded", r.get<std::string>(0, 5)},
                                    {"average_order_value", r.get<std::string>(0, 6)},
                                    {"currency", ctx.currency}};
            }};
}

ToolSpec daily_sales() {
    return {.name = "daily_sales",
            .department = std::string(departments::kQuantitative),
            .description = "Orders and sales after discounts per local day of the shop.",
            .input_schema = parse_schema(kWindowInput),
            .output_schema = parse_schema(fmt::format(
                R"({{"type": "object", "required": ["days"], "properties": {{"days": {{"type": "array", "items":
                {{"type": "object", "required": ["day", "orders", "sales"], "properties": {{
                "day": {{"type": "string", "minLength": 10, "maxLength": 10}},
                "orders": {{"type": "integer", "minimum": 0}}, "sales": {0}}}}}}}}}}})",
                kDecimal)),
            .timeout = 10s,
            .run = [](ToolContext& ctx, const json::object& input) -> json::value {
                const auto r = ctx.db->query(
                    "SELECT to_char((processed_at AT TIME ZONE $4)::date, 'YYYY-MM-DD') AS day, count(*), "
                    "round(sum(subtotal_amount), 2)::text FROM shop_orders "
                    "WHERE store_id = $1 AND processed_at >= $2::timestamptz AND processed_at < $3::timestamptz "
                    "AND NOT test AND cancelled_at IS NULL GROUP BY 1 ORDER BY 1",
                    db::Params{ctx.store_id, str(input, "from"), str(input, "to"), ctx.shop_timezone}, ctx.deadline);
                json::array days;
                for (int i = 0; i < r.rows(); ++i) {
                    days.push_back(json::object{{"day", r.get<std::string>(i, 0)},
                                                {"orders", r.get<std::int64_t>(i, 1)},
                                                {"sales", r.get<std::string>(i, 2)}});
                }
                return json::object{{"days", std::move(days)}};
            }};
}

ToolSpec top_products() {
    return {
        .name = "top_products",
        .department = std::string(departments::kQuantitative),
        .description = "Best-selling products by sales after line discounts.",
        .input_schema = parse_schema(R"({"type": "object", "required": ["from", "to", "limit"],
                "properties": {"from": {"type": "string", "minLength": 20}, "to": {"type": "string", "minLength": 20},
                               "limit": {"type": "integer", "minimum": 1, "maximum": 50}},
                "additionalProperties": false})"),
        .output_schema = parse_schema(fmt::format(
            R"({{"type": "object", "required": ["products"], "properties": {{"products": {{"type": "array",
                "items": {{"type": "object", "required": ["title", "units", "revenue"], "properties": {{
                "title": {{"type": "string"}}, "units": {{"type": "integer", "minimum": 0}}, "revenue": {0}}}}}}}}}}})",
            kDecimal)),
        .timeout = 10s,
        .run = [](ToolContext& ctx, const json::object& input) -> json::value {
            const auto r = ctx.db->query(
                "SELECT coalesce(p.title, min(li.title)), sum(li.quantity), round(sum(li.discounted_total), 2)::text "
                "FROM shop_order_line_items li "
                "JOIN shop_orders o ON o.store_id = li.store_id AND o.shopify_gid = li.order_gid "
                "LEFT JOIN shop_products p ON p.store_id = li.store_id AND p.shopify_gid = li.product_gid "
                "WHERE li.store_id = $1 AND o.processed_at >= $2::timestamptz AND o.processed_at < $3::timestamptz "
                "AND NOT o.test AND o.cancelled_at IS NULL "
                "GROUP BY coalesce(li.product_gid, li.title), p.title ORDER BY sum(li.discounted_total) DESC, 1 "
                "LIMIT $4",
                db::Params{ctx.store_id, str(input, "from"), str(input, "to"),
                           input.at("limit").to_number<std::int64_t>()},
                ctx.deadline);
            json::array products;
            for (int i = 0; i < r.rows(); ++i) {
                products.push_back(json::object{{"title", r.get<std::string>(i, 0)},
                                                {"units", r.get<std::int64_t>(i, 1)},
                                                {"revenue", r.get<std::string>(i, 2)}});
            }
            return json::object{{"products", std::move(products)}};
        }};
}

std::string change_phrase(double current, double previous) {
    if (previous == 0) return "";
    const double pct = (current - previous) / previous * 100.0;
    if (std::fabs(pct) < 0.5) return ", about the same as the period before";
    return fmt::format(", {} {:.1f}% from {:.2f} the period before", pct > 0 ? "up" : "down", std::fabs(pct), previous);
}

ToolSpec compose_narrative() {
    return {.name = "compose_narrative",
            .department = std::string(departments::kQualitative),
            .description = "A short plain-words summary of the computed sales figures (numbers come from code).",
            .input_schema = parse_schema(R"({"type": "object", "required": ["period"],
                "properties": {"period": {"type": "string", "minLength": 1}}, "additionalProperties": false})"),
            .output_schema = parse_schema(R"({"type": "object", "required": ["summary"],
                "properties": {"summary": {"type": "string", "minLength": 1}}})"),
            .timeout = 5s,
            .run = [](ToolContext& ctx, const json::object& input) -> json::value {
                const auto* current = dependency_result(ctx, "sales_current", "sales_totals");
                if (current == nullptr) throw Error(ErrorCode::kInternal, "no sales figures to describe");
                const auto* previous = dependency_result(ctx, "sales_previous", "sales_totals");
                const std::string currency = str(*current, "currency");
                const double sales = decimal(*current, "sales_after_discounts");
                const std::int64_t orders = current->at("orders").to_number<std::int64_t>();
                std::string text = fmt::format("Sales {}: {} after discounts from {} orders", str(input, "period"),
                                               money(sales, currency), orders);
                if (previous != nullptr) text += change_phrase(sales, decimal(*previous, "sales_after_discounts"));
                text += fmt::format(". Average order value {}; gross sales {}, discounts {}, refunds {}.",
                                    money(decimal(*current, "average_order_value"), currency),
                                    money(decimal(*current, "gross_sales"), currency),
                                    money(decimal(*current, "discounts"), currency),
                                    money(decimal(*current, "refunded"), currency));
                return json::object{{"summary", text}};
            }};
}

ToolSpec decline_out_of_scope() {
    return {.name = "decline_out_of_scope",
            .department = std::string(departments::kQualitative),
            .description = "Explains that the question cannot be answered from store data.",
            .input_schema = parse_schema(R"({"type": "object", "additionalProperties": false})"),
            .output_schema = parse_schema(R"({"type": "object", "required": ["summary"],
                "properties": {"summary": {"type": "string", "minLength": 1}}})"),
            .timeout = 1s,
            .run = [](ToolContext&, const json::object&) -> json::value {
                return json::object{{"summary",
                                     "This question cannot be answered from your store's orders, products, customers "
                                     "and inventory. Try asking about sales, products, customers or stock."}};
            }};
}

ToolSpec suggest_actions() {
    return {.name = "suggest_actions",
            .department = std::string(departments::kRecommendation),
            .description = "Rule-based next steps from the sales figures.",
            .input_schema = parse_schema(R"({"type": "object", "additionalProperties": false})"),
            .output_schema = parse_schema(R"({"type": "object", "required": ["recommendations"],
                "properties": {"recommendations": {"type": "array", "maxItems": 5, "items": {"type": "object",
                "required": ["id", "title", "rationale"], "properties": {"id": {"type": "string"},
                "title": {"type": "string"}, "rationale": {"type": "string"},
                "expectedImpact": {"type": ["string", "null"]}}}}}})"),
            .timeout = 5s,
            .run = [](ToolContext& ctx, const json::object&) -> json::value {
                const auto* current = dependency_result(ctx, "sales_current", "sales_totals");
                const auto* previous = dependency_result(ctx, "sales_previous", "sales_totals");
                json::array recs;
                if (current != nullptr && previous != nullptr) {
                    const double now = decimal(*current, "sales_after_discounts");
                    const double before = decimal(*previous, "sales_after_discounts");
                    if (before > 0 && now < before * 0.9) {
                        recs.push_back(json::object{
                            {"id", "rec-sales-drop"},
                            {"title", "Look into the drop in sales"},
                            {"rationale", fmt::format("Sales after discounts fell {:.1f}% against the period before.",
                                                      (before - now) / before * 100.0)},
                            {"expectedImpact", "Recover part of the lost revenue"}});
                    }
                    const double refunded = decimal(*current, "refunded");
                    if (now > 0 && refunded > now * 0.1) {
                        recs.push_back(json::object{
                            {"id", "rec-refunds"},
                            {"title", "Review products with many refunds"},
                            {"rationale", fmt::format("Refunds were {:.1f}% of sales.", refunded / now * 100.0)},
                            {"expectedImpact", nullptr}});
                    }
                }
                return json::object{{"recommendations", std::move(recs)}};
            }};
}

}  // namespace

ToolRegistry builtin_tools() {
    ToolRegistry r;
    r.add(ensure_store_data_fresh());
    r.add(sales_totals());
    r.add(daily_sales());
    r.add(top_products());
    r.add(compose_narrative());
    r.add(decline_out_of_scope());
    r.add(suggest_actions());
    return r;
}

}  // namespace alatar::agents
