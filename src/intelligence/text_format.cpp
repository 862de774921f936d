#include "intelligence/text_format.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace alatar::intelligence {

std::string format_number(double value, int decimals) {
    if (!std::isfinite(value)) return "n/a";
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%.*f", decimals, std::fabs(value));
    std::string digits(buf.data());
    const auto dot = digits.find('.');
    std::string whole = digits.substr(0, dot);
    const std::string frac = dot == std::string::npos ? "" : digits.substr(dot);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    const bool negative = value < 0 && std::round(std::fabs(value) * std::pow(10, decimals)) != 0;
    return (negative ? "-" : "") + grouped + frac;
}

std::string format_money(const Dataset& ds, Money minor) { return format_major(ds, ds.to_major(minor)); }

std::string format_major(const Dataset& ds, double major) {
    return format_number(major, ds.decimals()) + " " + ds.currency();
}

std::string format_change(std::optional<double> pct) {
    if (!pct) return "n/a";
    return (*pct >= 0 ? "+" : "") + format_number(*pct, 1) + " %";
}

}  // namespace alatar::intelligence
