// The generator's structure, checked on the in-memory Store.
#include "shopify_sim/generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace alatar::shopify_sim {
namespace {

GeneratorOptions tiny_options(std::uint64_t seed = 7) {
    GeneratorOptions o;
    o.profile = Profile::kTiny;
    o.seed = seed;
    o.today = *parse_date("2026-03-18");
    return o;
}

const Store& tiny_store() {
    static const Store store = generate_store(tiny_options());
    return store;
}

TEST(Generator, TinyProfileHasItsSizes) {
    const Store& s = tiny_store();
    const ProfileSize size = profile_size(Profile::kTiny);
    EXPECT_EQ(s.products.size(), static_cast<std::size_t>(size.products));
    EXPECT_EQ(s.customers.size(), static_cast<std::size_t>(size.customers));
    EXPECT_EQ(s.locations.size(), static_cast<std::size_t>(size.locations));
    EXPECT_NEAR(static_cast<double>(s.orders.size()), size.orders, size.orders * 0.1);
    EXPECT_EQ(s.inventory_levels.size(), s.variants.size() * s.locations.size());
}

TEST(Generator, IdsAscendAndOrdersAreChronological) {
    const Store& s = tiny_store();
    for (std::size_t i = 1; i < s.orders.size(); ++i) {
        ASSERT_LT(s.orders[i - 1].id, s.orders[i].id);
        ASSERT_LE(s.orders[i - 1].created_at, s.orders[i].created_at);
    }
    for (std::size_t i = 1; i < s.products.size(); ++i) ASSERT_LT(s.products[i - 1].id, s.products[i].id);
    for (std::size_t i = 1; i < s.customers.size(); ++i) {
        ASSERT_LE(s.customers[i - 1].created_at, s.customers[i].created_at);
    }
}

TEST(Generator, HistoryCoversTwoYearsBeforeToday) {
    const Store& s = tiny_store();
    const Timestamp start = local_midnight(s.info.history_start, s.shop.utc_offset_minutes);
    ASSERT_FALSE(s.orders.empty());
    EXPECT_GE(s.orders.front().created_at, start);
    EXPECT_LT(s.orders.front().created_at, start + 5 * kSecondsPerDay);
    EXPECT_LT(s.orders.back().created_at, s.info.history_end);
    EXPECT_GT(s.orders.back().created_at, s.info.history_end - 2 * kSecondsPerDay);
    for (const auto& o : s.orders) {
        ASSERT_LE(o.updated_at, s.info.history_end);
        for (const auto& r : o.refunds) ASSERT_LT(r.created_at, s.info.history_end);
    }
}

TEST(Generator, HasCancelledTestDiscountedAndRefundedOrders) {
    const Store& s = tiny_store();
    std::map<std::string, int> financial;
    int cancelled = 0;
    int test = 0;
    int discounted = 0;
    for (const auto& o : s.orders) {
        ++financial[o.financial_status];
        cancelled += o.cancelled_at ? 1 : 0;
        test += o.test ? 1 : 0;
        discounted += o.discount_codes.empty() ? 0 : 1;
    }
    EXPECT_GT(cancelled, 0);
    EXPECT_GT(test, 0);
    EXPECT_GT(discounted, static_cast<int>(s.orders.size()) / 20);
    EXPECT_GT(financial["PARTIALLY_REFUNDED"] + financial["REFUNDED"], 0);
    EXPECT_EQ(financial["VOIDED"], cancelled);
}

TEST(Generator, MoneyAddsUpExactly) {
    const Store& s = tiny_store();
    for (const auto& o : s.orders) {
        Cents lines = 0;
        Cents discounts = 0;
        Cents tax = 0;
        for (const auto& l : o.lines) {
            lines += l.original_total();
            discounts += l.total_discount;
            tax += l.tax;
            ASSERT_GE(l.discounted_total(), 0);
        }
        ASSERT_EQ(lines, o.total_line_items_price) << o.name;
        ASSERT_EQ(discounts, o.total_discounts) << o.name;
        ASSERT_EQ(tax, o.total_tax) << o.name;
        ASSERT_EQ(o.subtotal_price, o.total_line_items_price - o.total_discounts);
        ASSERT_EQ(o.total_price, o.subtotal_price + o.total_shipping + o.total_tax);
        Cents refunded = 0;
        for (const auto& r : o.refunds) {
            Cents parts = r.shipping;
            for (const auto& rl : r.lines) parts += rl.subtotal + rl.total_tax;
            ASSERT_EQ(parts, r.total);
            refunded += r.total;
        }
        ASSERT_EQ(refunded, o.total_refunded);
        ASSERT_LE(o.total_refunded, o.total_price);
        if (o.financial_status == "REFUNDED") {
            ASSERT_EQ(o.current_total_price(), 0) << o.name;
        }
    }
}

TEST(Generator, CustomersHaveALongTailOfRepeatBuyers) {
    const Store& s = tiny_store();
    std::map<Id, int> orders_by_customer;
    for (const auto& o : s.orders) {
        if (o.customer_id) ++orders_by_customer[*o.customer_id];
    }
    int one_time = 0;
    int max_orders = 0;
    for (const auto& c : s.customers) {
        const int n = orders_by_customer.count(c.id) ? orders_by_customer[c.id] : 0;
        ASSERT_EQ(n, c.orders_count);
        one_time += n == 1 ? 1 : 0;
        max_orders = std::max(max_orders, n);
    }
    EXPECT_GT(one_time, static_cast<int>(s.customers.size()) / 5);
    EXPECT_GE(max_orders, 15);
}

TEST(Generator, NovemberIsThePeakMonth) {
    const Store& s = tiny_store();
    std::map<unsigned, int> by_month;
    for (const auto& o : s.orders)
        ++by_month[civil_from_date(local_date(o.created_at, s.shop.utc_offset_minutes)).month];
    const auto peak = std::max_element(by_month.begin(), by_month.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    EXPECT_EQ(peak->first, 11U);
}

TEST(Generator, PlantedProductsAreDistinctAndActive) {
    const Store& s = tiny_store();
    const std::set<Id> ids{s.planted.stockout.product_id, s.planted.overstock.product_id,
                           s.planted.weak_description.product_id};
    EXPECT_EQ(ids.size(), 3U);
    for (const Id id : ids) {
        const Product* p = s.find_product(id);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(p->status, ProductStatus::kActive);
    }
    EXPECT_EQ(s.planted.stockout.units_last_week, 0);
    EXPECT_LT(s.planted.weak_description.description_html.size(), 40U);
}

TEST(Generator, SameSeedSameStoreDifferentSeedDifferentStore) {
    const Store again = generate_store(tiny_options());
    const Store other = generate_store(tiny_options(8));
    const Store& s = tiny_store();
    ASSERT_EQ(again.orders.size(), s.orders.size());
    for (std::size_t i = 0; i < s.orders.size(); ++i) {
        ASSERT_EQ(again.orders[i].created_at, s.orders[i].created_at);
        ASSERT_EQ(again.orders[i].total_price, s.orders[i].total_price);
    }
    bool differs = other.orders.size() != s.orders.size() || other.products[0].title != s.products[0].title;
    for (std::size_t i = 0; !differs && i < s.orders.size(); ++i)
        differs = other.orders[i].total_price != s.orders[i].total_price;
    EXPECT_TRUE(differs);
}

// The load test's profile: small enough for 500 shops, still with the planted products and every order kind.
TEST(Generator, MicroProfileHasItsSizesAndPlantedProducts) {
    GeneratorOptions o = tiny_options();
    o.profile = Profile::kMicro;
    const Store s = generate_store(o);
    const ProfileSize size = profile_size(Profile::kMicro);
    EXPECT_EQ(profile_name(Profile::kMicro), "micro");
    EXPECT_EQ(parse_profile("micro"), Profile::kMicro);
    EXPECT_EQ(s.products.size(), static_cast<std::size_t>(size.products));
    EXPECT_EQ(s.customers.size(), static_cast<std::size_t>(size.customers));
    EXPECT_NEAR(static_cast<double>(s.orders.size()), size.orders, size.orders * 0.15);
    EXPECT_LT(s.orders.size(), tiny_store().orders.size() / 4);
    const std::set<Id> planted{s.planted.stockout.product_id, s.planted.overstock.product_id,
                               s.planted.weak_description.product_id};
    EXPECT_EQ(planted.size(), 3U);
    EXPECT_EQ(s.planted.stockout.units_last_week, 0);
    bool refunded = false;
    bool cancelled = false;
    for (const auto& order : s.orders) {
        refunded = refunded || order.financial_status == "REFUNDED" || order.financial_status == "PARTIALLY_REFUNDED";
        cancelled = cancelled || order.cancelled_at.has_value();
    }
    EXPECT_TRUE(refunded);
    EXPECT_TRUE(cancelled);
}

TEST(Generator, RejectsUnknownTimeZone) {
    GeneratorOptions o = tiny_options();
    o.iana_timezone = "Mars/Olympus";
    EXPECT_THROW(generate_store(o), std::invalid_argument);
}

}  // namespace
}  // namespace alatar::shopify_sim
