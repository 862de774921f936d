// Accounts and sessions end to end over HTTP: register, login, logout, me, preferences, models; session expiry
// and revocation; login throttling; error codes.
#include "api/ids.hpp"
#include "api_fixture.hpp"

namespace alatar::api::test {
namespace {

constexpr const char* kMe = "{ me { id email preferences { llmModel timezone language } } }";
constexpr const char* kLogin = "mutation($i: LoginInput!) { login(input: $i) { token expiresAt user { email } } }";

json::object login_vars(const std::string& email, const std::string& password) {
    return {{"i", json::object{{"email", email}, {"password", password}}}};
}

using AccountsTest = ApiFixture;

TEST_F(AccountsTest, RegisterReturnsAWorkingTokenAndNormalizedEmail) {
    const auto token = register_user("  Alice@Example.COM ");
    ASSERT_FALSE(token.empty());
    EXPECT_GE(token.size(), 43U);  // 256 bits in base64url
    const auto me = gql(kMe, {}, token);
    EXPECT_EQ(me.at("data").at("me").at("email").as_string(), "alice@example.com");
    EXPECT_EQ(me.at("data").at("me").at("preferences").at("timezone").as_string(), "UTC");
    // The default model is the first of availableModels.
    const auto models = gql("{ availableModels { id name free } }");
    EXPECT_EQ(me.at("data").at("me").at("preferences").at("llmModel"),
              models.at("data").at("availableModels").as_array().at(0).at("id"));
    // Only the hash is stored.
    const auto stored = sql("SELECT token_hash FROM sessions");
    ASSERT_EQ(stored.rows(), 1);
    EXPECT_NE(stored.get<std::string>(0, 0), token);
    EXPECT_EQ(stored.get<std::string>(0, 0).size(), 64U);
}

TEST_F(AccountsTest, RegisterRejectsBadInputWithBadUserInput) {
    const char* kRegister = "mutation($i: RegisterInput!) { register(input: $i) { token } }";
    auto attempt = [&](const std::string& email, const std::string& password) {
        return gql(kRegister, {{"i", json::object{{"email", email}, {"password", password}}}});
    };
    EXPECT_EQ(code_of(attempt("not-an-email", "correct horse battery")), "BAD_USER_INPUT");
    EXPECT_EQ(code_of(attempt("bob@example.com", "short")), "BAD_USER_INPUT");
    EXPECT_EQ(code_of(attempt("bob@example.com", "password123")), "BAD_USER_INPUT");  // too common
    EXPECT_EQ(code_of(attempt("bob@example.com", "qwertyuiop")), "BAD_USER_INPUT");
    EXPECT_EQ(code_of(attempt("bobby.tables@example.com", "Bobby.Tables@example.com")), "BAD_USER_INPUT");
    EXPECT_EQ(sql("SELECT count(*) FROM users").scalar<std::int64_t>(), 0);
    register_user("bob@example.com");
    const auto dup = attempt("BOB@example.com", "another long password");
    EXPECT_EQ(code_of(dup), "CONFLICT");
}

TEST_F(AccountsTest, LoginSucceedsOnlyWithTheRightPasswordAndOneGenericError) {
    register_user("carol@example.com", "carol's long password");
    const auto ok = gql(kLogin, login_vars("Carol@Example.com", "carol's long password"));
    ASSERT_TRUE(ok.at("data").is_object()) << json::serialize(ok);
    const std::string token(ok.at("data").at("login").at("token").as_string());
    EXPECT_EQ(gql(kMe, {}, token).at("data").at("me").at("email").as_string(), "carol@example.com");

    const auto wrong = gql(kLogin, login_vars("carol@example.com", "not carol's password"));
    const auto unknown = gql(kLogin, login_vars("nobody@example.com", "not carol's password"));
    EXPECT_EQ(code_of(wrong), "UNAUTHENTICATED");
    EXPECT_EQ(code_of(unknown), "UNAUTHENTICATED");
    EXPECT_EQ(wrong.at("errors").at(0).at("message"), unknown.at("errors").at(0).at("message"));
    EXPECT_EQ(wrong.at("errors").at(0).at("message").as_string(), "Invalid e-mail or password.");
}

TEST_F(AccountsTest, LogoutRevokesTheSession) {
    const auto token = register_user("dave@example.com");
    const auto other = gql(kLogin, login_vars("dave@example.com", "correct horse battery"));
    const std::string second(other.at("data").at("login").at("token").as_string());
    const auto out = gql("mutation { logout }", {}, token);
    EXPECT_TRUE(out.at("data").at("logout").as_bool());
    const auto after = gql(kMe, {}, token);
    EXPECT_EQ(code_of(after), "UNAUTHENTICATED");
    // Other sessions of the same user stay valid.
    EXPECT_EQ(gql(kMe, {}, second).at("data").at("me").at("email").as_string(), "dave@example.com");
    EXPECT_EQ(code_of(gql("mutation { logout }")), "UNAUTHENTICATED");
}

TEST_F(AccountsTest, ExpiredSessionsAreRefused) {
    const auto absolute = register_user("erin@example.com");
    const auto idle = gql(kLogin, login_vars("erin@example.com", "correct horse battery"));
    const std::string idle_token(idle.at("data").at("login").at("token").as_string());
    const auto fresh = gql(kLogin, login_vars("erin@example.com", "correct horse battery"));
    const std::string fresh_token(fresh.at("data").at("login").at("token").as_string());

    sql("UPDATE sessions SET expires_at = now() - interval '1 second', "
        "idle_expires_at = now() - interval '1 second', created_at = now() - interval '31 days' "
        "WHERE token_hash = $1",
        db::Params{session_token_hash(absolute)});
    sql("UPDATE sessions SET idle_expires_at = now() - interval '1 second', last_seen_at = now() - interval '8 days' "
        "WHERE token_hash = $1",
        db::Params{session_token_hash(idle_token)});
    EXPECT_EQ(code_of(gql(kMe, {}, absolute)), "UNAUTHENTICATED");
    EXPECT_EQ(code_of(gql(kMe, {}, idle_token)), "UNAUTHENTICATED");
    EXPECT_EQ(gql(kMe, {}, fresh_token).at("data").at("me").at("email").as_string(), "erin@example.com");
}

TEST_F(AccountsTest, UseMovesTheIdleExpiryButNeverPastTheAbsoluteOne) {
    const auto token = register_user("frank@example.com");
    sql("UPDATE sessions SET last_seen_at = now() - interval '2 days', idle_expires_at = now() + interval '5 days', "
        "expires_at = now() + interval '6 days'");
    ASSERT_TRUE(gql(kMe, {}, token).at("data").at("me").is_object());
    const auto r = sql("SELECT idle_expires_at = expires_at, last_seen_at > now() - interval '1 minute' FROM sessions");
    EXPECT_TRUE(r.get<bool>(0, 0));
    EXPECT_TRUE(r.get<bool>(0, 1));
}

TEST_F(AccountsTest, AnonymousMeIsNullAndGarbageTokensAreUnauthenticated) {
    EXPECT_TRUE(gql(kMe).at("data").at("me").is_null());
    EXPECT_EQ(code_of(gql(kMe, {}, "not-a-real-token")), "UNAUTHENTICATED");
    const auto basic = post(kMe, {}, {}, {{"Authorization", "Basic dXNlcjpwYXNz"}}).json();
    EXPECT_EQ(code_of(basic), "UNAUTHENTICATED");
}

TEST_F(AccountsTest, PreferencesAreValidated) {
    const auto token = register_user("grace@example.com");
    const char* kUpdate =
        "mutation($i: UpdatePreferencesInput!) { updatePreferences(input: $i) { llmModel timezone language } }";
    const auto ok = gql(
        kUpdate, {{"i", json::object{{"timezone", "Europe/Berlin"}, {"language", "PT-br"}, {"llmModel", "offline"}}}},
        token);
    ASSERT_TRUE(ok.at("data").is_object()) << json::serialize(ok);
    EXPECT_EQ(ok.at("data").at("updatePreferences").at("timezone").as_string(), "Europe/Berlin");
    EXPECT_EQ(ok.at("data").at("updatePreferences").at("language").as_string(), "pt-BR");
    EXPECT_EQ(ok.at("data").at("updatePreferences").at("llmModel").as_string(), "offline");
    // Only the given fields change.
    const auto partial = gql(kUpdate, {{"i", json::object{{"language", "de"}}}}, token);
    EXPECT_EQ(partial.at("data").at("updatePreferences").at("timezone").as_string(), "Europe/Berlin");
    EXPECT_EQ(code_of(gql(kUpdate, {{"i", json::object{{"timezone", "Mars/Olympus"}}}}, token)), "BAD_USER_INPUT");
    EXPECT_EQ(code_of(gql(kUpdate, {{"i", json::object{{"language", "english please"}}}}, token)), "BAD_USER_INPUT");
    EXPECT_EQ(code_of(gql(kUpdate, {{"i", json::object{{"llmModel", "gpt-17-ultra"}}}}, token)), "BAD_USER_INPUT");
    EXPECT_EQ(code_of(gql(kUpdate, {{"i", json::object{{"language", "fr"}}}})), "UNAUTHENTICATED");
}

class ThrottledAccountsTest : public ApiFixture {
  protected:
    void adjust(ApiOptions& options) override {
        options.throttle.account_free_failures = 3;
        options.throttle.base_delay = std::chrono::seconds(30);
    }
};

TEST_F(ThrottledAccountsTest, RepeatedFailuresAreDelayedWithRetryAfter) {
    register_user("heidi@example.com");
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(code_of(gql(kLogin, login_vars("heidi@example.com", "wrong password!!"))), "UNAUTHENTICATED");
    }
    // Now even the right password waits: the delay does not reveal which guess was right.
    const auto blocked = gql(kLogin, login_vars("heidi@example.com", "correct horse battery"));
    ASSERT_EQ(code_of(blocked), "RATE_LIMITED") << json::serialize(blocked);
    const auto retry = blocked.at("errors").at(0).at("extensions").at("retryAfter").to_number<std::int64_t>();
    EXPECT_GE(retry, 1);
    EXPECT_LE(retry, 30);
    // Another account from the same address is not blocked yet (per-address allowance is larger).
    register_user("ivan@example.com");
    EXPECT_TRUE(gql(kLogin, login_vars("ivan@example.com", "correct horse battery")).at("data").is_object());
}

class StrictBucketTest : public ApiFixture {
  protected:
    void adjust(ApiOptions& options) override { options.graphql_http.strict_bucket = {0.01, 2}; }
};

TEST_F(StrictBucketTest, LoginFloodGets429WithRetryAfter) {
    HttpResult last;
    for (int i = 0; i < 3; ++i) last = post(kLogin, login_vars("x@example.com", "whatever password"));
    EXPECT_EQ(last.status, 429U);
    EXPECT_FALSE(last.headers["Retry-After"].empty());
    EXPECT_EQ(code_of(last.json()), "RATE_LIMITED");
    // Other operations are still served.
    EXPECT_EQ(post("{ __typename }").status, 200U);
}

TEST_F(AccountsTest, InternalErrorsHideDetailsAndCarryTheRequestId) {
    const auto token = register_user("judy@example.com");
    // A row the resolver cannot map (unparsable jsonb cannot exist, so break the user row's invariant instead:
    // a preferences row pointing at a model that no longer exists is fine, so drop the table the resolver reads).
    sql("ALTER TABLE user_preferences RENAME TO user_preferences_gone");
    const auto r = post(kMe, {}, token);
    sql("ALTER TABLE user_preferences_gone RENAME TO user_preferences");
    const auto body = r.json();
    ASSERT_TRUE(body.as_object().contains("errors")) << r.body;
    const auto& e = body.at("errors").at(0);
    EXPECT_EQ(e.at("extensions").at("code").as_string(), "INTERNAL");
    EXPECT_EQ(e.at("message").as_string(), "Internal server error");
    EXPECT_EQ(e.at("extensions").at("requestId").as_string(), r.headers.at("X-Request-Id"));
    EXPECT_EQ(r.body.find("user_preferences"), std::string::npos);
}

}  // namespace
}  // namespace alatar::api::test
