#include "http/security.hpp"

#include <gtest/gtest.h>

namespace alatar::http {
namespace {

Request make(std::string method, std::initializer_list<std::pair<std::string, std::string>> headers) {
    Request r;
    r.method = std::move(method);
    r.path = "/graphql";
    for (const auto& [k, v] : headers) r.headers.add(k, v);
    return r;
}

TEST(SecurityHeaders, SetsDefaultsAndHstsOnlyUnderTls) {
    SecurityHeaderOptions o;
    o.frame_ancestors = "https://admin.shopify.com";
    Response plain;
    apply_security_headers(plain, o, false);
    EXPECT_EQ(plain.headers.get("X-Content-Type-Options"), "nosniff");
    EXPECT_TRUE(plain.headers.get("Referrer-Policy"));
    EXPECT_NE(plain.headers.get("Content-Security-Policy")->find("frame-ancestors https://admin.shopify.com"),
              std::string_view::npos);
    EXPECT_FALSE(plain.headers.has("Strict-Transport-Security"));
    Response tls;
    tls.headers.set("Content-Security-Policy", "default-src 'none'");
    apply_security_headers(tls, o, true);
    EXPECT_EQ(tls.headers.get("Strict-Transport-Security"), "max-age=63072000; includeSubDomains");
    EXPECT_EQ(tls.headers.get("Content-Security-Policy"), "default-src 'none'");  // handler's own CSP wins
}

TEST(Cors, PreflightForAllowedOrigin) {
    Cors cors{CorsOptions{.allowed_origins = {"https://app.example.com"}}};
    const auto ok =
        cors.preflight(make("OPTIONS", {{"Origin", "https://app.example.com"},
                                        {"Access-Control-Request-Method", "POST"},
                                        {"Access-Control-Request-Headers", "content-type, x-alatar-client"}}));
    EXPECT_EQ(ok.status, 204u);
    EXPECT_EQ(ok.headers.get("Access-Control-Allow-Origin"), "https://app.example.com");
    EXPECT_TRUE(ok.headers.has("Access-Control-Allow-Methods"));
    const auto other = cors.preflight(
        make("OPTIONS", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}}));
    EXPECT_EQ(other.status, 403u);
    EXPECT_FALSE(other.headers.has("Access-Control-Allow-Origin"));
    const auto bad_header = cors.preflight(make("OPTIONS", {{"Origin", "https://app.example.com"},
                                                            {"Access-Control-Request-Method", "POST"},
                                                            {"Access-Control-Request-Headers", "x-evil"}}));
    EXPECT_EQ(bad_header.status, 403u);
}

TEST(Cors, DecoratesOnlyAllowedOrigins) {
    Cors cors{CorsOptions{.allowed_origins = {"https://app.example.com"}}};
    Response a;
    cors.decorate(make("POST", {{"Origin", "https://app.example.com"}}), a);
    EXPECT_EQ(a.headers.get("Access-Control-Allow-Origin"), "https://app.example.com");
    Response b;
    cors.decorate(make("POST", {{"Origin", "https://evil.example"}}), b);
    EXPECT_FALSE(b.headers.has("Access-Control-Allow-Origin"));
}

TEST(Csrf, SimpleRequestsWithoutProofAreRefused) {
    const CsrfOptions o;
    EXPECT_FALSE(csrf_allows(make("POST", {}), o));
    EXPECT_FALSE(csrf_allows(make("POST", {{"Content-Type", "text/plain"}}), o));
    EXPECT_FALSE(csrf_allows(make("POST", {{"Content-Type", "application/x-www-form-urlencoded"}}), o));
    EXPECT_FALSE(csrf_allows(make("POST", {{"Content-Type", "multipart/form-data; boundary=x"}}), o));
    EXPECT_FALSE(csrf_allows(make("GET", {}), o));
    EXPECT_FALSE(csrf_allows(make("GET", {{"Accept", "*/*"}}), o));
}

TEST(Csrf, JsonContentTypeCustomHeaderOrJsonAcceptPass) {
    const CsrfOptions o;
    EXPECT_TRUE(csrf_allows(make("POST", {{"Content-Type", "application/json"}}), o));
    EXPECT_TRUE(csrf_allows(make("POST", {{"Content-Type", "text/plain"}, {"X-Requested-With", "fetch"}}), o));
    EXPECT_TRUE(csrf_allows(make("GET", {{"X-Alatar-Client", "dashboard"}}), o));
    EXPECT_TRUE(csrf_allows(make("GET", {{"Accept", "application/graphql-response+json"}}), o));
    EXPECT_TRUE(csrf_allows(make("PUT", {}), o));
}

}  // namespace
}  // namespace alatar::http
