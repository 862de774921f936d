#include "shopify_sim/generator.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "shopify_sim/prng.hpp"

namespace alatar::shopify_sim {
namespace {

// ---- Catalogue vocabulary ----------------------------------------------------------------------

enum class OptionKind { kSizes, kShoeSizes, kColors, kSingle };

struct TypeSpec {
    std::string_view name;
    std::string_view code;
    int min_dollars;
    int max_dollars;
    OptionKind options;
    double refund_rate;
    std::array<std::string_view, 4> nouns;
    std::string_view use;
};

constexpr std::array<TypeSpec, 10> kTypes{{
    {"T-Shirts",
     "TS",
     22,
     38,
     OptionKind::kSizes,
     0.055,
     {"Tee", "T-Shirt", "Crew Tee", "Pocket Tee"},
     "everyday wear"},
    {"Hoodies",
     "HD",
     55,
     95,
     OptionKind::kSizes,
     0.05,
     {"Hoodie", "Pullover", "Zip Hoodie", "Crewneck"},
     "cool evenings"},
    {"Jackets",
     "JK",
     120,
     280,
     OptionKind::kSizes,
     0.065,
     {"Jacket", "Shell", "Parka", "Windbreaker"},
     "wind and rain"},
    {"Pants",
     "PT",
     60,
     120,
     OptionKind::kSizes,
     0.07,
     {"Pants", "Joggers", "Trail Pants", "Chinos"},
     "long days on the trail"},
    {"Socks",
     "SK",
     12,
     24,
     OptionKind::kSizes,
     0.02,
     {"Socks", "Crew Socks", "Hiking Socks", "Liner Socks"},
     "miles of walking"},
    {"Hats", "HT", 24, 40, OptionKind::kColors, 0.03, {"Beanie", "Cap", "Trucker Hat", "Bucket Hat"}, "sun and cold"},
    {"Bags",
     "BG",
     45,
     160,
     OptionKind::kColors,
     0.035,
     {"Backpack", "Duffel", "Tote", "Daypack"},
     "travel and commuting"},
    {"Bottles", "BT", 20, 45, OptionKind::kColors, 0.02, {"Bottle", "Tumbler", "Flask", "Mug"}, "staying hydrated"},
    {"Accessories",
     "AC",
     10,
     35,
     OptionKind::kSingle,
     0.025,
     {"Carabiner", "Headlamp", "Gaiter", "Keychain"},
     "small adventures"},
    {"Footwear",
     "FW",
     90,
     190,
     OptionKind::kShoeSizes,
     0.085,
     {"Trail Runner", "Hiking Boot", "Camp Shoe", "Sneaker"},
     "rough ground"},
}};

constexpr std::array<std::string_view, 20> kAdjectives{
    "Alpine", "Summit",  "Ridge",   "Canyon", "Cascade", "Glacier", "Timber", "Coastal", "Trailhead", "Basecamp",
    "Nomad",  "Granite", "Juniper", "Sierra", "Aspen",   "Boulder", "Meadow", "Harbor",  "Drift",     "Ember"};
constexpr std::array<std::string_view, 12> kMaterials{"Merino",     "Fleece",   "Canvas",    "Organic",
                                                      "Recycled",   "Ripstop",  "Insulated", "Lightweight",
                                                      "Waterproof", "Heritage", "Packable",  "Thermal"};
constexpr std::array<std::string_view, 10> kVendors{
    "Northbound Supply", "Ridgeline Co.",    "Cedar & Pine", "Tidewater Goods",  "Summit Works",
    "Blue Mesa",         "Fjell Outfitters", "Copperleaf",   "Highland Textile", "Wildgrain"};
constexpr std::array<std::string_view, 5> kSizes{"XS", "S", "M", "L", "XL"};
constexpr std::array<double, 5> kSizeWeights{0.08, 0.22, 0.33, 0.25, 0.12};
constexpr std::array<std::string_view, 6> kShoeSizes{"7", "8", "9", "10", "11", "12"};
constexpr std::array<double, 6> kShoeWeights{0.1, 0.18, 0.24, 0.24, 0.15, 0.09};
constexpr std::array<std::string_view, 7> kColors{"Black", "Navy", "Olive", "Sand", "Rust", "Slate", "Forest"};
constexpr std::array<std::string_view, 8> kFeatures{"Double-stitched seams that hold up to years of use",
                                                    "A relaxed fit with room to layer underneath",
                                                    "Fabric that dries quickly and resists odour",
                                                    "Reinforced panels where wear happens first",
                                                    "Made in a fair-trade certified factory",
                                                    "Packs down small for travel",
                                                    "Backed by our two-year repair guarantee",
                                                    "Dyed with low-impact, water-saving dyes"};
constexpr std::array<std::string_view, 24> kFirstNames{
    "Olivia", "Liam",  "Emma", "Noah", "Ava",   "Elijah", "Sophia", "James", "Mia",    "Lucas", "Amelia", "Mateo",
    "Harper", "Ethan", "Aria", "Leo",  "Chloe", "Omar",   "Priya",  "Kenji", "Fatima", "Diego", "Hana",   "Sam"};
constexpr std::array<std::string_view, 24> kLastNames{"Smith",  "Johnson", "Garcia",  "Brown",    "Nguyen", "Patel",
                                                      "Kim",    "Lopez",   "Wilson",  "Anderson", "Tanaka", "Okafor",
                                                      "Martin", "Clark",   "Schmidt", "Rossi",    "Silva",  "Cohen",
                                                      "Singh",  "Murphy",  "Novak",   "Larsen",   "Ahmed",  "Moreau"};
constexpr std::array<std::string_view, 3> kEmailDomains{"example.com", "example.net", "example.org"};
constexpr std::array<std::string_view, 5> kRefundNotes{"Wrong size", "Changed mind", "Damaged in transit",
                                                       "Arrived late", ""};
constexpr std::array<double, 12> kMonthFactor{0.80, 0.82, 0.92, 0.95, 1.00, 0.97, 0.95, 0.98, 0.98, 1.05, 1.55, 1.30};
constexpr std::array<double, 7> kWeekdayFactor{1.08, 1.02, 0.99, 0.97, 0.93, 0.88, 1.13};  // Mon..Sun
constexpr std::array<double, 24> kHourWeights{0.30, 0.20, 0.15, 0.12, 0.12, 0.20, 0.45, 0.75, 1.00, 1.10, 1.15, 1.20,
                                              1.25, 1.20, 1.15, 1.10, 1.10, 1.20, 1.35, 1.50, 1.55, 1.35, 0.95, 0.55};

// Id spaces per entity, shaped like Shopify's (large, increasing with creation time).
constexpr Id kLocationIdBase = 71000000000;
constexpr Id kProductIdBase = 8100000000000;
constexpr Id kVariantIdBase = 45100000000000;
constexpr Id kInventoryItemIdBase = 47100000000000;
constexpr Id kCustomerIdBase = 7100000000000;
constexpr Id kOrderIdBase = 5600000000000;
constexpr Id kLineItemIdBase = 14100000000000;
constexpr Id kRefundIdBase = 910000000000;
constexpr Id kRefundLineIdBase = 510000000000;
constexpr Id kDiscountIdBase = 1310000000000;
constexpr Id kRedeemCodeIdBase = 17100000000000;

template <std::size_t N>
std::string_view pick(Rng& rng, const std::array<std::string_view, N>& items) {
    return items[static_cast<std::size_t>(rng.uniform_int(0, N - 1))];
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string handleize(std::string_view title) {
    std::string out;
    for (const char c : lower(title)) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum) {
            out += c;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string shop_name_from_domain(std::string_view domain) {
    std::string label(domain.substr(0, domain.find('.')));
    std::string name;
    bool upper = true;
    for (const char c : label) {
        if (c == '-' || c == '_') {
            name += ' ';
            upper = true;
        } else {
            name += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
            upper = false;
        }
    }
    return name + " Outfitters";
}

// Black Friday: the day after the fourth Thursday of November.
Date black_friday(int year) {
    const Date nov1 = date_from_civil({year, 11, 1});
    const int to_thursday = (3 - iso_weekday(nov1) + 7) % 7;
    return nov1 + to_thursday + 21 + 1;
}

// ---- Generator state -----------------------------------------------------------------------------

struct ProductPlan {
    Product product;
    std::vector<Variant> variants;
    std::vector<double> variant_weights;
    std::size_t type = 0;
    double weight = 1;  // demand weight at the end of the history
    double slope = 0;   // log demand change per year
    double refund_rate = 0;
    Timestamp sell_from = 0;
    std::optional<Timestamp> sell_until;  // archived products stop selling
    bool sellable = true;                 // drafts never sell
};

struct CustomerPlan {
    Customer customer;
    int orders_so_far = 0;
};

struct OrderPlan {
    Order order;
    std::optional<std::size_t> customer;  // index into customers while generating
};

class Generator {
  public:
    explicit Generator(const GeneratorOptions& options) : options_(options), rng_(seed_for(options)) {
        const auto zone = find_fixed_zone(options.iana_timezone);
        if (!zone) throw std::invalid_argument("unsupported time zone: " + options.iana_timezone);
        if (options.shop_domain.empty()) throw std::invalid_argument("empty shop domain");
        zone_ = *zone;
        size_ = profile_size(options.profile);
        store_.info.seed = options.seed;
        store_.info.profile = options.profile;
        store_.info.today = options.today;
        store_.info.history_start = options.today - kHistoryDays;
        store_.info.history_end = local_midnight(options.today, zone_.utc_offset_minutes);
        start_ = local_midnight(store_.info.history_start, zone_.utc_offset_minutes);
        end_ = store_.info.history_end;
    }

    Store run() {
        make_shop();
        make_locations();
        make_catalog();
        make_discounts();
        simulate_orders();
        finish_customers();
        make_inventory();
        store_.index();
        compute_planted_figures(store_);
        return std::move(store_);
    }

  private:
    static std::uint64_t seed_for(const GeneratorOptions& o) {
        return o.seed ^ fnv1a64(o.shop_domain) ^ fnv1a64(profile_name(o.profile));
    }

    Date local(Timestamp ts) const { return local_date(ts, zone_.utc_offset_minutes); }

    void make_shop() {
        auto& shop = store_.shop;
        shop.id = 60000000000 + fnv1a64(options_.shop_domain) % 1000000000;
        shop.domain = options_.shop_domain;
        shop.name = shop_name_from_domain(options_.shop_domain);
        shop.email = "owner@" + options_.shop_domain;
        shop.currency_code = options_.currency_code;
        shop.iana_timezone = std::string(zone_.iana_name);
        shop.timezone_abbreviation = std::string(zone_.abbreviation);
        shop.utc_offset_minutes = zone_.utc_offset_minutes;
        shop.plan_display_name = options_.plan_display_name;
        shop.rate_limit_plan = options_.rate_limit_plan;
        shop.tax_rate_bp = 725;
        shop.created_at = start_ - 540 * kSecondsPerDay;
    }

    void make_locations() {
        static constexpr std::array<std::string_view, 3> kNames{"Main Warehouse", "Flagship Store", "East Coast DC"};
        static constexpr std::array<std::string_view, 3> kCities{"Phoenix", "Denver", "Columbus"};
        for (int i = 0; i < size_.locations && i < 3; ++i) {
            const auto idx = static_cast<std::size_t>(i);
            Location loc;
            loc.id = kLocationIdBase + static_cast<Id>(i) + 1;
            loc.name = std::string(kNames[idx]);
            loc.address1 = std::to_string(100 + 37 * i) + " Commerce Way";
            loc.city = std::string(kCities[idx]);
            loc.country_code = "US";
            loc.created_at = store_.shop.created_at + static_cast<Timestamp>(i) * 200 * kSecondsPerDay;
            store_.locations.push_back(std::move(loc));
        }
    }

    // ---- Catalogue ----

    std::string product_title(Rng& rng, const TypeSpec& type, std::set<std::string>& used) {
        for (int attempt = 0;; ++attempt) {
            std::string title = std::string(pick(rng, kAdjectives)) + " " + std::string(pick(rng, kMaterials)) + " " +
                                std::string(pick(rng, type.nouns));
            if (attempt > 20) title += " " + std::to_string(attempt);
            if (used.insert(title).second) return title;
        }
    }

    static std::string description(Rng& rng, const TypeSpec& type, std::string_view title) {
        std::string html = "<p>The " + std::string(title) + " is made for " + std::string(type.use) +
                           ", with materials chosen to last and a cut that moves with you.</p><ul>";
        std::array<std::size_t, kFeatures.size()> order{};
        std::iota(order.begin(), order.end(), 0);
        for (std::size_t i = 0; i < 3; ++i) {
            const auto j = static_cast<std::size_t>(rng.uniform_int(static_cast<std::int64_t>(i), order.size() - 1));
            std::swap(order[i], order[j]);
            html += "<li>" + std::string(kFeatures[order[i]]) + "</li>";
        }
        html += "</ul><p>Care: machine wash cold, hang dry. See the size guide for fit details.</p>";
        return html;
    }

    static Cents price_point(Rng& rng, const TypeSpec& type) {
        const auto dollars = rng.uniform_int(type.min_dollars, type.max_dollars);
        static constexpr std::array<Cents, 3> kEndings{0, -5, -1};  // x.00, x.95, x.99
        return dollars * 100 + kEndings[static_cast<std::size_t>(rng.uniform_int(0, 2))];
    }

    void make_variants(Rng& rng, ProductPlan& plan, std::size_t seq) {
        const TypeSpec& type = kTypes[plan.type];
        std::vector<std::string> titles;
        std::vector<double> weights;
        switch (type.options) {
            case OptionKind::kSizes: {
                const auto first = static_cast<std::size_t>(rng.uniform_int(0, 1));
                const auto last = static_cast<std::size_t>(rng.uniform_int(3, 4));
                for (std::size_t i = first; i <= last; ++i) {
                    titles.emplace_back(kSizes[i]);
                    weights.push_back(kSizeWeights[i]);
                }
                break;
            }
            case OptionKind::kShoeSizes:
                for (std::size_t i = 0; i < kShoeSizes.size(); ++i) {
                    titles.emplace_back(kShoeSizes[i]);
                    weights.push_back(kShoeWeights[i]);
                }
                break;
            case OptionKind::kColors: {
                const auto count = static_cast<std::size_t>(rng.uniform_int(2, 3));
                const auto offset = static_cast<std::size_t>(rng.uniform_int(0, kColors.size() - 1));
                for (std::size_t i = 0; i < count; ++i) {
                    titles.emplace_back(kColors[(offset + i) % kColors.size()]);
                    weights.push_back(i == 0 ? 0.5 : 0.25 + 0.1 * static_cast<double>(i));
                }
                break;
            }
            case OptionKind::kSingle:
                titles.emplace_back("Default Title");
                weights.push_back(1.0);
                break;
        }
        const Cents price = price_point(rng, type);
        const double cost_ratio = rng.uniform(0.28, 0.55);
        const bool on_sale = rng.bernoulli(0.15);
        const Cents compare_at = (price * rng.uniform_int(120, 140) / 100 + 99) / 100 * 100;
        for (std::size_t i = 0; i < titles.size(); ++i) {
            Variant v;
            v.title = titles[i];
            std::string opt = titles[i] == "Default Title" ? "OS" : titles[i];
            if (type.options == OptionKind::kColors) opt.resize(std::min<std::size_t>(opt.size(), 3));
            for (char& c : opt) {
                if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
            }
            std::array<char, 8> num{};
            std::snprintf(num.data(), num.size(), "%04zu", seq + 1);
            v.sku = std::string(type.code) + "-" + num.data() + "-" + opt;
            v.price = price;
            if (on_sale) v.compare_at_price = compare_at;
            v.unit_cost = mul_div_round(price, static_cast<std::int64_t>(cost_ratio * 10000), 10000);
            v.position = static_cast<int>(i) + 1;
            plan.variants.push_back(std::move(v));
        }
        plan.variant_weights = std::move(weights);
    }

    static double mean_price(const ProductPlan& plan) {
        double sum = 0;
        for (const auto& v : plan.variants) sum += static_cast<double>(v.price);
        return plan.variants.empty() ? 0 : sum / static_cast<double>(plan.variants.size());
    }

    void make_catalog() {
        Rng rng = rng_.fork("catalog");
        const auto count = static_cast<std::size_t>(size_.products);
        std::set<std::string> used_titles;
        std::vector<std::size_t> ranks(count);
        std::iota(ranks.begin(), ranks.end(), 0);
        for (std::size_t i = count; i > 1; --i) {
            std::swap(ranks[i - 1],
                      ranks[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(i - 1)))]);
        }
        plans_.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            ProductPlan& plan = plans_[i];
            plan.type = static_cast<std::size_t>(rng.uniform_int(0, kTypes.size() - 1));
            const TypeSpec& type = kTypes[plan.type];
            Product& p = plan.product;
            p.title = product_title(rng, type, used_titles);
            p.product_type = std::string(type.name);
            p.vendor = std::string(
                kVendors[(plan.type * 3 + static_cast<std::size_t>(rng.uniform_int(0, 2))) % kVendors.size()]);
            p.description_html = description(rng, type, p.title);
            p.tags = {lower(type.name), lower(kAdjectives[static_cast<std::size_t>(rng.uniform_int(0, 5))])};
            if (rng.bernoulli(0.3)) p.tags.emplace_back("bestseller-candidate");
            make_variants(rng, plan, i);
            plan.weight = 1.0 / std::pow(static_cast<double>(ranks[i]) + 1.0, 0.85);
            plan.refund_rate = type.refund_rate * rng.uniform(0.7, 1.3);
            const double kind = rng.uniform01();
            plan.slope = rng.normal(0, 0.3);
            if (kind < 0.08) {
                plan.slope = rng.uniform(0.9, 1.5);  // trending up
            } else if (kind < 0.16) {
                plan.slope = -rng.uniform(0.9, 1.5);  // trending down
            }
            const double life = rng.uniform01();
            if (life < 0.78) {
                p.created_at = start_ - rng.uniform_int(5, 500) * kSecondsPerDay - rng.uniform_int(0, 86399);
            } else if (life < 0.96) {
                p.created_at =
                    start_ + rng.uniform_int(30, kHistoryDays - 20) * kSecondsPerDay + rng.uniform_int(0, 86399);
            } else {
                p.created_at = end_ - rng.uniform_int(2, 60) * kSecondsPerDay + rng.uniform_int(0, 86399);
                p.status = ProductStatus::kDraft;
                plan.sellable = false;
            }
            plan.sell_from = p.created_at + kSecondsPerDay;
            if (p.status == ProductStatus::kActive && life < 0.78 && rng.bernoulli(0.07)) {
                p.status = ProductStatus::kArchived;
                plan.sell_until = start_ + rng.uniform_int(60, kHistoryDays - 30) * kSecondsPerDay;
                plan.slope = -std::abs(plan.slope);
            }
            if (p.status != ProductStatus::kDraft) p.published_at = p.created_at + rng.uniform_int(600, 7200);
        }
        plant_products(rng);
        // Shopify ids grow with creation time.
        std::stable_sort(plans_.begin(), plans_.end(), [](const ProductPlan& a, const ProductPlan& b) {
            return a.product.created_at < b.product.created_at;
        });
        for (std::size_t i = 0; i < plans_.size(); ++i) {
            if (plans_[i].product.title == stockout_title_) stockout_ = i;
            if (plans_[i].product.title == overstock_title_) overstock_ = i;
            if (plans_[i].product.title == weak_title_) weak_ = i;
        }
        finish_catalog(rng);
    }

    // Chooses the three planted products among long-established active ones and sets their demand.
    void plant_products(Rng& rng) {
        std::vector<std::size_t> eligible;
        for (std::size_t i = 0; i < plans_.size(); ++i) {
            const auto& p = plans_[i];
            if (p.product.status == ProductStatus::kActive && p.product.created_at < start_) eligible.push_back(i);
        }
        auto take = [&](std::string_view type_name) {
            std::vector<std::size_t> of_type;
            for (const std::size_t i : eligible) {
                if (kTypes[plans_[i].type].name == type_name) of_type.push_back(i);
            }
            const auto& pool = of_type.empty() ? eligible : of_type;
            const std::size_t chosen = pool[static_cast<std::size_t>(rng.uniform_int(0, pool.size() - 1))];
            eligible.erase(std::find(eligible.begin(), eligible.end(), chosen));
            return chosen;
        };
        const std::size_t stockout = take("Hoodies");
        const std::size_t overstock = take("Jackets");
        const std::size_t weak = take("Pants");

        // Demand of everything else at the end of the history, by units and by revenue.
        double other_units = 0;
        double other_revenue = 0;
        for (std::size_t i = 0; i < plans_.size(); ++i) {
            if (i == stockout || i == overstock || i == weak || !plans_[i].sellable || plans_[i].sell_until) continue;
            other_units += plans_[i].weight;
            other_revenue += plans_[i].weight * mean_price(plans_[i]);
        }
        // The top seller earns a large share of revenue, so losing it shows in the shop's weekly sales: large
        // enough that last week lands at most ~70% of the prior four weeks' average even when seasonality lifts
        // last week (e.g. Black Friday week).
        auto& top = plans_[stockout];
        top.slope = 0.1;
        const double share = std::clamp(1.0 - 0.55 / seasonal_lift_of_last_week(), 0.45, 0.7);
        top.weight = share / (1.0 - share) * other_revenue / mean_price(top);
        top.product.tags.emplace_back("bestseller");
        // The slow mover sells about one unit in a thousand.
        auto& slow = plans_[overstock];
        slow.slope = 0;
        slow.weight = 0.001 * other_units;
        // The weak-description product sells steadily (about 3% of units) and comes back often.
        auto& weak_plan = plans_[weak];
        weak_plan.slope = 0;
        weak_plan.weight = 0.03 * other_units;
        weak_plan.refund_rate = 0.42;
        weak_plan.product.description_html = "<p>" + std::string(kTypes[weak_plan.type].nouns[0]) + ".</p>";
        stockout_title_ = top.product.title;
        overstock_title_ = slow.product.title;
        weak_title_ = weak_plan.product.title;
    }

    void finish_catalog(Rng& rng) {
        std::set<std::string> handles;
        for (std::size_t i = 0; i < plans_.size(); ++i) {
            ProductPlan& plan = plans_[i];
            Product& p = plan.product;
            p.id = kProductIdBase + static_cast<Id>(i) + 1;
            p.handle = handleize(p.title);
            while (!handles.insert(p.handle).second) p.handle += "-1";
            p.updated_at = std::min(end_ - 1, p.created_at + rng.uniform_int(0, 400) * kSecondsPerDay);
            if (plan.sell_until) p.updated_at = std::max(p.updated_at, std::min(end_ - 1, *plan.sell_until));
            p.sim_trend_per_year = plan.slope;
            p.sim_refund_rate = plan.refund_rate;
            p.first_variant = store_.variants.size();
            p.variant_count = plan.variants.size();
            for (auto& v : plan.variants) {
                const Id seq = store_.variants.size() + 1;
                v.id = kVariantIdBase + seq;
                v.inventory_item_id = kInventoryItemIdBase + seq;
                v.product_id = p.id;
                v.created_at = p.created_at;
                v.updated_at = p.updated_at;
                store_.variants.push_back(v);
            }
            store_.products.push_back(p);
        }
    }

    // ---- Discounts ----

    void add_code(std::string title, std::string code, int bp, Cents amount, Timestamp starts,
                  std::optional<Timestamp> ends, double usage_rate) {
        DiscountCode d;
        d.id = kDiscountIdBase + store_.discount_codes.size() + 1;
        d.redeem_code_id = kRedeemCodeIdBase + store_.discount_codes.size() + 1;
        d.title = std::move(title);
        d.code = std::move(code);
        d.kind = bp > 0 ? DiscountValueKind::kPercentage : DiscountValueKind::kFixedAmount;
        d.percentage_bp = bp;
        d.amount = amount;
        d.minimum_subtotal = amount > 0 ? amount * 75 / 10 : 0;
        d.starts_at = starts;
        d.ends_at = ends;
        d.created_at = starts - 3 * kSecondsPerDay;
        d.updated_at = std::min(end_ - 1, ends.value_or(d.created_at));
        store_.discount_codes.push_back(std::move(d));
        usage_rates_.push_back(usage_rate);
    }

    void make_discounts() {
        const int tz = zone_.utc_offset_minutes;
        add_code("Welcome 10% off", "WELCOME10", 1000, 0, start_ - 200 * kSecondsPerDay, std::nullopt, 0.18);
        welcome_ = 0;
        add_code("VIP 20% off", "VIP20", 2000, 0, start_ + 100 * kSecondsPerDay, end_ - 60 * kSecondsPerDay, 0.12);
        vip_ = 1;
        store_.discount_codes[vip_].deactivated = true;
        const int first_year = civil_from_date(store_.info.history_start).year;
        const int last_year = civil_from_date(options_.today).year + 1;
        for (int y = first_year; y <= last_year; ++y) {
            const std::string yy = std::to_string(y % 100);
            const Date bf = black_friday(y);
            const std::array<std::tuple<std::string, std::string, int, Cents, Date, Date, double>, 4> seasons{{
                {"Spring sale " + std::to_string(y), "SPRING" + yy, 1500, 0, date_from_civil({y, 3, 15}),
                 date_from_civil({y, 4, 15}), 0.18},
                {"Summer sale " + std::to_string(y), "SUMMER" + yy, 2000, 0, date_from_civil({y, 7, 1}),
                 date_from_civil({y, 7, 15}), 0.22},
                {"Black Friday " + std::to_string(y), "BFCM" + yy, 2500, 0, bf, bf + 5, 0.45},
                {"Holiday $10 off " + std::to_string(y), "HOLIDAY" + yy, 0, 1000, date_from_civil({y, 12, 5}),
                 date_from_civil({y, 12, 21}), 0.2},
            }};
            for (const auto& [title, code, bp, amount, from, to, rate] : seasons) {
                const Timestamp s = local_midnight(from, tz);
                const Timestamp e = local_midnight(to, tz);
                // Codes from before the history are not interesting; one scheduled code shows SCHEDULED.
                if (e <= start_ || s > end_ + 200 * kSecondsPerDay) continue;
                add_code(title, code, bp, amount, s, e, rate);
            }
        }
    }

    // ---- Orders ----

    double day_factor(Date day, int k) const {
        const CivilDate c = civil_from_date(day);
        double f = kMonthFactor[c.month - 1] * kWeekdayFactor[static_cast<std::size_t>(iso_weekday(day))];
        f *= std::exp(std::log(1.35) * (static_cast<double>(k) - kHistoryDays) / 365.0);  // 35% growth a year
        const Date bf = black_friday(c.year);
        const std::int64_t d = day - bf;
        static constexpr std::array<double, 5> kBfcm{2.6, 1.9, 1.7, 2.2, 1.3};  // Fri, Sat, Sun, Cyber Monday, Tue
        if (d >= 0 && d < 5) {
            f *= kBfcm[static_cast<std::size_t>(d)];
        } else if (d >= -7 && d < 0) {
            f *= 1.2;
        }
        return f;
    }

    // Expected order volume of the last complete week relative to the average of the four weeks before it.
    double seasonal_lift_of_last_week() {
        const Date last_week = week_start(options_.today) - 7;
        double last = 0;
        double prior = 0;
        for (int k = 0; k < kHistoryDays; ++k) {
            const Date day = store_.info.history_start + k;
            if (day >= last_week && day < last_week + 7) last += day_factor(day, k);
            if (day >= last_week - 28 && day < last_week) prior += day_factor(day, k);
        }
        return prior > 0 ? last / (prior / 4.0) : 1.0;
    }

    std::vector<int> plan_day_counts(Rng& rng) {
        std::vector<double> factors(kHistoryDays);
        double total = 0;
        for (int k = 0; k < kHistoryDays; ++k) {
            const Date day = store_.info.history_start + k;
            factors[static_cast<std::size_t>(k)] = day_factor(day, k) * std::exp(rng.normal(0, 0.12));
            total += factors[static_cast<std::size_t>(k)];
        }
        std::vector<int> counts(kHistoryDays);
        for (std::size_t k = 0; k < counts.size(); ++k) {
            counts[k] = static_cast<int>(rng.round_stochastic(size_.orders * factors[k] / total));
        }
        return counts;
    }

    // Cumulative product demand for one day (zero for products not on sale that day).
    void demand_for_day(int k, Timestamp day_start, std::vector<double>& cumulative) const {
        double sum = 0;
        for (std::size_t i = 0; i < plans_.size(); ++i) {
            const auto& p = plans_[i];
            double w = 0;
            if (p.sellable && p.sell_from <= day_start && (!p.sell_until || *p.sell_until > day_start)) {
                w = p.weight * std::exp(p.slope * (static_cast<double>(k) - kHistoryDays) / 365.0);
            }
            sum += w;
            cumulative[i] = sum;
        }
    }

    std::size_t new_customer(Rng& rng, Timestamp at) {
        CustomerPlan c;
        Customer& cu = c.customer;
        cu.first_name = std::string(pick(rng, kFirstNames));
        cu.last_name = std::string(pick(rng, kLastNames));
        cu.email = lower(cu.first_name) + "." + lower(cu.last_name) + std::to_string(customers_.size() + 1) + "@" +
                   std::string(pick(rng, kEmailDomains));
        cu.phone = rng.bernoulli(0.4) ? "+1602555" + std::to_string(1000 + customers_.size() % 9000) : "";
        cu.created_at = std::max(start_ - 1, at - rng.uniform_int(30, 900));
        const double s = rng.uniform01();
        cu.state = s < 0.7 ? "DISABLED" : (s < 0.95 ? "ENABLED" : "INVITED");
        cu.verified_email = cu.state == "ENABLED" || rng.bernoulli(0.5);
        cu.accepts_marketing = rng.bernoulli(0.35);
        if (cu.accepts_marketing) cu.tags.emplace_back("newsletter");
        customers_.push_back(std::move(c));
        const double w = std::min(60.0, rng.pareto(1.25));
        loyalty_prefix_.push_back((loyalty_prefix_.empty() ? 0 : loyalty_prefix_.back()) + w);
        return customers_.size() - 1;
    }

    std::size_t returning_customer(Rng& rng) const {
        const double u = rng.uniform01() * loyalty_prefix_.back();
        const auto it = std::upper_bound(loyalty_prefix_.begin(), loyalty_prefix_.end(), u);
        return std::min<std::size_t>(static_cast<std::size_t>(it - loyalty_prefix_.begin()), customers_.size() - 1);
    }

    std::optional<std::size_t> choose_discount(Rng& rng, Timestamp at, bool first_order, int prior_orders) {
        for (std::size_t i = 2; i < store_.discount_codes.size(); ++i) {
            const auto& d = store_.discount_codes[i];
            if (d.starts_at <= at && d.ends_at && at < *d.ends_at) {
                return rng.bernoulli(usage_rates_[i]) ? std::optional<std::size_t>{i} : std::nullopt;
            }
        }
        const auto& vip = store_.discount_codes[vip_];
        if (prior_orders >= 3 && vip.starts_at <= at && at < *vip.ends_at && rng.bernoulli(usage_rates_[vip_])) {
            return vip_;
        }
        if (first_order && rng.bernoulli(usage_rates_[welcome_])) return welcome_;
        return std::nullopt;
    }

    // Prices, discount allocation and tax for an order whose lines are chosen.
    void price_order(Order& o, const DiscountCode* code) const {
        o.total_line_items_price = 0;
        for (const auto& l : o.lines) o.total_line_items_price += l.original_total();
        Cents discount = 0;
        if (code != nullptr) {
            if (code->kind == DiscountValueKind::kPercentage) {
                discount = mul_div_round(o.total_line_items_price, code->percentage_bp, 10000);
            } else if (o.total_line_items_price >= code->minimum_subtotal) {
                discount = std::min(code->amount, o.total_line_items_price);
            }
            if (discount > 0) o.discount_codes.push_back(code->code);
        }
        // Allocate by cumulative share so the parts add up to the whole exactly.
        Cents cumulative = 0;
        Cents allocated = 0;
        o.total_tax = 0;
        for (auto& l : o.lines) {
            cumulative += l.original_total();
            const Cents upto = mul_div_round(discount, cumulative, o.total_line_items_price);
            l.total_discount = upto - allocated;
            allocated = upto;
            l.tax = mul_div_round(l.discounted_total(), store_.shop.tax_rate_bp, 10000);
            o.total_tax += l.tax;
        }
        o.total_discounts = discount;
        o.subtotal_price = o.total_line_items_price - discount;
        o.total_shipping = (o.source_name == "pos" || o.subtotal_price >= 7500) ? 0 : 695;
        o.total_price = o.subtotal_price + o.total_shipping + o.total_tax;
    }

    bool fill_lines(Rng& rng, Order& o, const std::vector<double>& cumulative) {
        static constexpr std::array<double, 4> kLineCounts{0.6, 0.25, 0.1, 0.05};
        static constexpr std::array<double, 3> kQuantities{0.8, 0.15, 0.05};
        const std::size_t wanted = rng.weighted(kLineCounts) + 1;
        const double total = cumulative.back();
        std::vector<std::size_t> chosen;
        for (std::size_t n = 0; n < wanted; ++n) {
            std::size_t product = 0;
            bool fresh = false;
            for (int attempt = 0; attempt < 4 && !fresh; ++attempt) {
                const double u = rng.uniform01() * total;
                product = std::min<std::size_t>(
                    static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), u) -
                                             cumulative.begin()),
                    cumulative.size() - 1);
                fresh = std::find(chosen.begin(), chosen.end(), product) == chosen.end();
            }
            if (!fresh) continue;
            chosen.push_back(product);
            const std::size_t quantity = rng.weighted(kQuantities) + 1;
            const ProductPlan& plan = plans_[product];
            const std::size_t vi = rng.weighted(plan.variant_weights);
            // Demand for the planted top seller during its stockout is lost: the line never happens.
            if (product == stockout_ && o.created_at >= stockout_start_) continue;
            const Product& p = store_.products[product];
            const Variant& v = store_.variants[p.first_variant + vi];
            LineItem line;
            line.product_id = p.id;
            line.variant_id = v.id;
            line.title = p.title;
            line.variant_title = v.title;
            line.sku = v.sku;
            line.quantity = static_cast<int>(quantity);
            line.price = v.price;
            o.lines.push_back(std::move(line));
        }
        return !o.lines.empty();
    }

    void add_refund(Rng& rng, Order& o) {
        std::vector<RefundLineItem> refunded;
        bool everything = true;
        bool weak_line = false;
        for (const auto& l : o.lines) {
            const ProductPlan& plan = plans_[product_index_of(l.product_id)];
            if (!rng.bernoulli(plan.refund_rate)) {
                everything = false;
                continue;
            }
            RefundLineItem r;
            r.line_item_id = l.id;
            r.quantity = (l.quantity > 1 && rng.bernoulli(0.15)) ? static_cast<int>(rng.uniform_int(1, l.quantity - 1))
                                                                 : l.quantity;
            everything = everything && r.quantity == l.quantity;
            r.subtotal = mul_div_round(l.discounted_total(), r.quantity, l.quantity);
            r.total_tax = mul_div_round(l.tax, r.quantity, l.quantity);
            weak_line = weak_line || product_index_of(l.product_id) == weak_;
            r.restock_type = (weak_line || rng.bernoulli(0.7)) ? "RETURN" : "NO_RESTOCK";
            refunded.push_back(std::move(r));
        }
        if (refunded.empty()) return;
        const Timestamp at = o.created_at + rng.uniform_int(2, 30) * kSecondsPerDay + rng.uniform_int(0, 86399);
        if (at >= end_) return;  // not yet returned
        Refund refund;
        refund.created_at = at;
        refund.note = weak_line ? "Not as described" : std::string(pick(rng, kRefundNotes));
        refund.lines = std::move(refunded);
        refund.shipping = everything ? o.total_shipping : 0;
        refund.total = refund.shipping;
        for (const auto& r : refund.lines) {
            refund.total += r.subtotal + r.total_tax;
            for (auto& l : o.lines) {
                if (l.id == r.line_item_id) l.refunded_quantity += r.quantity;
            }
        }
        o.total_refunded = refund.total;
        o.refunds.push_back(std::move(refund));
    }

    std::size_t product_index_of(Id product_id) const {
        return static_cast<std::size_t>(product_id - kProductIdBase - 1);
    }

    void simulate_orders() {
        Rng rng = rng_.fork("orders");
        const std::vector<int> counts = plan_day_counts(rng);
        const int planned_total = std::accumulate(counts.begin(), counts.end(), 0);
        const int ordering_customers = size_.customers - size_.customers * 8 / 100;
        const int tz = zone_.utc_offset_minutes;
        const Date last_week_start = week_start(options_.today) - 7;
        stockout_start_ = local_midnight(last_week_start - 1, tz);
        std::vector<double> cumulative(plans_.size());
        int processed = 0;
        const bool has_store = store_.locations.size() > 1;
        for (int k = 0; k < kHistoryDays; ++k) {
            const Date day = store_.info.history_start + k;
            const Timestamp day_start = local_midnight(day, tz);
            demand_for_day(k, day_start, cumulative);
            const int n = counts[static_cast<std::size_t>(k)];
            std::vector<Timestamp> times(static_cast<std::size_t>(n));
            for (auto& t : times) {
                t = day_start + static_cast<Timestamp>(rng.weighted(kHourWeights)) * 3600 + rng.uniform_int(0, 3599);
            }
            std::sort(times.begin(), times.end());
            for (const Timestamp t : times) {
                ++processed;
                OrderPlan plan;
                Order& o = plan.order;
                o.created_at = t;
                o.processed_at = t;
                o.source_name = has_store && rng.bernoulli(0.08) ? "pos" : "web";
                if (!fill_lines(rng, o, cumulative)) continue;
                const double who = rng.uniform01();
                bool first_order = false;
                if (who < 0.004) {
                    o.test = true;
                    o.email = "staff@" + options_.shop_domain;
                    o.tags.emplace_back("test");
                } else if (who >= 0.019) {
                    const int remaining = std::max(1, planned_total - processed + 1);
                    const double p_new = static_cast<double>(ordering_customers - static_cast<int>(customers_.size())) /
                                         static_cast<double>(remaining);
                    if (customers_.empty() || rng.bernoulli(std::clamp(p_new, 0.02, 1.0))) {
                        plan.customer = new_customer(rng, t);
                        first_order = true;
                    } else {
                        plan.customer = returning_customer(rng);
                    }
                    auto& c = customers_[*plan.customer];
                    o.email = c.customer.email;
                }  // else: a guest checkout without a customer record
                const int prior = plan.customer ? customers_[*plan.customer].orders_so_far : 0;
                const auto code = choose_discount(rng, t, first_order, prior);
                if (plan.customer) ++customers_[*plan.customer].orders_so_far;
                if (o.source_name == "pos") o.tags.emplace_back("pos");
                price_order(o, code ? &store_.discount_codes[*code] : nullptr);
                if (code && !o.test && !o.discount_codes.empty()) ++store_.discount_codes[*code].usage_count;
                finish_order(rng, o);
                orders_.push_back(std::move(plan));
            }
        }
    }

    void finish_order(Rng& rng, Order& o) {
        const Id order_seq = orders_.size() + 1;
        o.id = kOrderIdBase + order_seq;
        o.name = "#" + std::to_string(1000 + order_seq);
        for (auto& l : o.lines) l.id = kLineItemIdBase + ++line_seq_;
        o.updated_at = o.created_at;
        if (!o.test && rng.bernoulli(0.018)) {
            static constexpr std::array<std::string_view, 5> kReasons{"CUSTOMER", "INVENTORY", "FRAUD", "DECLINED",
                                                                      "OTHER"};
            static constexpr std::array<double, 5> kReasonWeights{0.5, 0.15, 0.15, 0.1, 0.1};
            const Timestamp at = o.created_at + rng.uniform_int(1200, 30 * 3600);
            if (at < end_) {
                o.cancelled_at = at;
                o.closed_at = at;
                o.cancel_reason = std::string(kReasons[rng.weighted(kReasonWeights)]);
                o.financial_status = "VOIDED";
                o.fulfillment_status = "UNFULFILLED";
                o.updated_at = at;
                for (auto& l : o.lines) l.current_quantity = 0;
                return;
            }
        }
        const Timestamp fulfilled =
            o.source_name == "pos" ? o.created_at : o.created_at + rng.uniform_int(4 * 3600, 60 * 3600);
        if (fulfilled < end_) {
            o.fulfilled_at = fulfilled;
            o.closed_at = fulfilled;
            o.fulfillment_status = "FULFILLED";
            o.updated_at = fulfilled;
        } else {
            o.fulfillment_status = "UNFULFILLED";
        }
        add_refund(rng, o);
        for (auto& l : o.lines) l.current_quantity = l.quantity - l.refunded_quantity;
        if (!o.refunds.empty()) {
            for (auto& r : o.refunds) {
                r.id = kRefundIdBase + ++refund_seq_;
                for (auto& rl : r.lines) rl.id = kRefundLineIdBase + ++refund_line_seq_;
                o.updated_at = std::max(o.updated_at, r.created_at);
            }
            const bool all =
                std::all_of(o.lines.begin(), o.lines.end(), [](const LineItem& l) { return l.current_quantity == 0; });
            o.financial_status = all ? "REFUNDED" : "PARTIALLY_REFUNDED";
        } else if (end_ - o.created_at < 6 * 3600 && rng.bernoulli(0.15)) {
            o.financial_status = rng.bernoulli(0.65) ? "PENDING" : "AUTHORIZED";
            o.closed_at.reset();
        } else {
            o.financial_status = "PAID";
        }
    }

    void finish_customers() {
        Rng rng = rng_.fork("customers");
        // Accounts that never ordered: newsletter sign-ups and abandoned checkouts.
        const int idle = size_.customers - static_cast<int>(customers_.size());
        for (int i = 0; i < idle; ++i) {
            const Timestamp at = start_ + rng.uniform_int(0, kHistoryDays * kSecondsPerDay - 1);
            new_customer(rng, at);
        }
        std::vector<std::size_t> order(customers_.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return customers_[a].customer.created_at < customers_[b].customer.created_at;
        });
        std::vector<Id> id_of(customers_.size());
        for (std::size_t rank = 0; rank < order.size(); ++rank) id_of[order[rank]] = kCustomerIdBase + rank + 1;
        for (auto& plan : orders_) {
            if (plan.customer) {
                plan.order.customer_id = id_of[*plan.customer];
                Customer& c = customers_[*plan.customer].customer;
                ++c.orders_count;
                c.amount_spent += plan.order.net_payment();
                c.last_order_id = plan.order.id;
                c.updated_at = std::max(c.updated_at, plan.order.created_at);
            }
            store_.orders.push_back(std::move(plan.order));
        }
        for (const std::size_t idx : order) {
            Customer c = std::move(customers_[idx].customer);
            c.id = id_of[idx];
            c.updated_at = std::max(c.updated_at, c.created_at);
            if (c.orders_count >= 5) c.tags.emplace_back("VIP");
            store_.customers.push_back(std::move(c));
        }
        customers_.clear();
        orders_.clear();
    }

    // ---- Inventory snapshot at the end of the history ----

    void make_inventory() {
        Rng rng = rng_.fork("inventory");
        std::vector<int> recent(store_.variants.size(), 0);
        std::vector<int> committed(store_.variants.size(), 0);
        std::unordered_map<Id, std::size_t> variant_pos;
        for (std::size_t i = 0; i < store_.variants.size(); ++i) variant_pos.emplace(store_.variants[i].id, i);
        const Timestamp recent_from = end_ - 28 * kSecondsPerDay;
        for (const auto& o : store_.orders) {
            if (o.cancelled_at) continue;
            for (const auto& l : o.lines) {
                const std::size_t vi = variant_pos.at(l.variant_id);
                if (o.created_at >= recent_from) recent[vi] += l.quantity;
                if (o.fulfillment_status == "UNFULFILLED") committed[vi] += l.current_quantity;
            }
        }
        static constexpr std::array<std::array<double, 3>, 3> kShares{{{1.0, 0, 0}, {0.7, 0.3, 0}, {0.6, 0.25, 0.15}}};
        const auto& shares = kShares[std::min<std::size_t>(store_.locations.size(), 3) - 1];
        const int overstock_total = static_cast<int>(rng.uniform_int(1500, 1800));
        for (std::size_t pi = 0; pi < store_.products.size(); ++pi) {
            const Product& p = store_.products[pi];
            const ProductPlan& plan = plans_[pi];
            double weight_sum = 0;
            for (const double w : plan.variant_weights) weight_sum += w;
            for (std::size_t k = 0; k < p.variant_count; ++k) {
                const std::size_t vi = p.first_variant + k;
                const Variant& v = store_.variants[vi];
                int available = 0;
                int incoming = 0;
                if (pi == stockout_) {
                    incoming = static_cast<int>(std::lround(240 * plan.variant_weights[k] / weight_sum));
                } else if (pi == overstock_) {
                    available = static_cast<int>(std::lround(overstock_total * plan.variant_weights[k] / weight_sum));
                } else if (p.status == ProductStatus::kDraft) {
                    available = static_cast<int>(rng.uniform_int(20, 60));
                } else if (p.status == ProductStatus::kActive) {
                    const double weekly = recent[vi] / 4.0;
                    available = static_cast<int>(std::lround(weekly * rng.uniform(3, 12))) +
                                static_cast<int>(rng.uniform_int(0, 4));
                }
                for (std::size_t li = 0; li < store_.locations.size(); ++li) {
                    InventoryLevel level;
                    level.inventory_item_id = v.inventory_item_id;
                    level.location_id = store_.locations[li].id;
                    // Other locations hold their share; the warehouse holds the rest.
                    level.available = static_cast<int>(std::floor(available * shares[li]));
                    if (li == 0) {
                        level.available = available;
                        for (std::size_t rest = 1; rest < store_.locations.size(); ++rest) {
                            level.available -= static_cast<int>(std::floor(available * shares[rest]));
                        }
                    }
                    level.committed = li == 0 ? committed[vi] : 0;
                    level.on_hand = level.available + level.committed;
                    level.incoming = li == 0 ? incoming : 0;
                    level.updated_at = std::max(v.updated_at, end_ - rng.uniform_int(3600, 20 * kSecondsPerDay));
                    if (pi == stockout_) level.updated_at = stockout_start_ - rng.uniform_int(600, 7200);
                    store_.inventory_levels.push_back(level);
                }
            }
        }
        store_.planted.stockout.product_id = store_.products[stockout_].id;
        store_.planted.overstock.product_id = store_.products[overstock_].id;
        store_.planted.weak_description.product_id = store_.products[weak_].id;
        store_.planted.stockout.stockout_start = stockout_start_;
    }

    const GeneratorOptions& options_;
    Rng rng_;
    FixedZone zone_{};
    ProfileSize size_{};
    Store store_;
    Timestamp start_ = 0;
    Timestamp end_ = 0;
    std::vector<ProductPlan> plans_;
    std::vector<double> usage_rates_;
    std::size_t welcome_ = 0;
    std::size_t vip_ = 1;
    std::size_t stockout_ = 0;
    std::size_t overstock_ = 0;
    std::size_t weak_ = 0;
    std::string stockout_title_;
    std::string overstock_title_;
    std::string weak_title_;
    Timestamp stockout_start_ = 0;
    std::vector<CustomerPlan> customers_;
    std::vector<double> loyalty_prefix_;
    std::vector<OrderPlan> orders_;
    Id line_seq_ = 0;
    Id refund_seq_ = 0;
    Id refund_line_seq_ = 0;
};

bool counts_for_sales(const Order& o) { return !o.test && !o.cancelled_at; }

// Net sales of an order as the planted figures count them: line items minus discounts minus refunded
// merchandise (by order date; shipping and tax excluded).
Cents net_sales(const Order& o) {
    Cents refunded = 0;
    for (const auto& r : o.refunds) refunded += r.subtotal();
    return o.total_line_items_price - o.total_discounts - refunded;
}

}  // namespace

Date current_utc_date() {
    const auto now = std::chrono::system_clock::now();
    return std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
}

Store generate_store(const GeneratorOptions& options) { return Generator{options}.run(); }

void compute_planted_figures(Store& store) {
    const int tz = store.shop.utc_offset_minutes;
    auto& so = store.planted.stockout;
    auto& ov = store.planted.overstock;
    auto& wd = store.planted.weak_description;
    so.week_start = week_start(store.info.today) - 7;
    so.week_end = so.week_start + 6;
    so.stockout_start_date = local_date(so.stockout_start, tz);
    const Date prior_from = so.week_start - 28;
    const Timestamp ninety_days_ago = store.info.history_end - 90 * kSecondsPerDay;
    int prior_units = 0;
    Cents prior_sales = 0;
    so.units_last_week = 0;
    so.store_net_sales_last_week = 0;
    ov.units_sold_last_90_days = 0;
    wd.units_sold = 0;
    wd.units_refunded = 0;
    long other_sold = 0;
    long other_refunded = 0;
    std::unordered_map<Id, int> refunded_by_line;
    for (const auto& o : store.orders) {
        if (!counts_for_sales(o)) continue;
        const Date day = local_date(o.created_at, tz);
        const bool last_week = day >= so.week_start && day <= so.week_end;
        const bool prior = day >= prior_from && day < so.week_start;
        if (last_week) so.store_net_sales_last_week += net_sales(o);
        if (prior) prior_sales += net_sales(o);
        refunded_by_line.clear();
        for (const auto& r : o.refunds) {
            for (const auto& rl : r.lines) refunded_by_line[rl.line_item_id] += rl.quantity;
        }
        for (const auto& l : o.lines) {
            const auto it = refunded_by_line.find(l.id);
            const int refunded = it == refunded_by_line.end() ? 0 : it->second;
            if (l.product_id == so.product_id) {
                if (last_week) so.units_last_week += l.quantity;
                if (prior) prior_units += l.quantity;
            }
            if (l.product_id == ov.product_id && o.created_at >= ninety_days_ago)
                ov.units_sold_last_90_days += l.quantity;
            if (l.product_id == wd.product_id) {
                wd.units_sold += l.quantity;
                wd.units_refunded += refunded;
            } else {
                other_sold += l.quantity;
                other_refunded += refunded;
            }
        }
    }
    so.avg_units_prior_4_weeks = prior_units / 4.0;
    so.store_avg_net_sales_prior_4_weeks = mul_div_round(prior_sales, 1, 4);
    wd.refund_rate = wd.units_sold > 0 ? static_cast<double>(wd.units_refunded) / wd.units_sold : 0;
    wd.store_refund_rate = other_sold > 0 ? static_cast<double>(other_refunded) / static_cast<double>(other_sold) : 0;
    ov.on_hand = 0;
    ov.inventory_value_at_cost = 0;
    for (const auto& level : store.inventory_levels) {
        const Variant* v = store.find_variant_by_inventory_item(level.inventory_item_id);
        if (v != nullptr && v->product_id == ov.product_id) {
            ov.on_hand += level.on_hand;
            ov.inventory_value_at_cost += v->unit_cost * level.on_hand;
        }
    }
    if (const Product* p = store.find_product(so.product_id)) so.title = p->title;
    if (const Product* p = store.find_product(ov.product_id)) ov.title = p->title;
    if (const Product* p = store.find_product(wd.product_id)) {
        wd.title = p->title;
        wd.description_html = p->description_html;
    }
}

}  // namespace alatar::shopify_sim
