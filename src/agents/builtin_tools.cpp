#include "agents/builtin_tools.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <cmath>
#include <memory>
#include <sstream>
#include <string>

#include "agents/json_schema.hpp"
#include "agents/store_data_source.hpp"
#include "agents/store_dataset_loader.hpp"
#include "agents/store_sync.hpp"
#include "common/error.hpp"
#include "intelligence/analyze.hpp"
#include "intelligence/metrics.hpp"
#include "intelligence/proposal_validator.hpp"

namespace alatar::agents {

namespace {

namespace json = boost::json;
namespace intel = alatar::intelligence;
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
                ShopifyCallSpans spans{ctx.span};
                const StoreFreshness f = ctx.data_source->ensure_fresh(ctx.store_id, ctx.deadline, &spans);
                json::object out{{"orders", f.orders}, {"products", f.products}, {"stale", f.stale}};
                out["fetched_at"] = f.fetched_at ? json::value(*f.fetched_at) : json::value(nullptr);
                return out;
            }};
}

// The store's dataset for this task attempt, loaded once from the cache and shared by its tool calls.
const intel::Dataset& dataset(ToolContext& ctx) {
    if (!ctx.dataset) {
        ctx.dataset =
            ctx.datasets != nullptr
                ? ctx.datasets->get(*ctx.db, ctx.store_id, ctx.deadline)
                : std::make_shared<const intel::Dataset>(load_store_data(*ctx.db, ctx.store_id, ctx.deadline));
    }
    return *ctx.dataset;
}

intel::Instant parse_instant(const std::string& text) {
    std::istringstream in(text);
    std::chrono::sys_seconds t{};
    in >> date::parse("%FT%TZ", t);
    if (in.fail()) throw Error(ErrorCode::kBadUserInput, "not an RFC 3339 UTC instant: " + text);
    return t;
}

// The local days the input's [from, to) covers.
intel::DateWindow window_of(const intel::Dataset& ds, const json::object& input) {
    const intel::Instant from = parse_instant(str(input, "from"));
    const intel::Instant to = parse_instant(str(input, "to"));
    if (to <= from) throw Error(ErrorCode::kBadUserInput, "the window ends before it starts");
    return {ds.clock().day_of(from), ds.clock().day_of(to - std::chrono::seconds{1})};
}

// The window of the same length just before.
intel::DateWindow previous_of(const intel::DateWindow& w) {
    const date::days length{w.days()};
    return {w.first - length, w.last - length};
}

std::string amount(const intel::Dataset& ds, double minor) {
    return fmt::format("{:.{}f}", ds.to_major(minor), ds.decimals());
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
            .timeout = 30s,
            .run = [](ToolContext& ctx, const json::object& input) -> json::value {
                const intel::Dataset& ds = dataset(ctx);
                const intel::SalesTotals t = intel::sales_totals(ds, window_of(ds, input));
                const double aov =
                    t.orders > 0 ? static_cast<double>(t.order_net()) / static_cast<double>(t.orders) : 0.0;
                return json::object{{"orders", t.orders},
                                    {"units", t.units},
                                    {"gross_sales", amount(ds, static_cast<double>(t.gross))},
                                    {"discounts", amount(ds, static_cast<double>(t.discounts))},
                                    {"sales_after_discounts", amount(ds, static_cast<double>(t.order_net()))},
                                    {"refunded", amount(ds, static_cast<double>(t.returns))},
                                    {"average_order_value", amount(ds, aov)},
                                    {"currency", ds.currency()}};
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
            .timeout = 30s,
            .run = [](ToolContext& ctx, const json::object& input) -> json::value {
                const intel::Dataset& ds = dataset(ctx);
                const auto [first, last] = ds.order_rows(window_of(ds, input));
                const auto& o = ds.orders();
                json::array days;
                for (std::size_t row = first; row < last;) {
                    const std::int32_t day = o.day[row];
                    std::int64_t orders = 0;
                    intel::Money sales = 0;
                    for (; row < last && o.day[row] == day; ++row) {
                        ++orders;
                        sales += o.gross[row] - o.discounts[row];
                    }
                    days.push_back(json::object{{"day", intel::format_day(intel::Dataset::local_day(day))},
                                                {"orders", orders},
                                                {"sales", amount(ds, static_cast<double>(sales))}});
                }
                return json::object{{"days", std::move(days)}};
            }};
}

ToolSpec top_products() {
    return {.name = "top_products",
            .department = std::string(departments::kQuantitative),
            .description = "Best-selling products by net sales (product_performance.v1).",
            .input_schema = parse_schema(R"({"type": "object", "required": ["from", "to", "limit"],
                "properties": {"from": {"type": "string", "minLength": 20}, "to": {"type": "string", "minLength": 20},
                               "limit": {"type": "integer", "minimum": 1, "maximum": 50}},
                "additionalProperties": false})"),
            .output_schema = parse_schema(fmt::format(
                R"({{"type": "object", "required": ["products"], "properties": {{"products": {{"type": "array",
                "items": {{"type": "object", "required": ["title", "units", "revenue"], "properties": {{
                "title": {{"type": "string"}}, "units": {{"type": "integer", "minimum": 0}}, "revenue": {0}}}}}}}}}}})",
                kDecimal)),
            .timeout = 30s,
            .run = [](ToolContext& ctx, const json::object& input) -> json::value {
                const intel::Dataset& ds = dataset(ctx);
                const intel::DateWindow w = window_of(ds, input);
                const intel::Table t =
                    intel::product_ranking(ds, w, previous_of(w), intel::RankBy::kRevenue, intel::RankOrder::kTop,
                                           static_cast<std::size_t>(input.at("limit").to_number<std::int64_t>()));
                json::array products;
                for (const auto& row : t.rows) {
                    products.push_back(json::object{
                        {"title", row.at(1)},
                        {"units", row.at(4)},
                        {"revenue", fmt::format("{:.{}f}", row.at(3).to_number<double>(), ds.decimals())}});
                }
                return json::object{{"products", std::move(products)}};
            }};
}

// The intelligence analysis of the planned intent and window: the KPI pack with provenance, series, drivers,
// Vega-Lite charts, tables, recommendations with validated proposals, the offline summary and its caveats.
ToolSpec analyze_store() {
    return {.name = "analyze_store",
            .department = std::string(departments::kQuantitative),
            .description =
                "KPIs (formula id and window), series, anomalies, forecast, drivers, charts and "
                "recommendations for an intent and window, computed in C++ from the cached store data.",
            .input_schema = parse_schema(R"({"type": "object", "additionalProperties": false,
                "required": ["intent", "first", "last", "comparison_first", "comparison_last"],
                "properties": {"intent": {"type": "string", "minLength": 1},
                               "first": {"type": "string", "minLength": 10, "maxLength": 10},
                               "last": {"type": "string", "minLength": 10, "maxLength": 10},
                               "comparison_first": {"type": "string", "minLength": 10, "maxLength": 10},
                               "comparison_last": {"type": "string", "minLength": 10, "maxLength": 10},
                               "phrase": {"type": "string"}, "explicit": {"type": "boolean"}}})"),
            .output_schema = parse_schema(R"({"type": "object",
                "required": ["summary", "kpis", "visualizations", "recommendations", "caveats"],
                "properties": {"summary": {"type": "string", "minLength": 1},
                  "kpis": {"type": "array", "items": {"type": "object", "required": ["key", "label", "provenance"],
                    "properties": {"provenance": {"type": "object", "required": ["formulaId", "window"]}}}},
                  "visualizations": {"type": "array", "items": {"type": "object",
                    "required": ["id", "kind", "title", "spec"]}},
                  "recommendations": {"type": "array"},
                  "caveats": {"type": "array", "items": {"type": "string"}}}})"),
            .timeout = 60s,
            .run = [](ToolContext& ctx, const json::object& input) -> json::value {
                const auto intent = intel::parse_intent(str(input, "intent"));
                if (!intent) throw Error(ErrorCode::kBadUserInput, "unknown intent " + str(input, "intent"));
                auto day = [&](std::string_view key) {
                    const auto d = intel::parse_day(str(input, key));
                    if (!d) throw Error(ErrorCode::kBadUserInput, "not a day: " + str(input, key));
                    return *d;
                };
                intel::PeriodSelection period;
                period.current = {day("first"), day("last")};
                period.comparison = {day("comparison_first"), day("comparison_last")};
                period.phrase = str(input, "phrase");
                const auto* explicit_ = input.if_contains("explicit");
                period.explicit_ = explicit_ != nullptr && explicit_->is_bool() && explicit_->get_bool();
                const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
                return intel::analyze(dataset(ctx), *intent, period, now);
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
                // The offline reasoner's summary of the intelligence analysis: the finding first, the numbers
                // behind it, then the caveats (data freshness, estimated refunds, partial periods).
                if (const auto* analysis = dependency_result(ctx, "sales_current", "analyze_store")) {
                    std::string text{analysis->at("summary").as_string()};
                    const auto* caveats = analysis->if_contains("caveats");
                    if (text.find("Caveats:") == std::string::npos && caveats != nullptr && caveats->is_array() &&
                        !caveats->get_array().empty()) {
                        text += " Caveats:";
                        for (const auto& c : caveats->get_array()) {
                            if (c.is_string()) text += " " + std::string(c.get_string());
                        }
                    }
                    return json::object{{"summary", text}};
                }
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

// The recommendations of the intelligence analysis, each proposal's parameters checked again with the validator
// the action executor uses (a proposal that no longer passes, e.g. a start date now in the past, is left out).
ToolSpec suggest_actions() {
    return {.name = "suggest_actions",
            .department = std::string(departments::kRecommendation),
            .description = "Recommendations with rationale, expected impact and validated action proposals.",
            .input_schema = parse_schema(R"({"type": "object", "additionalProperties": false})"),
            .output_schema = parse_schema(R"({"type": "object", "required": ["recommendations"],
                "properties": {"recommendations": {"type": "array", "maxItems": 5, "items": {"type": "object",
                "required": ["id", "title", "rationale", "proposals"], "properties": {"id": {"type": "string"},
                "title": {"type": "string"}, "rationale": {"type": "string"},
                "expectedImpact": {"type": ["string", "null"]},
                "proposals": {"type": "array", "items": {"type": "object",
                  "required": ["kind", "title", "description", "parameters", "preview", "requiredScopes"],
                  "properties": {"kind": {"type": "string"}, "parameters": {"type": "object"},
                                 "preview": {"type": "array"}}}}}}}}})"),
            .timeout = 10s,
            .run = [](ToolContext& ctx, const json::object&) -> json::value {
                const auto* analysis = dependency_result(ctx, "sales_current", "analyze_store");
                if (analysis == nullptr) throw Error(ErrorCode::kInternal, "no analysis to recommend from");
                const intel::ValidationContext check{
                    std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())};
                json::array recs;
                for (const auto& r : analysis->at("recommendations").as_array()) {
                    if (recs.size() == 5) break;
                    json::object rec = r.as_object();
                    json::array proposals;
                    if (const auto* ps = rec.if_contains("proposals"); ps != nullptr && ps->is_array()) {
                        for (const auto& p : ps->get_array()) {
                            json::object proposal = p.as_object();
                            const auto kind = intel::parse_action_kind(str(proposal, "kind"));
                            if (!kind) continue;
                            const auto* params = proposal.if_contains("parameters");
                            const intel::ValidationResult v =
                                intel::validate_proposal(*kind, params != nullptr ? *params : json::value{}, check);
                            if (!v.ok()) continue;
                            proposal["parameters"] = v.parameters;
                            proposals.push_back(std::move(proposal));
                        }
                    }
                    rec["proposals"] = std::move(proposals);
                    recs.push_back(std::move(rec));
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
    r.add(analyze_store());
    r.add(compose_narrative());
    r.add(decline_out_of_scope());
    r.add(suggest_actions());
    return r;
}

}  // namespace alatar::agents
