#pragma once
// How errors reach clients: every GraphQL error carries extensions.code; expected failures (alatar::Error) keep
// their client-safe message, anything else becomes "Internal server error" with the request id, and its details
// go to the log only.
#include <boost/json/object.hpp>
#include <chrono>
#include <exception>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/log.hpp"
#include "graphql/error.hpp"

namespace alatar::api {

// A refusal because of too many attempts; the client may retry after `retry_after` (extensions.retryAfter).
class RateLimitedError : public Error {
  public:
    RateLimitedError(const std::string& message, std::chrono::seconds retry_after)
        : Error(ErrorCode::kRateLimited, message), retry_after_(retry_after) {}
    std::chrono::seconds retry_after() const noexcept { return retry_after_; }

  private:
    std::chrono::seconds retry_after_;
};

inline constexpr std::string_view kInternalMessage = "Internal server error";

// The wire code for an ErrorCode. TIMEOUT is not part of the API's vocabulary: it is reported as
// UPSTREAM_UNAVAILABLE (the client's answer is the same: retry later).
std::string_view client_code(ErrorCode code) noexcept;

// The ExecutionOptions::error_formatter of one request: maps the exception escaping a resolver to the field's
// message and extensions, logging what the client does not see.
graphql::GraphQLError format_resolver_error(std::exception_ptr error, const Logger& log, std::string_view request_id);

// Adds extensions.code to errors that have none: `fallback` for request errors (BAD_USER_INPUT), INTERNAL for
// execution errors the engine raised itself (e.g. a null in a non-null field). Returns the codes in order.
std::vector<std::string> ensure_error_codes(boost::json::object& response, std::string_view fallback);

}  // namespace alatar::api
