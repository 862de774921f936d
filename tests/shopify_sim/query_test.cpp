// Query cost, leaky bucket, search syntax and cursor pagination.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "shopify_sim/pagination.hpp"
#include "shopify_sim/query_cost.hpp"
#include "shopify_sim/search_query.hpp"

namespace alatar::shopify_sim {
namespace {

using Kind = CostSelection::Kind;

CostSelection leaf(std::string key) { return {Kind::kLeaf, std::move(key), 0, {}}; }
CostSelection object(std::string key, std::vector<CostSelection> children) {
    return {Kind::kObject, std::move(key), 0, std::move(children)};
}
CostSelection connection(std::string key, std::int64_t n, std::vector<CostSelection> node_fields) {
    return {Kind::kConnection, std::move(key), n, {object("nodes", std::move(node_fields))}};
}

TEST(QueryCost, SingleObjectCostsOne) {
    // product(id:) { id title handle }: the §3.6 example answers requestedQueryCost 1.
    const CostOperation op{false, {object("product", {leaf("id"), leaf("title"), leaf("handle")})}};
    EXPECT_EQ(requested_cost(op), 1);
}

TEST(QueryCost, ConnectionCostsTwoPlusPageSize) {
    const CostOperation op{false, {connection("products", 10, {leaf("id"), leaf("title")})}};
    EXPECT_EQ(requested_cost(op), 12);
    // edges { node { ... } } and pageInfo cost the same as nodes.
    const CostOperation edges{false,
                              {{Kind::kConnection,
                                "products",
                                10,
                                {object("edges", {leaf("cursor"), object("node", {leaf("id")})}),
                                 object("pageInfo", {leaf("hasNextPage")})}}}};
    EXPECT_EQ(requested_cost(edges), 12);
}

TEST(QueryCost, NestedSelectionsAreChargedPerNode) {
    const CostOperation op{
        false,
        {connection("products", 10,
                    {leaf("id"), connection("variants", 5, {leaf("sku")}), object("featuredImage", {leaf("url")})})}};
    EXPECT_EQ(requested_cost(op), 2 + 10 + 10 * ((2 + 5) + 1));
}

TEST(QueryCost, MutationCostsTen) {
    const CostOperation op{true, {object("productUpdate", {object("product", {leaf("id")})})}};
    EXPECT_EQ(requested_cost(op), kMutationCost);
}

TEST(QueryCost, BigNestedQueryExceedsTheSingleQueryLimit) {
    const CostOperation op{false, {connection("orders", 250, {connection("lineItems", 250, {leaf("id")})})}};
    EXPECT_GT(requested_cost(op), kMaxSingleQueryCost);
}

TEST(QueryCost, AlternativesCountTheMostExpensive) {
    const CostSelection alts{
        Kind::kAlternatives, "", 0, {object("A", {leaf("x")}), object("B", {object("y", {}), object("z", {})})}};
    const CostOperation op{false, {object("node", {alts})}};
    EXPECT_EQ(requested_cost(op), 1 + 2);
}

TEST(QueryCost, ActualCostCountsReturnedNodes) {
    const CostOperation op{false, {connection("products", 10, {leaf("id"), connection("variants", 5, {leaf("id")})})}};
    const auto data = boost::json::parse(R"({"products":{"nodes":[
        {"id":"1","variants":{"nodes":[{"id":"a"},{"id":"b"}]}},
        {"id":"2","variants":{"nodes":[{"id":"c"}]}},
        {"id":"3","variants":{"nodes":[]}}]}})");
    EXPECT_EQ(actual_cost(op, data), 2 + 3 + (2 + 2) + (2 + 1) + (2 + 0));
    EXPECT_EQ(actual_cost(op, boost::json::parse(R"({"products":null})")), 0);
    const CostOperation single{false, {object("product", {leaf("id")})}};
    EXPECT_EQ(actual_cost(single, boost::json::parse(R"({"product":null})")), 0);
}

TEST(LeakyBucket, ChargesRefusesRefillsAndRefunds) {
    LeakyBucket bucket({100, 50}, 0.0);
    EXPECT_TRUE(bucket.try_charge(80, 0.0));
    EXPECT_DOUBLE_EQ(bucket.status(0.0).currently_available, 20);
    EXPECT_FALSE(bucket.try_charge(30, 0.0));
    EXPECT_DOUBLE_EQ(bucket.status(0.0).currently_available, 20);  // a refusal takes nothing
    EXPECT_TRUE(bucket.try_charge(30, 0.2));                       // 20 + 0.2 s * 50 = 30
    EXPECT_DOUBLE_EQ(bucket.status(0.2).currently_available, 0);
    bucket.refund(25, 0.2);
    EXPECT_DOUBLE_EQ(bucket.status(0.2).currently_available, 25);
    EXPECT_DOUBLE_EQ(bucket.status(100.0).currently_available, 100);  // never above the maximum
    bucket.drain_to(5, 100.0);
    EXPECT_DOUBLE_EQ(bucket.status(100.0).currently_available, 5);
}

TEST(LeakyBucket, PlansAndWaitTime) {
    EXPECT_DOUBLE_EQ(bucket_for_plan("Standard").restore_rate, 100);
    EXPECT_DOUBLE_EQ(bucket_for_plan("Advanced").restore_rate, 200);
    EXPECT_DOUBLE_EQ(bucket_for_plan("Plus").restore_rate, 1000);
    EXPECT_DOUBLE_EQ(bucket_for_plan("Enterprise").restore_rate, 2000);
    EXPECT_DOUBLE_EQ(seconds_until_available({1000, 666, 50}, 752), (752.0 - 666.0) / 50.0);
    EXPECT_DOUBLE_EQ(seconds_until_available({1000, 800, 50}, 752), 0);
}

TEST(LeakyBucket, RegistryKeepsOneBucketPerAppAndShop) {
    BucketRegistry registry;
    const BucketConfig cfg{100, 10};
    EXPECT_TRUE(registry.charge("app", "a", cfg, 90, 0).allowed);
    EXPECT_FALSE(registry.charge("app", "a", cfg, 20, 0).allowed);
    EXPECT_TRUE(registry.charge("app", "b", cfg, 20, 0).allowed);
    EXPECT_TRUE(registry.charge("other", "a", cfg, 20, 0).allowed);
    EXPECT_DOUBLE_EQ(registry.refund("app", "a", 5, 0).currently_available, 15);
}

TEST(CostJson, ShapesMatchShopify) {
    const auto ext = cost_extension(12, 5, {2000, 1988.6, 100});
    EXPECT_EQ(
        boost::json::serialize(ext),
        R"({"requestedQueryCost":12,"actualQueryCost":5,"throttleStatus":{"maximumAvailable":2E3,"currentlyAvailable":1988,"restoreRate":1E2}})");
    const auto throttled = throttled_response(752, {1000, 666, 50});
    EXPECT_FALSE(throttled.contains("data"));
    EXPECT_EQ(throttled.at("errors").as_array()[0].at("extensions").at("code"), "THROTTLED");
    EXPECT_TRUE(throttled.at("extensions").at("cost").at("actualQueryCost").is_null());
    EXPECT_EQ(max_cost_exceeded_response(1500, {}).at("errors").as_array()[0].at("extensions").at("code"),
              "MAX_COST_EXCEEDED");
}

// ---- search syntax ----

SearchNode parse_ok(std::string_view q) {
    auto r = parse_search_query(q);
    EXPECT_TRUE(std::holds_alternative<SearchNode>(r)) << q;
    return std::holds_alternative<SearchNode>(r) ? std::get<SearchNode>(r) : SearchNode{};
}

struct Row {
    std::int64_t id;
    std::string status;
    Timestamp created;
    bool test;
    std::string title;
};

bool row_matches(const Row& r, const SearchNode& n) {
    return search_matches(n, [&](const SearchTerm& t) {
        if (t.field == "id") return match_integer(r.id, t);
        if (t.field == "status") return match_string(r.status, t);
        if (t.field == "created_at") return match_timestamp(r.created, t, 0);
        if (t.field == "test") return match_bool(r.test, t);
        if (t.field == "title" || t.field.empty()) return match_string(r.title, t);
        return false;
    });
}

TEST(SearchSyntax, ParsesComparatorsAndQuotes) {
    const auto n = parse_ok(R"(created_at:>=2026-01-01 updated_at:>'2026-01-02T10:00:00Z' title:"red shirt")");
    ASSERT_EQ(n.kind, SearchNode::Kind::kAnd);
    ASSERT_EQ(n.children.size(), 3U);
    EXPECT_EQ(n.children[0].term.field, "created_at");
    EXPECT_EQ(n.children[0].term.cmp, Comparator::kGe);
    EXPECT_EQ(n.children[0].term.value, "2026-01-01");
    EXPECT_EQ(n.children[1].term.cmp, Comparator::kGt);
    EXPECT_EQ(n.children[1].term.value, "2026-01-02T10:00:00Z");
    EXPECT_EQ(n.children[2].term.value, "red shirt");
    EXPECT_TRUE(std::holds_alternative<SearchSyntaxError>(parse_search_query("title:'open")));
    EXPECT_TRUE(std::holds_alternative<SearchSyntaxError>(parse_search_query("(status:active")));
}

TEST(SearchSyntax, FiltersByDatesStatusIdAndBooleans) {
    const Timestamp jan1 = *parse_timestamp("2026-01-01T00:00:00Z");
    const std::vector<Row> rows{{1, "ACTIVE", jan1 - 1, false, "Red Shirt"},
                                {2, "DRAFT", jan1, false, "Blue Hoodie"},
                                {3, "ACTIVE", jan1 + 86399, true, "Red Hoodie"},
                                {4, "ARCHIVED", jan1 + 86400, false, "Green Cap"}};
    const auto ids = [&](std::string_view q) {
        const auto n = parse_ok(q);
        std::vector<std::int64_t> out;
        for (const auto& r : rows) {
            if (row_matches(r, n)) out.push_back(r.id);
        }
        return out;
    };
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(ids(""), (V{1, 2, 3, 4}));
    EXPECT_EQ(ids("created_at:>=2026-01-01"), (V{2, 3, 4}));
    EXPECT_EQ(ids("created_at:<=2026-01-01"), (V{1, 2, 3}));  // the whole day
    EXPECT_EQ(ids("created_at:2026-01-01"), (V{2, 3}));
    EXPECT_EQ(ids("created_at:>2026-01-01"), (V{4}));
    EXPECT_EQ(ids("created_at:<'2026-01-01T00:00:01Z'"), (V{1, 2}));
    EXPECT_EQ(ids("status:active"), (V{1, 3}));
    EXPECT_EQ(ids("status:active,draft"), (V{1, 2, 3}));
    EXPECT_EQ(ids("id:>2"), (V{3, 4}));
    EXPECT_EQ(ids("id:>gid://shopify/Product/2"), (V{3, 4}));
    EXPECT_EQ(ids("test:false"), (V{1, 2, 4}));
    EXPECT_EQ(ids("status:active AND test:false"), (V{1}));
    EXPECT_EQ(ids("status:draft OR status:archived"), (V{2, 4}));
    EXPECT_EQ(ids("status:active test:true OR id:4"), (V{3, 4}));  // AND binds tighter than OR
    EXPECT_EQ(ids("status:active (test:true OR id:1)"), (V{1, 3}));
    EXPECT_EQ(ids("NOT status:active"), (V{2, 4}));
    EXPECT_EQ(ids("-status:active"), (V{2, 4}));
    EXPECT_EQ(ids("title:red*"), (V{1, 3}));
    EXPECT_EQ(ids("hoodie"), (V{}));  // free text compares the whole title
    EXPECT_EQ(ids("'blue hoodie'"), (V{2}));
    EXPECT_EQ(ids("unknown_field:1"), (V{}));
}

// ---- pagination ----

struct Item {
    std::uint64_t id;
    std::int64_t value;
};

std::vector<Item> make_items() {
    std::vector<Item> items;
    for (std::uint64_t i = 1; i <= 103; ++i) items.push_back({i * 7 % 103 + 1, static_cast<std::int64_t>(i % 10)});
    return items;
}

CursorKey key_of(const Item& it) { return {it.value, it.id}; }

std::vector<const Item*> pointers(const std::vector<Item>& items) {
    std::vector<const Item*> out;
    for (const auto& i : items) out.push_back(&i);
    return out;
}

TEST(Pagination, ForwardPagesCoverEverythingOnceInOrder) {
    const auto items = make_items();
    for (const bool reverse : {false, true}) {
        std::vector<CursorKey> seen;
        PageRequest req{.first = 7, .reverse = reverse};
        int pages = 0;
        while (true) {
            auto r = paginate(pointers(items), key_of, req);
            ASSERT_TRUE(std::holds_alternative<Page<Item>>(r));
            const auto& page = std::get<Page<Item>>(r);
            EXPECT_EQ(page.info.has_previous_page, pages > 0);
            for (const Item* it : page.items) seen.push_back(key_of(*it));
            ++pages;
            if (!page.info.has_next_page) break;
            req.after = page.info.end_cursor;
        }
        EXPECT_EQ(pages, 15);
        ASSERT_EQ(seen.size(), items.size());
        for (std::size_t i = 1; i < seen.size(); ++i) {
            EXPECT_TRUE(reverse ? cursor_less(seen[i], seen[i - 1]) : cursor_less(seen[i - 1], seen[i]));
        }
        std::set<std::uint64_t> ids;
        for (const auto& k : seen) ids.insert(k.id);
        EXPECT_EQ(ids.size(), items.size());
    }
}

TEST(Pagination, BackwardPagesMirrorForwardPages) {
    const auto items = make_items();
    std::vector<std::uint64_t> backward;
    PageRequest req{.last = 10};
    while (true) {
        auto r = paginate(pointers(items), key_of, req);
        ASSERT_TRUE(std::holds_alternative<Page<Item>>(r));
        const auto& page = std::get<Page<Item>>(r);
        for (auto it = page.items.rbegin(); it != page.items.rend(); ++it) backward.push_back((*it)->id);
        if (!page.info.has_previous_page) break;
        EXPECT_TRUE(page.info.start_cursor);
        req.before = page.info.start_cursor;
    }
    auto all = paginate(pointers(items), key_of, PageRequest{.first = 250});
    const auto& forward = std::get<Page<Item>>(all);
    ASSERT_EQ(backward.size(), forward.items.size());
    for (std::size_t i = 0; i < backward.size(); ++i)
        EXPECT_EQ(backward[i], forward.items[forward.items.size() - 1 - i]->id);
    EXPECT_FALSE(forward.info.has_next_page);
    EXPECT_FALSE(forward.info.has_previous_page);
}

TEST(Pagination, AfterAndBeforeTogetherAndEmptyResults) {
    const auto items = make_items();
    auto all = std::get<Page<Item>>(paginate(pointers(items), key_of, PageRequest{.first = 250}));
    PageRequest req{.first = 250, .after = all.cursors[10], .before = all.cursors[20]};
    const auto mid = std::get<Page<Item>>(paginate(pointers(items), key_of, req));
    ASSERT_EQ(mid.items.size(), 9U);
    EXPECT_EQ(mid.items.front(), all.items[11]);
    EXPECT_TRUE(mid.info.has_next_page);
    EXPECT_TRUE(mid.info.has_previous_page);
    const auto none = std::get<Page<Item>>(paginate(std::vector<const Item*>{}, key_of, PageRequest{.first = 5}));
    EXPECT_TRUE(none.items.empty());
    EXPECT_FALSE(none.info.end_cursor);
    EXPECT_FALSE(none.info.has_next_page);
}

TEST(Pagination, RejectsBadRequests) {
    const auto items = make_items();
    EXPECT_TRUE(std::holds_alternative<PageError>(paginate(pointers(items), key_of, PageRequest{})));
    EXPECT_TRUE(std::holds_alternative<PageError>(paginate(pointers(items), key_of, PageRequest{.first = 251})));
    EXPECT_TRUE(
        std::holds_alternative<PageError>(paginate(pointers(items), key_of, PageRequest{.first = 1, .last = 1})));
    EXPECT_TRUE(std::holds_alternative<PageError>(
        paginate(pointers(items), key_of, PageRequest{.first = 1, .after = std::string("not-a-cursor")})));
}

TEST(Pagination, CursorsRoundTrip) {
    const CursorKey a{std::int64_t{42}, 7};
    const CursorKey b{std::string("2026-01-01T00:00:00Z"), 9};
    EXPECT_EQ(decode_cursor(encode_cursor(a)), a);
    EXPECT_EQ(decode_cursor(encode_cursor(b)), b);
    EXPECT_FALSE(decode_cursor("!!"));
}

}  // namespace
}  // namespace alatar::shopify_sim
