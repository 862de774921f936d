#pragma once
// Shop domains as Alatar accepts them (reference §3.3): "{name}{suffix}" where the name is ASCII letters, digits
// and '-' starting with a letter or digit, and the suffix is ".myshopify.com" in production (configurable for the
// simulator). ASCII upper case is folded to lower case; anything else (ports, paths, '@', other hosts that merely
// contain the suffix, non-ASCII look-alikes) is refused.
#include <optional>
#include <string>
#include <string_view>

namespace alatar::shopify {

// The normalised (lower-case) domain, or nullopt when `shop` is not a shop domain under `suffix`.
std::optional<std::string> normalize_shop_domain(std::string_view shop, std::string_view suffix);

// The base URL of a shop from the ALATAR_SHOPIFY_SHOP_URL template ("https://{shop}" or
// "http://127.0.0.1:8090/shops/{shop}"), without a trailing slash.
std::string shop_base_url(std::string_view url_template, std::string_view shop_domain);

}  // namespace alatar::shopify
