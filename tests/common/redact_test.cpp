#include <gtest/gtest.h>

#include "common/log.hpp"

namespace alatar {
namespace {

TEST(RedactTest, LeavesOrdinaryTextAlone) {
    EXPECT_EQ(redact("request finished"), "request finished");
    EXPECT_EQ(redact("status: 200, took 12 ms"), "status: 200, took 12 ms");
    EXPECT_EQ(redact("max_tokens=100 token_count=5"), "max_tokens=100 token_count=5");
    EXPECT_EQ(redact("https://example.com/path?x=1"), "https://example.com/path?x=1");
    EXPECT_EQ(redact("user@host without tld"), "user@host without tld");
}

TEST(RedactTest, Emails) {
    EXPECT_EQ(redact("user jane.doe+tag@mail.example.co.uk signed in."), "user ***@*** signed in.");
    EXPECT_EQ(redact("a@b.io,c@d.org"), "***@***,***@***");
}

TEST(RedactTest, BearerAndBasic) {
    EXPECT_EQ(redact("Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.sig-nature_x"), "Authorization: *** ***");
    EXPECT_EQ(redact("bearer abcdefghijkl"), "bearer ***");
    EXPECT_EQ(redact("header Basic dXNlcjpwYXNzd29yZA=="), "header Basic ***");
}

TEST(RedactTest, ShopifyAndApiKeys) {
    for (const char* prefix : {"shpat_", "shpca_", "shppa_", "shpss_"}) {
        const std::string token = std::string{prefix} + "a1b2c3d4e5f6a7b8c9d0";
        EXPECT_EQ(redact("token " + token + " used"), "token " + std::string{prefix} + "*** used");
    }
    EXPECT_EQ(redact("key sk-or-v1-0123456789abcdef end"), "key sk-*** end");
    EXPECT_EQ(redact("sk_live_abcdefgh"), "sk_live_***");
}

TEST(RedactTest, KeyValuePairs) {
    EXPECT_EQ(redact("password=hunter2 user=bob"), "password=*** user=bob");
    EXPECT_EQ(redact("login?token=abc&x=1"), "login?token=***&x=1");
    EXPECT_EQ(redact("client_secret: abc123"), "client_secret: ***");
    EXPECT_EQ(redact(R"({"api_key":"k-123","name":"n"})"), R"({"api_key":"***","name":"n"})");
    EXPECT_EQ(redact("SECRET='a b c'"), "SECRET='***'");
    EXPECT_EQ(redact("X-Shopify-Access-Token: abcdef"), "X-Shopify-Access-Token: ***");
    EXPECT_EQ(redact("host=db password=pw dbname=x"), "host=db password=*** dbname=x");
}

TEST(RedactTest, UrlUserinfoPasswords) {
    EXPECT_EQ(redact("postgresql://user:pa55@db:5432/alatar"), "postgresql://user:***@db:5432/alatar");
    EXPECT_EQ(redact("amqp://guest:guest@127.0.0.1:5672/"), "amqp://guest:***@127.0.0.1:5672/");
    EXPECT_EQ(redact("postgresql://127.0.0.1:5432/alatar"), "postgresql://127.0.0.1:5432/alatar");
    EXPECT_EQ(redact("a https://u:p@x.io/ and amqp://v:q@y/"), "a https://u:***@x.io/ and amqp://v:***@y/");
}

TEST(RedactTest, Idempotent) {
    const std::string once = redact("password=x Bearer abcdefghijk a@b.com postgresql://u:p@h/ shpat_abcdef");
    EXPECT_EQ(redact(once), once);
}

}  // namespace
}  // namespace alatar
