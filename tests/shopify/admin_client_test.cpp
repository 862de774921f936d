// The Admin GraphQL client against the real simulator with faults injected through POST /_sim/faults.
#include "shopify/admin_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "shopify/bulk_jsonl.hpp"
#include "shopify/cost_estimate.hpp"
#include "shopify/http_client.hpp"
#include "shopify/sim_process.hpp"

namespace alatar::shopify {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kShop = "client.myshopify.test";
constexpr const char* kRevokedShop = "revoked.myshopify.test";
constexpr const char* kNoFaults =
    R"({"latency_ms":0,"error_rate_500":0,"error_rate_502":0,"error_rate_503":0,"timeout_rate":0,"timeout_ms":2000,)"
    R"("malformed_json_rate":0,"throttle_pressure":0})";
constexpr std::string_view kProductPage =
    "query($after: String) { products(first: 5, after: $after) { nodes { id title } "
    "pageInfo { hasNextPage endCursor } } }";

struct Suite {
    std::unique_ptr<testing::SimProcess> sim;
    std::string token;
    std::string error;
    void open() {
        try {
            sim = std::make_unique<testing::SimProcess>("tiny", std::vector<std::string>{kShop, kRevokedShop});
            token = sim->issue_token(kShop);
        } catch (const std::exception& e) {
            error = std::string("suite set-up failed: ") + e.what();
        }
    }
};

class AdminClientTest : public ::testing::Test {
  protected:
    static Suite& suite() {
        static Suite s;
        return s;
    }
    static void SetUpTestSuite() { suite().open(); }
    static void TearDownTestSuite() { suite().sim.reset(); }

    void SetUp() override {
        ASSERT_TRUE(suite().error.empty()) << suite().error;
        suite().sim->set_faults(kNoFaults);
        options_.shop_url_template = suite().sim->shop_url_template();
        options_.max_attempts = 8;
        options_.base_backoff = milliseconds(10);
        options_.max_backoff = milliseconds(200);
        options_.attempt_timeout = milliseconds(700);
        options_.bulk_poll_interval = milliseconds(50);
        client_ = std::make_unique<AdminClient>(http_, options_, Logger::null());
    }
    void TearDown() override {
        if (suite().sim) suite().sim->set_faults(kNoFaults);
    }

    ShopCredentials shop() const { return ShopCredentials{kShop, suite().token}; }

    std::int64_t count_of(std::string_view field) {
        const auto res =
            client_->query(shop(), "{ " + std::string(field) + " { count } }", {}, Deadline::after(seconds(10)));
        return res.data.at(field).at("count").to_number<std::int64_t>();
    }

    // All product ids, page by page.
    std::vector<std::string> all_products(Deadline deadline) {
        std::vector<std::string> ids;
        client_->paginate(shop(), kProductPage, {}, {"products"}, deadline,
                          [&](const json::array& nodes, const std::optional<std::string>&) {
                              for (const auto& n : nodes) ids.emplace_back(n.at("id").as_string());
                          });
        return ids;
    }

    CurlHttpClient http_;
    AdminClientOptions options_;
    std::unique_ptr<AdminClient> client_;
};

TEST_F(AdminClientTest, QueryReportsCostAndPacingState) {
    const auto res = client_->query(shop(), "{ shop { name currencyCode } }", {}, Deadline::after(seconds(10)));
    EXPECT_FALSE(res.data.at("shop").at("name").as_string().empty());
    ASSERT_TRUE(res.cost.has_value());
    EXPECT_GT(res.cost->maximum_available, 0);
    EXPECT_GT(res.cost->restore_rate, 0);
    EXPECT_EQ(res.attempts, 1);
    const auto last = client_->last_cost(kShop);
    ASSERT_TRUE(last.has_value());
    EXPECT_EQ(last->maximum_available, res.cost->maximum_available);
}

// The client paces a document it has not sent yet by its estimate: the estimate must be the cost Shopify (here
// the simulator, which follows the same published rules) will charge for it.
TEST_F(AdminClientTest, TheCostEstimateIsTheRequestedCostTheSimulatorCharges) {
    const std::vector<std::pair<std::string, json::object>> documents{
        {"{ shop { name currencyCode } }", {}},
        {std::string(kProductPage), {}},
        {"query($n: Int) { products(first: $n) { nodes { id variants(first: 20) { nodes { id price "
         "inventoryItem { id } } } } pageInfo { hasNextPage } } }",
         json::object{{"n", 10}}},
        {"query($after: String, $q: String) { orders(first: 15, after: $after, query: $q) { nodes { id "
         "refunds(first: 10) { id createdAt totalRefundedSet { shopMoney { amount } } refundLineItems(first: 10) "
         "{ nodes { id quantity lineItem { id } subtotalSet { shopMoney { amount } } } pageInfo { hasNextPage "
         "endCursor } } } } pageInfo { hasNextPage endCursor } } }",
         json::object{{"q", "financial_status:refunded"}}},
        {"query { customers(first: 100) { edges { node { id email amountSpent { amount } } } } }", {}},
    };
    for (const auto& [document, variables] : documents) {
        const auto res = client_->query(shop(), document, variables, Deadline::after(seconds(30)));
        ASSERT_TRUE(res.cost.has_value()) << document;
        const auto estimate = estimate_requested_cost(document, variables);
        ASSERT_TRUE(estimate.has_value()) << document;
        EXPECT_EQ(static_cast<double>(*estimate), res.cost->requested) << document;
    }
}

TEST_F(AdminClientTest, PaginationLosesAndRepeatsNothingUnderServerErrors) {
    const auto expected = all_products(Deadline::after(seconds(30)));
    ASSERT_EQ(static_cast<std::int64_t>(expected.size()), count_of("productsCount"));
    ASSERT_GT(expected.size(), 5U);  // more than one page
    suite().sim->set_faults(
        R"({"error_rate_500":0.1,"error_rate_502":0.1,"error_rate_503":0.05,"malformed_json_rate":0.05})");
    const auto got = all_products(Deadline::after(seconds(60)));
    EXPECT_EQ(got, expected);
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), got.size());
}

TEST_F(AdminClientTest, TimedOutAttemptsAreRetried) {
    suite().sim->set_faults(R"({"timeout_rate":0.25,"timeout_ms":3000})");
    const auto got = all_products(Deadline::after(seconds(60)));
    EXPECT_EQ(static_cast<std::int64_t>(got.size()), [&] {
        suite().sim->set_faults(kNoFaults);
        return count_of("productsCount");
    }());
}

TEST_F(AdminClientTest, RetriesAreBoundedWithAClearError) {
    suite().sim->set_faults(R"({"error_rate_503":1})");
    const auto started = std::chrono::steady_clock::now();
    try {
        client_->query(shop(), "{ shop { name } }", {}, Deadline::after(seconds(30)));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kUpstreamUnavailable);
        EXPECT_NE(std::string(e.what()).find("HTTP 503"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("8 attempts"), std::string::npos) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10));

    suite().sim->set_faults(R"({"error_rate_503":0,"malformed_json_rate":1})");
    try {
        client_->query(shop(), "{ shop { name } }", {}, Deadline::after(seconds(30)));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("unreadable"), std::string::npos) << e.what();
    }
}

TEST_F(AdminClientTest, DeadlineBoundsEveryCall) {
    suite().sim->set_faults(R"({"timeout_rate":1,"timeout_ms":5000})");
    const auto started = std::chrono::steady_clock::now();
    try {
        client_->query(shop(), "{ shop { name } }", {}, Deadline::after(milliseconds(1500)));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kTimeout) << e.what();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(2500));
}

TEST_F(AdminClientTest, ThrottlingIsWaitedOutOrReportedAsRateLimited) {
    // Pressure keeps the bucket at most 5% full (100 of 2000 points): a cheap query still passes, one that
    // requests 402 points never fits.
    suite().sim->set_faults(R"({"throttle_pressure":0.95})");
    const auto cheap = client_->query(shop(), "{ shop { name } }", {}, Deadline::after(seconds(30)));
    EXPECT_FALSE(cheap.data.at("shop").at("name").as_string().empty());
    options_.max_attempts = 3;
    AdminClient client(http_, options_, Logger::null());
    try {
        client.query(shop(), "{ products(first: 50) { nodes { id variants(first: 5) { nodes { id } } } } }", {},
                     Deadline::after(seconds(60)));
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kRateLimited) << e.what();
    }
    const auto cost = client.last_cost(kShop);
    ASSERT_TRUE(cost.has_value());
    EXPECT_GT(cost->requested, cost->currently_available);
}

TEST_F(AdminClientTest, OtherClientErrorsFailFast) {
    AdminClientOptions options = options_;
    options.api_version = "not-a-version";
    AdminClient client(http_, options, Logger::null());
    try {
        client.query(shop(), "{ shop { name } }", {}, Deadline::after(seconds(10)));
        FAIL() << "no error";
    } catch (const ShopifyApiError& e) {
        EXPECT_EQ(e.http_status(), 404);
    }
    // A GraphQL error (unknown field) is not retried either.
    try {
        client_->query(shop(), "{ shop { noSuchField } }", {}, Deadline::after(seconds(10)));
        FAIL() << "no error";
    } catch (const ShopifyApiError& e) {
        EXPECT_NE(std::string(e.what()).find("noSuchField"), std::string::npos) << e.what();
    }
}

TEST_F(AdminClientTest, RevokedTokenIsTyped) {
    const ShopCredentials revoked{kRevokedShop, suite().sim->issue_token(kRevokedShop)};
    EXPECT_NO_THROW(client_->query(revoked, "{ shop { name } }", {}, Deadline::after(seconds(10))));
    suite().sim->set_faults(std::string(R"({"revoke_token":")") + kRevokedShop + "\"}");
    EXPECT_THROW(client_->query(revoked, "{ shop { name } }", {}, Deadline::after(seconds(10))), TokenRevoked);
    EXPECT_THROW(
        client_->query(ShopCredentials{kShop, "shpat_wrong"}, "{ shop { name } }", {}, Deadline::after(seconds(10))),
        TokenRevoked);
}

TEST_F(AdminClientTest, BulkOperationStreamsAndReassemblesOrders) {
    const std::string id = client_->start_bulk_query(
        shop(), "{ orders { edges { node { id name lineItems { edges { node { id quantity } } } } } } }",
        Deadline::after(seconds(30)));
    const auto op = client_->wait_for_bulk(shop(), id, Deadline::after(seconds(60)));
    EXPECT_EQ(op.status, "COMPLETED");
    ASSERT_TRUE(op.url.has_value());
    std::set<std::string> orders;
    std::int64_t line_items = 0;
    std::int64_t lines = 0;
    BulkAssembler assembler([&](const BulkObject& o) {
        if (o.type == "Order") {
            EXPECT_TRUE(orders.insert(o.id).second) << o.id;
        } else if (o.type == "LineItem") {
            ASSERT_TRUE(o.parent_id.has_value());
            EXPECT_TRUE(orders.contains(*o.parent_id));
            ++line_items;
        }
    });
    client_->download_lines(*op.url, Deadline::after(seconds(30)), [&](std::string_view line) {
        ++lines;
        assembler.add_line(line);
    });
    EXPECT_EQ(assembler.finish(), 0U);
    EXPECT_EQ(static_cast<std::int64_t>(orders.size()), count_of("ordersCount"));
    EXPECT_GT(line_items, 0);
    EXPECT_EQ(lines, op.object_count);
}

}  // namespace
}  // namespace alatar::shopify
