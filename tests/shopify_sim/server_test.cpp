// The simulator over HTTP, in process on a free port: OAuth, the Admin GraphQL endpoint (auth, scopes, pagination,
// search, cost and throttling), mutations, bulk operations, webhooks and faults.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <thread>

#include "shopify_sim/oauth.hpp"
#include "shopify_sim/sim_server.hpp"
#include "shopify_sim/webhooks.hpp"
#include "sim_test_support.hpp"

namespace alatar::shopify_sim {
namespace {

namespace json = boost::json;
using testing::http_call;
using testing::HttpReply;

constexpr const char* kShop = "shop-a.myshopify.test";
constexpr const char* kAllScopes =
    "read_orders,read_products,write_products,read_customers,write_inventory,read_locations,write_discounts";

SimOptions tiny_options() {
    SimOptions o;
    o.port = 0;
    o.shops.profile = Profile::kTiny;
    o.shops.seed = 7;
    o.shops.today = *parse_date("2026-03-04");
    o.precreate_shops = {kShop};
    o.bucket = {1e9, 1e9};  // throttling has its own tests
    o.webhooks.first_backoff = std::chrono::milliseconds(20);
    return o;
}

std::string gql_path(const std::string& shop = kShop, const std::string& version = "2026-01") {
    return "/shops/" + shop + "/admin/api/" + version + "/graphql.json";
}

std::string issue_token(std::uint16_t port, const std::string& scopes, const std::string& shop = kShop) {
    const auto reply =
        http_call(port, "POST", "/_sim/shops/" + shop + "/tokens", {{"Content-Type", "application/json"}},
                  json::serialize(json::object{{"scopes", scopes}}));
    return std::string(reply.json().at("access_token").as_string());
}

HttpReply post_graphql(std::uint16_t port, const std::string& token, const std::string& query,
                       json::object variables = {}, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    return http_call(port, "POST", gql_path(),
                     {{"Content-Type", "application/json"}, {"X-Shopify-Access-Token", token}},
                     json::serialize(json::object{{"query", query}, {"variables", std::move(variables)}}), timeout);
}

json::value gql(std::uint16_t port, const std::string& token, const std::string& query, json::object variables = {}) {
    const auto reply = post_graphql(port, token, query, std::move(variables));
    EXPECT_EQ(reply.status, 200U) << reply.body;
    return reply.json();
}

class SimServerTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        sim_ = new SimServer(tiny_options(), alatar::Logger::null());
        sim_->start();
        token_ = new std::string(issue_token(sim_->port(), kAllScopes));
    }
    static void TearDownTestSuite() {
        delete sim_;
        delete token_;
    }
    static std::uint16_t port() { return sim_->port(); }
    static const std::string& token() { return *token_; }
    static json::value query(const std::string& q, json::object variables = {}) {
        return gql(port(), token(), q, std::move(variables));
    }

    static SimServer* sim_;
    static std::string* token_;
};

SimServer* SimServerTest::sim_ = nullptr;
std::string* SimServerTest::token_ = nullptr;

// ---- OAuth -----------------------------------------------------------------------------------------------------

QueryParams redirect_params(const HttpReply& reply) {
    const auto& location = reply.headers.at("location");
    return parse_query(location.substr(location.find('?') + 1));
}

std::string value_of(const QueryParams& params, std::string_view key) {
    for (const auto& [k, v] : params) {
        if (k == key) return v;
    }
    return {};
}

std::string authorize_target(const std::string& client_id = "alatar-dev-key",
                             const std::string& redirect = "http://127.0.0.1:9/auth/callback",
                             const std::string& scope = "read_orders,write_products") {
    return std::string("/shops/") + kShop + "/admin/oauth/authorize?client_id=" + form_urlencode(client_id) +
           "&scope=" + form_urlencode(scope) + "&redirect_uri=" + form_urlencode(redirect) + "&state=nonce-123";
}

TEST_F(SimServerTest, OAuthRoundTripEndsInAWorkingToken) {
    const auto redirect = http_call(port(), "GET", authorize_target());
    ASSERT_EQ(redirect.status, 302U) << redirect.body;
    EXPECT_TRUE(redirect.headers.at("location").starts_with("http://127.0.0.1:9/auth/callback?code="));
    const QueryParams params = redirect_params(redirect);
    EXPECT_TRUE(verify_query_hmac("alatar-dev-secret", params));
    EXPECT_TRUE(timestamp_fresh(params, static_cast<Timestamp>(std::time(nullptr))));
    EXPECT_EQ(value_of(params, "state"), "nonce-123");
    EXPECT_EQ(value_of(params, "shop"), kShop);

    const json::object exchange{
        {"client_id", "alatar-dev-key"}, {"client_secret", "alatar-dev-secret"}, {"code", value_of(params, "code")}};
    const auto token_reply = http_call(port(), "POST", std::string("/shops/") + kShop + "/admin/oauth/access_token",
                                       {{"Content-Type", "application/json"}}, json::serialize(exchange));
    ASSERT_EQ(token_reply.status, 200U) << token_reply.body;
    const json::value grant = token_reply.json();
    EXPECT_EQ(grant.at("scope").as_string(), "read_orders,write_products");
    const std::string token(grant.at("access_token").as_string());

    const json::value shop = gql(port(), token, "{ shop { name myshopifyDomain currencyCode } }");
    EXPECT_EQ(shop.at("data").at("shop").at("myshopifyDomain").as_string(), kShop);

    const auto scopes = http_call(port(), "GET", std::string("/shops/") + kShop + "/admin/oauth/access_scopes.json",
                                  {{"X-Shopify-Access-Token", token}});
    ASSERT_EQ(scopes.status, 200U);
    EXPECT_EQ(scopes.json().at("access_scopes").as_array().size(), 2U);

    // Codes are single use, also as a form body.
    const auto again =
        http_call(port(), "POST", std::string("/shops/") + kShop + "/admin/oauth/access_token",
                  {{"Content-Type", "application/x-www-form-urlencoded"}},
                  "client_id=alatar-dev-key&client_secret=alatar-dev-secret&code=" + value_of(params, "code"));
    EXPECT_EQ(again.status, 400U);
    EXPECT_EQ(again.json().at("error").as_string(), "invalid_request");
}

TEST_F(SimServerTest, TamperedRedirectFailsTheHmacAndTheState) {
    const auto redirect = http_call(port(), "GET", authorize_target());
    ASSERT_EQ(redirect.status, 302U);
    QueryParams params = redirect_params(redirect);
    QueryParams other_shop = params;
    for (auto& [k, v] : other_shop) {
        if (k == "shop") v = "evil.myshopify.test";
    }
    EXPECT_FALSE(verify_query_hmac("alatar-dev-secret", other_shop));
    QueryParams other_state = params;
    for (auto& [k, v] : other_state) {
        if (k == "state") v = "forged";
    }
    EXPECT_FALSE(verify_query_hmac("alatar-dev-secret", other_state));
    EXPECT_FALSE(verify_query_hmac("another-secret", params));
    // The simulator's own check of signed queries agrees.
    std::string query;
    for (const auto& [k, v] : params) query += (query.empty() ? "" : "&") + k + "=" + form_urlencode(v);
    EXPECT_EQ(http_call(port(), "GET", "/_sim/verify-hmac?" + query).status, 200U);
    std::string tampered;
    for (const auto& [k, v] : other_state) tampered += (tampered.empty() ? "" : "&") + k + "=" + form_urlencode(v);
    EXPECT_EQ(http_call(port(), "GET", "/_sim/verify-hmac?" + tampered).status, 401U);
}

TEST_F(SimServerTest, AuthorizeValidatesClientRedirectAndScope) {
    EXPECT_EQ(http_call(port(), "GET", authorize_target("wrong-key")).status, 400U);
    EXPECT_EQ(http_call(port(), "GET", authorize_target("alatar-dev-key", "ftp://x/cb")).status, 400U);
    const auto bad_scope = http_call(
        port(), "GET", authorize_target("alatar-dev-key", "http://127.0.0.1:9/cb", "read_orders,drop tables"));
    EXPECT_EQ(bad_scope.status, 400U);
    EXPECT_EQ(bad_scope.json().at("error").as_string(), "invalid_scope");
    const auto bad_secret = http_call(port(), "POST", std::string("/shops/") + kShop + "/admin/oauth/access_token",
                                      {{"Content-Type", "application/json"}},
                                      R"({"client_id":"alatar-dev-key","client_secret":"nope","code":"x"})");
    EXPECT_EQ(bad_secret.status, 400U);
    EXPECT_EQ(bad_secret.json().at("error").as_string(), "invalid_client");
}

// ---- access -------------------------------------------------------------------------------------------------

TEST_F(SimServerTest, RequestsWithoutAValidTokenGet401) {
    const std::string q = R"({"query":"{ shop { name } }"})";
    EXPECT_EQ(http_call(port(), "POST", gql_path(), {{"Content-Type", "application/json"}}, q).status, 401U);
    EXPECT_EQ(http_call(port(), "POST", gql_path(),
                        {{"Content-Type", "application/json"}, {"X-Shopify-Access-Token", "shpat_nope"}}, q)
                  .status,
              401U);
    // A token of another shop does not open this one.
    const std::string other = issue_token(port(), "read_orders", "shop-b.myshopify.test");
    EXPECT_EQ(http_call(port(), "POST", gql_path(),
                        {{"Content-Type", "application/json"}, {"X-Shopify-Access-Token", other}}, q)
                  .status,
              401U);
    EXPECT_EQ(http_call(port(), "POST", gql_path("shop-b.myshopify.test"),
                        {{"Content-Type", "application/json"}, {"X-Shopify-Access-Token", other}}, q)
                  .status,
              200U);
}

TEST_F(SimServerTest, UnknownVersionsAndPathsAre404) {
    const std::string q = R"({"query":"{ shop { name } }"})";
    const std::vector<std::pair<std::string, std::string>> h{{"Content-Type", "application/json"},
                                                             {"X-Shopify-Access-Token", token()}};
    EXPECT_EQ(http_call(port(), "POST", gql_path(kShop, "2026-02"), h, q).status, 404U);
    EXPECT_EQ(http_call(port(), "POST", gql_path(kShop, "latest"), h, q).status, 404U);
    const auto ok = http_call(port(), "POST", gql_path(kShop, "2025-10"), h, q);
    EXPECT_EQ(ok.status, 200U);
    EXPECT_EQ(ok.headers.at("x-shopify-api-version"), "2026-01");
    EXPECT_EQ(http_call(port(), "POST", gql_path("-bad.myshopify.test"), h, q).status, 404U);
}

TEST_F(SimServerTest, FieldsNeedTheirScopes) {
    const std::string products_only = issue_token(port(), "read_products");
    const json::value denied = gql(port(), products_only, "{ orders(first: 1) { nodes { id } } }");
    const auto& error = denied.at("errors").at(0);
    EXPECT_EQ(error.at("extensions").at("code").as_string(), "ACCESS_DENIED");
    EXPECT_EQ(error.at("path").at(0).as_string(), "orders");
    const json::value allowed = gql(port(), products_only, "{ products(first: 1) { nodes { id } } }");
    EXPECT_EQ(allowed.at("data").at("products").at("nodes").as_array().size(), 1U);
    // Mutations need write scopes; write_products implies read_products.
    const json::value no_write = gql(
        port(), products_only,
        R"(mutation { discountCodeDeactivate(id: "gid://shopify/DiscountCodeNode/1") { userErrors { message } } })");
    EXPECT_EQ(no_write.at("errors").at(0).at("extensions").at("code").as_string(), "ACCESS_DENIED");
}

// ---- reading -------------------------------------------------------------------------------------------------

TEST_F(SimServerTest, PaginationVisitsEveryOrderOnceBothWays) {
    const std::string q = R"(query($after: String) { orders(first: 100, after: $after, sortKey: CREATED_AT) {
        edges { cursor node { id createdAt } } pageInfo { hasNextPage hasPreviousPage endCursor } } })";
    std::vector<std::string> forward;
    std::optional<std::string> after;
    int pages = 0;
    while (true) {
        json::object vars;
        if (after) vars["after"] = *after;
        const json::value page = query(q, vars);
        const auto& conn = page.at("data").at("orders");
        for (const auto& e : conn.at("edges").as_array()) forward.emplace_back(e.at("node").at("id").as_string());
        EXPECT_EQ(conn.at("pageInfo").at("hasPreviousPage").as_bool(), pages > 0);
        ++pages;
        if (!conn.at("pageInfo").at("hasNextPage").as_bool()) break;
        after = std::string(conn.at("pageInfo").at("endCursor").as_string());
        ASSERT_LT(pages, 100);
    }
    const json::value count = query("{ ordersCount(limit: null) { count precision } }");
    EXPECT_EQ(forward.size(), count.at("data").at("ordersCount").at("count").to_number<std::size_t>());
    EXPECT_EQ(std::set<std::string>(forward.begin(), forward.end()).size(), forward.size());
    EXPECT_GT(pages, 10);

    // Backwards with last/before from the end gives the same sequence reversed.
    std::vector<std::string> backward;
    std::optional<std::string> before;
    const std::string back = R"(query($before: String) { orders(last: 250, before: $before, sortKey: CREATED_AT) {
        nodes { id } pageInfo { hasPreviousPage startCursor } } })";
    for (int i = 0; i < 100; ++i) {
        json::object vars;
        if (before) vars["before"] = *before;
        const json::value page = query(back, vars);
        const auto& conn = page.at("data").at("orders");
        std::vector<std::string> ids;
        for (const auto& n : conn.at("nodes").as_array()) ids.emplace_back(n.at("id").as_string());
        backward.insert(backward.begin(), ids.begin(), ids.end());
        if (!conn.at("pageInfo").at("hasPreviousPage").as_bool()) break;
        before = std::string(conn.at("pageInfo").at("startCursor").as_string());
    }
    EXPECT_EQ(backward, forward);
}

TEST_F(SimServerTest, PageSizeRulesAreShopifys) {
    const json::value none = query("{ orders { nodes { id } } }");
    EXPECT_EQ(none.at("errors").at(0).at("message").as_string(), "you must provide one of first or last");
    const json::value big = query("{ products(first: 251) { nodes { id } } }");
    EXPECT_NE(json::serialize(big).find("250"), std::string::npos);
}

TEST_F(SimServerTest, SearchSyntaxFiltersOrdersAndProducts) {
    const json::value all =
        query("{ orders(first: 250, query: \"created_at:>=2026-02-01\") { nodes { createdAt test } } }");
    const auto& nodes = all.at("data").at("orders").at("nodes").as_array();
    ASSERT_FALSE(nodes.empty());
    for (const auto& n : nodes) EXPECT_GE(std::string(n.at("createdAt").as_string()), "2026-02-01");
    const json::value tests = query("{ orders(first: 250, query: \"test:true\") { nodes { test } } }");
    for (const auto& n : tests.at("data").at("orders").at("nodes").as_array()) EXPECT_TRUE(n.at("test").as_bool());
    const json::value not_tests = query("{ ordersCount(query: \"-test:true\") { count } }");
    const json::value every = query("{ ordersCount { count } }");
    EXPECT_EQ(not_tests.at("data").at("ordersCount").at("count").as_int64() +
                  static_cast<std::int64_t>(tests.at("data").at("orders").at("nodes").as_array().size()),
              every.at("data").at("ordersCount").at("count").as_int64());

    const json::value first = query("{ products(first: 1, sortKey: TITLE) { nodes { title } } }");
    const std::string title(first.at("data").at("products").at("nodes").at(0).at("title").as_string());
    const std::string word = title.substr(0, title.find(' '));
    const json::value found = query("query($q: String) { products(first: 250, query: $q) { nodes { title } } }",
                                    json::object{{"q", "title:" + word + "*"}});
    const auto& hits = found.at("data").at("products").at("nodes").as_array();
    ASSERT_FALSE(hits.empty());
    for (const auto& h : hits) EXPECT_TRUE(std::string(h.at("title").as_string()).starts_with(word));
}

TEST_F(SimServerTest, ObjectsHaveShopifysShapes) {
    const json::value r = query(R"({ orders(first: 3, reverse: true) { nodes {
        id name totalPriceSet { shopMoney { amount currencyCode } } currentTotalPriceSet { shopMoney { amount } }
        lineItems(first: 5) { nodes { quantity sku variant { id price inventoryItem { unitCost { amount } } } } }
        customer { numberOfOrders amountSpent { amount } } } } })");
    const auto& order = r.at("data").at("orders").at("nodes").at(0);
    EXPECT_TRUE(std::string(order.at("id").as_string()).starts_with("gid://shopify/Order/"));
    const std::string amount(order.at("totalPriceSet").at("shopMoney").at("amount").as_string());
    EXPECT_NE(amount.find('.'), std::string::npos);
    EXPECT_EQ(order.at("totalPriceSet").at("shopMoney").at("currencyCode").as_string(), "USD");
    if (!order.at("customer").is_null()) {
        EXPECT_TRUE(order.at("customer").at("numberOfOrders").is_string());
    }
    const json::value product = query(R"({ products(first: 1) { nodes { totalInventory variants(first: 10) { nodes {
        inventoryQuantity inventoryItem { inventoryLevels(first: 5) { nodes { location { name }
        quantities(names: ["available", "on_hand"]) { name quantity } } } } } } } } })");
    const auto& p = product.at("data").at("products").at("nodes").at(0);
    std::int64_t sum = 0;
    for (const auto& v : p.at("variants").at("nodes").as_array()) {
        std::int64_t levels = 0;
        for (const auto& l : v.at("inventoryItem").at("inventoryLevels").at("nodes").as_array()) {
            levels += l.at("quantities").at(0).at("quantity").as_int64();
        }
        EXPECT_EQ(levels, v.at("inventoryQuantity").as_int64());
        sum += levels;
    }
    EXPECT_EQ(sum, p.at("totalInventory").as_int64());
}

// ---- cost ------------------------------------------------------------------------------------------------------

TEST_F(SimServerTest, EveryResponseCarriesItsCost) {
    const json::value r = query("{ products(first: 10) { nodes { id title } } }");
    const auto& cost = r.at("extensions").at("cost");
    EXPECT_EQ(cost.at("requestedQueryCost").as_int64(), 12);
    EXPECT_EQ(cost.at("actualQueryCost").as_int64(), 12);
    EXPECT_TRUE(cost.at("throttleStatus").at("maximumAvailable").is_number());
    const json::value one = query("{ shop { name } }");
    EXPECT_EQ(one.at("extensions").at("cost").at("requestedQueryCost").as_int64(), 1);
    // Fewer nodes than asked for: the actual cost is lower and the difference is refunded.
    const json::value few = query("{ locations(first: 50) { nodes { id } } }");
    EXPECT_EQ(few.at("extensions").at("cost").at("requestedQueryCost").as_int64(), 52);
    EXPECT_LT(few.at("extensions").at("cost").at("actualQueryCost").as_int64(), 52);
    const json::value mutation = query(
        R"(mutation { discountCodeDeactivate(id: "gid://shopify/DiscountCodeNode/0") { userErrors { message } } })");
    EXPECT_EQ(mutation.at("extensions").at("cost").at("requestedQueryCost").as_int64(), 10);
}

TEST_F(SimServerTest, QueriesOverAThousandPointsAreRefused) {
    const json::value r = query("{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }");
    EXPECT_EQ(r.at("errors").at(0).at("extensions").at("code").as_string(), "MAX_COST_EXCEEDED");
    EXPECT_FALSE(r.as_object().contains("data"));
}

void expect_throttling(ThrottleMode mode, unsigned throttled_status) {
    SimOptions o = tiny_options();
    o.bucket = {100, 50};
    o.throttle_mode = mode;
    SimServer sim(o, alatar::Logger::null());
    sim.start();
    const std::string token = issue_token(sim.port(), kAllScopes);
    const std::string q = "{ products(first: 48) { nodes { id } } }";  // requests 50 points
    HttpReply reply;
    int ok = 0;
    for (int i = 0; i < 20; ++i) {
        reply = post_graphql(sim.port(), token, q);
        if (reply.status != 200 || reply.json().as_object().contains("errors")) break;
        ++ok;
    }
    EXPECT_GE(ok, 2);
    EXPECT_LT(ok, 20);
    ASSERT_EQ(reply.status, throttled_status) << reply.body;
    const json::value body = reply.json();
    EXPECT_EQ(body.at("errors").at(0).at("message").as_string(), "Throttled");
    EXPECT_EQ(body.at("errors").at(0).at("extensions").at("code").as_string(), "THROTTLED");
    EXPECT_FALSE(body.as_object().contains("data"));
    const auto& status = body.at("extensions").at("cost").at("throttleStatus");
    EXPECT_LT(status.at("currentlyAvailable").as_int64(), 50);
    if (throttled_status == 429) {
        EXPECT_EQ(reply.headers.count("retry-after"), 1U);
    }
    // The bucket refills at the restore rate: a second later the query goes through.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    const HttpReply again = post_graphql(sim.port(), token, q);
    EXPECT_EQ(again.status, 200U);
    EXPECT_FALSE(again.json().as_object().contains("errors")) << again.body;
}

TEST(SimThrottle, ThrottledAsHttp200) { expect_throttling(ThrottleMode::kHttp200, 200); }
TEST(SimThrottle, ThrottledAsHttp429) { expect_throttling(ThrottleMode::kHttp429, 429); }

// ---- mutations -------------------------------------------------------------------------------------------------

constexpr const char* kCreateDiscount =
    R"(mutation($d: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $d) {
    codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title status codes(first: 1) { nodes { code } }
      customerGets { value { ... on DiscountPercentage { percentage } } } } } }
    userErrors { field code message } } })";

json::object discount_input(const std::string& code, double percentage) {
    return json::object{
        {"d", json::object{{"title", "Spring " + code},
                           {"code", code},
                           {"startsAt", "2026-03-01T00:00:00Z"},
                           {"endsAt", "2030-03-08T00:00:00Z"},
                           {"customerSelection", json::object{{"all", true}}},
                           {"customerGets", json::object{{"value", json::object{{"percentage", percentage}}},
                                                         {"items", json::object{{"all", true}}}}}}}};
}

TEST_F(SimServerTest, DiscountCodesAreCreatedOnceAndDeactivated) {
    const json::value created = query(kCreateDiscount, discount_input("SPRING15", 0.15));
    const auto& payload = created.at("data").at("discountCodeBasicCreate");
    ASSERT_TRUE(payload.at("userErrors").as_array().empty()) << json::serialize(created);
    const auto& node = payload.at("codeDiscountNode");
    EXPECT_EQ(node.at("codeDiscount").at("codes").at("nodes").at(0).at("code").as_string(), "SPRING15");
    EXPECT_DOUBLE_EQ(node.at("codeDiscount").at("customerGets").at("value").at("percentage").as_double(), 0.15);
    const json::value found = query(R"({ codeDiscountNodeByCode(code: "spring15") { id } })");
    EXPECT_EQ(found.at("data").at("codeDiscountNodeByCode").at("id"), node.at("id"));

    const json::value taken = query(kCreateDiscount, discount_input("spring15", 0.2));
    const auto& taken_payload = taken.at("data").at("discountCodeBasicCreate");
    EXPECT_TRUE(taken_payload.at("codeDiscountNode").is_null());
    EXPECT_EQ(taken_payload.at("userErrors").at(0).at("code").as_string(), "TAKEN");
    EXPECT_EQ(taken_payload.at("userErrors").at(0).at("field"), (json::array{"basicCodeDiscount", "code"}));

    const json::value range = query(kCreateDiscount, discount_input("TOOMUCH", 1.5));
    const auto& range_error = range.at("data").at("discountCodeBasicCreate").at("userErrors").at(0);
    EXPECT_EQ(range_error.at("code").as_string(), "VALUE_OUTSIDE_RANGE");
    EXPECT_EQ(range_error.at("field").as_array().back().as_string(), "percentage");

    const json::value off = query(R"(mutation($id: ID!) { discountCodeDeactivate(id: $id) {
        codeDiscountNode { codeDiscount { ... on DiscountCodeBasic { status } } } userErrors { code } } })",
                                  json::object{{"id", node.at("id")}});
    EXPECT_EQ(
        off.at("data").at("discountCodeDeactivate").at("codeDiscountNode").at("codeDiscount").at("status").as_string(),
        "EXPIRED");
    const json::value missing = query(
        R"(mutation { discountCodeDeactivate(id: "gid://shopify/DiscountCodeNode/999999") { codeDiscountNode { id } userErrors { code field message } } })");
    EXPECT_EQ(missing.at("data").at("discountCodeDeactivate").at("userErrors").at(0).at("code").as_string(), "INVALID");
}

TEST_F(SimServerTest, ProductUpdateAcceptsBothInputFormsAndRefusesUnknownIds) {
    const json::value list = query("{ products(first: 5, sortKey: ID) { nodes { id title } } }");
    const std::string id(list.at("data").at("products").at("nodes").at(3).at("id").as_string());
    const json::value updated =
        query(R"(mutation($p: ProductUpdateInput!) { productUpdate(product: $p) {
        product { id descriptionHtml updatedAt } userErrors { field message } } })",
              json::object{{"p", json::object{{"id", id}, {"descriptionHtml", "<p>New copy</p>"}}}});
    const auto& payload = updated.at("data").at("productUpdate");
    ASSERT_TRUE(payload.at("userErrors").as_array().empty()) << json::serialize(updated);
    EXPECT_EQ(payload.at("product").at("descriptionHtml").as_string(), "<p>New copy</p>");
    const json::value legacy = query(
        R"(mutation($i: ProductInput!) { productUpdate(input: $i) { product { title } userErrors { message } } })",
        json::object{{"i", json::object{{"id", id}, {"title", "Renamed"}}}});
    EXPECT_EQ(legacy.at("data").at("productUpdate").at("product").at("title").as_string(), "Renamed");
    const json::value reread =
        query("query($id: ID!) { product(id: $id) { title descriptionHtml } }", json::object{{"id", id}});
    EXPECT_EQ(reread.at("data").at("product").at("title").as_string(), "Renamed");
    EXPECT_EQ(reread.at("data").at("product").at("descriptionHtml").as_string(), "<p>New copy</p>");
    const json::value missing = query(
        R"(mutation { productUpdate(product: {id: "gid://shopify/Product/1", title: "x"}) { product { id } userErrors { field message } } })");
    const auto& err = missing.at("data").at("productUpdate");
    EXPECT_TRUE(err.at("product").is_null());
    EXPECT_EQ(err.at("userErrors").at(0).at("field"), (json::array{"id"}));
    EXPECT_EQ(err.at("userErrors").at(0).at("message").as_string(), "Product does not exist");
    const json::value blank =
        query(R"(mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { field message } } })",
              json::object{{"p", json::object{{"id", id}, {"title", ""}}}});
    EXPECT_EQ(blank.at("data").at("productUpdate").at("userErrors").at(0).at("message").as_string(),
              "Title can't be blank");
}

TEST_F(SimServerTest, VariantPricesChangeInBulkAndNegativePricesAreRefused) {
    const json::value list =
        query("{ products(first: 5, sortKey: ID) { nodes { id variants(first: 5) { nodes { id price } } } } }");
    const auto& product = list.at("data").at("products").at("nodes").at(4);
    const std::string pid(product.at("id").as_string());
    const std::string vid(product.at("variants").at("nodes").at(0).at("id").as_string());
    const std::string m =
        R"(mutation($pid: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $pid, variants: $v) {
        productVariants { id price compareAtPrice } userErrors { field code message } } })";
    const json::value ok = query(
        m,
        json::object{{"pid", pid},
                     {"v", json::array{json::object{{"id", vid}, {"price", "19.99"}, {"compareAtPrice", "24.50"}}}}});
    const auto& payload = ok.at("data").at("productVariantsBulkUpdate");
    ASSERT_TRUE(payload.at("userErrors").as_array().empty()) << json::serialize(ok);
    EXPECT_EQ(payload.at("productVariants").at(0).at("price").as_string(), "19.99");
    const json::value reread =
        query("query($id: ID!) { productVariant(id: $id) { price compareAtPrice } }", json::object{{"id", vid}});
    EXPECT_EQ(reread.at("data").at("productVariant").at("compareAtPrice").as_string(), "24.50");
    const json::value negative =
        query(m, json::object{{"pid", pid}, {"v", json::array{json::object{{"id", vid}, {"price", "-1.00"}}}}});
    const auto& err = negative.at("data").at("productVariantsBulkUpdate").at("userErrors").at(0);
    EXPECT_EQ(err.at("code").as_string(), "NEGATIVE_PRICE_VALUE");
    EXPECT_EQ(err.at("field"), (json::array{"variants", "0", "price"}));
    const json::value no_product =
        query(m, json::object{{"pid", "gid://shopify/Product/5"}, {"v", json::array{json::object{{"id", vid}}}}});
    EXPECT_EQ(no_product.at("data").at("productVariantsBulkUpdate").at("userErrors").at(0).at("code").as_string(),
              "PRODUCT_DOES_NOT_EXIST");
}

TEST_F(SimServerTest, InventoryAdjustmentsChangeAvailableStock) {
    const json::value before = query(R"({ inventoryItems(first: 1) { nodes { id inventoryLevels(first: 1) { nodes {
        location { id } quantities(names: ["available"]) { quantity } } } } } })");
    const auto& item = before.at("data").at("inventoryItems").at("nodes").at(0);
    const std::string item_id(item.at("id").as_string());
    const auto& level = item.at("inventoryLevels").at("nodes").at(0);
    const std::string location(level.at("location").at("id").as_string());
    const std::int64_t available = level.at("quantities").at(0).at("quantity").as_int64();
    const std::string m =
        R"(mutation($input: InventoryAdjustQuantitiesInput!) { inventoryAdjustQuantities(input: $input) {
        inventoryAdjustmentGroup { reason changes { name delta quantityAfterChange } } userErrors { field code message } } })";
    const auto input = [&](const std::string& name) {
        return json::object{{"input", json::object{{"reason", "correction"},
                                                   {"name", name},
                                                   {"changes", json::array{json::object{{"delta", 5},
                                                                                        {"inventoryItemId", item_id},
                                                                                        {"locationId", location}}}}}}};
    };
    const json::value ok = query(m, input("available"));
    const auto& group = ok.at("data").at("inventoryAdjustQuantities").at("inventoryAdjustmentGroup");
    ASSERT_FALSE(group.is_null()) << json::serialize(ok);
    EXPECT_EQ(group.at("changes").at(0).at("quantityAfterChange").as_int64(), available + 5);
    const json::value bad = query(m, input("sold"));
    EXPECT_EQ(bad.at("data").at("inventoryAdjustQuantities").at("userErrors").at(0).at("code").as_string(),
              "INVALID_QUANTITY_NAME");
    const json::value after = query(
        "query($id: ID!) { inventoryItem(id: $id) { inventoryLevels(first: 1) { nodes { quantities(names: "
        "[\"available\"]) { quantity } } } } }",
        json::object{{"id", item_id}});
    EXPECT_EQ(after.at("data")
                  .at("inventoryItem")
                  .at("inventoryLevels")
                  .at("nodes")
                  .at(0)
                  .at("quantities")
                  .at(0)
                  .at("quantity")
                  .as_int64(),
              available + 5);
}

// ---- webhooks --------------------------------------------------------------------------------------------------

TEST_F(SimServerTest, WebhooksArriveSignedWithShopifysHeaders) {
    testing::WebhookReceiver receiver(1);  // the first attempt fails: the simulator retries
    const std::string m =
        R"(mutation($topic: WebhookSubscriptionTopic!, $url: URL!) { webhookSubscriptionCreate(topic: $topic,
        webhookSubscription: {callbackUrl: $url, format: JSON}) { webhookSubscription { id topic uri } userErrors { field message } } })";
    for (const char* topic : {"ORDERS_CREATE", "PRODUCTS_UPDATE"}) {
        const json::value r = query(m, json::object{{"topic", topic}, {"url", receiver.url()}});
        ASSERT_TRUE(r.at("data").at("webhookSubscriptionCreate").at("userErrors").as_array().empty())
            << json::serialize(r);
    }
    const json::value dup = query(m, json::object{{"topic", "ORDERS_CREATE"}, {"url", receiver.url()}});
    EXPECT_EQ(dup.at("data").at("webhookSubscriptionCreate").at("userErrors").at(0).at("message").as_string(),
              "Address for this topic has already been taken");

    const auto placed = http_call(port(), "POST", std::string("/_sim/shops/") + kShop + "/orders",
                                  {{"Content-Type", "application/json"}}, "{}");
    ASSERT_EQ(placed.status, 201U) << placed.body;
    testing::ReceivedWebhook hook;
    ASSERT_TRUE(receiver.wait_for("orders/create", hook));
    EXPECT_TRUE(verify_webhook_hmac("alatar-dev-secret", hook.body, hook.headers.at("x-shopify-hmac-sha256")));
    EXPECT_EQ(hook.headers.at("x-shopify-shop-domain"), kShop);
    EXPECT_EQ(hook.headers.at("x-shopify-api-version"), "2026-01");
    EXPECT_FALSE(hook.headers.at("x-shopify-webhook-id").empty());
    const json::value order = json::parse(hook.body);
    EXPECT_EQ(order.at("admin_graphql_api_id"), placed.json().at("order").at("id"));
    EXPECT_GE(receiver.attempts(), 2U);

    const json::value list = query("{ products(first: 1) { nodes { id } } }");
    const std::string pid(list.at("data").at("products").at("nodes").at(0).at("id").as_string());
    query(R"(mutation($p: ProductUpdateInput!) { productUpdate(product: $p) { userErrors { message } } })",
          json::object{{"p", json::object{{"id", pid}, {"vendor", "Webhook Vendor"}}}});
    ASSERT_TRUE(receiver.wait_for("products/update", hook));
    EXPECT_TRUE(verify_webhook_hmac("alatar-dev-secret", hook.body, hook.headers.at("x-shopify-hmac-sha256")));
    EXPECT_EQ(json::parse(hook.body).at("vendor").as_string(), "Webhook Vendor");
}

TEST(SimUninstall, UninstallRevokesTokensAndSendsAppUninstalled) {
    SimServer sim(tiny_options(), alatar::Logger::null());
    sim.start();
    const std::string token = issue_token(sim.port(), kAllScopes);
    testing::WebhookReceiver receiver;
    const json::value r =
        gql(sim.port(), token, R"(mutation($url: URL!) { webhookSubscriptionCreate(topic: APP_UNINSTALLED,
        webhookSubscription: {callbackUrl: $url}) { userErrors { message } } })",
            json::object{{"url", receiver.url()}});
    ASSERT_TRUE(r.at("data").at("webhookSubscriptionCreate").at("userErrors").as_array().empty());
    EXPECT_EQ(http_call(sim.port(), "POST", std::string("/_sim/shops/") + kShop + "/uninstall").status, 200U);
    testing::ReceivedWebhook hook;
    ASSERT_TRUE(receiver.wait_for("app/uninstalled", hook));
    EXPECT_EQ(json::parse(hook.body).at("myshopify_domain").as_string(), kShop);
    EXPECT_EQ(post_graphql(sim.port(), token, "{ shop { name } }").status, 401U);
}

// ---- bulk operations -------------------------------------------------------------------------------------------

TEST(SimBulk, BulkQueryCompletesWithChildrenOutOfOrder) {
    SimServer sim(tiny_options(), alatar::Logger::null());
    sim.start();
    const std::string token = issue_token(sim.port(), kAllScopes);
    const std::string bulk =
        R"({ orders { edges { node { id name lineItems { edges { node { id quantity sku } } } } } } })";
    const json::value started = gql(sim.port(), token, R"(mutation($q: String!) { bulkOperationRunQuery(query: $q) {
        bulkOperation { id status } userErrors { field message } } })",
                                    json::object{{"q", bulk}});
    const auto& payload = started.at("data").at("bulkOperationRunQuery");
    ASSERT_TRUE(payload.at("userErrors").as_array().empty()) << json::serialize(started);
    json::value op;
    for (int i = 0; i < 600; ++i) {
        op = gql(sim.port(), token,
                 "{ currentBulkOperation { id status errorCode objectCount rootObjectCount fileSize url } }")
                 .at("data")
                 .at("currentBulkOperation");
        if (op.at("status") == "COMPLETED" || op.at("status") == "FAILED") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(op.at("status").as_string(), "COMPLETED") << json::serialize(op);
    EXPECT_EQ(op.at("id"), payload.at("bulkOperation").at("id"));
    const std::string url(op.at("url").as_string());
    const auto path = url.substr(url.find("/bulk/"));
    const auto file = http_call(sim.port(), "GET", path);
    ASSERT_EQ(file.status, 200U);
    EXPECT_EQ(std::to_string(file.body.size()), op.at("fileSize").as_string());

    std::map<std::string, std::size_t> line_of;  // id -> line number
    std::size_t lines = 0;
    std::size_t roots = 0;
    std::size_t displaced = 0;
    std::string last_root;
    std::size_t pos = 0;
    while (pos < file.body.size()) {
        const auto end = file.body.find('\n', pos);
        const json::value line = json::parse(file.body.substr(pos, end - pos));
        pos = end + 1;
        const std::string id(line.at("id").as_string());
        line_of[id] = lines++;
        if (const auto* parent = line.as_object().if_contains("__parentId")) {
            EXPECT_TRUE(id.starts_with("gid://shopify/LineItem/"));
            ASSERT_EQ(line_of.count(std::string(parent->as_string())), 1U) << "child before its parent";
            if (parent->as_string() != last_root) ++displaced;
        } else {
            EXPECT_TRUE(id.starts_with("gid://shopify/Order/"));
            last_root = id;
            ++roots;
        }
    }
    EXPECT_EQ(std::to_string(lines), op.at("objectCount").as_string());
    EXPECT_EQ(std::to_string(roots), op.at("rootObjectCount").as_string());
    const json::value count = gql(sim.port(), token, "{ ordersCount(limit: null) { count } }");
    EXPECT_EQ(static_cast<std::int64_t>(roots), count.at("data").at("ordersCount").at("count").as_int64());
    EXPECT_GT(displaced, 0U) << "every child was next to its parent";

    const json::value invalid = gql(sim.port(), token, R"(mutation { bulkOperationRunQuery(query: "{ shop { name } }") {
        bulkOperation { id } userErrors { code message } } })");
    EXPECT_EQ(invalid.at("data").at("bulkOperationRunQuery").at("userErrors").at(0).at("code").as_string(), "INVALID");

    // As in Shopify, no connection inside a list field (Order.refunds is a list, Refund.refundLineItems a
    // connection), while the list's own fields are fine.
    const auto bulk_errors = [&](std::string_view query) {
        return gql(sim.port(), token,
                   "mutation($q: String!) { bulkOperationRunQuery(query: $q) { userErrors { code message } } }",
                   json::object{{"q", query}})
            .at("data")
            .at("bulkOperationRunQuery")
            .at("userErrors")
            .as_array();
    };
    const auto nested = bulk_errors(
        "{ orders { edges { node { id refunds { id refundLineItems { edges { node { id quantity } } } } } } } }");
    ASSERT_EQ(nested.size(), 1U);
    EXPECT_EQ(nested.at(0).at("code").as_string(), "INVALID");
    EXPECT_NE(std::string(nested.at(0).at("message").as_string()).find("within a list field"), std::string::npos);
}

// ---- faults ----------------------------------------------------------------------------------------------------

class SimFaultTest : public ::testing::Test {
  protected:
    void SetUp() override {
        sim_ = std::make_unique<SimServer>(tiny_options(), alatar::Logger::null());
        sim_->start();
        token_ = issue_token(sim_->port(), kAllScopes);
    }
    HttpReply set_faults(const json::object& faults) {
        return http_call(sim_->port(), "POST", "/_sim/faults", {{"Content-Type", "application/json"}},
                         json::serialize(faults));
    }
    HttpReply shop_query(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
        return post_graphql(sim_->port(), token_, "{ shop { name } }", {}, timeout);
    }
    std::unique_ptr<SimServer> sim_;
    std::string token_;
};

TEST_F(SimFaultTest, ServerErrorsAreServedAtTheirRate) {
    for (const auto& [fault, status] : std::vector<std::pair<std::string, unsigned>>{
             {"error_rate_500", 500}, {"error_rate_502", 502}, {"error_rate_503", 503}}) {
        ASSERT_EQ(set_faults(json::object{{fault, 1.0}}).status, 200U);
        EXPECT_EQ(shop_query().status, status) << fault;
        ASSERT_EQ(set_faults(json::object{{fault, 0.0}}).status, 200U);
        EXPECT_EQ(shop_query().status, 200U);
    }
    ASSERT_EQ(set_faults(json::object{{"error_rate_500", 0.5}}).status, 200U);
    int errors = 0;
    for (int i = 0; i < 40; ++i) errors += shop_query().status == 500 ? 1 : 0;
    EXPECT_GT(errors, 5);
    EXPECT_LT(errors, 35);
    EXPECT_EQ(set_faults(json::object{{"error_rate_500", 2.0}}).status, 400U);
    EXPECT_EQ(set_faults(json::object{{"no_such_fault", 1}}).status, 400U);
}

TEST_F(SimFaultTest, LatencyTimeoutsAndMalformedJson) {
    ASSERT_EQ(set_faults(json::object{{"latency_ms", 300}}).status, 200U);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(shop_query().status, 200U);
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(300));
    ASSERT_EQ(set_faults(json::object{{"latency_ms", 0}, {"timeout_rate", 1.0}, {"timeout_ms", 3000}}).status, 200U);
    EXPECT_EQ(shop_query(std::chrono::milliseconds(500)).status, 0U);  // no answer within the client's timeout
    ASSERT_EQ(set_faults(json::object{{"timeout_rate", 0.0}, {"malformed_json_rate", 1.0}}).status, 200U);
    const auto broken = shop_query();
    EXPECT_EQ(broken.status, 200U);
    EXPECT_TRUE(broken.json().is_null()) << broken.body;
}

TEST_F(SimFaultTest, ThrottlePressureAndRevokedTokens) {
    ASSERT_EQ(set_faults(json::object{{"throttle_pressure", 1.0}}).status, 200U);
    const auto throttled = shop_query();
    EXPECT_EQ(throttled.json().at("errors").at(0).at("extensions").at("code").as_string(), "THROTTLED");
    ASSERT_EQ(set_faults(json::object{{"throttle_pressure", 0.0}}).status, 200U);
    const auto revoked = set_faults(json::object{{"revoke_token", kShop}});
    ASSERT_EQ(revoked.status, 200U);
    EXPECT_GE(revoked.json().at("revoked_tokens").as_int64(), 1);
    EXPECT_EQ(shop_query().status, 401U);
    EXPECT_EQ(http_call(sim_->port(), "GET", "/_sim/healthz").status, 200U);
}

}  // namespace
}  // namespace alatar::shopify_sim
