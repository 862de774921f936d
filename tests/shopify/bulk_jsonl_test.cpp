#include "shopify/bulk_jsonl.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "shopify/http_client.hpp"

namespace alatar::shopify {
namespace {

struct Seen {
    std::vector<std::string> ids;
    void operator()(const BulkObject& o) { ids.push_back(o.id); }
};

TEST(BulkJsonl, GidType) {
    EXPECT_EQ(gid_type("gid://shopify/ProductVariant/19435458986040"), "ProductVariant");
    EXPECT_EQ(gid_type("gid://shopify/Order/1?x=1"), "Order");
    EXPECT_EQ(gid_type("Product/1"), "");
    EXPECT_EQ(gid_type("gid://shopify//1"), "");
}

TEST(BulkJsonl, ChildrenFarFromTheirParentKeepTheirParent) {
    // The example of the Shopify docs: the last child belongs to the first product.
    std::vector<BulkObject> got;
    BulkAssembler assembler([&](const BulkObject& o) { got.push_back(o); });
    for (const char* line :
         {R"({"id":"gid://shopify/Product/1"})",
          R"({"id":"gid://shopify/ProductVariant/11","title":"70","__parentId":"gid://shopify/Product/1"})",
          R"({"id":"gid://shopify/Product/2"})",
          R"({"id":"gid://shopify/ProductVariant/21","__parentId":"gid://shopify/Product/2"})",
          R"({"id":"gid://shopify/ProductVariant/12","__parentId":"gid://shopify/Product/1"})"}) {
        assembler.add_line(line);
    }
    EXPECT_EQ(assembler.finish(), 0U);
    ASSERT_EQ(got.size(), 5U);
    EXPECT_EQ(got[4].id, "gid://shopify/ProductVariant/12");
    EXPECT_EQ(got[4].parent_id, "gid://shopify/Product/1");
    EXPECT_EQ(got[4].type, "ProductVariant");
    EXPECT_FALSE(got[4].fields.contains("__parentId"));
    EXPECT_EQ(got[1].fields.at("title").as_string(), "70");
}

TEST(BulkJsonl, ObjectsKeptByTheCallerOutliveTheirLineAndTheAssembler) {
    // Each line is parsed into an arena of its own: copies must keep it alive (ASan checks the reads below).
    std::vector<BulkObject> kept;
    {
        BulkAssembler assembler([&](const BulkObject& o) { kept.push_back(o); });
        assembler.add_line(R"({"id":"gid://shopify/Order/7","name":"a name longer than the small-string buffer",)"
                           R"("tags":["x","y"],"totalPriceSet":{"shopMoney":{"amount":"12.50"}}})");
        assembler.add_line(R"({"id":"gid://shopify/LineItem/8","__parentId":"gid://shopify/Order/7","quantity":3})");
    }
    ASSERT_EQ(kept.size(), 2U);
    EXPECT_EQ(kept[0].fields.at("name").as_string(), "a name longer than the small-string buffer");
    EXPECT_EQ(kept[0].fields.at("tags").as_array().size(), 2U);
    EXPECT_EQ(kept[0].fields.at("totalPriceSet").at("shopMoney").at("amount").as_string(), "12.50");
    const BulkObject moved = std::move(kept[1]);
    kept.clear();
    EXPECT_EQ(moved.fields.at("quantity").as_int64(), 3);
    EXPECT_EQ(moved.parent_id, "gid://shopify/Order/7");
}

TEST(BulkJsonl, ChildrenBeforeTheirParentsAreHeldUntilTheParentArrives) {
    Seen seen;
    BulkAssembler assembler(std::ref(seen));
    assembler.add_line(R"({"id":"gid://shopify/LineItem/1","__parentId":"gid://shopify/Order/9"})");
    assembler.add_line(R"({"id":"gid://shopify/LineItem/2","__parentId":"gid://shopify/Order/9"})");
    assembler.add_line(R"({"id":"gid://shopify/InventoryLevel/5","__parentId":"gid://shopify/InventoryItem/4"})");
    assembler.add_line(R"({"id":"gid://shopify/InventoryItem/4","__parentId":"gid://shopify/Order/9"})");
    EXPECT_TRUE(seen.ids.empty());
    EXPECT_EQ(assembler.waiting(), 4U);
    assembler.add_line(R"({"id":"gid://shopify/Order/9"})");
    EXPECT_EQ(assembler.waiting(), 0U);
    EXPECT_EQ(seen.ids,
              (std::vector<std::string>{"gid://shopify/Order/9", "gid://shopify/LineItem/1", "gid://shopify/LineItem/2",
                                        "gid://shopify/InventoryItem/4", "gid://shopify/InventoryLevel/5"}));
    // A child that comes after its parent is delivered at once.
    assembler.add_line(R"({"id":"gid://shopify/LineItem/3","__parentId":"gid://shopify/Order/9"})");
    EXPECT_EQ(seen.ids.back(), "gid://shopify/LineItem/3");
    EXPECT_EQ(assembler.delivered(), 6U);
}

TEST(BulkJsonl, OrphansAreReportedAtTheEnd) {
    Seen seen;
    Seen orphans;
    BulkAssembler assembler(std::ref(seen));
    assembler.add_line(R"({"id":"gid://shopify/ProductVariant/1","__parentId":"gid://shopify/Product/404"})");
    assembler.add_line(R"({"id":"gid://shopify/Product/1"})");
    EXPECT_EQ(assembler.finish(std::ref(orphans)), 1U);
    EXPECT_EQ(seen.ids, std::vector<std::string>{"gid://shopify/Product/1"});
    EXPECT_EQ(orphans.ids, std::vector<std::string>{"gid://shopify/ProductVariant/1"});
}

TEST(BulkJsonl, MalformedLineThrows) {
    BulkAssembler assembler([](const BulkObject&) {});
    EXPECT_THROW(assembler.add_line(R"({"id":"gid://shopify/Product/1")"), std::invalid_argument);
    EXPECT_THROW(assembler.add_line("[1]"), std::invalid_argument);
}

TEST(LineSplitter, ReassemblesLinesAcrossChunks) {
    std::vector<std::string> lines;
    LineSplitter splitter([&](std::string_view l) { lines.emplace_back(l); });
    const std::string text = "{\"a\":1}\r\n{\"b\":\n2}\n\nlast";
    for (std::size_t i = 0; i < text.size(); i += 3) splitter.feed(std::string_view(text).substr(i, 3));
    splitter.finish();
    EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":", "2}", "", "last"}));
}

}  // namespace
}  // namespace alatar::shopify
