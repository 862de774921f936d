#include "shopify/query_signature.hpp"

#include <algorithm>
#include <map>

#include "common/crypto.hpp"

namespace alatar::shopify {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c);  // a stray '%' stays literal, as URLSearchParams does
        }
    }
    return out;
}

bool is_signing_excluded(std::string_view key) noexcept { return key == "hmac" || key == "signature"; }

}  // namespace

QueryParams parse_query_string(std::string_view query) {
    if (!query.empty() && query.front() == '?') query.remove_prefix(1);
    QueryParams params;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) {
            params.emplace_back(percent_decode(pair), std::string{});
        } else {
            params.emplace_back(percent_decode(pair.substr(0, eq)), percent_decode(pair.substr(eq + 1)));
        }
    }
    return params;
}

std::string_view query_param(const QueryParams& params, std::string_view key, bool* found) {
    for (const auto& [k, v] : params) {
        if (k == key) {
            if (found != nullptr) *found = true;
            return v;
        }
    }
    if (found != nullptr) *found = false;
    return {};
}

std::string url_encode_component(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '*' ||
                           c == '-' || c == '.' || c == '_';
        if (plain) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4U]);
            out.push_back(kHex[c & 0x0FU]);
        }
    }
    return out;
}

std::string signed_message(const QueryParams& params) {
    // std::map sorts keys byte-wise; a repeated key keeps its values in arrival order.
    std::map<std::string, std::vector<std::string>, std::less<>> grouped;
    for (const auto& [k, v] : params) {
        if (!is_signing_excluded(k)) grouped[k].push_back(v);
    }
    std::string message;
    for (const auto& [key, values] : grouped) {
        std::string joined;
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (i > 0) joined.push_back(',');
            joined += values[i];
        }
        if (!message.empty()) message.push_back('&');
        message += url_encode_component(key);
        message.push_back('=');
        message += url_encode_component(joined);
    }
    return message;
}

std::string sign_query(std::string_view secret, const QueryParams& params) {
    return crypto::hmac_sha256_hex(secret, signed_message(params));
}

bool verify_query_signature(std::string_view secret, const QueryParams& params) {
    const auto count = std::count_if(params.begin(), params.end(), [](const auto& p) { return p.first == "hmac"; });
    if (count != 1) return false;
    std::string given(query_param(params, "hmac"));
    std::transform(given.begin(), given.end(), given.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return crypto::constant_time_equal(sign_query(secret, params), given);
}

}  // namespace alatar::shopify
