#include "common/log.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "common/log_capture.hpp"
#include "common/time.hpp"

namespace alatar {
namespace {

// Collects lines written by a logger.
struct Capture {
    std::mutex mutex;
    std::vector<std::string> lines;

    LogSink sink() {
        return [this](std::string_view line) {
            const std::lock_guard lock{mutex};
            lines.emplace_back(line);
        };
    }
    boost::json::object json(std::size_t i) { return boost::json::parse(lines.at(i)).as_object(); }
};

TEST(LogTest, EveryLineIsJsonWithRequiredKeys) {
    Capture cap;
    const Logger log{"api", LogLevel::kDebug, cap.sink()};
    log.debug("d");
    log.info("i", {{"n", 3}, {"ok", true}, {"ratio", 0.5}, {"s", "text"}, {"none", nullptr}});
    log.warning("w \"quoted\" \n newline \t tab \x01 ctrl");
    log.error("e");
    log.critical("c");
    ASSERT_EQ(cap.lines.size(), 5U);
    const std::vector<std::string> levels{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};
    for (std::size_t i = 0; i < cap.lines.size(); ++i) {
        EXPECT_EQ(cap.lines[i].find('\n'), std::string::npos);
        const auto obj = cap.json(i);
        ASSERT_TRUE(obj.contains("ts"));
        EXPECT_TRUE(parse_rfc3339(obj.at("ts").as_string().c_str()).has_value());
        EXPECT_EQ(obj.at("ts").as_string().size(), 24U);  // 2025-01-30T12:34:56.789Z
        EXPECT_EQ(obj.at("level").as_string(), levels[i]);
        EXPECT_EQ(obj.at("logger").as_string(), "api");
        EXPECT_TRUE(obj.at("msg").is_string());
    }
    const auto info = cap.json(1);
    EXPECT_EQ(info.at("n").as_int64(), 3);
    EXPECT_EQ(info.at("ok").as_bool(), true);
    EXPECT_DOUBLE_EQ(info.at("ratio").as_double(), 0.5);
    EXPECT_EQ(info.at("s").as_string(), "text");
    EXPECT_TRUE(info.at("none").is_null());
    EXPECT_EQ(cap.json(2).at("msg").as_string(), "w \"quoted\" \n newline \t tab \x01 ctrl");
}

TEST(LogTest, LevelFiltering) {
    Capture cap;
    const Logger log{"x", LogLevel::kWarning, cap.sink()};
    EXPECT_FALSE(log.enabled(LogLevel::kInfo));
    EXPECT_TRUE(log.enabled(LogLevel::kWarning));
    log.debug("no");
    log.info("no");
    log.warning("yes");
    log.error("yes");
    ASSERT_EQ(cap.lines.size(), 2U);
    EXPECT_EQ(cap.json(0).at("level").as_string(), "WARNING");
    const auto verbose = log.with_level(LogLevel::kDebug);
    verbose.debug("now yes");
    ASSERT_EQ(cap.lines.size(), 3U);
    EXPECT_EQ(cap.json(2).at("level").as_string(), "DEBUG");
}

TEST(LogTest, ParseLevelNames) {
    EXPECT_EQ(parse_log_level("debug"), LogLevel::kDebug);
    EXPECT_EQ(parse_log_level("INFO"), LogLevel::kInfo);
    EXPECT_EQ(parse_log_level("Warn"), LogLevel::kWarning);
    EXPECT_EQ(parse_log_level("WARNING"), LogLevel::kWarning);
    EXPECT_EQ(parse_log_level("critical"), LogLevel::kCritical);
    EXPECT_FALSE(parse_log_level("verbose").has_value());
    for (auto l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError, LogLevel::kCritical}) {
        EXPECT_EQ(parse_log_level(log_level_name(l)), l);
    }
}

TEST(LogTest, ContextFieldsFromWithAndOverrides) {
    Capture cap;
    const Logger root{"api", LogLevel::kInfo, cap.sink()};
    const auto req = root.with({{"request_id", "r-1"}, {"user_id", 42}});
    const auto analysis = req.with({{"analysis_id", "a-9"}, {"user_id", 43}}).child("agents");
    root.info("root");
    req.info("req");
    analysis.info("analysis", {{"request_id", "r-override"}});
    ASSERT_EQ(cap.lines.size(), 3U);
    EXPECT_FALSE(cap.json(0).contains("request_id"));
    EXPECT_EQ(cap.json(1).at("request_id").as_string(), "r-1");
    EXPECT_EQ(cap.json(1).at("user_id").as_int64(), 42);
    const auto a = cap.json(2);
    EXPECT_EQ(a.at("logger").as_string(), "api.agents");
    EXPECT_EQ(a.at("analysis_id").as_string(), "a-9");
    EXPECT_EQ(a.at("user_id").as_int64(), 43);
    EXPECT_EQ(a.at("request_id").as_string(), "r-override");
    // Each key appears once even when overridden.
    EXPECT_EQ(cap.lines[2].find("\"request_id\""), cap.lines[2].rfind("\"request_id\""));
}

TEST(LogTest, ReservedKeysCannotBeOverwrittenByFields) {
    Capture cap;
    const Logger log{"api", LogLevel::kInfo, cap.sink()};
    log.info("real", {{"msg", "fake"}, {"level", "DEBUG"}});
    const auto obj = cap.json(0);
    EXPECT_EQ(obj.at("msg").as_string(), "real");
    EXPECT_EQ(obj.at("level").as_string(), "INFO");
    EXPECT_EQ(obj.at("field.msg").as_string(), "fake");
}

TEST(LogTest, ErrorFields) {
    Capture cap;
    const Logger log{"db", LogLevel::kInfo, cap.sink()};
    log.log_exception(LogLevel::kError, "query failed", Error{ErrorCode::kTimeout, "took too long"}, {{"q", "find"}});
    log.log_exception(LogLevel::kError, "boom", std::runtime_error{"bad"});
    log.log_exception(LogLevel::kError, "ptr", std::make_exception_ptr(Error{ErrorCode::kNotFound, "gone"}));
    ASSERT_EQ(cap.lines.size(), 3U);
    EXPECT_EQ(cap.json(0).at("err_code").as_string(), "TIMEOUT");
    EXPECT_EQ(cap.json(0).at("err").as_string(), "took too long");
    EXPECT_EQ(cap.json(0).at("q").as_string(), "find");
    EXPECT_EQ(cap.json(1).at("err_code").as_string(), "INTERNAL");
    EXPECT_EQ(cap.json(2).at("err_code").as_string(), "NOT_FOUND");
}

TEST(LogTest, SecretsMaskedInMessageFieldsContextAndErrors) {
    Capture cap;
    const Logger log{"api", LogLevel::kInfo, cap.sink()};
    const auto ctx = log.with({{"dsn", "postgresql://alice:s3cretPW@db.example.com/alatar"}});
    ctx.info("login by jane.doe@example.com with Authorization: Bearer abcdefghijklmnop",
             {{"token_field", "password=hunter2hunter2"},
              {"shop_token", "shpat_0123456789abcdef0123456789abcdef"},
              {"owner", "owner@shop.io"}});
    log.log_exception(LogLevel::kError, "x", std::runtime_error{"connect amqp://guest:topsecret@mq:5672/ failed"});
    ASSERT_EQ(cap.lines.size(), 2U);
    for (const char* secret :
         {"s3cretPW", "jane.doe", "abcdefghijklmnop", "hunter2", "0123456789abcdef", "owner@", "topsecret"}) {
        for (const auto& line : cap.lines) EXPECT_EQ(line.find(secret), std::string::npos) << secret << " in " << line;
    }
    const auto obj = cap.json(0);
    EXPECT_EQ(obj.at("dsn").as_string(), "postgresql://alice:***@db.example.com/alatar");
    EXPECT_EQ(obj.at("shop_token").as_string(), "***");  // secret-named field: whole value masked
    EXPECT_EQ(obj.at("token_field").as_string(), "password=***");
}

TEST(LogTest, SecretNamedFieldsAreMaskedWhateverTheirValue) {
    Capture cap;
    const Logger log{"api", LogLevel::kInfo, cap.sink()};
    log.with({{"session_token", "plain-looking-value"}})
        .info("m", {{"password", "hunter2"},
                    {"api-key", 12345},
                    {"client_secret", nullptr},
                    {"tokens", 17},
                    {"refresh_token", ""}});
    const auto obj = cap.json(0);
    EXPECT_EQ(obj.at("session_token").as_string(), "***");
    EXPECT_EQ(obj.at("password").as_string(), "***");
    EXPECT_EQ(obj.at("api-key").as_string(), "***");
    EXPECT_TRUE(obj.at("client_secret").is_null());  // absence of a value is not a secret
    EXPECT_EQ(obj.at("tokens").as_int64(), 17);      // a count, not a credential
    EXPECT_EQ(cap.lines[0].find("hunter2"), std::string::npos);
    EXPECT_EQ(cap.lines[0].find("plain-looking-value"), std::string::npos);
}

TEST(LogTest, RawJsonFieldsAreEmbeddedAndRedacted) {
    Capture cap;
    const Logger log{"app", LogLevel::kInfo, cap.sink()};
    log.info(
        "configuration",
        {{"config",
          RawJson{R"({"listen":"127.0.0.1:8080","db":{"url":"postgresql://u:pw1@h/d","password":"pw2","api_key":""},
                                  "owners":["x@y.com"],"n":3})"}},
         {"broken", RawJson{"{not json password=pw3"}}});
    const auto obj = cap.json(0);
    const auto& config = obj.at("config").as_object();
    EXPECT_EQ(config.at("listen").as_string(), "127.0.0.1:8080");
    EXPECT_EQ(config.at("n").as_int64(), 3);
    EXPECT_EQ(config.at("db").at("url").as_string(), "postgresql://u:***@h/d");
    EXPECT_EQ(config.at("db").at("password").as_string(), "***");
    EXPECT_EQ(config.at("db").at("api_key").as_string(), "");
    EXPECT_EQ(config.at("owners").at(0).as_string(), "***@***");
    EXPECT_EQ(obj.at("broken").as_string(), "{not json password=***");
    for (const char* secret : {"pw1", "pw2", "pw3", "x@y.com"}) EXPECT_EQ(cap.lines[0].find(secret), std::string::npos);
}

TEST(LogTest, InvalidUtf8IsReplacedSoLinesStayValid) {
    Capture cap;
    const Logger log{"api", LogLevel::kInfo, cap.sink()};
    const std::string bad = std::string{"ok \xC3\xA9 then "} + '\xff' + " and " + '\xC3' + " and \xED\xA0\x80";
    log.info(bad, {{"v", bad}});
    const auto obj = cap.json(0);
    const std::string expected =
        "ok \xC3\xA9 then \xEF\xBF\xBD and \xEF\xBF\xBD and \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD";
    EXPECT_EQ(obj.at("msg").as_string(), expected);
    EXPECT_EQ(obj.at("v").as_string(), expected);
}

TEST(LogTest, ConcurrentWritersProduceWholeLines) {
    std::ostringstream out;
    const Logger log{"mt", LogLevel::kInfo, ostream_sink(out)};
    std::vector<std::thread> threads;
    constexpr int kThreads = 4;
    constexpr int kLines = 200;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&log, t] {
            const auto mine = log.with({{"thread", t}});
            for (int i = 0; i < kLines; ++i) mine.info("line", {{"i", i}, {"pad", std::string(100, 'x')}});
        });
    }
    for (auto& th : threads) th.join();
    std::istringstream in{out.str()};
    std::string line;
    int count = 0;
    while (std::getline(in, line)) {
        const auto v = boost::json::parse(line);
        EXPECT_EQ(v.at("msg").as_string(), "line");
        ++count;
    }
    EXPECT_EQ(count, kThreads * kLines);
}

TEST(LogTest, RateLimitedLogsPowersOfTwo) {
    Capture cap;
    const Logger log{"mq", LogLevel::kInfo, cap.sink()};
    LogRateLimiter limiter;
    for (int i = 0; i < 20; ++i) log.log_limited(limiter, LogLevel::kWarning, "broker down");
    // Within one second: calls 1, 2, 4, 8, 16 get through (unless the test straddles a window boundary,
    // in which case the counter restarts and at least as many lines appear).
    ASSERT_GE(cap.lines.size(), 5U);
    ASSERT_LE(cap.lines.size(), 10U);
    EXPECT_EQ(cap.json(0).at("repeats").to_number<std::uint64_t>(), 1U);
    EXPECT_EQ(cap.json(1).at("repeats").to_number<std::uint64_t>(), 2U);
}

TEST(LogTest, NullLoggerIsDisabledForEveryLevel) {
    const Logger log = Logger::null();
    EXPECT_FALSE(log.enabled(LogLevel::kCritical));
    log.critical("dropped");  // must not crash or write
    const Logger child = log.with({{"k", 1}}).child("c");
    EXPECT_FALSE(child.enabled(LogLevel::kCritical));
}

TEST(LogTest, LogCaptureCollectsLines) {
    LogCapture capture;
    const Logger log{"t", LogLevel::kInfo, capture.sink()};
    log.info("first", {{"password", "hunter2"}});
    log.warning("second");
    EXPECT_EQ(capture.size(), 2U);
    EXPECT_TRUE(capture.contains("\"second\""));
    EXPECT_FALSE(capture.contains("hunter2"));
    capture.clear();
    EXPECT_EQ(capture.size(), 0U);
}

TEST(LogTest, DisabledLevelDoesNotTouchSink) {
    int calls = 0;
    const Logger log{"x", LogLevel::kError, [&calls](std::string_view) { ++calls; }};
    LogRateLimiter limiter;
    log.info("no");
    log.log_limited(limiter, LogLevel::kDebug, "no");
    log.log_exception(LogLevel::kWarning, "no", std::runtime_error{"x"});
    EXPECT_EQ(calls, 0);
    log.error("yes");
    EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace alatar
