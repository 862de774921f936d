#pragma once
// A deny-list of well-known common passwords for the password policy.
#include <span>
#include <string_view>

namespace alatar::api {

std::span<const std::string_view> common_passwords() noexcept;
// Case-insensitive membership.
bool is_common_password(std::string_view password);

}  // namespace alatar::api
