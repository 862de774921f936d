// Driver decomposition: every split sums to the change; the top negative product and its stockout.
#include "intelligence/drivers.hpp"

#include <gtest/gtest.h>

#include "intelligence/fixtures.hpp"

namespace alatar::intelligence {
namespace {

using date::literals::operator""_y;
using date::October;

Money sum_delta(const std::vector<Contribution>& items) {
    Money sum = 0;
    for (const auto& c : items) sum += c.delta();
    return sum;
}

void expect_sums(const DriverDecomposition& d) {
    EXPECT_NEAR(d.volume_effect + d.value_effect + d.interaction_effect + static_cast<double>(d.returns_effect),
                static_cast<double>(d.delta()), 1e-6);
    EXPECT_EQ(sum_delta(d.by_segment), d.delta());
    EXPECT_EQ(sum_delta(d.by_product), d.delta());
    EXPECT_EQ(sum_delta(d.by_product_type), d.delta());
}

TEST(DriversTest, SmallStoreOctoberVersusSeptember) {
    const Dataset ds(testing::small_store());
    const DateWindow october{LocalDay{2024_y / October / 1}, LocalDay{2024_y / October / 31}};
    const auto d = decompose_net_sales(ds, october, october.preceding());
    EXPECT_EQ(d.net_current, 10900);
    EXPECT_EQ(d.net_previous, 3500);
    EXPECT_EQ(d.delta(), 7400);
    // AOV 17.50 -> 32.25, orders 2 -> 4: volume 2 * 1750, value 2 * 1475, interaction 2 * 1475.
    EXPECT_DOUBLE_EQ(d.volume_effect, 3500.0);
    EXPECT_DOUBLE_EQ(d.value_effect, 2950.0);
    EXPECT_DOUBLE_EQ(d.interaction_effect, 2950.0);
    EXPECT_EQ(d.returns_effect, -2000);
    expect_sums(d);
    EXPECT_FALSE(d.top_negative.has_value());  // every product grew
}

TEST(DriversTest, FindsTheStockedOutTopSeller) {
    StoreData s = testing::small_store();
    s.orders.clear();
    // Tees: 3 a day through Oct 14, none after (0 in stock); mugs: 1 a day throughout.
    for (int d = 1; d <= 28; ++d) {
        const std::string day = (d < 10 ? "2024-10-0" : "2024-10-") + std::to_string(d) + "T16:00:00Z";
        std::vector<LineItem> lines{testing::line("M" + std::to_string(d), "gid://shopify/Product/2",
                                                  "gid://shopify/ProductVariant/21", 1, 1500)};
        if (d <= 14) {
            lines.push_back(testing::line("T" + std::to_string(d), "gid://shopify/Product/1",
                                          "gid://shopify/ProductVariant/11", 3, 2000));
        }
        s.orders.push_back(testing::order("O" + std::to_string(d), day, std::nullopt, std::move(lines)));
    }
    s.inventory_levels = {{"gid://shopify/InventoryItem/111", "gid://shopify/Location/1", 0},
                          {"gid://shopify/InventoryItem/211", "gid://shopify/Location/1", 50}};
    const Dataset ds(std::move(s));
    const DateWindow week3{LocalDay{2024_y / October / 15}, LocalDay{2024_y / October / 21}};
    const auto d = decompose_net_sales(ds, week3, week3.preceding());
    EXPECT_EQ(d.delta(), -7 * 3 * 2000);
    expect_sums(d);
    ASSERT_TRUE(d.top_negative.has_value());
    EXPECT_EQ(ds.product(d.top_negative->product).title, "Alpha Tee");
    EXPECT_EQ(d.top_negative->delta, -42000);
    EXPECT_TRUE(d.top_negative->stockout);
    EXPECT_EQ(d.top_negative->days_without_sales, 7);
    // Order count unchanged (one mug order a day): the whole drop is AOV.
    EXPECT_DOUBLE_EQ(d.volume_effect, 0.0);
    EXPECT_DOUBLE_EQ(d.value_effect, -42000.0);
}

}  // namespace
}  // namespace alatar::intelligence
