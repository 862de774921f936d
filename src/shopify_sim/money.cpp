#include "shopify_sim/money.hpp"

#include <cstdlib>

namespace alatar::shopify_sim {

std::string format_money(Cents cents) {
    const bool negative = cents < 0;
    const auto magnitude = static_cast<std::uint64_t>(negative ? -(cents + 1) : cents) + (negative ? 1U : 0U);
    std::string out = negative ? "-" : "";
    out += std::to_string(magnitude / 100);
    out += '.';
    const auto frac = static_cast<unsigned>(magnitude % 100);
    out += static_cast<char>('0' + frac / 10);
    out += static_cast<char>('0' + frac % 10);
    return out;
}

std::optional<Cents> parse_money(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    const auto dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
    if (whole.empty() || whole.size() > 15 || frac.size() > 2 || (dot != std::string_view::npos && frac.empty())) {
        return std::nullopt;
    }
    Cents value = 0;
    for (const char c : whole) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    Cents fraction = 0;
    for (std::size_t i = 0; i < 2; ++i) {
        const char c = i < frac.size() ? frac[i] : '0';
        if (c < '0' || c > '9') return std::nullopt;
        fraction = fraction * 10 + (c - '0');
    }
    const Cents total = value * 100 + fraction;
    return negative ? -total : total;
}

}  // namespace alatar::shopify_sim
