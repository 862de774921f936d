#pragma once
// A small append-only JSON object writer for the exports: fixed member order and fixed number formatting,
// so the same data always gives the same bytes, and fast enough for hundreds of thousands of lines.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shopify_sim/civil_time.hpp"
#include "shopify_sim/money.hpp"

namespace alatar::shopify_sim {

// Appends `text` as a JSON string literal (quotes, escapes for '"', '\\' and control characters).
void append_json_string(std::string& out, std::string_view text);

class JsonObjectWriter {
  public:
    JsonObjectWriter() : out_("{") {}

    JsonObjectWriter& str(std::string_view key, std::string_view value);
    JsonObjectWriter& opt_str(std::string_view key, std::string_view value);  // null when empty
    JsonObjectWriter& integer(std::string_view key, std::int64_t value);
    JsonObjectWriter& uinteger(std::string_view key, std::uint64_t value);
    JsonObjectWriter& opt_uinteger(std::string_view key, const std::optional<std::uint64_t>& value);
    JsonObjectWriter& boolean(std::string_view key, bool value);
    JsonObjectWriter& null(std::string_view key);
    JsonObjectWriter& money(std::string_view key, Cents value);  // decimal string, as Shopify sends it
    JsonObjectWriter& opt_money(std::string_view key, const std::optional<Cents>& value);
    JsonObjectWriter& timestamp(std::string_view key, Timestamp value);
    JsonObjectWriter& opt_timestamp(std::string_view key, const std::optional<Timestamp>& value);
    JsonObjectWriter& date(std::string_view key, Date value);
    JsonObjectWriter& decimal(std::string_view key, double value, int digits = 6);
    JsonObjectWriter& strings(std::string_view key, const std::vector<std::string>& values);
    JsonObjectWriter& uintegers(std::string_view key, const std::vector<std::uint64_t>& values);
    JsonObjectWriter& raw(std::string_view key, std::string_view json);  // `json` must be valid JSON

    // The finished object text; the writer must not be used afterwards.
    std::string finish();

  private:
    void key(std::string_view name);
    std::string out_;
    bool first_ = true;
};

}  // namespace alatar::shopify_sim
