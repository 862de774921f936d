// Expected values were produced by graphql-js 17.1.0's suggestionList and didYouMean.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "graphql/suggestions.hpp"

namespace alatar::graphql {
namespace {

std::vector<std::string> suggest(std::string_view input, std::vector<std::string_view> options) {
    std::vector<std::string> out;
    for (auto s : suggestion_list(input, options)) {
        out.emplace_back(s);
    }
    return out;
}

TEST(Suggestions, OrdersByDistanceThenNaturally) {
    EXPECT_EQ(suggest("nam", {"name", "nme", "NAM", "namespace", "a", "nam", "aname"}),
              (std::vector<std::string>{"nam", "NAM", "name", "a", "aname", "nme"}));
    EXPECT_EQ(suggest("f", {"f1", "f10", "f2", "F", "g"}), (std::vector<std::string>{"F", "f1", "f2", "g"}));
    EXPECT_EQ(suggest("abc", {"acb", "bac", "cba", "ab", "abcd"}),
              (std::vector<std::string>{"ab", "abcd", "acb", "bac", "cba"}));
}

TEST(Suggestions, ReportsEachOptionOnce) {
    EXPECT_EQ(suggest("name", {"names", "names"}), (std::vector<std::string>{"names"}));
    EXPECT_TRUE(suggest("zzzzzz", {"name", "id"}).empty());
}

TEST(Suggestions, DistanceCountsTranspositionAsOne) {
    EXPECT_EQ(lexical_distance("ab", "ba"), 1U);
    EXPECT_EQ(lexical_distance("abc", "ABC"), 1U);
    EXPECT_EQ(lexical_distance("abc", "abc"), 0U);
    EXPECT_EQ(lexical_distance("kitten", "sitting"), 3U);
}

TEST(Suggestions, NaturalCompareTreatsDigitRunsAsNumbers) {
    EXPECT_LT(natural_compare("a2", "a10"), 0);
    EXPECT_GT(natural_compare("b", "a10"), 0);
    EXPECT_EQ(natural_compare("x1", "x1"), 0);
    EXPECT_LT(natural_compare("x", "x1"), 0);
}

TEST(Suggestions, DidYouMeanFormatsAtMostFive) {
    std::vector<std::string_view> six{"a", "b", "c", "d", "e", "f"};
    EXPECT_EQ(did_you_mean(six), R"( Did you mean "a", "b", "c", "d", or "e"?)");
    std::vector<std::string_view> two{"a", "b"};
    EXPECT_EQ(did_you_mean("the field", two), R"( Did you mean the field "a" or "b"?)");
    EXPECT_EQ(did_you_mean({}), "");
}

TEST(Suggestions, StripRemovesEverySuggestionPart) {
    EXPECT_EQ(strip_suggestions(R"(Cannot query field "nam" on type "Dog". Did you mean "name"?)"),
              R"(Cannot query field "nam" on type "Dog".)");
    EXPECT_EQ(strip_suggestions("No suggestion here."), "No suggestion here.");
}

}  // namespace
}  // namespace alatar::graphql
