// loginWithIdToken: RS256 ID tokens signed in the test, verified against a local JWKS; iss/aud/exp checked; the
// identity signs in, links to the signed-in account, or is refused without creating anything.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "api/id_token.hpp"
#include "api/jwks_cache.hpp"
#include "api_fixture.hpp"
#include "identity_jwks_server.hpp"
#include "shopify/http_client.hpp"

namespace alatar::api::test {
namespace {

constexpr const char* kClientId = "alatar-ios.apps.example";
constexpr const char* kGoogleIssuer = "https://accounts.google.com";
constexpr const char* kLogin =
    "mutation($p: IdTokenProvider!, $t: String!) { loginWithIdToken(provider: $p, idToken: $t) { token user { id "
    "email } } }";

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json::object claims(const std::string& sub, std::int64_t exp_in = 600) {
    return json::object{{"iss", kGoogleIssuer},  {"aud", kClientId},        {"sub", sub},
                        {"iat", now_s()},        {"exp", now_s() + exp_in}, {"email", sub + "@example.com"},
                        {"email_verified", true}};
}

RsaKey& signing_key() {
    static RsaKey key("test-key-1");
    return key;
}

JwksServer& jwks() {
    static JwksServer server(json::serialize(json::object{{"keys", json::array{signing_key().jwk()}}}));
    return server;
}

class IdTokenTest : public ApiFixture {
  protected:
    void adjust(ApiOptions& options) override {
        options.config.google_client_ids = {"other-client", kClientId};
        options.config.google_jwks_url = jwks().url();
    }

    json::value login(const std::string& token, const std::string& session = {},
                      const std::string& provider = "GOOGLE") {
        return gql(kLogin, {{"p", provider}, {"t", token}}, session);
    }
    std::int64_t users() { return sql("SELECT count(*) FROM users").get<std::int64_t>(0, 0); }
};

TEST_F(IdTokenTest, ValidTokenSignsInAndTheSameSubjectSignsInAgain) {
    const auto first = login(signing_key().sign(claims("alice")));
    ASSERT_FALSE(first.as_object().contains("errors")) << json::serialize(first);
    const auto& payload = first.at("data").at("loginWithIdToken");
    EXPECT_EQ(payload.at("user").at("email").as_string(), "alice@example.com");
    const std::string session(payload.at("token").as_string());
    EXPECT_TRUE(gql("{ me { id } }", {}, session).at("data").at("me").is_object());

    const auto second = login(signing_key().sign(claims("alice")));
    ASSERT_FALSE(second.as_object().contains("errors")) << json::serialize(second);
    EXPECT_EQ(second.at("data").at("loginWithIdToken").at("user").at("id"), payload.at("user").at("id"));
    EXPECT_EQ(users(), 1);
    EXPECT_EQ(sql("SELECT provider || ':' || subject FROM identities").get<std::string>(0, 0), "google:alice");
}

TEST_F(IdTokenTest, SignedInUserLinksTheIdentity) {
    const auto session = register_user("bob@example.com");
    const auto r = login(signing_key().sign(claims("bob-google")), session);
    ASSERT_FALSE(r.as_object().contains("errors")) << json::serialize(r);
    EXPECT_EQ(r.at("data").at("loginWithIdToken").at("user").at("email").as_string(), "bob@example.com");
    EXPECT_EQ(users(), 1);
    // Afterwards the identity alone signs in to that account.
    const auto again = login(signing_key().sign(claims("bob-google")));
    EXPECT_EQ(again.at("data").at("loginWithIdToken").at("user").at("email").as_string(), "bob@example.com");
    // An e-mail claim alone never takes over an existing account.
    auto takeover = claims("mallory");
    takeover["email"] = "bob@example.com";
    EXPECT_EQ(code_of(login(signing_key().sign(takeover))), "CONFLICT");
    EXPECT_EQ(users(), 1);
}

TEST_F(IdTokenTest, InvalidTokensAreRefusedAndCreateNothing) {
    const RsaKey stranger("test-key-1");  // same kid, different key
    auto wrong_aud = claims("eve");
    wrong_aud["aud"] = "someone-else";
    auto mixed_aud = claims("eve");
    mixed_aud["aud"] = json::array{kClientId, "someone-else"};
    auto wrong_iss = claims("eve");
    wrong_iss["iss"] = "https://evil.example";
    auto no_exp = claims("eve");
    no_exp.erase("exp");
    const std::string good = signing_key().sign(claims("eve"));
    std::string tampered = good;
    tampered[tampered.find('.') + 5] = tampered[tampered.find('.') + 5] == 'A' ? 'B' : 'A';

    const std::vector<std::pair<std::string, std::string>> cases = {
        {signing_key().sign(claims("eve", -600)), "expired"},
        {signing_key().sign(wrong_aud), "wrong audience"},
        {signing_key().sign(mixed_aud), "wrong audience"},
        {signing_key().sign(wrong_iss), "wrong issuer"},
        {signing_key().sign(no_exp), "no expiry"},
        {stranger.sign(claims("eve")), "bad signature"},
        {tampered, ""},
        {signing_key().sign(claims("eve"), json::object{{"kid", "unknown-kid"}}), "unknown signing key"},
        {signing_key().sign(claims("eve"), json::object{{"alg", "HS256"}}), "only RS256"},
        {signing_key().sign(claims("eve"), json::object{{"alg", "none"}}), "only RS256"},
        {good.substr(0, good.rfind('.') + 1), ""},
        {"not-a-jwt", "malformed"},
    };
    for (const auto& [token, needle] : cases) {
        const auto r = login(token);
        ASSERT_TRUE(r.as_object().contains("errors")) << needle << ": " << json::serialize(r);
        EXPECT_EQ(code_of(r), "UNAUTHENTICATED") << needle;
        const std::string message(r.at("errors").at(0).at("message").as_string());
        EXPECT_NE(message.find(needle), std::string::npos) << message;
    }
    EXPECT_EQ(users(), 0);
    EXPECT_EQ(sql("SELECT count(*) FROM identities").get<std::int64_t>(0, 0), 0);
    // A provider without configured client ids is off.
    EXPECT_EQ(code_of(login(good, {}, "APPLE")), "BAD_USER_INPUT");
}

TEST(JwksCacheTest, KeysAreCachedAndAnUnknownKidRefetchesOnlyAfterTheMinimumInterval) {
    RsaKey first("k-first");
    RsaKey second("k-second");
    JwksServer server(json::serialize(json::object{{"keys", json::array{first.jwk()}}}));
    JwksCache cache(std::make_shared<shopify::CurlHttpClient>(), std::chrono::hours(1), std::chrono::seconds(0));
    EXPECT_NE(cache.key(server.url(), "k-first"), nullptr);
    EXPECT_NE(cache.key(server.url(), "k-first"), nullptr);
    EXPECT_EQ(cache.fetches(), 1);
    // The provider rotates: the new kid is fetched on first sight.
    server.set_document(json::serialize(json::object{{"keys", json::array{first.jwk(), second.jwk()}}}));
    EXPECT_NE(cache.key(server.url(), "k-second"), nullptr);
    EXPECT_EQ(cache.fetches(), 2);

    JwksCache slow(std::make_shared<shopify::CurlHttpClient>(), std::chrono::hours(1), std::chrono::minutes(1));
    EXPECT_NE(slow.key(server.url(), "k-first"), nullptr);
    EXPECT_EQ(slow.key(server.url(), "nope"), nullptr);
    EXPECT_EQ(slow.key(server.url(), "nope"), nullptr);
    EXPECT_EQ(slow.fetches(), 1);  // unknown kids do not hammer the provider
    EXPECT_EQ(server.hits(), 3);
}

TEST(JwksCacheTest, ParseSkipsNonRsaAndWeakKeys) {
    RsaKey key("ok");
    json::array keys{key.jwk(), json::object{{"kty", "EC"}, {"kid", "ec"}, {"crv", "P-256"}},
                     json::object{{"kty", "RSA"}, {"kid", "tiny"}, {"n", "AQAB"}, {"e", "AQAB"}}};
    auto enc = key.jwk();
    enc["use"] = "enc";
    enc["kid"] = "enc";
    keys.push_back(enc);
    const auto parsed = parse_jwks(json::serialize(json::object{{"keys", keys}}));
    EXPECT_EQ(parsed.size(), 1U);
    EXPECT_TRUE(parsed.contains("ok"));
    EXPECT_THROW(parse_jwks("{\"nokeys\":1}"), std::invalid_argument);
}

}  // namespace
}  // namespace alatar::api::test
