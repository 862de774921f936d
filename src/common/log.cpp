#include "common/log.hpp"

#include <unistd.h>

#include <array>
#include <bit>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>
#include <boost/json/value.hpp>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <mutex>
#include <ostream>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "common/time.hpp"

namespace alatar {

namespace {

constexpr std::array<std::string_view, 5> kLevelNames{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};
// Keys the logger writes itself; a field with one of these names is written as "field.<name>".
constexpr std::array<std::string_view, 4> kReservedKeys{"ts", "level", "logger", "msg"};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid (overlong, surrogate,
// out of range, truncated).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return n;
}

// Log lines must stay valid UTF-8 JSON even when a value holds arbitrary bytes (user input, binary):
// invalid bytes become U+FFFD. Returns nullopt when `s` is already valid (the common case, no copy).
std::optional<std::string> replace_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t n = utf8_sequence_length(s, i);
        if (n == 0) break;
        i += n;
    }
    if (i == s.size()) return std::nullopt;
    std::string out{s.substr(0, i)};
    while (i < s.size()) {
        const std::size_t n = utf8_sequence_length(s, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

// Boost.JSON does the escaping of quotes, backslashes and control characters.
void append_json_string(std::string& out, std::string_view s) {
    if (auto fixed = replace_invalid_utf8(s)) {
        out += boost::json::serialize(boost::json::string_view{fixed->data(), fixed->size()});
    } else {
        out += boost::json::serialize(boost::json::string_view{s.data(), s.size()});
    }
}

void append_key(std::string& out, std::string_view key) {
    out += ',';
    for (auto reserved : kReservedKeys) {
        if (key == reserved) {
            std::string renamed{"field."};
            renamed += key;
            append_json_string(out, renamed);
            out += ':';
            return;
        }
    }
    append_json_string(out, key);
    out += ':';
}

template <class T>
void append_number(std::string& out, T v) {
    std::array<char, 64> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    if (ec != std::errc{}) {
        out += "null";
        return;
    }
    out.append(buf.data(), end);
}

// Redacts every string and masks every secret-named member of a parsed JSON value, in place.
void redact_json(boost::json::value& v) {
    if (auto* str = v.if_string()) {
        const std::string_view text{str->data(), str->size()};
        auto clean = replace_invalid_utf8(text);
        *str = redact(clean ? std::string_view{*clean} : text);
    } else if (auto* arr = v.if_array()) {
        for (auto& item : *arr) redact_json(item);
    } else if (auto* obj = v.if_object()) {
        for (auto& member : *obj) {
            const std::string_view key{member.key().data(), member.key().size()};
            const auto& member_value = member.value();
            if (is_secret_name(key) && !member_value.is_null() &&
                !(member_value.is_string() && member_value.get_string().empty())) {
                member.value() = "***";
            } else {
                redact_json(member.value());
            }
        }
    }
}

// Appends the JSON text of the value of field `key`: strings are redacted, values of secret-named fields
// are replaced by "***".
void append_value(std::string& out, std::string_view key, const LogValue& value) {
    // null and "" say "not set", which is worth seeing and reveals nothing.
    const auto* text = std::get_if<std::string_view>(&value.storage());
    if (is_secret_name(key) && !std::holds_alternative<std::nullptr_t>(value.storage()) &&
        !(text != nullptr && text->empty())) {
        out += R"("***")";
        return;
    }
    std::visit(
        [&out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
                out += "null";
            } else if constexpr (std::is_same_v<T, bool>) {
                out += v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, double>) {
                if (std::isfinite(v)) {
                    append_number(out, v);
                } else {
                    out += "null";
                }
            } else if constexpr (std::is_same_v<T, std::string_view>) {
                append_json_string(out, redact(v));
            } else if constexpr (std::is_same_v<T, RawJson>) {
                boost::system::error_code ec;
                boost::json::value parsed =
                    boost::json::parse(boost::json::string_view{v.text.data(), v.text.size()}, ec);
                if (ec) {
                    append_json_string(out, redact(v.text));
                } else {
                    redact_json(parsed);
                    out += boost::json::serialize(parsed);
                }
            } else {
                append_number(out, v);
            }
        },
        value.storage());
}

std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

std::string_view log_level_name(LogLevel level) noexcept {
    switch (level) {
        case LogLevel::kDebug:
            return "DEBUG";
        case LogLevel::kInfo:
            return "INFO";
        case LogLevel::kWarning:
            return "WARNING";
        case LogLevel::kError:
            return "ERROR";
        case LogLevel::kCritical:
            return "CRITICAL";
    }
    return "INFO";
}

std::optional<LogLevel> parse_log_level(std::string_view text) noexcept {
    for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
        if (iequals(text, kLevelNames[i])) return static_cast<LogLevel>(i);
    }
    if (iequals(text, "WARN")) return LogLevel::kWarning;
    return std::nullopt;
}

LogSink stdout_sink() {
    return [](std::string_view line) {
        std::string buf;
        buf.reserve(line.size() + 1);
        buf.append(line);
        buf += '\n';
        // One write(2) per line keeps concurrent lines whole; loop only for partial writes.
        std::size_t done = 0;
        while (done < buf.size()) {
            const ssize_t n = ::write(STDOUT_FILENO, buf.data() + done, buf.size() - done);
            if (n < 0) {
                if (errno == EINTR) continue;
                return;  // Nowhere to report a failing log sink.
            }
            done += static_cast<std::size_t>(n);
        }
    };
}

LogSink ostream_sink(std::ostream& out) {
    auto mutex = std::make_shared<std::mutex>();
    return [&out, mutex](std::string_view line) {
        const std::lock_guard lock{*mutex};
        out << line << '\n';
        out.flush();
    };
}

std::uint64_t LogRateLimiter::admit() noexcept {
    const std::int64_t now = steady_ms();
    std::int64_t start = window_start_ms_.load(std::memory_order_relaxed);
    if (now - start >= 1000 && window_start_ms_.compare_exchange_strong(start, now, std::memory_order_relaxed)) {
        count_.store(0, std::memory_order_relaxed);
    }
    const std::uint64_t n = count_.fetch_add(1, std::memory_order_relaxed) + 1;
    return std::has_single_bit(n) ? n : 0;
}

// Context values are stored already redacted and serialized, so a child logger costs nothing per line.
struct Logger::Shared {
    std::string name;
    LogSink sink;
    std::vector<std::pair<std::string, std::string>> context;  // key -> JSON text of the value
};

Logger::Logger(std::string name, LogLevel level) : Logger(std::move(name), level, stdout_sink()) {}

Logger::Logger(std::string name, LogLevel level, LogSink sink)
    : shared_(std::make_shared<const Shared>(Shared{std::move(name), std::move(sink), {}})), level_(level) {}

Logger::Logger(std::shared_ptr<const Shared> shared, LogLevel level) : shared_(std::move(shared)), level_(level) {}

Logger Logger::null() {
    // One above the highest level, so enabled() is false for all of them and nothing is even formatted.
    return Logger{std::make_shared<const Shared>(Shared{"null", [](std::string_view) {}, {}}),
                  static_cast<LogLevel>(static_cast<int>(LogLevel::kCritical) + 1)};
}

const std::string& Logger::name() const noexcept { return shared_->name; }

Logger Logger::with(LogFields fields) const { return with_fields({fields.begin(), fields.size()}); }

Logger Logger::with_fields(std::span<const LogField> fields) const {
    Shared next{shared_->name, shared_->sink, shared_->context};
    for (const auto& f : fields) {
        std::string text;
        append_value(text, f.key, f.value);
        bool replaced = false;
        for (auto& [key, value] : next.context) {
            if (key == f.key) {
                value = text;
                replaced = true;
                break;
            }
        }
        if (!replaced) next.context.emplace_back(std::string{f.key}, std::move(text));
    }
    return Logger{std::make_shared<const Shared>(std::move(next)), level_};
}

Logger Logger::child(std::string_view name) const {
    Shared next{shared_->name.empty() ? std::string{name} : shared_->name + "." + std::string{name}, shared_->sink,
                shared_->context};
    return Logger{std::make_shared<const Shared>(std::move(next)), level_};
}

Logger Logger::with_level(LogLevel level) const { return Logger{shared_, level}; }

void Logger::log_exception(LogLevel level, std::string_view msg, const std::exception_ptr& ep, LogFields fields) const {
    if (!enabled(level)) return;
    const std::span<const LogField> span{fields.begin(), fields.size()};
    if (!ep) {
        write(level, msg, span, nullptr);
        return;
    }
    try {
        std::rethrow_exception(ep);
    } catch (const std::exception& e) {
        write(level, msg, span, &e);
    } catch (...) {
        const std::runtime_error unknown{"unknown exception"};
        write(level, msg, span, &unknown);
    }
}

void Logger::log_limited(LogRateLimiter& limiter, LogLevel level, std::string_view msg, LogFields fields) const {
    if (!enabled(level)) return;
    const std::uint64_t repeats = limiter.admit();
    if (repeats == 0) return;
    std::vector<LogField> all{fields.begin(), fields.end()};
    all.push_back({"repeats", repeats});
    write(level, msg, all, nullptr);
}

void Logger::write(LogLevel level, std::string_view msg, std::span<const LogField> fields,
                   const std::exception* e) const {
    std::string line;
    line.reserve(256);
    line += R"({"ts":")";
    line += format_rfc3339(std::chrono::system_clock::now());
    line += R"(","level":")";
    line += log_level_name(level);
    line += R"(","logger":)";
    append_json_string(line, shared_->name);
    line += R"(,"msg":)";
    append_json_string(line, redact(msg));

    auto overridden = [&](std::string_view key) {
        for (const auto& f : fields) {
            if (f.key == key) return true;
        }
        return e != nullptr && (key == "err" || key == "err_code");
    };
    for (const auto& [key, value] : shared_->context) {
        if (overridden(key)) continue;
        append_key(line, key);
        line += value;
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto& f = fields[i];
        bool later_duplicate = false;  // the last occurrence of a key wins, as in with()
        for (std::size_t j = i + 1; j < fields.size(); ++j) later_duplicate = later_duplicate || fields[j].key == f.key;
        if (later_duplicate || (e != nullptr && (f.key == "err" || f.key == "err_code"))) continue;
        append_key(line, f.key);
        append_value(line, f.key, f.value);
    }
    if (e != nullptr) {
        const auto* alatar_error = dynamic_cast<const Error*>(e);
        append_key(line, "err_code");
        append_json_string(line,
                           error_code_name(alatar_error != nullptr ? alatar_error->code() : ErrorCode::kInternal));
        append_key(line, "err");
        append_json_string(line, redact(e->what()));
    }
    line += '}';
    shared_->sink(line);
}

}  // namespace alatar
