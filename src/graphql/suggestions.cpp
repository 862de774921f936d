#include "graphql/suggestions.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace alatar::graphql {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// Optimal string alignment distance of the lowercased strings, giving up (nullopt) as soon as
// every cell of a row exceeds `threshold`; three rolling rows are enough for transpositions.
std::optional<std::size_t> bounded_distance(std::string_view input, std::string_view option, std::size_t threshold) {
    if (input == option) {
        return 0;
    }
    if (equal_ignoring_case(input, option)) {
        return 1;
    }
    std::string_view a = option;
    std::string_view b = input;
    if (a.size() < b.size()) {
        std::swap(a, b);
    }
    if (a.size() - b.size() > threshold) {
        return std::nullopt;
    }
    std::array<std::vector<std::size_t>, 3> rows;
    for (auto& row : rows) {
        row.assign(b.size() + 1, 0);
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        rows[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        const auto& up = rows[(i - 1) % 3];
        auto& current = rows[i % 3];
        current[0] = i;
        std::size_t smallest = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            std::size_t cell = std::min({up[j] + 1, current[j - 1] + 1, up[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
                cell = std::min(cell, rows[(i - 2) % 3][j - 2] + 1);
            }
            smallest = std::min(smallest, cell);
            current[j] = cell;
        }
        if (smallest > threshold) {
            return std::nullopt;
        }
    }
    const std::size_t distance = rows[a.size() % 3][b.size()];
    if (distance > threshold) {
        return std::nullopt;
    }
    return distance;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string format_list(std::string_view conjunction, std::span<const std::string> items) {
    std::string out;
    if (items.empty()) {
        return out;
    }
    if (items.size() == 1) {
        return items[0];
    }
    if (items.size() == 2) {
        out.append(items[0]).append(" ").append(conjunction).append(" ").append(items[1]);
        return out;
    }
    for (std::size_t i = 0; i + 1 < items.size(); ++i) {
        out.append(items[i]).append(", ");
    }
    out.append(conjunction).append(" ").append(items.back());
    return out;
}

template <class Option>
std::vector<std::string_view> suggestions_of(std::string_view input, std::span<const Option> options) {
    const std::size_t threshold = (input.size() * 4) / 10 + 1;
    std::vector<std::pair<std::string_view, std::size_t>> found;
    for (const auto& option : options) {
        const std::string_view name(option);
        if (std::any_of(found.begin(), found.end(), [&](const auto& f) { return f.first == name; })) {
            continue;
        }
        if (auto distance = bounded_distance(input, name, threshold)) {
            found.emplace_back(name, *distance);
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
        if (x.second != y.second) {
            return x.second < y.second;
        }
        return natural_compare(x.first, y.first) < 0;
    });
    std::vector<std::string_view> out;
    out.reserve(found.size());
    for (const auto& f : found) {
        out.push_back(f.first);
    }
    return out;
}

}  // namespace

std::size_t lexical_distance(std::string_view a, std::string_view b) {
    return *bounded_distance(a, b, std::max(a.size(), b.size()) + 1);
}

int natural_compare(std::string_view a, std::string_view b) {
    std::size_t ai = 0;
    std::size_t bi = 0;
    while (ai < a.size() && bi < b.size()) {
        if (is_digit(a[ai]) && is_digit(b[bi])) {
            // graphql-js stops accumulating after a leading zero, so "0" parses as one number.
            unsigned long long an = 0;
            do {
                an = an * 10 + static_cast<unsigned>(a[ai] - '0');
                ++ai;
            } while (ai < a.size() && is_digit(a[ai]) && an > 0);
            unsigned long long bn = 0;
            do {
                bn = bn * 10 + static_cast<unsigned>(b[bi] - '0');
                ++bi;
            } while (bi < b.size() && is_digit(b[bi]) && bn > 0);
            if (an != bn) {
                return an < bn ? -1 : 1;
            }
        } else {
            const auto ac = static_cast<unsigned char>(a[ai]);
            const auto bc = static_cast<unsigned char>(b[bi]);
            if (ac != bc) {
                return ac < bc ? -1 : 1;
            }
            ++ai;
            ++bi;
        }
    }
    if (a.size() == b.size()) {
        return 0;
    }
    return a.size() < b.size() ? -1 : 1;
}

std::vector<std::string_view> suggestion_list(std::string_view input, std::span<const std::string_view> options) {
    return suggestions_of(input, options);
}

std::vector<std::string_view> suggestion_list(std::string_view input, std::span<const std::string> options) {
    return suggestions_of(input, options);
}

std::string did_you_mean(std::span<const std::string_view> suggestions) { return did_you_mean({}, suggestions); }

std::string did_you_mean(std::string_view sub_message, std::span<const std::string_view> suggestions) {
    if (suggestions.empty()) {
        return {};
    }
    std::string message = " Did you mean ";
    if (!sub_message.empty()) {
        message.append(sub_message).append(" ");
    }
    std::vector<std::string> quoted;
    const std::size_t count = std::min(suggestions.size(), kMaxSuggestions);
    quoted.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        quoted.push_back("\"" + std::string(suggestions[i]) + "\"");
    }
    message.append(or_list(quoted)).append("?");
    return message;
}

std::string or_list(std::span<const std::string> items) { return format_list("or", items); }

std::string and_list(std::span<const std::string> items) { return format_list("and", items); }

std::string strip_suggestions(std::string_view message) {
    static constexpr std::string_view kMarker = " Did you mean ";
    std::string out;
    out.reserve(message.size());
    std::size_t pos = 0;
    while (pos < message.size()) {
        const std::size_t hit = message.find(kMarker, pos);
        if (hit == std::string_view::npos) {
            break;
        }
        const std::size_t end = message.find('?', hit + kMarker.size());
        if (end == std::string_view::npos) {
            break;
        }
        out.append(message.substr(pos, hit - pos));
        pos = end + 1;
    }
    out.append(message.substr(pos));
    return out;
}

}  // namespace alatar::graphql
