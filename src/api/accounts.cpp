#include "api/accounts.hpp"

#include <algorithm>
#include <cctype>

#include "api/common_passwords.hpp"

namespace alatar::api {

namespace {

bool is_atext(char c) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) return true;
    constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
    return kSpecials.find(c) != std::string_view::npos;
}

bool valid_local_part(std::string_view local) {
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.') return false;
    char previous = 0;
    for (const char c : local) {
        if (c == '.' && previous == '.') return false;
        if (c != '.' && !is_atext(c)) return false;
        previous = c;
    }
    return true;
}

bool valid_domain(std::string_view domain) {
    if (domain.empty() || domain.size() > 253) return false;
    std::size_t labels = 0;
    std::string_view last;
    while (!domain.empty()) {
        const auto dot = domain.find('.');
        const std::string_view label = domain.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (const char c : label) {
            if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-') return false;
        }
        ++labels;
        last = label;
        if (dot == std::string_view::npos) break;
        domain.remove_prefix(dot + 1);
        if (domain.empty()) return false;  // trailing dot
    }
    const bool alpha_tld = std::all_of(
        last.begin(), last.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '-'; });
    return labels >= 2 && last.size() >= 2 && alpha_tld;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

std::size_t utf8_length(std::string_view text) noexcept {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

std::optional<std::string> normalize_email(std::string_view raw) {
    const std::string email = lower(trim(raw));
    if (email.empty() || email.size() > kMaxEmailBytes) return std::nullopt;
    const auto at = email.find('@');
    if (at == std::string::npos || email.find('@', at + 1) != std::string::npos) return std::nullopt;
    if (!valid_local_part(std::string_view{email}.substr(0, at))) return std::nullopt;
    if (!valid_domain(std::string_view{email}.substr(at + 1))) return std::nullopt;
    return email;
}

std::optional<std::string> password_problem(std::string_view password, std::string_view email) {
    if (utf8_length(password) < kMinPasswordChars) {
        return "The password must be at least " + std::to_string(kMinPasswordChars) + " characters long.";
    }
    if (password.size() > kMaxPasswordBytes) {
        return "The password must be at most " + std::to_string(kMaxPasswordBytes) + " bytes long.";
    }
    if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password.front(); })) {
        return "The password must not be one repeated character.";
    }
    if (is_common_password(password)) return "This password is too common; choose another one.";
    const std::string lowered = lower(password);
    const auto at = email.find('@');
    if (!email.empty() && (lowered == email || (at != std::string_view::npos && lowered == email.substr(0, at)))) {
        return "The password must not be your e-mail address.";
    }
    return std::nullopt;
}

}  // namespace alatar::api
