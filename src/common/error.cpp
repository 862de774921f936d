#include "common/error.hpp"

namespace alatar {

std::string_view error_code_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::kUnauthenticated:
            return "UNAUTHENTICATED";
        case ErrorCode::kForbidden:
            return "FORBIDDEN";
        case ErrorCode::kBadUserInput:
            return "BAD_USER_INPUT";
        case ErrorCode::kNotFound:
            return "NOT_FOUND";
        case ErrorCode::kConflict:
            return "CONFLICT";
        case ErrorCode::kRateLimited:
            return "RATE_LIMITED";
        case ErrorCode::kShopifyError:
            return "SHOPIFY_ERROR";
        case ErrorCode::kUpstreamUnavailable:
            return "UPSTREAM_UNAVAILABLE";
        case ErrorCode::kTimeout:
            return "TIMEOUT";
        case ErrorCode::kInternal:
            return "INTERNAL";
    }
    return "INTERNAL";
}

bool is_transient(ErrorCode code) noexcept {
    return code == ErrorCode::kUpstreamUnavailable || code == ErrorCode::kTimeout || code == ErrorCode::kRateLimited;
}

}  // namespace alatar
