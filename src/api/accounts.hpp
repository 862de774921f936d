#pragma once
// Account rules: e-mail normalisation and the password policy.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace alatar::api {

inline constexpr std::size_t kMinPasswordChars = 10;    // NIST SP 800-63B asks for at least 8; we ask 10
inline constexpr std::size_t kMaxPasswordBytes = 1024;  // bounds the hashing work a request can ask for
inline constexpr std::size_t kMaxEmailBytes = 254;

// Trimmed and lower-cased address when it is a plausible ASCII mailbox (local@domain.tld, no quoting, no IP
// literals); nullopt otherwise.
std::optional<std::string> normalize_email(std::string_view raw);

// Why `password` is refused (client-facing sentence), or nullopt when it is acceptable: at least 10 characters
// (code points), at most 1024 bytes, not a well-known common password, not the e-mail address or its local part,
// not one repeated character.
std::optional<std::string> password_problem(std::string_view password, std::string_view email);

// Number of UTF-8 code points (bytes that are not continuation bytes).
std::size_t utf8_length(std::string_view text) noexcept;

}  // namespace alatar::api
