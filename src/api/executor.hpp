#pragma once
// The API's GraphQL engine behind both transports: documents are parsed and validated once (bounded
// DocumentCache with the protective limits), executed with an api::RequestContext, and every error leaves with
// extensions.code.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "api/request_context.hpp"
#include "api/services.hpp"
#include "graphql/cache.hpp"
#include "graphql/execution.hpp"
#include "graphql/schema.hpp"
#include "http/graphql_over_http.hpp"

namespace alatar::api {

struct ExecutorLimits {
    std::size_t max_depth = 10;
    std::size_t max_aliases = 30;
    std::size_t max_tokens = 2000;
    std::size_t max_cost = 5000;
    std::size_t max_directives = 50;
    bool introspection = true;  // off in production
    bool suggestions = true;    // off in production
    std::size_t cache_entries = 1000;
    std::chrono::milliseconds request_timeout{30'000};
};

// A parsed, validated request ready to run (or its request errors).
struct PreparedOperation {
    std::shared_ptr<const graphql::PreparedDocument> document;
    std::optional<http::OperationType> type;
    std::vector<std::string> root_fields;
};

class ApiExecutor final : public http::GraphQLExecutor {
  public:
    ApiExecutor(const graphql::Schema& schema, Services& services, const ExecutorLimits& limits);

    http::OperationInfo analyze(const http::GraphQLRequest& request) override;
    boost::asio::awaitable<http::ExecutionOutcome> execute(const http::GraphQLRequest& request,
                                                           const http::OperationInfo& info,
                                                           http::RequestContext& http_ctx) override;

    // Shared with the WebSocket transport.
    PreparedOperation prepare(const std::string& query, const std::optional<std::string>& operation_name);
    graphql::ExecutionOptions options_for(const RequestContext& ctx) const;
    // {"errors":[...]} for request errors, with codes.
    static boost::json::array request_errors(const graphql::Errors& errors);

    const graphql::Schema& schema() const noexcept { return schema_; }
    Services& services() noexcept { return services_; }
    const ExecutorLimits& limits() const noexcept { return limits_; }
    graphql::DocumentCache::Stats cache_stats() const { return cache_.stats(); }

  private:
    const graphql::Schema& schema_;
    Services& services_;
    ExecutorLimits limits_;
    graphql::DocumentCache cache_;
};

}  // namespace alatar::api
