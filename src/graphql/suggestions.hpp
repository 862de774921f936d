#pragma once
// "Did you mean ...?" machinery with graphql-js's semantics (jsutils/suggestionList,
// didYouMean, naturalCompare, formatList), so suggestion texts match graphql-js exactly.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::graphql {

// graphql-js caps every suggestion list at five entries.
inline constexpr std::size_t kMaxSuggestions = 5;

// Options within the lexical distance threshold of `input` (floor(0.4 * length) + 1; a
// case-only difference counts 1), nearest first, ties in natural order ("a2" < "a10").
// Duplicated options are reported once.
std::vector<std::string_view> suggestion_list(std::string_view input, std::span<const std::string_view> options);
std::vector<std::string_view> suggestion_list(std::string_view input, std::span<const std::string> options);

// Damerau-Levenshtein (optimal string alignment) distance of the lowercased strings, as
// graphql-js's LexicalDistance measures it: 0 when equal, 1 when equal ignoring case.
std::size_t lexical_distance(std::string_view a, std::string_view b);

// Natural-order comparison: negative, zero or positive like graphql-js's naturalCompare.
int natural_compare(std::string_view a, std::string_view b);

// " Did you mean \"a\", \"b\", or \"c\"?" (empty when there are no suggestions); with a
// sub-message: " Did you mean the field \"a\"?". At most kMaxSuggestions are listed.
std::string did_you_mean(std::span<const std::string_view> suggestions);
std::string did_you_mean(std::string_view sub_message, std::span<const std::string_view> suggestions);

// "a", "a or b", "a, b, or c" (and the same with "and").
std::string or_list(std::span<const std::string> items);
std::string and_list(std::span<const std::string> items);

// Removes every " Did you mean ...?" part from a message (for servers that hide suggestions).
std::string strip_suggestions(std::string_view message);

}  // namespace alatar::graphql
