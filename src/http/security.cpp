#include "http/security.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "http/media_type.hpp"

namespace alatar::http {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += ", ";
        out += i;
    }
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool contains_token(const std::vector<std::string>& list, std::string_view token) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return iequals(s, token); });
}

}  // namespace

void apply_security_headers(Response& res, const SecurityHeaderOptions& options, bool tls) {
    res.headers.set_default("X-Content-Type-Options", "nosniff");
    res.headers.set_default("Referrer-Policy", options.referrer_policy);
    res.headers.set_default(
        "Content-Security-Policy",
        fmt::format("{}; frame-ancestors {}", options.content_security_policy, options.frame_ancestors));
    if (tls) {
        res.headers.set_default("Strict-Transport-Security",
                                fmt::format("max-age={}; includeSubDomains", options.hsts_max_age.count()));
    }
}

Cors::Cors(CorsOptions options) : options_(std::move(options)) {
    any_origin_ = std::find(options_.allowed_origins.begin(), options_.allowed_origins.end(), "*") !=
                  options_.allowed_origins.end();
    if (any_origin_) options_.allow_credentials = false;
}

bool Cors::origin_allowed(std::string_view origin) const {
    if (origin.empty() || origin == "null") return false;
    if (any_origin_) return true;
    return contains_token(options_.allowed_origins, origin);
}

bool Cors::is_preflight(const Request& req) {
    return req.method == "OPTIONS" && req.headers.has("Origin") && req.headers.has("Access-Control-Request-Method");
}

Response Cors::preflight(const Request& req) const {
    const auto origin = req.headers.get("Origin").value_or("");
    const auto method = trim(req.headers.get("Access-Control-Request-Method").value_or(""));
    Response res;
    res.headers.set("Vary", "Origin");
    if (!origin_allowed(origin) || !contains_token(options_.allowed_methods, method)) {
        res.status = 403;
        return res;
    }
    if (const auto requested = req.headers.get("Access-Control-Request-Headers")) {
        std::string_view rest = *requested;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            const auto name = trim(rest.substr(0, comma));
            if (!name.empty() && !contains_token(options_.allowed_headers, name)) {
                res.status = 403;
                return res;
            }
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
    }
    res.status = 204;
    res.headers.set("Access-Control-Allow-Origin", any_origin_ ? std::string_view{"*"} : origin);
    res.headers.set("Access-Control-Allow-Methods", join(options_.allowed_methods));
    res.headers.set("Access-Control-Allow-Headers", join(options_.allowed_headers));
    res.headers.set("Access-Control-Max-Age", std::to_string(options_.max_age.count()));
    if (options_.allow_credentials) res.headers.set("Access-Control-Allow-Credentials", "true");
    return res;
}

void Cors::decorate(const Request& req, Response& res) const {
    const auto origin = req.headers.get("Origin");
    if (!origin || !origin_allowed(*origin)) return;
    res.headers.set("Access-Control-Allow-Origin", any_origin_ ? std::string_view{"*"} : *origin);
    res.headers.set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
    if (!any_origin_) res.headers.add("Vary", "Origin");
    if (options_.allow_credentials) res.headers.set("Access-Control-Allow-Credentials", "true");
}

bool csrf_allows(const Request& req, const CsrfOptions& options) {
    const bool simple_method = req.method == "GET" || req.method == "HEAD" || req.method == "POST";
    if (!simple_method) return true;
    for (const auto& h : options.custom_headers) {
        if (req.headers.has(h)) return true;
    }
    if (req.method == "POST") {
        const auto ct = req.headers.get("Content-Type");
        if (!ct) return false;
        const auto m = parse_media_type(*ct);
        if (!m) return false;
        const bool simple =
            m->is("text", "plain") || m->is("application", "x-www-form-urlencoded") || m->is("multipart", "form-data");
        return !simple;
    }
    return accept_names_json(req.headers.get("Accept"));
}

}  // namespace alatar::http
