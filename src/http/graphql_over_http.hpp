#pragma once
// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/) at /graphql: the transport rules only.
// Parsing, validation and execution belong to a GraphQLExecutor the API provides.
//
// Status codes (what the graphql-http server audit checks):
//   - not GET/POST: 405 (Allow: GET, POST);  nothing acceptable in Accept: 406;
//   - POST without Content-Type, or not application/json, or a charset other than utf-8: 415;
//   - malformed request (body not JSON, not an object, query not a string, variables/extensions not an object,
//     operationName not a string, bad GET parameters): 400 in both media types;
//   - mutation over GET: 405 (Allow: POST);  GET without the CSRF proof (see csrf_allows): 400;
//   - application/json: 200 for every well-formed request, whatever the GraphQL errors;
//   - application/graphql-response+json: request errors (parse, validation, variable coercion: no data entry)
//     400 unless the executor names a status (401/403), execution results 200;
//   - strict operations (login, register) over their bucket: 429 + Retry-After + RATE_LIMITED;
//   - executor throws: 500 with an INTERNAL error carrying the request id.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/metrics.hpp"
#include "http/rate_limiter.hpp"
#include "http/router.hpp"
#include "http/security.hpp"
#include "http/types.hpp"

namespace alatar::http {

enum class OperationType { kQuery, kMutation, kSubscription };

std::string_view operation_type_name(OperationType t) noexcept;

struct GraphQLRequest {
    std::string query;
    std::optional<std::string> operation_name;
    boost::json::object variables;
    boost::json::object extensions;
    bool via_get = false;
};

// What the executor learns from the document before running it.
struct OperationInfo {
    // The type of the operation that would run; nullopt when the document does not parse or the operation cannot
    // be chosen (execute() then reports the request error).
    std::optional<OperationType> type;
    // Names of the root fields of the selected operation (for the stricter login/register bucket).
    std::vector<std::string> root_fields;
    // Executor-owned state handed back to execute() (e.g. the parsed document), so nothing is parsed twice.
    std::shared_ptr<const void> prepared;
};

struct ExecutionOutcome {
    std::string body;                      // serialized GraphQL response: {"data":...,"errors":[...]}
    bool request_error = false;            // no data entry: parse, validation or variable coercion failed
    std::vector<std::string> error_codes;  // extensions.code of each error (metrics)
    // Status for application/graphql-response+json when the executor knows better (401, 403); ignored for
    // application/json, which is always 200 for a well-formed request.
    std::optional<unsigned> status;
};

class GraphQLExecutor {
  public:
    virtual ~GraphQLExecutor() = default;
    // Parses the document and selects the operation. Must not block; must not throw for bad documents.
    virtual OperationInfo analyze(const GraphQLRequest& request) = 0;
    // Runs the request on the caller's strand. Throws only for the unexpected (the adapter turns that into a 500).
    virtual boost::asio::awaitable<ExecutionOutcome> execute(const GraphQLRequest& request, const OperationInfo& info,
                                                             RequestContext& ctx) = 0;
};

struct GraphQLHttpOptions {
    // Operation names and root field names that use the strict bucket (per client address).
    std::vector<std::string> strict_operations{"login", "register"};
    BucketConfig strict_bucket{0.1, 5};  // 5 attempts, then one every 10 s
    CsrfOptions csrf;
};

class GraphQLHttp {
  public:
    GraphQLHttp(std::shared_ptr<GraphQLExecutor> executor, metrics::Registry& registry,
                GraphQLHttpOptions options = {});

    boost::asio::awaitable<Response> handle(const Request& req, RequestContext& ctx);
    // A Handler bound to this adapter; the adapter must outlive the router.
    Handler handler();

  private:
    struct Metrics;
    std::shared_ptr<GraphQLExecutor> executor_;
    GraphQLHttpOptions options_;
    RateLimiter strict_limiter_;
    std::shared_ptr<Metrics> metrics_;
};

}  // namespace alatar::http
