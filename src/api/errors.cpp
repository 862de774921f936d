#include "api/errors.hpp"

#include <boost/json/array.hpp>

namespace alatar::api {

namespace json = boost::json;

std::string_view client_code(ErrorCode code) noexcept {
    if (code == ErrorCode::kTimeout) return error_code_name(ErrorCode::kUpstreamUnavailable);
    return error_code_name(code);
}

namespace {

graphql::GraphQLError internal_error(std::string_view request_id) {
    graphql::GraphQLError e;
    e.message = std::string(kInternalMessage);
    e.extensions["code"] = error_code_name(ErrorCode::kInternal);
    e.extensions["requestId"] = request_id;
    return e;
}

}  // namespace

graphql::GraphQLError format_resolver_error(std::exception_ptr error, const Logger& log, std::string_view request_id) {
    try {
        std::rethrow_exception(std::move(error));
    } catch (const RateLimitedError& e) {
        graphql::GraphQLError out;
        out.message = e.what();
        out.extensions["code"] = client_code(e.code());
        out.extensions["retryAfter"] = e.retry_after().count();
        return out;
    } catch (const Error& e) {
        if (e.code() == ErrorCode::kInternal) {
            log.log_exception(LogLevel::kError, "resolver failed", e);
            return internal_error(request_id);
        }
        if (is_transient(e.code())) log.log_exception(LogLevel::kWarning, "resolver failed", e);
        graphql::GraphQLError out;
        out.message = e.what();
        out.extensions["code"] = client_code(e.code());
        if (is_transient(e.code())) out.extensions["requestId"] = request_id;
        return out;
    } catch (const graphql::FieldError& e) {
        // The engine's own field errors (argument or scalar problems): their messages describe the input.
        graphql::GraphQLError out;
        out.message = e.what();
        out.extensions = e.extensions();
        if (!out.extensions.contains("code")) out.extensions["code"] = error_code_name(ErrorCode::kBadUserInput);
        return out;
    } catch (const std::exception& e) {
        log.log_exception(LogLevel::kError, "resolver failed", e);
        return internal_error(request_id);
    } catch (...) {
        log.log_exception(LogLevel::kError, "resolver failed", std::current_exception());
        return internal_error(request_id);
    }
}

std::vector<std::string> ensure_error_codes(json::object& response, std::string_view fallback) {
    std::vector<std::string> codes;
    auto* errors = response.if_contains("errors");
    if (errors == nullptr || !errors->is_array()) return codes;
    const bool request_error = !response.contains("data");
    for (auto& e : errors->as_array()) {
        if (!e.is_object()) continue;
        auto& obj = e.as_object();
        auto& ext = obj["extensions"];
        if (!ext.is_object()) ext = json::object{};
        auto& ext_obj = ext.as_object();
        if (const auto* code = ext_obj.if_contains("code"); code != nullptr && code->is_string()) {
            codes.emplace_back(code->get_string());
            continue;
        }
        const std::string_view code =
            request_error || !obj.contains("path") ? fallback : error_code_name(ErrorCode::kInternal);
        ext_obj["code"] = code;
        codes.emplace_back(code);
    }
    return codes;
}

}  // namespace alatar::api
