#include "intelligence/store_data.hpp"

#include <array>

namespace alatar::intelligence {

int currency_decimals(std::string_view currency_code) noexcept {
    static constexpr std::array<std::string_view, 16> kZero{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW",
                                                            "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF"};
    static constexpr std::array<std::string_view, 7> kThree{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    for (auto code : kZero) {
        if (code == currency_code) return 0;
    }
    for (auto code : kThree) {
        if (code == currency_code) return 3;
    }
    return 2;
}

std::string_view gid_tail(std::string_view gid) noexcept {
    const auto slash = gid.rfind('/');
    return slash == std::string_view::npos ? gid : gid.substr(slash + 1);
}

}  // namespace alatar::intelligence
