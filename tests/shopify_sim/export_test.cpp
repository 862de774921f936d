// The ground-truth export: byte-identical for a seed, and enough to find the planted situations without
// the simulator (these tests read only the exported files).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "shopify_sim/generator.hpp"
#include "shopify_sim/ground_truth.hpp"

namespace alatar::shopify_sim {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class TempDir {
  public:
    explicit TempDir(const std::string& tag)
        : path_(fs::temp_directory_path() / ("alatar-sim-" + tag + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path_);
    }
    ~TempDir() { fs::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<json::object> read_jsonl(const fs::path& p) {
    std::vector<json::object> rows;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) rows.push_back(json::parse(line).as_object());
    return rows;
}

Store make(Profile profile, std::uint64_t seed) {
    GeneratorOptions o;
    o.profile = profile;
    o.seed = seed;
    o.today = *parse_date("2026-03-18");
    return generate_store(o);
}

Cents money(const json::value& v) { return *parse_money(v.as_string()); }

TEST(Export, SameSeedGivesByteIdenticalFiles) {
    const TempDir a("det-a");
    const TempDir b("det-b");
    const TempDir c("det-c");
    export_ground_truth(make(Profile::kTiny, 11), a.path());
    export_ground_truth(make(Profile::kTiny, 11), b.path());
    export_ground_truth(make(Profile::kTiny, 12), c.path());
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(a.path())) {
        const auto name = entry.path().filename();
        EXPECT_EQ(read_file(entry.path()), read_file(b.path() / name)) << name;
        ++files;
    }
    EXPECT_GE(files, 13U);
    EXPECT_NE(read_file(a.path() / "orders.jsonl"), read_file(c.path() / "orders.jsonl"));
    EXPECT_NE(read_file(a.path() / "products.jsonl"), read_file(c.path() / "products.jsonl"));
}

// One small-profile export shared by the tests below.
class SmallExport : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir("small");
        const Store store = make(Profile::kSmall, 42);
        export_ground_truth(store, dir_->path());
        shop_ = new json::object(json::parse(read_file(dir_->path() / "shop.json")).as_object());
        planted_ = new json::object(json::parse(read_file(dir_->path() / "planted.json")).as_object());
    }
    static void TearDownTestSuite() {
        delete planted_;
        delete shop_;
        delete dir_;
    }
    static fs::path file(const char* name) { return dir_->path() / name; }
    static Date local_day(const json::value& ts) {
        return local_date(*parse_timestamp(ts.as_string()),
                          static_cast<int>(shop_->at("utc_offset_minutes").as_int64()));
    }

    static TempDir* dir_;
    static json::object* shop_;
    static json::object* planted_;
};

TempDir* SmallExport::dir_ = nullptr;
json::object* SmallExport::shop_ = nullptr;
json::object* SmallExport::planted_ = nullptr;

TEST_F(SmallExport, HasTheSmallProfileSizes) {
    EXPECT_EQ(read_jsonl(file("products.jsonl")).size(), 200U);
    EXPECT_EQ(read_jsonl(file("customers.jsonl")).size(), 5000U);
    const auto orders = read_jsonl(file("orders.jsonl")).size();
    EXPECT_GT(orders, 18000U);
    EXPECT_LT(orders, 22000U);
    const auto manifest = json::parse(read_file(file("manifest.json"))).as_object();
    EXPECT_EQ(manifest.at("records").as_object().at("orders.jsonl").as_int64(), static_cast<std::int64_t>(orders));
}

TEST_F(SmallExport, OrderTotalsMatchTheirLinesAndRefunds) {
    std::map<std::uint64_t, Cents> lines_by_order;
    std::map<std::uint64_t, Cents> tax_by_order;
    for (const auto& l : read_jsonl(file("line_items.jsonl"))) {
        const auto id = l.at("order_id").to_number<std::uint64_t>();
        EXPECT_EQ(money(l.at("original_total")), money(l.at("price")) * l.at("quantity").as_int64());
        lines_by_order[id] += money(l.at("discounted_total"));
        tax_by_order[id] += money(l.at("tax"));
    }
    std::map<std::uint64_t, Cents> refunds_by_order;
    for (const auto& r : read_jsonl(file("refunds.jsonl")))
        refunds_by_order[r.at("order_id").to_number<std::uint64_t>()] += money(r.at("total"));
    for (const auto& o : read_jsonl(file("orders.jsonl"))) {
        const auto id = o.at("id").to_number<std::uint64_t>();
        ASSERT_EQ(lines_by_order[id], money(o.at("subtotal_price"))) << id;
        ASSERT_EQ(tax_by_order[id], money(o.at("total_tax"))) << id;
        ASSERT_EQ(money(o.at("total_price")),
                  money(o.at("subtotal_price")) + money(o.at("total_shipping")) + money(o.at("total_tax")));
        ASSERT_EQ(refunds_by_order[id], money(o.at("total_refunded"))) << id;
    }
}

TEST_F(SmallExport, StockoutOfTheTopSellerExplainsLastWeeksDrop) {
    const auto& so = planted_->at("stockout").as_object();
    const auto product = so.at("product_id").to_number<std::uint64_t>();
    const Date week = *parse_date(so.at("week_start").as_string());
    std::map<std::uint64_t, Date> order_day;
    std::map<Date, Cents> net_by_week;
    for (const auto& o : read_jsonl(file("orders.jsonl"))) {
        if (o.at("test").as_bool() || !o.at("cancelled_at").is_null()) continue;
        const Date day = local_day(o.at("created_at"));
        order_day[o.at("id").to_number<std::uint64_t>()] = day;
        net_by_week[week_start(day)] += money(o.at("total_line_items_price")) - money(o.at("total_discounts"));
    }
    for (const auto& r : read_jsonl(file("refunds.jsonl"))) {
        const auto it = order_day.find(r.at("order_id").to_number<std::uint64_t>());
        if (it != order_day.end()) net_by_week[week_start(it->second)] -= money(r.at("subtotal"));
    }
    std::map<Date, long> units_by_week;
    std::map<std::uint64_t, long> revenue_by_product;
    for (const auto& l : read_jsonl(file("line_items.jsonl"))) {
        const auto it = order_day.find(l.at("order_id").to_number<std::uint64_t>());
        if (it == order_day.end()) continue;
        const auto pid = l.at("product_id").to_number<std::uint64_t>();
        if (pid == product) units_by_week[week_start(it->second)] += l.at("quantity").as_int64();
        if (it->second >= week - 28 && it->second < week) revenue_by_product[pid] += money(l.at("discounted_total"));
    }
    // It was the top seller before the stockout...
    const auto top = std::max_element(revenue_by_product.begin(), revenue_by_product.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
    EXPECT_EQ(top->first, product);
    // ...sold every prior week, nothing last week...
    for (int w = 1; w <= 4; ++w) EXPECT_GE(units_by_week[week - 7 * w], 20) << "prior week " << w;
    EXPECT_EQ(units_by_week[week], 0);
    EXPECT_EQ(so.at("units_last_week").as_int64(), 0);
    // ...and the shop's net sales fell well below the prior four weeks' average.
    const Cents prior =
        (net_by_week[week - 7] + net_by_week[week - 14] + net_by_week[week - 21] + net_by_week[week - 28]) / 4;
    EXPECT_LT(net_by_week[week], prior * 85 / 100);
    EXPECT_EQ(net_by_week[week], money(so.at("store_net_sales_last_week")));
    // No stock anywhere now.
    std::vector<std::uint64_t> items;
    for (const auto& v : read_jsonl(file("variants.jsonl"))) {
        if (v.at("product_id").to_number<std::uint64_t>() == product)
            items.push_back(v.at("inventory_item_id").to_number<std::uint64_t>());
    }
    ASSERT_FALSE(items.empty());
    for (const auto& level : read_jsonl(file("inventory_levels.jsonl"))) {
        if (std::find(items.begin(), items.end(), level.at("inventory_item_id").to_number<std::uint64_t>()) !=
            items.end()) {
            EXPECT_EQ(level.at("available").as_int64(), 0);
            EXPECT_EQ(level.at("on_hand").as_int64(), 0);
        }
    }
}

TEST_F(SmallExport, OverstockedSlowMoverHasByFarTheMostDaysOfCover) {
    const auto planted = planted_->at("overstock").as_object().at("product_id").to_number<std::uint64_t>();
    std::map<std::uint64_t, std::uint64_t> product_of_item;
    for (const auto& v : read_jsonl(file("variants.jsonl"))) {
        product_of_item[v.at("inventory_item_id").to_number<std::uint64_t>()] =
            v.at("product_id").to_number<std::uint64_t>();
    }
    std::map<std::uint64_t, long> on_hand;
    for (const auto& l : read_jsonl(file("inventory_levels.jsonl"))) {
        on_hand[product_of_item[l.at("inventory_item_id").to_number<std::uint64_t>()]] += l.at("on_hand").as_int64();
    }
    const auto manifest = json::parse(read_file(file("manifest.json"))).as_object();
    const Timestamp end = *parse_timestamp(manifest.at("history_end").as_string());
    std::map<std::uint64_t, bool> recent_order;
    for (const auto& o : read_jsonl(file("orders.jsonl"))) {
        const bool counts = !o.at("test").as_bool() && o.at("cancelled_at").is_null();
        recent_order[o.at("id").to_number<std::uint64_t>()] =
            counts && *parse_timestamp(o.at("created_at").as_string()) >= end - 90 * kSecondsPerDay;
    }
    std::map<std::uint64_t, long> sold90;
    for (const auto& l : read_jsonl(file("line_items.jsonl"))) {
        if (recent_order[l.at("order_id").to_number<std::uint64_t>()])
            sold90[l.at("product_id").to_number<std::uint64_t>()] += l.at("quantity").as_int64();
    }
    std::vector<std::pair<double, std::uint64_t>> cover;
    for (const auto& p : read_jsonl(file("products.jsonl"))) {
        if (p.at("status").as_string() != "ACTIVE") continue;
        const auto id = p.at("id").to_number<std::uint64_t>();
        cover.emplace_back(static_cast<double>(on_hand[id]) / ((static_cast<double>(sold90[id]) + 1) / 90.0), id);
    }
    std::sort(cover.rbegin(), cover.rend());
    ASSERT_GE(cover.size(), 2U);
    EXPECT_EQ(cover[0].second, planted);
    EXPECT_GT(cover[0].first, 5 * cover[1].first);
    EXPECT_GE(on_hand[planted], 1000);
}

TEST_F(SmallExport, WeakDescriptionGoesWithTheHighestRefundRate) {
    const auto planted = planted_->at("weak_description").as_object().at("product_id").to_number<std::uint64_t>();
    std::map<std::uint64_t, bool> counts;
    for (const auto& o : read_jsonl(file("orders.jsonl"))) {
        counts[o.at("id").to_number<std::uint64_t>()] = !o.at("test").as_bool() && o.at("cancelled_at").is_null();
    }
    std::map<std::uint64_t, long> sold;
    std::map<std::uint64_t, long> refunded;
    for (const auto& l : read_jsonl(file("line_items.jsonl"))) {
        if (!counts[l.at("order_id").to_number<std::uint64_t>()]) continue;
        sold[l.at("product_id").to_number<std::uint64_t>()] += l.at("quantity").as_int64();
        refunded[l.at("product_id").to_number<std::uint64_t>()] += l.at("refunded_quantity").as_int64();
    }
    std::vector<std::pair<double, std::uint64_t>> rates;
    std::size_t shortest_len = SIZE_MAX;
    std::uint64_t shortest = 0;
    for (const auto& p : read_jsonl(file("products.jsonl"))) {
        const auto id = p.at("id").to_number<std::uint64_t>();
        const auto len = p.at("description_html").as_string().size();
        if (len < shortest_len) {
            shortest_len = len;
            shortest = id;
        }
        if (sold[id] >= 100) rates.emplace_back(static_cast<double>(refunded[id]) / static_cast<double>(sold[id]), id);
    }
    std::sort(rates.rbegin(), rates.rend());
    ASSERT_GE(rates.size(), 2U);
    EXPECT_EQ(rates[0].second, planted);
    EXPECT_GT(rates[0].first, 2 * rates[1].first);
    EXPECT_EQ(shortest, planted);
}

}  // namespace
}  // namespace alatar::shopify_sim
