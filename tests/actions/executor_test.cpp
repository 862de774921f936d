// The action executor and the decisions against the real simulator and a private database: each kind approved
// and visible in the store, undone, userErrors surfaced as FAILED, a stale target EXPIRED, a missing scope
// refused without a call, double and concurrent approvals decided once, another user's proposal unreachable,
// edited parameters checked by rule, a crash between the call and the commit executed once, and the audit trail.
#include "actions/executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "actions/decisions.hpp"
#include "actions/proposals.hpp"
#include "actions/target.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sim_process.hpp"

namespace alatar::actions {
namespace {

namespace json = boost::json;
using intelligence::ActionKind;

constexpr const char* kShop = "actions.myshopify.test";
const std::vector<std::string> kAllScopes = {"read_products",  "write_products",  "read_inventory", "write_inventory",
                                             "read_discounts", "write_discounts", "read_orders"};

std::string iso_in(std::chrono::hours h) {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + h);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf.data();
}

struct Catalog {
    std::string product_id;
    std::string variant_id;
    std::string price;
    std::string item_id;
    std::string location_id;
    std::int64_t available = 0;
};

class ActionsTest : public ::testing::Test {
  protected:
    static shopify::testing::SimSuite& suite() {
        static shopify::testing::SimSuite s;
        return s;
    }
    static void SetUpTestSuite() { suite().open("tiny", {kShop}); }
    static void TearDownTestSuite() { suite().close(); }

    void SetUp() override {
        ASSERT_TRUE(suite().error.empty()) << suite().error;
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = suite().database.url(), .size = 4}, Logger::null());
        shopify::AdminClientOptions options;
        options.shop_url_template = suite().sim->shop_url_template();
        options.base_backoff = std::chrono::milliseconds(10);
        client_ = std::make_unique<shopify::AdminClient>(http_, options, Logger::null());
        token_ = suite().sim->issue_token(kShop);
        user_ = new_user();
        store_ = link_store(user_, kAllScopes);
        request_ = new_request(user_, store_);
        executor_ = std::make_unique<ActionExecutor>(ExecutorOptions{.database_url = suite().database.url(),
                                                                     .worker_name = "test",
                                                                     .in_flight_grace = std::chrono::milliseconds(0)},
                                                     *pool_, *client_, keyring_, Logger::null());
    }

    std::string new_user() {
        return pool_->query_blocking("INSERT INTO users DEFAULT VALUES RETURNING id::text").scalar<std::string>();
    }
    std::string link_store(const std::string& user, const std::vector<std::string>& scopes) {
        return pool_
            ->query_blocking(
                "INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id, scopes) "
                "VALUES ($1, $2, convert_to($3, 'UTF8'), $4, $5) RETURNING id::text",
                db::Params{user, std::string(kShop), keyring_.encrypt(token_, shopify::token_associated_data(kShop)),
                           keyring_.current_kid(), scopes})
            .scalar<std::string>();
    }
    std::string new_request(const std::string& user, const std::string& store) {
        return pool_
            ->query_blocking(
                "INSERT INTO analysis_requests (user_id, store_id, prompt) VALUES ($1, $2, 'test') RETURNING id::text",
                db::Params{user, store})
            .scalar<std::string>();
    }

    json::value admin(std::string_view document, const json::object& variables = {}) {
        return client_
            ->query(shopify::ShopCredentials{kShop, token_}, document, variables,
                    Deadline::after(std::chrono::seconds(30)))
            .data;
    }

    // The first stocked variant of the first product (a fresh product per call index keeps tests independent).
    Catalog catalog(std::size_t index) {
        const auto data = admin(
            "query { products(first: 20) { nodes { id variants(first: 1) { nodes { id price inventoryItem { id "
            "inventoryLevels(first: 1) { nodes { location { id } quantities(names: [\"available\"]) { quantity } } } "
            "} } } } } }");
        const auto& products = data.at("products").at("nodes").as_array();
        if (index >= products.size()) throw std::runtime_error("the tiny shop has too few products");
        const auto& product = products[index];
        const auto& variant = product.at("variants").at("nodes").as_array().at(0);
        const auto& level = variant.at("inventoryItem").at("inventoryLevels").at("nodes").as_array().at(0);
        return Catalog{.product_id = std::string(product.at("id").as_string()),
                       .variant_id = std::string(variant.at("id").as_string()),
                       .price = std::string(variant.at("price").as_string()),
                       .item_id = std::string(variant.at("inventoryItem").at("id").as_string()),
                       .location_id = std::string(level.at("location").at("id").as_string()),
                       .available = level.at("quantities").as_array().at(0).at("quantity").to_number<std::int64_t>()};
    }

    std::string propose(ActionKind kind, const json::object& parameters, const std::string& user = {},
                        const std::string& store = {}, const std::string& request = {}) {
        TargetReader reader(*client_, shopify::ShopCredentials{kShop, token_},
                            Deadline::after(std::chrono::seconds(30)));
        NewProposal n;
        n.request_id = request.empty() ? request_ : request;
        n.store_id = store.empty() ? store_ : store;
        n.user_id = user.empty() ? user_ : user;
        n.kind = kind;
        n.title = "test proposal";
        const auto check = intelligence::validate_proposal(kind, parameters, {.now = now_seconds()});
        EXPECT_TRUE(check.ok()) << (check.ok() ? "" : check.violations[0].rule + " " + check.violations[0].message);
        n.parameters = check.parameters;
        n.live = reader.read(kind, parameters);
        n.granted_scopes = kAllScopes;
        n.now = std::chrono::system_clock::now();
        return pool_->transact_blocking([&](db::Transaction& tx) { return insert_proposal(tx, n, "system"); });
    }

    static intelligence::Instant now_seconds() {
        return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    }

    std::string status_of(const std::string& id) {
        return pool_->query_blocking("SELECT status FROM action_proposals WHERE id::text = $1", db::Params{id})
            .scalar<std::string>();
    }
    json::value outcome_of(const std::string& id) {
        const auto r =
            pool_->query_blocking("SELECT outcome::text FROM action_proposals WHERE id::text = $1", db::Params{id});
        return r.is_null(0, 0) ? json::value(nullptr) : json::parse(r.get<std::string>(0, 0));
    }
    std::int64_t queued_executions(const std::string& id) {
        return pool_
            ->query_blocking(
                "SELECT count(*) FROM outbox WHERE topic = 'actions' AND payload::text LIKE '%' || $1 || '%'",
                db::Params{id})
            .scalar<std::int64_t>();
    }
    std::vector<std::string> audit_actions(const std::string& id) {
        const auto r = pool_->query_blocking("SELECT action FROM audit_log WHERE subject = $1 ORDER BY id",
                                             db::Params{"action_proposal:" + id});
        std::vector<std::string> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(r.get<std::string>(i, 0));
        return out;
    }

    json::object discount(const std::string& code) {
        return json::object{{"title", "Test " + code},
                            {"code", code},
                            {"percentage", 15},
                            {"scope", json::object{{"type", "ALL"}}},
                            {"startsAt", iso_in(std::chrono::hours(24))},
                            {"endsAt", iso_in(std::chrono::hours(24 * 15))}};
    }
    json::value discount_node(const std::string& code) {
        return admin(
                   "query($code: String!) { codeDiscountNodeByCode(code: $code) { id codeDiscount { ... on "
                   "DiscountCodeBasic { status title } } } }",
                   json::object{{"code", code}})
            .at("codeDiscountNodeByCode");
    }
    std::string description(const std::string& product) {
        return std::string(
            admin("query($id: ID!) { product(id: $id) { descriptionHtml } }", json::object{{"id", product}})
                .at("product")
                .at("descriptionHtml")
                .as_string());
    }
    std::string price(const std::string& variant) {
        return std::string(admin("query($id: ID!) { productVariant(id: $id) { price } }", json::object{{"id", variant}})
                               .at("productVariant")
                               .at("price")
                               .as_string());
    }
    std::int64_t available(const Catalog& c) {
        return admin(
                   "query($i: ID!, $l: ID!) { inventoryItem(id: $i) { inventoryLevel(locationId: $l) { "
                   "quantities(names: [\"available\"]) { quantity } } } }",
                   json::object{{"i", c.item_id}, {"l", c.location_id}})
            .at("inventoryItem")
            .at("inventoryLevel")
            .at("quantities")
            .as_array()
            .at(0)
            .at("quantity")
            .to_number<std::int64_t>();
    }

    Actor owner() const { return Actor{.user_id = user_, .trace_id = "trace-test"}; }

    shopify::CurlHttpClient http_;
    crypto::Keyring keyring_ = crypto::Keyring::parse(crypto::Keyring::generate_key_base64());
    std::unique_ptr<db::Pool> pool_;
    std::unique_ptr<shopify::AdminClient> client_;
    std::unique_ptr<ActionExecutor> executor_;
    std::string token_;
    std::string user_;
    std::string store_;
    std::string request_;
};

TEST_F(ActionsTest, DiscountIsCreatedOnceAndDeactivatedByUndo) {
    const std::string code = "SAVE" + std::to_string(std::time(nullptr) % 100000);
    const auto id = propose(ActionKind::kCreateDiscountCode, discount(code));
    EXPECT_TRUE(discount_node(code).is_null());
    Decisions decisions(*pool_);
    const auto approved = decisions.approve(owner(), id, std::nullopt);
    ASSERT_TRUE(approved.ok()) << approved.message;
    EXPECT_EQ(approved.status, "APPROVED");
    EXPECT_EQ(queued_executions(id), 1);
    EXPECT_EQ(executor_->run(id), "SUCCEEDED");
    const auto node = discount_node(code);
    ASSERT_TRUE(node.is_object());
    EXPECT_EQ(node.at("codeDiscount").at("status"), "SCHEDULED");
    // A duplicate delivery changes nothing.
    EXPECT_EQ(executor_->run(id), "SUCCEEDED");
    EXPECT_EQ(outcome_of(id).at("succeeded"), true);

    ASSERT_TRUE(decisions.undo(owner(), id).ok());
    EXPECT_EQ(executor_->run(id), "UNDONE");
    EXPECT_EQ(discount_node(code).at("codeDiscount").at("status"), "EXPIRED");
    const auto trail = audit_actions(id);
    const std::vector<std::string> expected = {"proposal.created",  "proposal.approved",       "execution.attempt",
                                               "execution.outcome", "proposal.undo_requested", "execution.attempt",
                                               "undo.outcome"};
    EXPECT_EQ(trail, expected);
}

TEST_F(ActionsTest, DescriptionChangeAndUndo) {
    const auto c = catalog(0);
    const auto before = description(c.product_id);
    const auto id =
        propose(ActionKind::kUpdateProductDescription,
                json::object{{"productId", c.product_id}, {"descriptionHtml", "<p>Hand made, <em>warm</em>.</p>"}});
    Decisions decisions(*pool_);
    ASSERT_TRUE(decisions.approve(owner(), id, std::nullopt).ok());
    EXPECT_EQ(executor_->run(id), "SUCCEEDED");
    EXPECT_EQ(description(c.product_id), "<p>Hand made, <em>warm</em>.</p>");
    ASSERT_TRUE(decisions.undo(owner(), id).ok());
    EXPECT_EQ(executor_->run(id), "UNDONE");
    EXPECT_EQ(description(c.product_id), before);
}

TEST_F(ActionsTest, PriceChangeAndUndo) {
    const auto c = catalog(1);
    const auto old_milli = *intelligence::parse_decimal_milli(c.price);
    const std::string new_price = intelligence::format_decimal(old_milli / 10 * 11 / 10, 2);
    const auto id = propose(ActionKind::kUpdateProductPrice, json::object{{"productId", c.product_id},
                                                                          {"variantId", c.variant_id},
                                                                          {"currentPrice", c.price},
                                                                          {"newPrice", new_price}});
    Decisions decisions(*pool_);
    ASSERT_TRUE(decisions.approve(owner(), id, std::nullopt).ok());
    EXPECT_EQ(executor_->run(id), "SUCCEEDED");
    EXPECT_TRUE(same_amount(price(c.variant_id), new_price));
    ASSERT_TRUE(decisions.undo(owner(), id).ok());
    EXPECT_EQ(executor_->run(id), "UNDONE");
    EXPECT_TRUE(same_amount(price(c.variant_id), c.price));
}

TEST_F(ActionsTest, InventoryAdjustmentAndUndo) {
    const auto c = catalog(2);
    const auto id = propose(ActionKind::kAdjustInventory, json::object{{"inventoryItemId", c.item_id},
                                                                       {"locationId", c.location_id},
                                                                       {"currentAvailable", c.available},
                                                                       {"delta", 7},
                                                                       {"reason", "restock"}});
    Decisions decisions(*pool_);
    ASSERT_TRUE(decisions.approve(owner(), id, std::nullopt).ok());
    EXPECT_EQ(executor_->run(id), "SUCCEEDED");
    EXPECT_EQ(available(c), c.available + 7);
    ASSERT_TRUE(decisions.undo(owner(), id).ok());
    EXPECT_EQ(executor_->run(id), "UNDONE");
    EXPECT_EQ(available(c), c.available);
}

TEST_F(ActionsTest, CrashBetweenCallAndCommitExecutesOnce) {
    const auto c = catalog(3);
    const auto id = propose(ActionKind::kAdjustInventory, json::object{{"inventoryItemId", c.item_id},
                                                                       {"locationId", c.location_id},
                                                                       {"currentAvailable", c.available},
                                                                       {"delta", 5},
                                                                       {"reason", "received"}});
    ASSERT_TRUE(Decisions(*pool_).approve(owner(), id, std::nullopt).ok());
    executor_->after_call = [] { throw std::runtime_error("worker died after the Shopify call"); };
    EXPECT_THROW(executor_->run(id), std::runtime_error);
    EXPECT_EQ(status_of(id), "EXECUTING");
    EXPECT_EQ(available(c), c.available + 5);
    executor_->after_call = nullptr;
    EXPECT_EQ(executor_->run(id), "SUCCEEDED");  // the redelivery finds the write and does not repeat it
    EXPECT_EQ(available(c), c.available + 5);
    EXPECT_EQ(outcome_of(id).at("recovered"), true);
}

TEST_F(ActionsTest, UserErrorsBecomeFailedWithShopifysMessage) {
    const std::string code = "BAD" + std::to_string(std::time(nullptr) % 100000);
    auto params = discount(code);
    params["scope"] =
        json::object{{"type", "PRODUCTS"}, {"productIds", json::array{"gid://shopify/Product/999999999"}}};
    const auto id = propose(ActionKind::kCreateDiscountCode, params);
    ASSERT_TRUE(Decisions(*pool_).approve(owner(), id, std::nullopt).ok());
    EXPECT_EQ(executor_->run(id), "FAILED");
    const auto outcome = outcome_of(id);
    EXPECT_EQ(outcome.at("succeeded"), false);
    ASSERT_FALSE(outcome.at("shopifyUserErrors").as_array().empty());
    EXPECT_NE(std::string(outcome.at("message").as_string())
                  .find("Product with id: gid://shopify/Product/999999999 is invalid"),
              std::string::npos)
        << outcome;
}

TEST_F(ActionsTest, StaleTargetExpiresWithTheReason) {
    const auto c = catalog(4);
    const auto old_milli = *intelligence::parse_decimal_milli(c.price);
    const auto id = propose(ActionKind::kUpdateProductPrice,
                            json::object{{"productId", c.product_id},
                                         {"variantId", c.variant_id},
                                         {"currentPrice", c.price},
                                         {"newPrice", intelligence::format_decimal(old_milli / 10 * 12 / 10, 2)}});
    // Someone changes the price in the store after the proposal was made.
    const std::string changed = intelligence::format_decimal(old_milli / 10 + 100, 2);
    admin(
        "mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) { productVariantsBulkUpdate(productId: $p, variants: "
        "$v) { userErrors { message } } }",
        json::object{{"p", c.product_id}, {"v", json::array{json::object{{"id", c.variant_id}, {"price", changed}}}}});
    ASSERT_TRUE(Decisions(*pool_).approve(owner(), id, std::nullopt).ok());
    EXPECT_EQ(executor_->run(id), "EXPIRED");
    EXPECT_TRUE(same_amount(price(c.variant_id), changed));  // not overwritten
    const auto reason =
        pool_->query_blocking("SELECT decision_reason FROM action_proposals WHERE id::text = $1", db::Params{id})
            .scalar<std::string>();
    EXPECT_NE(reason.find("the price is now"), std::string::npos) << reason;
}

TEST_F(ActionsTest, MissingScopeIsRefusedWithoutACall) {
    const auto user = new_user();
    const auto store = link_store(user, {"read_products", "read_discounts"});
    const auto request = new_request(user, store);
    const std::string code = "SCOPE" + std::to_string(std::time(nullptr) % 100000);
    const auto id = propose(ActionKind::kCreateDiscountCode, discount(code), user, store, request);
    const auto result = Decisions(*pool_).approve(Actor{.user_id = user, .trace_id = "t"}, id, std::nullopt);
    EXPECT_EQ(result.error, DecisionError::kMissingScope);
    EXPECT_NE(result.message.find("write_discounts"), std::string::npos) << result.message;
    EXPECT_EQ(status_of(id), "PENDING");
    EXPECT_EQ(queued_executions(id), 0);
    EXPECT_TRUE(discount_node(code).is_null());
}

TEST_F(ActionsTest, DoubleAndConcurrentApprovalsAreDecidedOnce) {
    const std::string code = "TWICE" + std::to_string(std::time(nullptr) % 100000);
    const auto id = propose(ActionKind::kCreateDiscountCode, discount(code));
    std::atomic<int> ok{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            const auto r = Decisions(*pool_).approve(owner(), id, std::nullopt);
            (r.ok() ? ok : refused)++;
            if (!r.ok()) {
                EXPECT_EQ(r.error, DecisionError::kWrongStatus);
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(refused.load(), 3);
    EXPECT_EQ(queued_executions(id), 1);
    const auto again = Decisions(*pool_).approve(owner(), id, std::nullopt);
    EXPECT_EQ(again.error, DecisionError::kWrongStatus);
    EXPECT_NE(again.message.find("APPROVED"), std::string::npos);
}

TEST_F(ActionsTest, AnotherUsersProposalIsNotFound) {
    const auto id =
        propose(ActionKind::kCreateDiscountCode, discount("OTHER" + std::to_string(std::time(nullptr) % 9999)));
    const Actor stranger{.user_id = new_user(), .trace_id = "t"};
    Decisions decisions(*pool_);
    EXPECT_EQ(decisions.approve(stranger, id, std::nullopt).error, DecisionError::kNotFound);
    EXPECT_EQ(decisions.reject(stranger, id, std::string("no")).error, DecisionError::kNotFound);
    EXPECT_EQ(decisions.undo(stranger, id).error, DecisionError::kNotFound);
    EXPECT_EQ(status_of(id), "PENDING");
}

TEST_F(ActionsTest, EditedParametersAreValidatedByRule) {
    const std::string code = "EDIT" + std::to_string(std::time(nullptr) % 100000);
    const auto id = propose(ActionKind::kCreateDiscountCode, discount(code));
    auto edited = discount(code);
    edited["percentage"] = 95;
    const auto result = Decisions(*pool_).approve(owner(), id, json::value(edited));
    EXPECT_EQ(result.error, DecisionError::kInvalid);
    EXPECT_NE(result.message.find("discount.percentage_range"), std::string::npos) << result.message;
    EXPECT_EQ(status_of(id), "PENDING");

    const auto c = catalog(5);
    const auto price_id = propose(ActionKind::kUpdateProductPrice, json::object{{"productId", c.product_id},
                                                                                {"variantId", c.variant_id},
                                                                                {"currentPrice", c.price},
                                                                                {"newPrice", c.price + "1"}});
    json::object cheat{
        {"productId", c.product_id}, {"variantId", c.variant_id}, {"currentPrice", "1000000"}, {"newPrice", "1400000"}};
    const auto refused = Decisions(*pool_).approve(owner(), price_id, json::value(cheat));
    EXPECT_EQ(refused.error, DecisionError::kInvalid);
    EXPECT_NE(refused.message.find("edit.fixed_field"), std::string::npos) << refused.message;
}

TEST_F(ActionsTest, RejectRecordsTheReasonAndEmailDraftNeedsNoStore) {
    const auto id =
        propose(ActionKind::kCreateDiscountCode, discount("REJ" + std::to_string(std::time(nullptr) % 99999)));
    ASSERT_TRUE(Decisions(*pool_).reject(owner(), id, std::string("too generous")).ok());
    EXPECT_EQ(status_of(id), "REJECTED");
    EXPECT_EQ(pool_->query_blocking("SELECT decision_reason FROM action_proposals WHERE id::text = $1", db::Params{id})
                  .scalar<std::string>(),
              "too generous");
    const auto email = propose(ActionKind::kDraftMarketingEmail,
                               json::object{{"subject", "We miss you"},
                                            {"bodyHtml", "<p>Come back for 10% off.</p>"},
                                            {"audience", json::object{{"segment", "lapsed_customers"}}}});
    const auto approved = Decisions(*pool_).approve(owner(), email, std::nullopt);
    ASSERT_TRUE(approved.ok()) << approved.message;
    EXPECT_EQ(status_of(email), "SUCCEEDED");
    EXPECT_EQ(queued_executions(email), 0);
}

TEST_F(ActionsTest, AuditTrailIsAppendOnly) {
    const auto id =
        propose(ActionKind::kCreateDiscountCode, discount("AUD" + std::to_string(std::time(nullptr) % 99999)));
    ASSERT_FALSE(audit_actions(id).empty());
    EXPECT_THROW(pool_->query_blocking("UPDATE audit_log SET actor = 'x' WHERE subject = $1",
                                       db::Params{"action_proposal:" + id}),
                 std::exception);
    EXPECT_THROW(pool_->query_blocking("DELETE FROM audit_log WHERE subject = $1", db::Params{"action_proposal:" + id}),
                 std::exception);
    const auto hash = pool_
                          ->query_blocking("SELECT params_hash FROM audit_log WHERE subject = $1 ORDER BY id LIMIT 1",
                                           db::Params{"action_proposal:" + id})
                          .scalar<std::string>();
    EXPECT_EQ(hash.size(), 64U);
}

}  // namespace
}  // namespace alatar::actions
