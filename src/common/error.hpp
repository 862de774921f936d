#pragma once
// The one error vocabulary of Alatar. Every error a client sees carries one of these
// codes as GraphQL `extensions.code`; logs carry the same name as `err_code`.
#include <stdexcept>
#include <string>
#include <string_view>

namespace alatar {

enum class ErrorCode {
    kUnauthenticated,
    kForbidden,
    kBadUserInput,
    kNotFound,
    kConflict,
    kRateLimited,
    kShopifyError,
    kUpstreamUnavailable,
    kTimeout,
    kInternal,
};

// "UNAUTHENTICATED", "BAD_USER_INPUT", ...: the wire name used in extensions.code.
std::string_view error_code_name(ErrorCode code) noexcept;

// True for failures worth retrying later (broker/database/upstream down, timeouts, rate limits).
bool is_transient(ErrorCode code) noexcept;

// Base of every expected failure. what() is safe to show to a client: never put
// secrets, SQL or another user's data into it. Internal details go to the log only.
class Error : public std::runtime_error {
  public:
    Error(ErrorCode code, const std::string& client_message) : std::runtime_error(client_message), code_(code) {}
    ErrorCode code() const noexcept { return code_; }

  private:
    ErrorCode code_;
};

}  // namespace alatar
