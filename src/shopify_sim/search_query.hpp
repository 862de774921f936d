#pragma once
// The subset of Shopify's search syntax (shopify.dev/docs/api/usage/search-syntax) that the `query:` argument
// of connections accepts here: terms `field:value` with the comparators :>, :>=, :<, :<=, quoted values
// ("..." or '...'), value lists `status:active,draft`, prefix matches `title:hood*`, free text, `-term`,
// NOT, AND (also implied by whitespace), OR and parentheses. AND binds tighter than OR.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "shopify_sim/civil_time.hpp"

namespace alatar::shopify_sim {

enum class Comparator { kEq, kGt, kGe, kLt, kLe };

struct SearchTerm {
    std::string field;  // empty for free text
    Comparator cmp = Comparator::kEq;
    std::string value;    // unquoted
    bool prefix = false;  // value ended with '*'
};

struct SearchNode {
    enum class Kind { kTerm, kAnd, kOr, kNot };
    Kind kind = Kind::kAnd;  // an empty kAnd matches everything
    SearchTerm term;
    std::vector<SearchNode> children;
};

struct SearchSyntaxError {
    std::string message;
};

std::variant<SearchNode, SearchSyntaxError> parse_search_query(std::string_view query);

// Evaluates the tree with `term_matches` deciding single terms.
bool search_matches(const SearchNode& node, const std::function<bool(const SearchTerm&)>& term_matches);

// Term comparisons for the field types the simulator filters on. Strings compare case-insensitively;
// a comma-separated value list matches any of its values (equality only).
bool match_string(std::string_view actual, const SearchTerm& term);
bool match_integer(std::int64_t actual, const SearchTerm& term);  // also accepts gid://shopify/Type/123 values
bool match_bool(bool actual, const SearchTerm& term);
// Dates without a time mean whole shop-local days: created_at:<=2026-01-31 includes all of that day.
bool match_timestamp(Timestamp actual, const SearchTerm& term, int utc_offset_minutes);

}  // namespace alatar::shopify_sim
