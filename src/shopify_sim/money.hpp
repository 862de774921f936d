#pragma once
// Money as integer minor units (cents): exact sums, and Shopify's decimal-string wire form.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alatar::shopify_sim {

using Cents = std::int64_t;

// "1234.50" for 123450; always two decimals, "-" for negatives.
std::string format_money(Cents cents);

// "12", "12.3", "12.34", "-0.5": at most two decimals (Shopify's USD precision). nullopt when malformed.
std::optional<Cents> parse_money(std::string_view text);

// round_half_up(amount * numerator / denominator) for non-negative amounts and positive denominators,
// e.g. a percentage discount (numerator = basis points, denominator = 10000) or a proportional refund.
__extension__ using Int128 = __int128;  // exact intermediate products

constexpr Cents mul_div_round(Cents amount, std::int64_t numerator, std::int64_t denominator) noexcept {
    const Int128 product = static_cast<Int128>(amount) * numerator;
    const Int128 half = denominator / 2;
    const Int128 q = product >= 0 ? (product + half) / denominator : -((-product + half) / denominator);
    return static_cast<Cents>(q);
}

}  // namespace alatar::shopify_sim
