#include "intelligence/recommendations.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "intelligence/drivers.hpp"
#include "intelligence/html_sanitizer.hpp"
#include "intelligence/metrics.hpp"
#include "intelligence/text_format.hpp"

namespace alatar::intelligence {

namespace {

constexpr int kCoverTargetDays = 28;
constexpr int kDiscountDays = 14;
constexpr std::size_t kThinDescriptionWords = 40;

DateWindow last_28(const DateWindow& window) { return {window.last - date::days{27}, window.last}; }

// Next local midnight after `now`: proposals start tomorrow, always in the future.
Instant tomorrow(const Dataset& ds, Instant now) { return ds.clock().start_of(ds.clock().day_of(now) + date::days{1}); }

std::string id_tail(std::string_view gid) { return std::string(gid_tail(gid)); }

// A discount code on one product for [starts, ends): `purpose` titles it in the store ("Clearance: Mug").
Proposal product_discount(const Product& product, int pct, std::string_view code_prefix, std::string_view id_prefix,
                          std::string_view purpose, Instant starts, Instant ends) {
    std::string code = std::string(code_prefix) + id_tail(product.id);
    if (code.size() > 32) code.resize(32);
    Proposal p;
    p.id = std::string(id_prefix) + id_tail(product.id);
    p.kind = ActionKind::kCreateDiscountCode;
    p.title = std::to_string(pct) + " % off " + product.title;
    p.description =
        "A discount code for this product only, from " + format_instant(starts) + " to " + format_instant(ends) + ".";
    p.parameters = {
        {"title", std::string(purpose) + ": " + product.title},
        {"code", code},
        {"percentage", pct},
        {"scope", {{"type", "PRODUCTS"}, {"productIds", boost::json::array{boost::json::value(product.id)}}}},
        {"startsAt", format_instant(starts)},
        {"endsAt", format_instant(ends)}};
    p.preview = {{code, "discount", "", std::to_string(pct) + " % off " + product.title}};
    return p;
}

// Adds the proposal when the validator accepts it (with its normalised parameters); drops it otherwise.
bool add_valid(Recommendation& rec, Proposal p, Instant now) {
    const auto result = validate_proposal(p.kind, p.parameters, {now});
    if (!result.ok()) return false;
    p.parameters = result.parameters;
    rec.proposals.push_back(std::move(p));
    return true;
}

std::string escape_html(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '<') {
            out += "&lt;";
        } else if (c == '>') {
            out += "&gt;";
        } else if (c == '&') {
            out += "&amp;";
        } else {
            out += c;
        }
    }
    return out;
}

std::size_t word_count(std::string_view text) {
    std::size_t n = 0;
    bool in_word = false;
    for (const char c : text) {
        const bool space = c == ' ';
        if (!space && !in_word) ++n;
        in_word = !space;
    }
    return n;
}

}  // namespace

std::vector<std::string> required_scopes(ActionKind kind) {
    switch (kind) {
        case ActionKind::kCreateDiscountCode:
            return {"write_discounts"};
        case ActionKind::kUpdateProductDescription:
        case ActionKind::kUpdateProductPrice:
            return {"write_products"};
        case ActionKind::kAdjustInventory:
            return {"write_inventory"};
        case ActionKind::kDraftMarketingEmail:
            return {};
    }
    return {};
}

std::vector<Recommendation> stockout_rule(const RuleContext& ctx, std::size_t top_n) {
    const Dataset& ds = ctx.ds;
    const DateWindow recent = last_28(ctx.window);
    // Top sellers over the 28 days before the recent window as well, so a product that stopped selling still ranks.
    const auto now_stats = product_stats(ds, recent);
    const auto before_stats = product_stats(ds, recent.preceding());
    std::vector<Index> ranked;
    for (std::size_t p = 0; p < now_stats.size(); ++p) {
        if (now_stats[p].net() + before_stats[p].net() > 0) ranked.push_back(static_cast<Index>(p));
    }
    auto value = [&](Index p) {
        const auto i = static_cast<std::size_t>(p);
        return now_stats[i].net() + before_stats[i].net();
    };
    std::stable_sort(ranked.begin(), ranked.end(), [&](Index a, Index b) { return value(a) > value(b); });
    if (ranked.size() > top_n) ranked.resize(top_n);
    const auto positions = inventory_positions(ds, ctx.window);
    std::vector<Recommendation> out;
    for (const auto& pos : positions) {
        if (std::find(ranked.begin(), ranked.end(), pos.product) == ranked.end()) continue;
        const bool out_of_stock = pos.suspected_stockout || pos.risk == StockRisk::kOutOfStock;
        if (!out_of_stock && pos.risk != StockRisk::kHigh) continue;
        const Product& product = ds.product(pos.product);
        const double rate = std::max(pos.daily_rate, pos.prior_daily_rate);
        if (rate <= 0) continue;
        const int available = pos.available.value_or(0);
        const int target = static_cast<int>(std::ceil(rate * kCoverTargetDays));
        const double rank =
            static_cast<double>(std::find(ranked.begin(), ranked.end(), pos.product) - ranked.begin()) + 1;
        const Money price = ds.price(pos.product).value_or(0);
        Recommendation rec;
        rec.id = "rec-stockout-" + id_tail(product.id);
        rec.title = (out_of_stock ? "Restock " : "Reorder soon: ") + product.title;
        rec.rationale =
            product.title + " is your #" + format_number(rank, 0) + " seller over the last 8 weeks (" +
            format_number(rate, 1) + " units a day before it " + (out_of_stock ? "stopped selling" : "ran low") +
            ") and has " + std::to_string(available) + " units available" +
            (pos.days_of_cover ? " (" + format_number(*pos.days_of_cover, 1) + " days of cover)" : "") +
            (pos.days_without_sales > 0 ? "; no sales for " + std::to_string(pos.days_without_sales) + " days" : "") +
            ".";
        rec.expected_impact =
            "About " + format_money(ds, static_cast<Money>(std::llround(rate * 7 * static_cast<double>(price)))) +
            " of sales a week at the recent rate and current price, once back in stock.";
        // One proposal per inventory item at its first location, splitting the target by variant count.
        const auto& variants = ds.variants_of(pos.product);
        const int per_variant = std::max(1, target / std::max<int>(1, static_cast<int>(variants.size())));
        for (const Index v : variants) {
            const Variant& variant = ds.raw().variants[static_cast<std::size_t>(v)];
            for (const auto& level : ds.raw().inventory_levels) {
                if (level.inventory_item_id != variant.inventory_item_id) continue;
                const int delta = per_variant - std::max(level.available, 0);
                if (delta <= 0) break;
                Proposal p;
                p.id = "prop-restock-" + id_tail(variant.inventory_item_id) + "-" + id_tail(level.location_id);
                p.kind = ActionKind::kAdjustInventory;
                p.title = "Add " + std::to_string(delta) + " units of " + product.title +
                          (variant.title.empty() || variant.title == "Default Title" ? "" : " / " + variant.title);
                p.description = "Record received stock so that the item covers about " +
                                std::to_string(kCoverTargetDays) +
                                " days of demand. Approve once the stock has arrived.";
                p.parameters = {{"inventoryItemId", variant.inventory_item_id},
                                {"locationId", level.location_id},
                                {"currentAvailable", level.available},
                                {"delta", delta},
                                {"reason", "received"}};
                p.preview = {{product.title, "available", std::to_string(level.available),
                              std::to_string(level.available + delta)}};
                add_valid(rec, std::move(p), ctx.now);
                break;  // first location only
            }
        }
        if (!rec.proposals.empty()) out.push_back(std::move(rec));
    }
    return out;
}

std::vector<Recommendation> overstock_rule(const RuleContext& ctx, std::size_t max) {
    const Dataset& ds = ctx.ds;
    const DateWindow quarter{ctx.window.last - date::days{89}, ctx.window.last};
    auto positions = inventory_positions(ds, quarter);
    std::erase_if(positions, [&](const InventoryPosition& p) {
        if (!p.available || *p.available <= 0 || ds.product(p.product).status != ProductStatus::kActive) return true;
        // Overstocked: more than 90 days of cover, or nothing sold in 90 days with at least 10 units on hand.
        const double daily_90 = static_cast<double>(p.units_window) / 90.0;
        return !(daily_90 == 0 ? *p.available >= 10 : *p.available / daily_90 > 90.0);
    });
    auto value_at_cost = [&](const InventoryPosition& p) {
        return ds.unit_cost(p.product).value_or(ds.price(p.product).value_or(0)) * *p.available;
    };
    std::stable_sort(positions.begin(), positions.end(), [&](const InventoryPosition& a, const InventoryPosition& b) {
        return value_at_cost(a) > value_at_cost(b);
    });
    if (positions.size() > max) positions.resize(max);
    std::vector<Recommendation> out;
    const Instant starts = tomorrow(ds, ctx.now);
    const Instant ends = starts + date::days{kDiscountDays};
    for (const auto& pos : positions) {
        const Product& product = ds.product(pos.product);
        const double daily_90 = static_cast<double>(pos.units_window) / 90.0;
        const int pct = pos.units_window == 0 ? 30 : 20;
        Recommendation rec;
        rec.id = "rec-overstock-" + id_tail(product.id);
        rec.title = "Clear excess stock of " + product.title;
        rec.rationale = product.title + " has " + std::to_string(*pos.available) + " units on hand (" +
                        format_money(ds, value_at_cost(pos)) + " at cost) and sold " +
                        std::to_string(pos.units_window) + " units in the last 90 days" +
                        (daily_90 > 0 ? ": " + format_number(*pos.available / daily_90, 0) + " days of cover." : ".");
        rec.expected_impact = "A " + std::to_string(pct) + " % product discount for " + std::to_string(kDiscountDays) +
                              " days to turn slow stock into cash; review sell-through when it ends.";
        Proposal p = product_discount(product, pct, "CLEAR-", "prop-discount-", "Clearance", starts, ends);
        p.parameters["usageLimit"] = std::max(10, *pos.available);
        if (add_valid(rec, std::move(p), ctx.now)) out.push_back(std::move(rec));
    }
    return out;
}

std::string templated_description(const Dataset& ds, Index product) {
    const Product& p = ds.product(product);
    std::string html = "<p><strong>" + escape_html(p.title) + "</strong>";
    if (!p.vendor.empty()) html += " by " + escape_html(p.vendor);
    if (!p.product_type.empty()) html += ", from our " + escape_html(p.product_type) + " range";
    html += ".</p><ul>";
    std::vector<std::string> options;
    for (const Index v : ds.variants_of(product)) {
        const auto& title = ds.raw().variants[static_cast<std::size_t>(v)].title;
        if (!title.empty() && title != "Default Title") options.push_back(escape_html(title));
    }
    if (!options.empty()) {
        html += "<li><strong>Available in:</strong> ";
        for (std::size_t i = 0; i < options.size(); ++i) html += (i ? ", " : "") + options[i];
        html += "</li>";
    }
    for (const auto& tag : p.tags) html += "<li>" + escape_html(tag) + "</li>";
    html +=
        "<li><strong>Fit and sizing:</strong> check the measurements before ordering; when in doubt, choose the "
        "larger size.</li>";
    html += "<li><strong>Care:</strong> follow the care label to keep it looking new.</li></ul>";
    html += "<p><em>Questions about fit, materials or delivery? Contact us before you order and we will help.</em></p>";
    return html;
}

std::vector<Recommendation> description_rule(const RuleContext& ctx, std::size_t max) {
    const Dataset& ds = ctx.ds;
    const DateWindow year{ctx.window.last - date::days{364}, ctx.window.last};
    const auto stats = product_stats(ds, year);
    std::int64_t units = 0;
    std::int64_t refunded = 0;
    for (const auto& s : stats) {
        units += s.units;
        refunded += s.units_refunded_of_sold;
    }
    const double store_rate = units == 0 ? 0.0 : static_cast<double>(refunded) / static_cast<double>(units);
    struct Candidate {
        Index product;
        double rate;
    };
    std::vector<Candidate> candidates;
    for (std::size_t p = 0; p < stats.size(); ++p) {
        const auto pi = static_cast<Index>(p);
        if (stats[p].units < 10 || ds.product(pi).status != ProductStatus::kActive) continue;
        const double rate = static_cast<double>(stats[p].units_refunded_of_sold) / static_cast<double>(stats[p].units);
        const std::size_t words = word_count(html_text(ds.product(pi).description_html));
        if (rate >= 0.10 && rate >= 2.0 * store_rate && words < kThinDescriptionWords) candidates.push_back({pi, rate});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.rate > b.rate; });
    if (candidates.size() > max) candidates.resize(max);
    std::vector<Recommendation> out;
    for (const auto& c : candidates) {
        const Product& product = ds.product(c.product);
        const auto& s = stats[static_cast<std::size_t>(c.product)];
        Recommendation rec;
        rec.id = "rec-description-" + id_tail(product.id);
        rec.title = "Rewrite the description of " + product.title;
        rec.rationale = product.title + " was refunded for " + std::to_string(s.units_refunded_of_sold) + " of " +
                        std::to_string(s.units) + " units sold in the last 12 months (" +
                        format_number(100.0 * c.rate, 1) + " % against " + format_number(100.0 * store_rate, 1) +
                        " % for the store), and its description has only " +
                        std::to_string(word_count(html_text(product.description_html))) +
                        " words. Clearer fit and care details set expectations before purchase.";
        rec.expected_impact = "Bringing the refund rate halfway to the store average would save about " +
                              std::to_string(static_cast<long long>(
                                  std::llround(static_cast<double>(s.units) * (c.rate - store_rate) / 2.0))) +
                              " refunded units a year.";
        Proposal p;
        p.id = "prop-description-" + id_tail(product.id);
        p.kind = ActionKind::kUpdateProductDescription;
        p.title = "New description for " + product.title;
        p.description = "A draft built from the product's attributes; edit it before approving.";
        p.parameters = {{"productId", product.id}, {"descriptionHtml", templated_description(ds, c.product)}};
        p.preview = {{product.title, "descriptionHtml", product.description_html,
                      std::string(p.parameters.at("descriptionHtml").as_string())}};
        if (add_valid(rec, std::move(p), ctx.now)) out.push_back(std::move(rec));
    }
    return out;
}

std::vector<Recommendation> pricing_rule(const RuleContext& ctx, std::size_t max) {
    const Dataset& ds = ctx.ds;
    const DateWindow recent{ctx.window.last - date::days{89}, ctx.window.last};
    const auto stats = product_stats(ds, recent);
    struct Candidate {
        Index product;
        double margin;
    };
    std::vector<Candidate> candidates;
    for (std::size_t p = 0; p < stats.size(); ++p) {
        const auto pi = static_cast<Index>(p);
        const auto price = ds.price(pi);
        const auto cost = ds.unit_cost(pi);
        if (!price || !cost || *price <= 0 || stats[p].units < 10) continue;
        if (ds.product(pi).status != ProductStatus::kActive) continue;
        const double margin = static_cast<double>(*price - *cost) / static_cast<double>(*price);
        if (margin < 0.35) candidates.push_back({pi, margin});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.margin < b.margin; });
    if (candidates.size() > max) candidates.resize(max);
    std::vector<Recommendation> out;
    for (const auto& c : candidates) {
        const Product& product = ds.product(c.product);
        const Money cost = *ds.unit_cost(c.product);
        Recommendation rec;
        rec.id = "rec-price-" + id_tail(product.id);
        rec.title = "Raise the price of " + product.title;
        rec.expected_impact = "";
        for (const Index v : ds.variants_of(c.product)) {
            const Variant& variant = ds.raw().variants[static_cast<std::size_t>(v)];
            if (variant.price <= 0) continue;
            // Towards a 40 % margin, at most +15 %, never down.
            const Money target =
                static_cast<Money>(std::ceil(static_cast<double>(variant.unit_cost.value_or(cost)) / 0.6));
            const Money capped = std::min<Money>(target, variant.price + variant.price * 15 / 100);
            if (capped <= variant.price) continue;
            Proposal p;
            p.id = "prop-price-" + id_tail(variant.id);
            p.kind = ActionKind::kUpdateProductPrice;
            p.title = "Price " + product.title +
                      (variant.title.empty() || variant.title == "Default Title" ? "" : " / " + variant.title) + ": " +
                      format_money(ds, variant.price) + " -> " + format_money(ds, capped);
            p.description = "Within the +-50 % limit; watch units sold for two weeks after the change.";
            p.parameters = {{"productId", product.id},
                            {"variantId", variant.id},
                            {"currentPrice", format_decimal(variant.price, ds.decimals())},
                            {"newPrice", format_decimal(capped, ds.decimals())}};
            p.preview = {{product.title, "price", format_decimal(variant.price, ds.decimals()),
                          format_decimal(capped, ds.decimals())}};
            add_valid(rec, std::move(p), ctx.now);
        }
        const auto& s = stats[static_cast<std::size_t>(c.product)];
        rec.rationale = product.title + " earns a " + format_number(100.0 * c.margin, 1) + " % gross margin (price " +
                        format_money(ds, *ds.price(c.product)) + ", unit cost " + format_money(ds, cost) + ") on " +
                        std::to_string(s.units) + " units in the last 90 days; the store's products mostly earn more.";
        rec.expected_impact = "At the same volume, the increase adds margin on each of about " +
                              std::to_string(s.units) + " units a quarter; demand may dip slightly.";
        if (!rec.proposals.empty()) out.push_back(std::move(rec));
    }
    return out;
}

std::vector<Recommendation> winback_rule(const RuleContext& ctx) {
    const Dataset& ds = ctx.ds;
    const auto& o = ds.orders();
    const std::int64_t end = ds.clock().window_end(ctx.window).time_since_epoch().count();
    constexpr std::int64_t kDay = 86400;
    std::vector<std::int64_t> last_order(ds.customer_count(), 0);
    for (std::size_t i = 0; i < o.size() && o.time[i] < end; ++i) {
        if (o.customer[i] != kNone) last_order[static_cast<std::size_t>(o.customer[i])] = o.time[i];
    }
    std::int64_t lapsed = 0;
    for (const auto t : last_order) {
        if (t > 0 && t < end - 60 * kDay && t >= end - 180 * kDay) ++lapsed;
    }
    if (lapsed < 5) return {};
    const Instant starts = tomorrow(ds, ctx.now);
    const Instant ends = starts + date::days{kDiscountDays};
    const std::string code = "COMEBACK15";
    Recommendation rec;
    rec.id = "rec-winback";
    rec.title = "Win back " + std::to_string(lapsed) + " lapsed customers";
    rec.rationale = std::to_string(lapsed) +
                    " customers last ordered between 60 and 180 days ago. A personal note with a time-limited code "
                    "is the cheapest way to bring some of them back.";
    rec.expected_impact = "If 5 % return with a typical order, about " +
                          std::to_string(std::max<std::int64_t>(1, lapsed / 20)) + " extra orders.";
    Proposal discount;
    discount.id = "prop-discount-winback";
    discount.kind = ActionKind::kCreateDiscountCode;
    discount.title = "15 % win-back code " + code;
    discount.description = "Store-wide, one use per customer, for " + std::to_string(kDiscountDays) + " days.";
    discount.parameters = {{"title", "Win-back 15 %"},
                           {"code", code},
                           {"percentage", 15},
                           {"scope", {{"type", "ALL"}}},
                           {"startsAt", format_instant(starts)},
                           {"endsAt", format_instant(ends)},
                           {"appliesOncePerCustomer", true}};
    discount.preview = {{code, "discount", "", "15 % off everything"}};
    add_valid(rec, std::move(discount), ctx.now);
    const std::string shop = ds.raw().shop.name.empty() ? std::string("our store") : ds.raw().shop.name;
    std::string body =
        "<p>Hi there,</p><p>It has been a while since your last order at <strong>" + escape_html(shop) +
        "</strong>, and we would love to see you again.</p><p>Here is <strong>15 % off</strong> your next "
        "order with the code <strong>" +
        code + "</strong>, valid until " + format_day(ds.clock().day_of(ends) - date::days{1}) + ".</p>";
    const auto top =
        product_ranking(ds, last_28(ctx.window), last_28(ctx.window).preceding(), RankBy::kUnits, RankOrder::kTop, 3);
    if (!top.rows.empty()) {
        body += "<p>What other customers love right now:</p><ul>";
        for (const auto& row : top.rows) body += "<li>" + escape_html(row[1].as_string()) + "</li>";
        body += "</ul>";
    }
    body += "<p><em>See you soon!</em></p>";
    Proposal email;
    email.id = "prop-email-winback";
    email.kind = ActionKind::kDraftMarketingEmail;
    email.title = "Win-back e-mail draft";
    email.description = "A draft for your e-mail tool; nothing is sent by Alatar.";
    email.parameters = {{"subject", "We miss you at " + shop},
                        {"previewText", "15 % off your next order, for two weeks"},
                        {"bodyHtml", body},
                        {"audience", {{"segment", "lapsed_customers"}, {"customerCount", lapsed}}},
                        {"discountCode", code}};
    add_valid(rec, std::move(email), ctx.now);
    if (rec.proposals.empty()) return {};
    return {std::move(rec)};
}

std::vector<Recommendation> demand_recovery_rule(const RuleContext& ctx, std::size_t max) {
    const Dataset& ds = ctx.ds;
    const DateWindow previous = ctx.comparison.value_or(ctx.window.preceding());
    const auto drivers = decompose_net_sales(ds, ctx.window, previous);
    const Instant starts = tomorrow(ds, ctx.now);
    const Instant ends = starts + date::days{kDiscountDays};
    constexpr int kPct = 10;
    // What the stockout rule restocks is not discounted as well.
    std::set<Index> short_of_stock;
    for (const auto& pos : inventory_positions(ds, ctx.window)) {
        if (pos.suspected_stockout || pos.risk == StockRisk::kOutOfStock || pos.risk == StockRisk::kHigh) {
            short_of_stock.insert(pos.product);
        }
    }
    std::vector<Recommendation> out;
    for (const auto& c : drivers.by_product) {  // most negative first
        if (out.size() >= max || c.delta() >= 0) break;
        const auto product = ds.find_product(c.key);
        if (!product || short_of_stock.contains(*product)) continue;  // also the unallocated-discounts entry
        const Product& p = ds.product(*product);
        const auto available = ds.available(*product);
        // A fall of under a fifth is noise for a single product; no stock means a restock, not a discount.
        if (p.status != ProductStatus::kActive || c.previous <= 0 || -c.delta() * 5 < c.previous) continue;
        if (!available || *available <= 0) continue;
        Recommendation rec;
        rec.id = "rec-recover-" + id_tail(p.id);
        rec.title = "Win back demand for " + p.title;
        rec.rationale = p.title + " brought in " + format_money(ds, c.current) + " of net sales against " +
                        format_money(ds, c.previous) + " in the comparison period (" +
                        format_number(100.0 * static_cast<double>(c.delta()) / static_cast<double>(c.previous), 1) +
                        " %), with " + std::to_string(*available) + " units still in stock.";
        rec.expected_impact = "A " + std::to_string(kPct) + " % code for " + std::to_string(kDiscountDays) +
                              " days to test whether price brings the demand back; compare units sold when it ends.";
        Proposal proposal =
            product_discount(p, kPct, "BACK-", "prop-discount-recover-", "Demand recovery", starts, ends);
        proposal.parameters["appliesOncePerCustomer"] = true;
        if (add_valid(rec, std::move(proposal), ctx.now)) out.push_back(std::move(rec));
    }
    return out;
}

std::vector<Recommendation> recommend(const RuleContext& ctx, Intent intent) {
    std::vector<Recommendation> out;
    auto add = [&](std::vector<Recommendation> recs) {
        for (auto& r : recs) out.push_back(std::move(r));
    };
    switch (intent) {
        case Intent::kSalesDropDiagnosis:
            add(stockout_rule(ctx));
            add(demand_recovery_rule(ctx));
            break;
        case Intent::kSalesSummary:
        case Intent::kSalesTrend:
        case Intent::kTopProducts:
            add(stockout_rule(ctx));
            break;
        case Intent::kInventoryRisk:
            add(stockout_rule(ctx));
            add(overstock_rule(ctx));
            break;
        case Intent::kSlowMovers:
            add(overstock_rule(ctx));
            break;
        case Intent::kDiscountSuggestion:
            add(overstock_rule(ctx));
            add(winback_rule(ctx));
            break;
        case Intent::kDescriptionImprovement:
            add(description_rule(ctx));
            break;
        case Intent::kPricingSuggestion:
            add(pricing_rule(ctx));
            break;
        case Intent::kCustomerRetention:
            add(winback_rule(ctx));
            break;
        case Intent::kOutOfScope:
            break;
    }
    return out;
}

boost::json::object to_json(const Recommendation& rec, Instant now) {
    boost::json::array proposals;
    for (const auto& p : rec.proposals) {
        boost::json::array preview;
        for (const auto& f : p.preview) {
            preview.push_back(boost::json::object{
                {"target", f.target}, {"field", f.field}, {"before", f.before}, {"after", f.after}});
        }
        boost::json::array scopes;
        for (const auto& s : required_scopes(p.kind)) scopes.emplace_back(s);
        proposals.push_back(boost::json::object{{"id", p.id},
                                                {"kind", action_kind_name(p.kind)},
                                                {"status", "PENDING"},
                                                {"title", p.title},
                                                {"description", p.description},
                                                {"parameters", p.parameters},
                                                {"preview", std::move(preview)},
                                                {"requiredScopes", std::move(scopes)},
                                                {"missingScopes", boost::json::array{}},
                                                {"createdAt", format_instant(now)},
                                                {"decidedAt", nullptr},
                                                {"outcome", nullptr}});
    }
    return {{"id", rec.id},
            {"title", rec.title},
            {"rationale", rec.rationale},
            {"expectedImpact", rec.expected_impact},
            {"proposals", std::move(proposals)}};
}

}  // namespace alatar::intelligence
