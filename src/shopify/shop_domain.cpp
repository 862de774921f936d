#include "shopify/shop_domain.hpp"

namespace alatar::shopify {
namespace {

constexpr std::size_t kMaxNameLength = 63;  // one DNS label

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

std::optional<std::string> normalize_shop_domain(std::string_view shop, std::string_view suffix) {
    std::string lower;
    lower.reserve(shop.size());
    for (const char c : shop) lower.push_back(ascii_lower(c));
    std::string want_suffix;
    for (const char c : suffix) want_suffix.push_back(ascii_lower(c));
    if (want_suffix.empty() || want_suffix.front() != '.') want_suffix.insert(want_suffix.begin(), '.');
    if (lower.size() <= want_suffix.size() || !lower.ends_with(want_suffix)) return std::nullopt;
    const std::string_view name = std::string_view(lower).substr(0, lower.size() - want_suffix.size());
    if (name.empty() || name.size() > kMaxNameLength || !is_lower_alnum(name.front())) return std::nullopt;
    for (const char c : name) {
        if (!is_lower_alnum(c) && c != '-') return std::nullopt;  // '.', '@', ':', '/', non-ASCII bytes...
    }
    return lower;
}

std::string shop_base_url(std::string_view url_template, std::string_view shop_domain) {
    std::string url(url_template);
    constexpr std::string_view kPlaceholder = "{shop}";
    const auto at = url.find(kPlaceholder);
    if (at != std::string::npos) url.replace(at, kPlaceholder.size(), shop_domain);
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace alatar::shopify
