#pragma once
// Structured logging: one JSON object per line with `ts`, `level`, `logger`, `msg` and context fields.
//
// A Logger is a small value (name, level, shared sink, shared context fields): cheap to copy, safe to use
// from any thread. There is no global logger: main() creates one and passes it (or children of it) down.
//
//     alatar::Logger log{"api", alatar::LogLevel::kInfo};
//     auto req_log = log.with({{"request_id", id}});
//     req_log.info("request finished", {{"status", 200}, {"dur_ms", 12.4}});
//
// `msg` should be a constant string; variable data goes into fields. Every string (msg, field values,
// context values) passes through redact() before it is written, so tokens, passwords and e-mail
// addresses never reach the log even by accident.
#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace alatar {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kCritical = 4 };

// "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL".
std::string_view log_level_name(LogLevel level) noexcept;

// Case-insensitive inverse of log_level_name; also accepts "WARN". nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view text) noexcept;

// A field value that is already JSON text (an object or array built elsewhere, e.g. Config::redacted_json()).
// It is parsed, its strings redacted and its secret-named members masked before it is written; text that is
// not valid JSON is logged as a string.
struct RawJson {
    std::string_view text;
};

// One value of a log field. Strings are borrowed: a field lives only for the duration of the log call
// (Logger::with copies what it keeps).
class LogValue {
  public:
    using Storage = std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double, std::string_view, RawJson>;

    LogValue(std::nullptr_t) noexcept : v_(nullptr) {}                    // NOLINT(google-explicit-constructor)
    LogValue(bool b) noexcept : v_(b) {}                                  // NOLINT(google-explicit-constructor)
    LogValue(std::string_view s) noexcept : v_(s) {}                      // NOLINT(google-explicit-constructor)
    LogValue(const char* s) noexcept : v_(std::string_view{s}) {}         // NOLINT(google-explicit-constructor)
    LogValue(const std::string& s) noexcept : v_(std::string_view{s}) {}  // NOLINT(google-explicit-constructor)
    LogValue(const RawJson& j) noexcept : v_(j) {}                        // NOLINT(google-explicit-constructor)
    template <std::signed_integral T>
    requires(!std::same_as<T, bool>) LogValue(T i)
    noexcept : v_(static_cast<std::int64_t>(i)) {}  // NOLINT(google-explicit-constructor)
    template <std::unsigned_integral T>
    requires(!std::same_as<T, bool>) LogValue(T u)
    noexcept : v_(static_cast<std::uint64_t>(u)) {}  // NOLINT(google-explicit-constructor)
    template <std::floating_point T>
    LogValue(T d) noexcept : v_(static_cast<double>(d)) {}   // NOLINT(google-explicit-constructor)
    template <class Rep, class Period>                       // durations are logged in ms
    LogValue(std::chrono::duration<Rep, Period> d) noexcept  // NOLINT(google-explicit-constructor)
        : v_(std::chrono::duration<double, std::milli>(d).count()) {}

    const Storage& storage() const noexcept { return v_; }

  private:
    Storage v_;
};

struct LogField {
    std::string_view key;
    LogValue value;
};

using LogFields = std::initializer_list<LogField>;

// Where finished lines go. Receives one complete line without the trailing newline; may be called from
// several threads at once, so it must be thread-safe.
using LogSink = std::function<void(std::string_view line)>;

// Writes each line plus '\n' to stdout with a single write(2) (lines of concurrent writers never interleave).
LogSink stdout_sink();

// Writes each line plus '\n' to `out` under a mutex; `out` must outlive every logger using the sink.
LogSink ostream_sink(std::ostream& out);

// Per-call-site limiter for log_limited(): lets a line through when the number of calls within the current
// one-second window is a power of two (1, 2, 4, 8, ...). Own one next to the call site (e.g. as a member).
class LogRateLimiter {
  public:
    // Counts a call; returns the count within the window if this one should be logged, 0 otherwise.
    std::uint64_t admit() noexcept;

  private:
    std::atomic<std::int64_t> window_start_ms_{0};
    std::atomic<std::uint64_t> count_{0};
};

class Logger {
  public:
    // Logs to stdout.
    explicit Logger(std::string name, LogLevel level = LogLevel::kInfo);
    // Discards everything (enabled() is false for every level): for code paths and tests that need a Logger
    // but whose output does not matter.
    static Logger null();
    Logger(std::string name, LogLevel level, LogSink sink);

    const std::string& name() const noexcept;
    LogLevel level() const noexcept { return level_; }
    bool enabled(LogLevel level) const noexcept { return level >= level_; }

    // A logger with the same sink and level whose lines carry `fields` in addition to this logger's
    // context (a later field with the same key replaces the earlier one). Values are copied and redacted once.
    Logger with(LogFields fields) const;
    Logger with_fields(std::span<const LogField> fields) const;
    // Same context and sink, different name ("api" -> child("http") gives "api.http").
    Logger child(std::string_view name) const;
    // Same everything, different threshold.
    Logger with_level(LogLevel level) const;

    void log(LogLevel level, std::string_view msg, LogFields fields = {}) const {
        if (enabled(level)) write(level, msg, std::span<const LogField>{fields.begin(), fields.size()}, nullptr);
    }
    void log_fields(LogLevel level, std::string_view msg, std::span<const LogField> fields) const {
        if (enabled(level)) write(level, msg, fields, nullptr);
    }
    void debug(std::string_view msg, LogFields fields = {}) const { log(LogLevel::kDebug, msg, fields); }
    void info(std::string_view msg, LogFields fields = {}) const { log(LogLevel::kInfo, msg, fields); }
    void warning(std::string_view msg, LogFields fields = {}) const { log(LogLevel::kWarning, msg, fields); }
    void error(std::string_view msg, LogFields fields = {}) const { log(LogLevel::kError, msg, fields); }
    void critical(std::string_view msg, LogFields fields = {}) const { log(LogLevel::kCritical, msg, fields); }

    // Adds `err_code` (the ErrorCode name for alatar::Error, INTERNAL otherwise) and `err` (what()).
    void log_exception(LogLevel level, std::string_view msg, const std::exception& e, LogFields fields = {}) const {
        if (enabled(level)) write(level, msg, std::span<const LogField>{fields.begin(), fields.size()}, &e);
    }
    // Same for the exception currently held by `ep` (non-std exceptions are logged as "unknown exception").
    void log_exception(LogLevel level, std::string_view msg, const std::exception_ptr& ep, LogFields fields = {}) const;

    // Rate-limited log: for floods (database or broker down). Adds `repeats` = calls in the current second.
    void log_limited(LogRateLimiter& limiter, LogLevel level, std::string_view msg, LogFields fields = {}) const;

  private:
    struct Shared;
    Logger(std::shared_ptr<const Shared> shared, LogLevel level);
    void write(LogLevel level, std::string_view msg, std::span<const LogField> fields, const std::exception* e) const;

    std::shared_ptr<const Shared> shared_;
    LogLevel level_;
};

// True for field/parameter names whose values are secrets: *password, *passwd, *pwd, *secret, *token,
// *api_key, *apikey, *private_key, *access_key, *master_key, pass, pw, authorization, cookie (case-insensitive,
// '-' read as '_', only the part after the last '.' counts). The logger writes "***" for such fields.
bool is_secret_name(std::string_view name);

// Masks secrets and personal data in free text: e-mail addresses, `Bearer`/`Basic` credentials, Shopify
// tokens (shpat_, shpca_, shppa_, shpss_), `sk-...` API keys, `password=`/`token=`/`secret=`/`api_key=`
// style pairs (also with ':' and JSON quoting) and the password in URL userinfo (scheme://user:pass@host).
// Returns the input unchanged when nothing matches.
std::string redact(std::string_view text);

}  // namespace alatar
