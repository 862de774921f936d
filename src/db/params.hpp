#pragma once
// Query parameters, bound by position ($1, $2, ...) and sent as text. Values never go into SQL text.
//
//     db::Params p{user_id, email, std::optional<std::string>{}, db::Json{R"({"a":1})"}};
//     p.add(int64_t{42});
//
// Strings are sent with an unspecified type so the server infers it from context (uuid, text, jsonb,
// numeric ...); numbers, booleans, timestamps and text arrays carry their type, so `SELECT $1` also works.
#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alatar::db {

// A JSON document passed as text (the column or a cast decides json/jsonb). Not an aggregate on
// purpose: GCC 12 destroys aggregate temporaries inside co_await expressions twice.
struct Json {
    explicit Json(std::string json) : text(std::move(json)) {}
    std::string text;
};

// A value for a numeric column given as exact decimal text ("12.3400"), never as a binary double.
struct Numeric {
    explicit Numeric(std::string decimal) : text(std::move(decimal)) {}
    std::string text;
};

using Timestamp = std::chrono::system_clock::time_point;

// PostgreSQL type OIDs used by the binder (pg_type.dat). 0 lets the server infer the type.
namespace oid {
inline constexpr std::uint32_t kUnspecified = 0;
inline constexpr std::uint32_t kBool = 16;
inline constexpr std::uint32_t kInt8 = 20;
inline constexpr std::uint32_t kInt4 = 23;
inline constexpr std::uint32_t kFloat8 = 701;
inline constexpr std::uint32_t kTextArray = 1009;
inline constexpr std::uint32_t kTimestamptz = 1184;
}  // namespace oid

class Params {
  public:
    Params() = default;
    template <class... Ts>
    requires(sizeof...(Ts) > 0) explicit Params(const Ts&... values) {
        values_.reserve(sizeof...(Ts));
        (add(values), ...);
    }

    Params& add(std::nullopt_t);
    Params& add(std::string_view value);
    Params& add(const std::string& value) { return add(std::string_view{value}); }
    Params& add(const char* value) { return add(std::string_view{value}); }
    Params& add(bool value);
    Params& add(double value);
    Params& add(float value) { return add(static_cast<double>(value)); }
    template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>) Params& add(T value) {
        if constexpr (std::is_signed_v<T> && sizeof(T) <= 4) {
            return add_int(static_cast<std::int64_t>(value), oid::kInt4);
        } else {
            static_assert(std::is_signed_v<T> || sizeof(T) < 8, "uint64 does not fit in bigint");
            return add_int(static_cast<std::int64_t>(value), oid::kInt8);
        }
    }
    Params& add(const Json& value);
    Params& add(const Numeric& value);
    Params& add(Timestamp value);
    // A text[] value, e.g. OAuth scopes.
    Params& add(std::span<const std::string> values);
    Params& add(const std::vector<std::string>& values) { return add(std::span<const std::string>{values}); }
    template <class T>
    Params& add(const std::optional<T>& value) {
        if (value) return add(*value);
        return add(std::nullopt);
    }

    std::size_t size() const noexcept { return values_.size(); }
    bool empty() const noexcept { return values_.empty(); }
    bool is_null(std::size_t i) const { return nulls_.at(i) != 0; }
    // The text sent for parameter i ("" for NULL).
    const std::string& text(std::size_t i) const { return values_.at(i); }
    const std::vector<std::uint32_t>& types() const noexcept { return types_; }

  private:
    Params& push(std::string text, std::uint32_t type, bool is_null = false);
    Params& add_int(std::int64_t value, std::uint32_t type);

    std::vector<std::string> values_;
    std::vector<char> nulls_;
    std::vector<std::uint32_t> types_;
};

// Text encodings shared by the binder and the row decoder (exposed for tests).
std::string format_timestamp(Timestamp t);                           // "2025-01-30 12:34:56.123456+00"
std::optional<Timestamp> parse_timestamp(std::string_view text);     // PostgreSQL timestamptz output
std::string format_text_array(std::span<const std::string> values);  // {"a","b \"c\""}
std::optional<std::vector<std::optional<std::string>>> parse_text_array(std::string_view text);

}  // namespace alatar::db
