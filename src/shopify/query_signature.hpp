#pragma once
// Shopify's signed OAuth query strings (reference §3.2): hex HMAC-SHA256 with the app's client secret over every
// parameter except hmac and signature, sorted by key, each as key=value in URLSearchParams encoding with '+'
// written as "%20", joined with '&'; values of a repeated key are joined with ','.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alatar::shopify {

// Parameters in the order received, percent-decoded ('+' decodes to a space).
using QueryParams = std::vector<std::pair<std::string, std::string>>;

QueryParams parse_query_string(std::string_view query);

// The value of the first parameter named `key`, or "" (with found=false) when absent.
std::string_view query_param(const QueryParams& params, std::string_view key, bool* found = nullptr);

// URLSearchParams component encoding, except that a space becomes "%20" (what Shopify signs and what an
// authorize URL may safely carry): A-Z a-z 0-9 * - . _ stay, every other byte is %XX (upper-case hex).
std::string url_encode_component(std::string_view text);

// The exact message that is signed.
std::string signed_message(const QueryParams& params);
// Lower-case hex HMAC of signed_message() with `secret`.
std::string sign_query(std::string_view secret, const QueryParams& params);
// Constant-time check of the hmac parameter (hex, either case); false when it is missing or appears twice.
bool verify_query_signature(std::string_view secret, const QueryParams& params);

}  // namespace alatar::shopify
