#pragma once
// Cursor pagination over in-memory vectors (reference §3.7): sortKey/reverse ordering with the id as tie
// breaker, opaque cursors (base64 of {"last_id":..,"last_value":..} as Shopify's look), first/after and
// last/before windows, and pageInfo with both hasNextPage and hasPreviousPage exact.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace alatar::shopify_sim {

inline constexpr std::int64_t kMaxPageSize = 250;

using SortValue = std::variant<std::int64_t, std::string>;

struct CursorKey {
    SortValue value;
    std::uint64_t id = 0;
    friend bool operator==(const CursorKey&, const CursorKey&) = default;
};

bool cursor_less(const CursorKey& a, const CursorKey& b);
std::string encode_cursor(const CursorKey& key);
std::optional<CursorKey> decode_cursor(std::string_view cursor);

struct PageRequest {
    std::optional<std::int64_t> first;
    std::optional<std::int64_t> last;
    std::optional<std::string> after;
    std::optional<std::string> before;
    bool reverse = false;
};

struct PageInfo {
    bool has_next_page = false;
    bool has_previous_page = false;
    std::optional<std::string> start_cursor;
    std::optional<std::string> end_cursor;
};

template <class T>
struct Page {
    std::vector<const T*> items;
    std::vector<std::string> cursors;
    PageInfo info;
};

struct PageError {
    std::string message;
};

// Checks first/last (exactly one, 0..250) and decodes the cursors.
std::optional<PageError> validate_page_request(const PageRequest& request);

// `key(item)` gives the item's CursorKey for the chosen sort key.
template <class T, class KeyFn>
std::variant<Page<T>, PageError> paginate(std::vector<const T*> items, KeyFn key, const PageRequest& request) {
    if (auto err = validate_page_request(request)) return *err;
    std::vector<std::pair<CursorKey, const T*>> sorted;
    sorted.reserve(items.size());
    for (const T* item : items) sorted.emplace_back(key(*item), item);
    const bool reverse = request.reverse;
    const auto before_in_order = [reverse](const CursorKey& a, const CursorKey& b) {
        return reverse ? cursor_less(b, a) : cursor_less(a, b);
    };
    std::sort(sorted.begin(), sorted.end(),
              [&](const auto& a, const auto& b) { return before_in_order(a.first, b.first); });
    std::size_t lo = 0;
    std::size_t hi = sorted.size();
    if (request.after) {
        const CursorKey after = *decode_cursor(*request.after);
        lo = static_cast<std::size_t>(
            std::partition_point(sorted.begin(), sorted.end(),
                                 [&](const auto& e) { return !before_in_order(after, e.first); }) -
            sorted.begin());
    }
    if (request.before) {
        const CursorKey before = *decode_cursor(*request.before);
        hi = static_cast<std::size_t>(
            std::partition_point(sorted.begin(), sorted.end(),
                                 [&](const auto& e) { return before_in_order(e.first, before); }) -
            sorted.begin());
    }
    hi = std::max(lo, hi);
    if (request.first) hi = std::min(hi, lo + static_cast<std::size_t>(*request.first));
    if (request.last) lo = std::max(lo, hi - std::min(hi - lo, static_cast<std::size_t>(*request.last)));
    Page<T> page;
    for (std::size_t i = lo; i < hi; ++i) {
        page.items.push_back(sorted[i].second);
        page.cursors.push_back(encode_cursor(sorted[i].first));
    }
    page.info.has_previous_page = lo > 0;
    page.info.has_next_page = hi < sorted.size();
    if (!page.cursors.empty()) {
        page.info.start_cursor = page.cursors.front();
        page.info.end_cursor = page.cursors.back();
    }
    return page;
}

}  // namespace alatar::shopify_sim
