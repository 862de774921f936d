#pragma once
// Browser-facing hardening: security headers, the CORS allow-list and the CSRF rule.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.hpp"

namespace alatar::http {

struct SecurityHeaderOptions {
    // CSP without frame-ancestors; frame-ancestors is appended from `frame_ancestors`.
    std::string content_security_policy =
        "default-src 'self'; base-uri 'self'; object-src 'none'; form-action 'self'; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'";
    // Who may frame our pages ("'none'", or e.g. "https://admin.shopify.com https://*.myshopify.com").
    std::string frame_ancestors = "'none'";
    std::string referrer_policy = "strict-origin-when-cross-origin";
    std::chrono::seconds hsts_max_age{63'072'000};  // two years; sent only over TLS
};

// Adds X-Content-Type-Options, Referrer-Policy, Content-Security-Policy and (under TLS) Strict-Transport-Security.
// A header the handler already set is left alone (a page may need its own CSP).
void apply_security_headers(Response& res, const SecurityHeaderOptions& options, bool tls);

struct CorsOptions {
    // Exact origins ("https://app.example.com"); "*" allows any origin (then credentials are never allowed).
    std::vector<std::string> allowed_origins;
    bool allow_credentials = false;
    std::vector<std::string> allowed_headers{"Content-Type",
                                             "Authorization",
                                             "Accept",
                                             "X-Requested-With",
                                             "X-Alatar-Client",
                                             "X-Request-Id",
                                             "GraphQL-Require-Preflight"};
    std::vector<std::string> allowed_methods{"GET", "POST", "OPTIONS"};
    std::chrono::seconds max_age{600};
};

class Cors {
  public:
    explicit Cors(CorsOptions options);

    bool origin_allowed(std::string_view origin) const;
    // True for a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method).
    static bool is_preflight(const Request& req);
    // The answer to a preflight: 204 with the allow headers for an allowed origin and method, 403 otherwise.
    Response preflight(const Request& req) const;
    // Adds Access-Control-Allow-Origin (and Vary: Origin) to a normal response when the origin is allowed.
    void decorate(const Request& req, Response& res) const;

  private:
    CorsOptions options_;
    bool any_origin_ = false;
};

struct CsrfOptions {
    // Any of these headers makes a request non-simple (a browser must preflight it), which defeats CSRF.
    std::vector<std::string> custom_headers{"X-Requested-With", "X-Alatar-Client", "GraphQL-Require-Preflight"};
};

// The CSRF rule (documented in docs/http.md when the API wires it):
// - methods other than GET, HEAD and POST are never "simple", so they always pass (the browser preflights them);
// - a request carrying one of the custom headers passes;
// - POST passes when its Content-Type is present and is not one of the three simple types
//   (text/plain, application/x-www-form-urlencoded, multipart/form-data) — e.g. application/json;
// - GET/HEAD pass when Accept explicitly names application/json or application/graphql-response+json: a
//   cross-site <img>, <script>, <link> or form navigation never sends that, and GET never runs a mutation.
// Everything else is refused.
bool csrf_allows(const Request& req, const CsrfOptions& options);

}  // namespace alatar::http
