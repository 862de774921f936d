// The loader from the cached Shopify tables into the intelligence StoreData: rows inserted by hand, the
// loaded data compared field by field with what they say.
#include "agents/store_dataset_loader.hpp"

#include <gtest/gtest.h>

#include "agents/seed_store.hpp"
#include "agents/tools.hpp"
#include "common/error.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "intelligence/dataset.hpp"
#include "intelligence/metrics.hpp"

namespace alatar::agents::testing {
namespace {

namespace intel = alatar::intelligence;

intel::Instant at(std::int64_t seconds) { return intel::Instant{std::chrono::seconds{seconds}}; }

class StoreDatasetLoaderTest : public ::testing::Test {
  protected:
    static db::testing::SuiteDatabase& database() {
        static db::testing::SuiteDatabase d;
        return d;
    }
    static void SetUpTestSuite() {
        database().open();
        if (database().get() != nullptr) migrate(database().url());
    }
    static void TearDownTestSuite() { database().close(); }

    void SetUp() override {
        ASSERT_NE(database().get(), nullptr) << database().why();
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = database().url(), .size = 2}, Logger::null());
    }

    std::string insert_store(std::string_view domain, std::string_view currency, std::string_view timezone) {
        const std::string user = insert_user(*pool_);
        return pool_
            ->query_blocking(
                "INSERT INTO shopify_stores (user_id, shop_domain, name, currency, timezone, last_synced_at) "
                "VALUES ($1, $2, 'Test shop', $3, $4, '2026-03-01T12:00:00Z') RETURNING id::text",
                db::Params{user, std::string(domain), std::string(currency), std::string(timezone)})
            .scalar<std::string>();
    }

    void exec(std::string_view sql, const std::string& store) { pool_->query_blocking(sql, db::Params{store}); }

    std::unique_ptr<db::Pool> pool_;
};

TEST_F(StoreDatasetLoaderTest, LoadsEveryCachedTableIntoTheStoreData) {
    const std::string store = insert_store("loader.myshopify.com", "USD", "America/New_York");
    exec(
        "INSERT INTO shop_products (store_id, shopify_gid, title, product_type, vendor, status, description_html, "
        "tags, "
        "created_at, expires_at) VALUES "
        "($1, 'gid://shopify/Product/1', 'Mug', 'Kitchen', 'Acme', 'ACTIVE', '<p>A mug</p>', '{blue,sale}', "
        "'2026-01-01T00:00:00Z', now() + interval '1 day'), "
        "($1, 'gid://shopify/Product/2', 'Old hat', NULL, NULL, 'ARCHIVED', NULL, '{}', NULL, now() + interval '1 "
        "day')",
        store);
    exec(
        "INSERT INTO shop_product_variants (store_id, shopify_gid, product_gid, title, sku, price, "
        "inventory_item_gid, expires_at) VALUES "
        "($1, 'gid://shopify/ProductVariant/11', 'gid://shopify/Product/1', 'Default', 'MUG-1', 12.5, "
        "'gid://shopify/InventoryItem/21', now() + interval '1 day')",
        store);
    exec(
        "INSERT INTO shop_locations (store_id, shopify_gid, name, expires_at) VALUES "
        "($1, 'gid://shopify/Location/31', 'Warehouse', now() + interval '1 day')",
        store);
    exec(
        "INSERT INTO shop_inventory_levels (store_id, shopify_gid, inventory_item_gid, location_gid, available, "
        "expires_at) VALUES ($1, 'gid://shopify/InventoryLevel/41', 'gid://shopify/InventoryItem/21', "
        "'gid://shopify/Location/31', 7, now() + interval '1 day')",
        store);
    exec(
        "INSERT INTO shop_customers (store_id, shopify_gid, created_at, expires_at) VALUES "
        "($1, 'gid://shopify/Customer/51', '2026-01-05T00:00:00Z', now() + interval '1 day')",
        store);
    // Order 61: two lines, fully refunded later (refund includes 1.00 tax and 5.00 shipping).
    // Order 62: a test order, no customer. Order 63: cancelled.
    exec(
        "INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, processed_at, updated_at, cancelled_at, "
        "test, currency, subtotal_amount, total_amount, total_discounts_amount, total_refunded_amount, "
        "total_tax_amount, total_shipping_amount, customer_gid, expires_at) VALUES "
        "($1, 'gid://shopify/Order/61', '#1001', '2026-02-01T10:00:00Z', '2026-02-01T10:00:05Z', "
        "'2026-02-10T08:00:00Z', NULL, false, 'USD', 23.00, 29.00, 2.00, 29.00, 1.00, 5.00, "
        "'gid://shopify/Customer/51', now() + interval '1 day'), "
        "($1, 'gid://shopify/Order/62', '#1002', '2026-02-02T10:00:00Z', NULL, NULL, NULL, true, 'USD', 12.50, "
        "12.50, 0, 0, 0, 0, NULL, now() + interval '1 day'), "
        "($1, 'gid://shopify/Order/63', '#1003', '2026-02-03T10:00:00Z', '2026-02-03T10:00:00Z', NULL, "
        "'2026-02-03T11:00:00Z', false, 'USD', 12.50, 12.50, 0, 0, 0, 0, NULL, now() + interval '1 day')",
        store);
    exec(
        "INSERT INTO shop_order_line_items (store_id, shopify_gid, order_gid, product_gid, variant_gid, title, "
        "quantity, original_unit_price, discounted_total, total_discount, expires_at) VALUES "
        "($1, 'gid://shopify/LineItem/71', 'gid://shopify/Order/61', 'gid://shopify/Product/1', "
        "'gid://shopify/ProductVariant/11', 'Mug', 2, 12.50, 23.00, 2.00, now() + interval '1 day'), "
        "($1, 'gid://shopify/LineItem/72', 'gid://shopify/Order/62', 'gid://shopify/Product/1', "
        "'gid://shopify/ProductVariant/11', 'Mug', 1, 12.50, 12.50, 0, now() + interval '1 day'), "
        "($1, 'gid://shopify/LineItem/73', 'gid://shopify/Order/63', NULL, NULL, 'Gift card', 1, 12.50, 12.50, 0, "
        "now() + interval '1 day')",
        store);

    ReadOnlyDb db{*pool_};
    const intel::StoreData d = load_store_data(db, store, Deadline::after(std::chrono::seconds{10}));

    EXPECT_EQ(d.shop.name, "Test shop");
    EXPECT_EQ(d.shop.currency, "USD");
    EXPECT_EQ(d.shop.timezone, "America/New_York");
    ASSERT_TRUE(d.synced_at.has_value());
    EXPECT_EQ(*d.synced_at, at(1772366400));  // 2026-03-01T12:00:00Z

    ASSERT_EQ(d.products.size(), 2U);
    EXPECT_EQ(d.products[0].id, "gid://shopify/Product/1");
    EXPECT_EQ(d.products[0].title, "Mug");
    EXPECT_EQ(d.products[0].product_type, "Kitchen");
    EXPECT_EQ(d.products[0].vendor, "Acme");
    EXPECT_EQ(d.products[0].status, intel::ProductStatus::kActive);
    EXPECT_EQ(d.products[0].description_html, "<p>A mug</p>");
    EXPECT_EQ(d.products[0].tags, (std::vector<std::string>{"blue", "sale"}));
    EXPECT_EQ(d.products[0].created_at, at(1767225600));  // 2026-01-01T00:00:00Z
    EXPECT_EQ(d.products[1].status, intel::ProductStatus::kArchived);
    EXPECT_EQ(d.products[1].product_type, "");

    ASSERT_EQ(d.variants.size(), 1U);
    EXPECT_EQ(d.variants[0].id, "gid://shopify/ProductVariant/11");
    EXPECT_EQ(d.variants[0].product_id, "gid://shopify/Product/1");
    EXPECT_EQ(d.variants[0].sku, "MUG-1");
    EXPECT_EQ(d.variants[0].price, 1250);
    EXPECT_FALSE(d.variants[0].unit_cost.has_value());
    EXPECT_EQ(d.variants[0].inventory_item_id, "gid://shopify/InventoryItem/21");

    ASSERT_EQ(d.inventory_levels.size(), 1U);
    EXPECT_EQ(d.inventory_levels[0].inventory_item_id, "gid://shopify/InventoryItem/21");
    EXPECT_EQ(d.inventory_levels[0].location_id, "gid://shopify/Location/31");
    EXPECT_EQ(d.inventory_levels[0].available, 7);

    ASSERT_EQ(d.customers.size(), 1U);
    EXPECT_EQ(d.customers[0].id, "gid://shopify/Customer/51");
    EXPECT_EQ(d.customers[0].created_at, at(1767571200));

    ASSERT_EQ(d.orders.size(), 3U);
    const intel::Order& o = d.orders[0];
    EXPECT_EQ(o.id, "gid://shopify/Order/61");
    EXPECT_EQ(o.created_at, at(1769940000));
    EXPECT_EQ(o.processed_at, at(1769940005));
    EXPECT_FALSE(o.cancelled_at.has_value());
    EXPECT_FALSE(o.test);
    EXPECT_EQ(o.customer_id, std::optional<std::string>{"gid://shopify/Customer/51"});
    EXPECT_EQ(o.subtotal, 2300);
    EXPECT_EQ(o.total, 2900);
    EXPECT_EQ(o.total_discounts, 200);
    ASSERT_EQ(o.lines.size(), 1U);
    EXPECT_EQ(o.lines[0].id, "gid://shopify/LineItem/71");
    EXPECT_EQ(o.lines[0].product_id, "gid://shopify/Product/1");
    EXPECT_EQ(o.lines[0].variant_id, "gid://shopify/ProductVariant/11");
    EXPECT_EQ(o.lines[0].quantity, 2);
    EXPECT_EQ(o.lines[0].unit_price, 1250);
    EXPECT_EQ(o.lines[0].discount_allocation, 200);
    // 29.00 refunded: everything, so without the 5.00 shipping; 24.00 x 23 / 24 = 23.00 of merchandise.
    ASSERT_EQ(o.refunds.size(), 1U);
    EXPECT_EQ(o.refunds[0].created_at, at(1770710400));  // the order's last update, 2026-02-10T08:00:00Z
    ASSERT_EQ(o.refunds[0].lines.size(), 1U);
    EXPECT_EQ(o.refunds[0].lines[0].amount, 2300);

    EXPECT_EQ(d.orders[1].id, "gid://shopify/Order/62");
    EXPECT_TRUE(d.orders[1].test);
    EXPECT_EQ(d.orders[1].processed_at, d.orders[1].created_at);  // no processed_at: the creation time
    EXPECT_FALSE(d.orders[1].customer_id.has_value());
    EXPECT_TRUE(d.orders[1].refunds.empty());
    ASSERT_TRUE(d.orders[2].cancelled_at.has_value());
    ASSERT_EQ(d.orders[2].lines.size(), 1U);
    EXPECT_EQ(d.orders[2].lines[0].product_id, "");

    // The dataset built from it counts one sale order (the test and cancelled ones are excluded).
    const intel::Dataset ds{d};
    EXPECT_EQ(ds.orders().size(), 1U);
    EXPECT_EQ(ds.quality().test_orders, 1U);
    EXPECT_EQ(ds.quality().cancelled_orders, 1U);
    const intel::DateWindow feb{*intel::parse_day("2026-02-01"), *intel::parse_day("2026-02-28")};
    const intel::SalesTotals t = intel::sales_totals(ds, feb);
    EXPECT_EQ(t.orders, 1);
    EXPECT_EQ(t.gross, 2500);
    EXPECT_EQ(t.discounts, 200);
    EXPECT_EQ(t.returns, 2300);
}

TEST_F(StoreDatasetLoaderTest, RefundsComeFromTheCachedRefundsDatedByTheirOwnTimeWithTheirLines) {
    const std::string store = insert_store("refunds.myshopify.com", "USD", "UTC");
    // Order 81 (February): 2 mugs (23.00 after a 2.00 discount) and a hat (10.00). Refunded: one mug in
    // February; the other mug and the hat in March; then shipping only (a refund without lines). Its
    // total_refunded_amount (40.00, tax and shipping included) is not what the analysis uses any more.
    exec(
        "INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, processed_at, updated_at, currency, "
        "subtotal_amount, total_amount, total_discounts_amount, total_refunded_amount, total_tax_amount, "
        "total_shipping_amount, expires_at) VALUES ($1, 'gid://shopify/Order/81', '#1', '2026-02-01T10:00:00Z', "
        "'2026-02-01T10:00:00Z', '2026-03-03T00:00:00Z', 'USD', 33.00, 40.00, 2.00, 40.00, 2.00, 5.00, "
        "now() + interval '1 day')",
        store);
    exec(
        "INSERT INTO shop_order_line_items (store_id, shopify_gid, order_gid, product_gid, variant_gid, title, "
        "quantity, original_unit_price, discounted_total, total_discount, expires_at) VALUES "
        "($1, 'gid://shopify/LineItem/91', 'gid://shopify/Order/81', 'gid://shopify/Product/1', NULL, 'Mug', 2, "
        "12.50, 23.00, 2.00, now() + interval '1 day'), "
        "($1, 'gid://shopify/LineItem/92', 'gid://shopify/Order/81', 'gid://shopify/Product/2', NULL, 'Hat', 1, "
        "10.00, 10.00, 0, now() + interval '1 day')",
        store);
    exec(
        "INSERT INTO shop_refunds (store_id, shopify_gid, order_gid, created_at, total_refunded_amount, expires_at) "
        "VALUES ($1, 'gid://shopify/Refund/103', 'gid://shopify/Order/81', '2026-03-03T00:00:00Z', 5.00, "
        "now() + interval '1 day'), "
        "($1, 'gid://shopify/Refund/101', 'gid://shopify/Order/81', '2026-02-05T12:00:00Z', 12.20, "
        "now() + interval '1 day'), "
        "($1, 'gid://shopify/Refund/102', 'gid://shopify/Order/81', '2026-03-02T12:00:00Z', 22.80, "
        "now() + interval '1 day')",
        store);
    exec(
        "INSERT INTO shop_refund_line_items (store_id, shopify_gid, refund_gid, line_item_gid, quantity, "
        "subtotal_amount, expires_at) VALUES "
        "($1, 'gid://shopify/RefundLineItem/111', 'gid://shopify/Refund/101', 'gid://shopify/LineItem/91', 1, 11.50, "
        "now() + interval '1 day'), "
        "($1, 'gid://shopify/RefundLineItem/112', 'gid://shopify/Refund/102', 'gid://shopify/LineItem/91', 1, 11.50, "
        "now() + interval '1 day'), "
        "($1, 'gid://shopify/RefundLineItem/113', 'gid://shopify/Refund/102', 'gid://shopify/LineItem/92', 1, 10.00, "
        "now() + interval '1 day')",
        store);

    ReadOnlyDb db{*pool_};
    const intel::StoreData d = load_store_data(db, store, Deadline::after(std::chrono::seconds{10}));
    ASSERT_EQ(d.orders.size(), 1U);
    const auto& refunds = d.orders[0].refunds;
    ASSERT_EQ(refunds.size(), 3U);                     // in time order, no approximation added
    EXPECT_EQ(refunds[0].created_at, at(1770292800));  // 2026-02-05T12:00:00Z
    ASSERT_EQ(refunds[0].lines.size(), 1U);
    EXPECT_EQ(refunds[0].lines[0].line_item_id, "gid://shopify/LineItem/91");
    EXPECT_EQ(refunds[0].lines[0].quantity, 1);
    EXPECT_EQ(refunds[0].lines[0].amount, 1150);
    EXPECT_EQ(refunds[1].created_at, at(1772452800));  // 2026-03-02T12:00:00Z
    ASSERT_EQ(refunds[1].lines.size(), 2U);
    EXPECT_EQ(refunds[1].lines[0].line_item_id, "gid://shopify/LineItem/91");
    EXPECT_EQ(refunds[1].lines[1].line_item_id, "gid://shopify/LineItem/92");
    EXPECT_EQ(refunds[1].lines[1].quantity, 1);
    EXPECT_EQ(refunds[1].lines[1].amount, 1000);
    EXPECT_EQ(refunds[2].created_at, at(1772496000));  // 2026-03-03T00:00:00Z
    EXPECT_TRUE(refunds[2].lines.empty());

    // Returns fall in the month of each refund, not the order's; every refund line names a line of the order.
    const intel::Dataset ds{d};
    EXPECT_EQ(ds.quality().unmatched_refund_lines, 0U);
    const intel::DateWindow feb{*intel::parse_day("2026-02-01"), *intel::parse_day("2026-02-28")};
    const intel::DateWindow mar{*intel::parse_day("2026-03-01"), *intel::parse_day("2026-03-31")};
    EXPECT_EQ(intel::sales_totals(ds, feb).returns, 1150);
    EXPECT_EQ(intel::sales_totals(ds, mar).returns, 2150);
}

TEST_F(StoreDatasetLoaderTest, ConvertsAmountsWithTheCurrencysMinorUnits) {
    const std::string store = insert_store("yen.myshopify.com", "JPY", "Asia/Tokyo");
    exec(
        "INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, processed_at, currency, subtotal_amount, "
        "total_amount, total_discounts_amount, expires_at) VALUES ($1, 'gid://shopify/Order/1', '#1', "
        "'2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z', 'JPY', 1500, 1650, 100, now() + interval '1 day')",
        store);
    ReadOnlyDb db{*pool_};
    const intel::StoreData d = load_store_data(db, store, Deadline::after(std::chrono::seconds{10}));
    ASSERT_EQ(d.orders.size(), 1U);
    EXPECT_EQ(d.orders[0].subtotal, 1500);
    EXPECT_EQ(d.orders[0].total, 1650);
    EXPECT_EQ(d.orders[0].total_discounts, 100);
    EXPECT_TRUE(d.orders[0].refunds.empty());
    EXPECT_TRUE(d.products.empty());
}

TEST_F(StoreDatasetLoaderTest, TheDatasetCacheReloadsWhenTheStoresDataChanges) {
    const std::string store = insert_store("cached.myshopify.com", "USD", "UTC");
    const auto add_order = [&](std::string_view gid) {
        pool_->query_blocking(
            "INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, processed_at, currency, "
            "subtotal_amount, total_amount, expires_at) VALUES ($1, $2, '#1', '2026-02-01T00:00:00Z', "
            "'2026-02-01T00:00:00Z', 'USD', 10, 10, now() + interval '1 day')",
            db::Params{store, std::string(gid)});
    };
    add_order("gid://shopify/Order/1");
    ReadOnlyDb db{*pool_};
    DatasetCache cache;
    const auto deadline = Deadline::after(std::chrono::seconds{10});
    const auto first = cache.get(db, store, deadline);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->orders().size(), 1U);
    EXPECT_EQ(cache.get(db, store, deadline), first);  // unchanged: the same prepared dataset

    add_order("gid://shopify/Order/2");  // a new cached order
    const auto second = cache.get(db, store, deadline);
    EXPECT_NE(second, first);
    EXPECT_EQ(second->orders().size(), 2U);

    pool_->query_blocking("UPDATE shopify_stores SET last_synced_at = now() WHERE id = $1", db::Params{store});
    EXPECT_NE(cache.get(db, store, deadline), second);  // synced again

    DatasetCache expiring{std::chrono::milliseconds{0}};
    const auto a = expiring.get(db, store, deadline);
    EXPECT_NE(expiring.get(db, store, deadline), a);  // past its TTL
}

TEST_F(StoreDatasetLoaderTest, AnUnknownStoreIsNotFound) {
    ReadOnlyDb db{*pool_};
    try {
        (void)load_store_data(db, "00000000-0000-0000-0000-000000000000", Deadline::after(std::chrono::seconds{10}));
        FAIL() << "expected kNotFound";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    }
}

}  // namespace
}  // namespace alatar::agents::testing
