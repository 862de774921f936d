#pragma once
// Numbers for narrative text: "1,234.56 USD", "12.5", "+3.4 %".
#include <optional>
#include <string>

#include "intelligence/dataset.hpp"

namespace alatar::intelligence {

// Fixed decimals with thousands separators: format_number(1234.5, 2) == "1,234.50".
std::string format_number(double value, int decimals);
// Minor units in the shop currency: "1,234.56 USD".
std::string format_money(const Dataset& ds, Money minor);
std::string format_major(const Dataset& ds, double major);
// "+12.3 %", "-4.0 %", or "n/a" without a comparison.
std::string format_change(std::optional<double> pct);

}  // namespace alatar::intelligence
