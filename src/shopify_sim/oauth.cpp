#include "shopify_sim/oauth.hpp"

#include <algorithm>
#include <charconv>

#include "common/crypto.hpp"

namespace alatar::shopify_sim {
namespace {

int hex_value(char c) {
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
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string param(const QueryParams& params, std::string_view key) {
    for (const auto& [k, v] : params) {
        if (k == key) return v;
    }
    return {};
}

std::string trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return std::string(s);
}

}  // namespace

QueryParams parse_query(std::string_view raw) {
    QueryParams params;
    if (!raw.empty() && raw.front() == '?') raw.remove_prefix(1);
    while (!raw.empty()) {
        const auto amp = raw.find('&');
        const std::string_view pair = raw.substr(0, amp);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            params.emplace_back(percent_decode(pair.substr(0, eq)),
                                eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1)));
        }
        if (amp == std::string_view::npos) break;
        raw.remove_prefix(amp + 1);
    }
    return params;
}

std::string form_urlencode(std::string_view text) {
    static constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' ||
                          c == '-' || c == '.' || c == '_';
        if (keep) {
            out += c;
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHex[u >> 4U];
            out += kHex[u & 0xFU];
        }
    }
    return out;
}

std::string hmac_message(const QueryParams& params) {
    std::map<std::string, std::string> merged;  // sorted by key, byte order
    for (const auto& [k, v] : params) {
        if (k == "hmac" || k == "signature") continue;
        auto [it, inserted] = merged.emplace(k, v);
        if (!inserted) it->second += "," + v;
    }
    std::string message;
    for (const auto& [k, v] : merged) {
        if (!message.empty()) message += '&';
        message += form_urlencode(k);
        message += '=';
        message += form_urlencode(v);
    }
    // URLSearchParams writes spaces as '+'; Shopify signs them as %20.
    std::string out;
    out.reserve(message.size());
    for (const char c : message) {
        if (c == '+') {
            out += "%20";
        } else {
            out += c;
        }
    }
    return out;
}

std::string query_hmac(std::string_view secret, const QueryParams& params) {
    return crypto::hmac_sha256_hex(secret, hmac_message(params));
}

bool verify_query_hmac(std::string_view secret, const QueryParams& params) {
    const auto it = std::find_if(params.begin(), params.end(), [](const auto& p) { return p.first == "hmac"; });
    if (it == params.end() || it->second.empty()) return false;
    return crypto::constant_time_equal(lower(it->second), query_hmac(secret, params));
}

bool timestamp_fresh(const QueryParams& params, Timestamp now, std::int64_t tolerance_seconds) {
    const std::string text = param(params, "timestamp");
    Timestamp ts = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ts);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return false;
    return ts >= now - tolerance_seconds && ts <= now + tolerance_seconds;
}

ShopDomainValidator::ShopDomainValidator(std::string_view suffix) : suffix_(lower(suffix)) {
    if (suffix_.empty() || suffix_.front() != '.') suffix_.insert(suffix_.begin(), '.');
}

std::optional<std::string> ShopDomainValidator::normalize(std::string_view shop) const {
    std::string s = lower(shop);
    while (!s.empty() && s.back() == '/') s.pop_back();
    if (s.size() <= suffix_.size() || s.compare(s.size() - suffix_.size(), suffix_.size(), suffix_) != 0) {
        return std::nullopt;
    }
    const std::string_view name(s.data(), s.size() - suffix_.size());
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '-' && c != '_'))) return std::nullopt;
    }
    return s;
}

bool scope_covers(const std::vector<std::string>& granted, std::string_view required) {
    for (const auto& g : granted) {
        if (g == required) return true;
        if (required.starts_with("read_") && g.starts_with("write_") &&
            std::string_view(g).substr(6) == required.substr(5)) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> split_scopes(std::string_view text) {
    std::vector<std::string> scopes;
    while (!text.empty()) {
        const auto comma = text.find(',');
        std::string scope = trim(text.substr(0, comma));
        if (!scope.empty() && std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
            scopes.push_back(std::move(scope));
        }
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return scopes;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) {
        if (!out.empty()) out += ',';
        out += s;
    }
    return out;
}

OAuthService::OAuthService(OAuthConfig config, Clock clock, RandomHex random_hex)
    : config_(std::move(config)),
      shops_(config_.shop_suffix),
      clock_(std::move(clock)),
      random_hex_(std::move(random_hex)) {
    if (!random_hex_) random_hex_ = [](std::size_t bytes) { return crypto::hex_encode(crypto::random_bytes(bytes)); };
}

std::variant<std::string, OAuthError> OAuthService::authorize(const AuthorizeRequest& request) {
    const auto shop = shops_.normalize(request.shop);
    if (!shop) return OAuthError{400, "invalid_request", "The shop domain is not valid"};
    if (request.client_id != config_.api_key) {
        return OAuthError{400, "invalid_request", "Oauth error invalid_request: The client_id is not valid"};
    }
    if (request.redirect_uri.empty() ||
        !(request.redirect_uri.starts_with("http://") || request.redirect_uri.starts_with("https://"))) {
        return OAuthError{400, "invalid_request",
                          "Oauth error invalid_request: The redirect_uri is missing or not valid"};
    }
    const auto scopes = split_scopes(request.scope);
    for (const auto& s : scopes) {
        const bool valid = (s.starts_with("read_") || s.starts_with("write_")) &&
                           std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
        if (!valid) return OAuthError{400, "invalid_scope", "Oauth error invalid_scope: " + s};
    }
    if (std::find(request.grant_options.begin(), request.grant_options.end(), "per-user") !=
        request.grant_options.end()) {
        return OAuthError{400, "invalid_request", "Online (per-user) access tokens are not simulated"};
    }
    const Timestamp now = clock_();
    const std::string code = random_hex_(16);
    {
        const std::lock_guard lock(mutex_);
        drop_expired_codes_locked(now);
        codes_[code] = PendingCode{*shop, request.client_id, scopes, now + config_.code_ttl_seconds};
    }
    QueryParams params{{"code", code},
                       {"host", crypto::base64_encode(*shop + "/admin")},
                       {"shop", *shop},
                       {"state", request.state},
                       {"timestamp", std::to_string(now)}};
    const std::string hmac = query_hmac(config_.api_secret, params);
    std::string url = request.redirect_uri;
    url += request.redirect_uri.find('?') == std::string::npos ? '?' : '&';
    url += "code=" + form_urlencode(code) + "&hmac=" + hmac;
    for (std::size_t i = 1; i < params.size(); ++i)
        url += "&" + params[i].first + "=" + form_urlencode(params[i].second);
    return url;
}

std::variant<AccessTokenGrant, OAuthError> OAuthService::exchange_code(std::string_view shop,
                                                                       std::string_view client_id,
                                                                       std::string_view client_secret,
                                                                       std::string_view code) {
    const auto normalized = shops_.normalize(shop);
    if (!normalized) return OAuthError{400, "invalid_request", "The shop domain is not valid"};
    if (client_id != config_.api_key || !crypto::constant_time_equal(client_secret, config_.api_secret)) {
        return OAuthError{400, "invalid_client", "Oauth error invalid_client: client authentication failed"};
    }
    const Timestamp now = clock_();
    const std::lock_guard lock(mutex_);
    const auto it = codes_.find(code);
    if (it == codes_.end() || it->second.shop != *normalized || it->second.client_id != client_id) {
        return OAuthError{400, "invalid_request",
                          "Oauth error invalid_request: The authorization code was not found or was already used"};
    }
    const PendingCode pending = it->second;
    codes_.erase(it);  // single use, even when it turns out to be expired
    if (pending.expires_at <= now) {
        return OAuthError{400, "invalid_request", "Oauth error invalid_request: The authorization code has expired"};
    }
    return issue_locked(pending.shop, pending.scopes);
}

AccessTokenGrant OAuthService::issue_token(const std::string& shop, const std::vector<std::string>& scopes) {
    const std::lock_guard lock(mutex_);
    return issue_locked(shop, scopes);
}

AccessTokenGrant OAuthService::issue_locked(const std::string& shop, const std::vector<std::string>& scopes) {
    AccessTokenGrant grant;
    grant.access_token = "shpat_" + random_hex_(16);
    grant.scope = join_scopes(scopes);
    tokens_[grant.access_token] = TokenInfo{shop, scopes, clock_()};
    return grant;
}

std::optional<TokenInfo> OAuthService::find_token(std::string_view token) const {
    const std::lock_guard lock(mutex_);
    const auto it = tokens_.find(token);
    if (it == tokens_.end()) return std::nullopt;
    return it->second;
}

std::size_t OAuthService::revoke_shop(std::string_view shop) {
    const std::lock_guard lock(mutex_);
    return std::erase_if(tokens_, [&](const auto& entry) { return entry.second.shop == shop; });
}

bool OAuthService::revoke_token(std::string_view token) {
    const std::lock_guard lock(mutex_);
    const auto it = tokens_.find(token);
    if (it == tokens_.end()) return false;
    tokens_.erase(it);
    return true;
}

void OAuthService::drop_expired_codes_locked(Timestamp now) {
    std::erase_if(codes_, [&](const auto& entry) { return entry.second.expires_at <= now; });
}

}  // namespace alatar::shopify_sim
