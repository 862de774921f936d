// Pure parts of the API: ids, cursors, e-mail and password rules, language tags, time zones, models, the login
// throttle, the event hub and error formatting.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <thread>

#include "api/accounts.hpp"
#include "api/analysis_read.hpp"
#include "api/common_passwords.hpp"
#include "api/errors.hpp"
#include "api/event_hub.hpp"
#include "api/ids.hpp"
#include "api/login_throttle.hpp"
#include "api/preferences.hpp"
#include "api/request_context.hpp"
#include "api/server.hpp"
#include "api/shared_request_reads.hpp"
#include "common/config.hpp"

namespace alatar::api {
namespace {

namespace json = boost::json;
constexpr std::string_view kUuid = "3f2b8c1e-9d4a-4e6b-8f00-1234567890ab";

TEST(ApiOptions, ServerLimitsComeFromConfiguration) {
    using namespace std::chrono_literals;
    const ApiOptions defaults = api_options(Config::load({}));
    EXPECT_EQ(defaults.http.max_connections, 10'000U);
    EXPECT_EQ(defaults.http.header_limit, 16U * 1024);
    EXPECT_EQ(defaults.http.header_timeout, 10s);
    EXPECT_EQ(defaults.http.idle_timeout, 60s);
    EXPECT_EQ(defaults.http.body_limit, 1024U * 1024);

    const Config config = Config::load({std::nullopt,
                                        {{"ALATAR_MAX_CONNECTIONS", "20000"},
                                         {"ALATAR_MAX_HEADER_BYTES", "4096"},
                                         {"ALATAR_HEADER_TIMEOUT", "2s"},
                                         {"ALATAR_IDLE_TIMEOUT", "5m"},
                                         {"ALATAR_MAX_BODY_BYTES", "2048"},
                                         {"ALATAR_REQUEST_TIMEOUT", "7s"}}});
    const ApiOptions o = api_options(config);
    EXPECT_EQ(o.http.max_connections, 20'000U);
    EXPECT_EQ(o.http.header_limit, 4096U);
    EXPECT_EQ(o.http.header_timeout, 2s);
    EXPECT_EQ(o.http.idle_timeout, 5min);
    EXPECT_EQ(o.http.body_limit, 2048U);
    EXPECT_EQ(o.http.request_timeout, 7s);
    EXPECT_THROW((void)Config::load({std::nullopt, {{"ALATAR_MAX_CONNECTIONS", "0"}}}), ConfigError);
}

TEST(Ids, RoundTripAndTypeTagging) {
    const auto id = encode_id(id_type::kAnalysisRequest, kUuid);
    EXPECT_EQ(id.find(kUuid), std::string::npos);  // opaque
    EXPECT_EQ(decode_id(id_type::kAnalysisRequest, id), std::string(kUuid));
    EXPECT_EQ(decode_id(id_type::kStore, id), std::nullopt);
    EXPECT_EQ(id_type_of(id), std::string(id_type::kAnalysisRequest));
    EXPECT_EQ(decode_id(id_type::kAnalysisRequest, "!!!"), std::nullopt);
    EXPECT_EQ(decode_id(id_type::kAnalysisRequest, encode_id(id_type::kAnalysisRequest, "1; DROP TABLE")),
              std::nullopt);
    EXPECT_FALSE(is_uuid("3F2B8C1E-9D4A-4E6B-8F00-1234567890AB"));
}

TEST(Cursor, RoundTripAndRejectsForgeries) {
    const auto c = encode_cursor("2025-01-30 12:34:56.123456+00", kUuid);
    const auto d = decode_cursor(c);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->first, "2025-01-30 12:34:56.123456+00");
    EXPECT_EQ(d->second, kUuid);
    EXPECT_FALSE(decode_cursor("bm9wZQ").has_value());
    EXPECT_FALSE(decode_cursor(encode_cursor("yesterday'; --", kUuid)).has_value());
}

TEST(Email, NormalizesAndValidates) {
    EXPECT_EQ(normalize_email("  Alice.Smith+shop@Example.COM "), "alice.smith+shop@example.com");
    for (const auto* bad :
         {"", "alice", "alice@", "@example.com", "a@b", "a@@b.com", "a..b@example.com", ".a@example.com",
          "a@-example.com", "a@example.c", "a b@example.com", "a@exa_mple.com", "a@example.com."}) {
        EXPECT_EQ(normalize_email(bad), std::nullopt) << bad;
    }
    EXPECT_EQ(normalize_email(std::string(250, 'a') + "@example.com"), std::nullopt);
}

TEST(Password, Policy) {
    EXPECT_EQ(password_problem("correct horse battery", "x@example.com"), std::nullopt);
    EXPECT_NE(password_problem("short", "x@example.com"), std::nullopt);
    EXPECT_NE(password_problem("ééééééééé", "x@example.com"), std::nullopt);   // 9 characters, 18 bytes
    EXPECT_EQ(password_problem("éèêëēėęàáâ", "x@example.com"), std::nullopt);  // 10 characters
    EXPECT_NE(password_problem("aaaaaaaaaaaa", "x@example.com"), std::nullopt);
    EXPECT_NE(password_problem("Password123", "x@example.com"), std::nullopt);
    EXPECT_NE(password_problem("1234567890", "x@example.com"), std::nullopt);
    EXPECT_NE(password_problem("longname.person", "longname.person@example.com"), std::nullopt);
    EXPECT_NE(password_problem(std::string(1025, 'x') + "y", "x@example.com"), std::nullopt);
    EXPECT_GE(common_passwords().size(), 500U);
    EXPECT_TRUE(is_common_password("QWERTYUIOP"));
}

TEST(Preferences, LanguageTags) {
    EXPECT_EQ(normalize_language_tag("en"), "en");
    EXPECT_EQ(normalize_language_tag("PT-br"), "pt-BR");
    EXPECT_EQ(normalize_language_tag("zh-hant-tw"), "zh-Hant-TW");
    EXPECT_EQ(normalize_language_tag("es-419"), "es-419");
    EXPECT_EQ(normalize_language_tag("de-CH-1996"), "de-CH-1996");
    EXPECT_EQ(normalize_language_tag("en-US-u-ca-gregory"), "en-US-u-ca-gregory");
    EXPECT_EQ(normalize_language_tag("x-private"), "x-private");
    for (const auto* bad : {"", "e", "english please", "en_US", "en-", "en--US", "123", "en-US-u", "toolonglanguage"}) {
        EXPECT_EQ(normalize_language_tag(bad), std::nullopt) << bad;
    }
}

TEST(Preferences, TimeZones) {
    EXPECT_TRUE(is_valid_timezone("Europe/Berlin"));
    EXPECT_TRUE(is_valid_timezone("UTC"));
    EXPECT_TRUE(is_valid_timezone("America/Argentina/Buenos_Aires"));
    EXPECT_FALSE(is_valid_timezone("Mars/Olympus"));
    EXPECT_FALSE(is_valid_timezone(""));
    EXPECT_FALSE(is_valid_timezone("../../etc/passwd"));
}

TEST(Preferences, ModelsDefaultToAFreeGeminiAndAlwaysOfferOffline) {
    const auto defaults = available_models({});
    ASSERT_GE(defaults.size(), 2U);
    EXPECT_NE(defaults.front().id.find("gemini"), std::string::npos);
    EXPECT_TRUE(defaults.front().free);
    EXPECT_EQ(defaults.back().id, kOfflineModel);
    const auto configured = available_models({"a/b", "c/d:free", "a/b"});
    ASSERT_EQ(configured.size(), 3U);
    EXPECT_EQ(configured[0].id, "a/b");
    EXPECT_FALSE(configured[0].free);
    EXPECT_TRUE(configured[1].free);
}

TEST(LoginThrottle, GrowingDelaysPerAccountAndPerAddress) {
    LoginThrottlePolicy p;
    p.account_free_failures = 3;
    p.address_free_failures = 5;
    p.base_delay = std::chrono::seconds(2);
    LoginThrottle t{p};
    auto now = LoginThrottle::Clock::time_point{} + std::chrono::hours(1);
    EXPECT_EQ(t.wait_time("a@x.com", "1.1.1.1", now).count(), 0);
    t.record_failure("a@x.com", "1.1.1.1", now);
    t.record_failure("a@x.com", "1.1.1.1", now);
    EXPECT_EQ(t.wait_time("a@x.com", "1.1.1.1", now).count(), 0);
    t.record_failure("a@x.com", "1.1.1.1", now);
    EXPECT_EQ(t.wait_time("a@x.com", "9.9.9.9", now).count(), 2);  // account blocked from anywhere
    t.record_failure("a@x.com", "1.1.1.1", now);
    EXPECT_EQ(t.wait_time("a@x.com", "9.9.9.9", now).count(), 4);  // doubled
    EXPECT_EQ(t.wait_time("b@x.com", "9.9.9.9", now).count(), 0);
    t.record_failure("c@x.com", "1.1.1.1", now);  // 5th failure from this address
    EXPECT_GT(t.wait_time("d@x.com", "1.1.1.1", now).count(), 0);
    EXPECT_EQ(t.wait_time("a@x.com", "9.9.9.9", now + std::chrono::seconds(5)).count(), 0);  // delay over
    t.record_success("a@x.com");
    EXPECT_EQ(t.wait_time("a@x.com", "9.9.9.9", now).count(), 0);
}

TEST(Credentials, BearerTokensBecomeHashesOnly) {
    const auto key = credential_key("Bearer abc.def");
    EXPECT_EQ(key, "bearer:" + session_token_hash("abc.def"));
    EXPECT_EQ(credential_from_key(key).kind, Credential::Kind::kBearer);
    EXPECT_EQ(credential_from_key(credential_key("bearer   abc.def ")).token_hash, session_token_hash("abc.def"));
    EXPECT_EQ(credential_from_key(credential_key("Basic dXNlcjpwYXNz")).kind, Credential::Kind::kInvalid);
    EXPECT_EQ(credential_from_key(credential_key("Bearer ")).kind, Credential::Kind::kInvalid);
    EXPECT_EQ(credential_from_key("").kind, Credential::Kind::kNone);
}

TEST(Errors, ExpectedErrorsKeepTheirMessageOthersAreHidden) {
    auto log = Logger::null();
    const auto nf =
        format_resolver_error(std::make_exception_ptr(Error(ErrorCode::kNotFound, "No such thing.")), log, "req-1");
    EXPECT_EQ(nf.message, "No such thing.");
    EXPECT_EQ(nf.extensions.at("code").as_string(), "NOT_FOUND");
    const auto internal =
        format_resolver_error(std::make_exception_ptr(std::runtime_error("SELECT secret FROM x")), log, "req-2");
    EXPECT_EQ(internal.message, "Internal server error");
    EXPECT_EQ(internal.extensions.at("requestId").as_string(), "req-2");
    const auto limited = format_resolver_error(
        std::make_exception_ptr(RateLimitedError("Slow down.", std::chrono::seconds(7))), log, "req-3");
    EXPECT_EQ(limited.extensions.at("code").as_string(), "RATE_LIMITED");
    EXPECT_EQ(limited.extensions.at("retryAfter").as_int64(), 7);
    EXPECT_EQ(client_code(ErrorCode::kTimeout), "UPSTREAM_UNAVAILABLE");

    json::object response{{"errors", json::array{json::object{{"message", "x"}, {"path", json::array{"a"}}}}},
                          {"data", nullptr}};
    EXPECT_EQ(ensure_error_codes(response, "BAD_USER_INPUT"), std::vector<std::string>{"INTERNAL"});
    json::object request_error{{"errors", json::array{json::object{{"message", "bad"}}}}};
    EXPECT_EQ(ensure_error_codes(request_error, "BAD_USER_INPUT"), std::vector<std::string>{"BAD_USER_INPUT"});
}

TEST(EventHub, FansOutPerRequestAndDropsOldestWhenFull) {
    boost::asio::io_context io;
    auto hub = std::make_shared<EventHub>();
    auto a1 = hub->subscribe("a", io.get_executor(), 2);
    auto a2 = hub->subscribe("a", io.get_executor(), 2);
    auto b = hub->subscribe("b", io.get_executor(), 2);
    EXPECT_EQ(hub->subscriptions(), 3U);
    for (int i = 1; i <= 3; ++i) hub->publish("a", json::object{{"seq", i}});
    auto first = boost::asio::co_spawn(io, a1->pop(), boost::asio::use_future);
    io.run();
    EXPECT_EQ(first.get()->at("seq").as_int64(), 2);  // seq 1 was dropped
    EXPECT_EQ(a1->dropped(), 1U);
    EXPECT_EQ(a2->dropped(), 1U);
    EXPECT_EQ(b->dropped(), 0U);
    // close() wakes a waiting reader from another thread.
    io.restart();
    auto waiting = boost::asio::co_spawn(io, b->pop(), boost::asio::use_future);
    std::thread closer{[&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        b->close();
    }};
    io.run();
    closer.join();
    EXPECT_FALSE(waiting.get().has_value());
    a1.reset();
    EXPECT_EQ(hub->subscriptions(), 2U);
}

// A fetch that takes a while (as a database read does) and counts its calls.
SharedRequestReads::Fetch slow_fetch(std::atomic<int>& calls, std::int64_t seq, bool found = true) {
    return [&calls, seq, found]() -> boost::asio::awaitable<std::optional<RequestState>> {
        ++calls;
        boost::asio::steady_timer timer{co_await boost::asio::this_coro::executor, std::chrono::milliseconds(30)};
        co_await timer.async_wait(boost::asio::use_awaitable);
        if (!found) co_return std::nullopt;
        co_return RequestState{json::object{{"status", "RUNNING"}, {"_eventSeq", seq}}, false};
    };
}

TEST(SharedRequestReads, OneReadServesEveryStreamOfAnEvent) {
    boost::asio::io_context io;
    SharedRequestReads reads;
    std::atomic<int> calls{0};
    const auto fetch = slow_fetch(calls, 5);
    std::atomic<int> answered{0};
    for (int i = 0; i < 50; ++i) {
        // Each stream on its own strand, as each WebSocket connection is.
        boost::asio::co_spawn(
            boost::asio::make_strand(io),
            [&]() -> boost::asio::awaitable<void> {
                const auto state = co_await reads.read("r1", "u1", 5, fetch);
                if (state && state->request.at("_eventSeq").as_int64() == 5) ++answered;
            },
            boost::asio::detached);
    }
    std::thread second{[&] { io.run(); }};
    io.run();
    second.join();
    EXPECT_EQ(calls.load(), 1);
    EXPECT_EQ(answered.load(), 50);
    EXPECT_EQ(reads.fetches(), 1U);
    EXPECT_EQ(reads.shared(), 49U);

    // A newer event needs a newer read; another user never gets this user's read.
    io.restart();
    const auto newer = slow_fetch(calls, 6);
    auto at6 = boost::asio::co_spawn(io, reads.read("r1", "u1", 6, newer), boost::asio::use_future);
    io.run();
    EXPECT_EQ(at6.get()->request.at("_eventSeq").as_int64(), 6);
    EXPECT_EQ(calls.load(), 2);
    io.restart();
    const auto not_theirs = slow_fetch(calls, 6, false);
    auto other = boost::asio::co_spawn(io, reads.read("r1", "u2", 1, not_theirs), boost::asio::use_future);
    io.run();
    EXPECT_FALSE(other.get().has_value());
    EXPECT_EQ(calls.load(), 3);
}

TEST(SharedRequestReads, AFailedReadFailsItsCallerAndItsWaitersAndTheNextReadTriesAgain) {
    boost::asio::io_context io;
    SharedRequestReads reads;
    std::atomic<int> calls{0};
    const SharedRequestReads::Fetch failing = [&calls]() -> boost::asio::awaitable<std::optional<RequestState>> {
        ++calls;
        boost::asio::steady_timer timer{co_await boost::asio::this_coro::executor, std::chrono::milliseconds(30)};
        co_await timer.async_wait(boost::asio::use_awaitable);
        throw std::runtime_error("connection lost");
    };
    const auto working = slow_fetch(calls, 3);
    auto first = boost::asio::co_spawn(io, reads.read("r", "u", 3, failing), boost::asio::use_future);
    auto second = boost::asio::co_spawn(io, reads.read("r", "u", 3, working), boost::asio::use_future);
    auto third = boost::asio::co_spawn(io, reads.read("r", "u", 3, working), boost::asio::use_future);
    io.run();
    // The waiters fail with the read they waited for instead of reading again one after another.
    EXPECT_THROW((void)first.get(), std::runtime_error);
    EXPECT_THROW((void)second.get(), std::runtime_error);
    EXPECT_THROW((void)third.get(), std::runtime_error);
    EXPECT_EQ(calls.load(), 1);
    // A later update reads afresh.
    io.restart();
    auto later = boost::asio::co_spawn(io, reads.read("r", "u", 3, working), boost::asio::use_future);
    io.run();
    EXPECT_EQ(later.get()->request.at("_eventSeq").as_int64(), 3);
    EXPECT_EQ(calls.load(), 2);
}

}  // namespace
}  // namespace alatar::api
