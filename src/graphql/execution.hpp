#pragma once
// The executor (https://spec.graphql.org/October2021/#sec-Execution) with graphql-js 17's
// observable behaviour: response shape, error messages, paths and locations, null propagation.
//
// Fields with synchronous resolvers (and the default property resolver) are completed in one
// recursive pass without coroutine frames. A field whose resolver is asynchronous is deferred:
// its slot in the response is filled once the resolver's awaitable completes, after the
// synchronous pass; mutation root fields still run strictly one after another.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"
#include "graphql/resolver.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql {

struct ExecutionOptions {
    bool hide_suggestions = false;
    // Turns an exception escaping a resolver into the field's error (message and extensions;
    // the executor adds locations and path). Default: FieldError's message and extensions,
    // otherwise what(). Servers use it to map their error types and hide internals.
    std::function<GraphQLError(std::exception_ptr)> error_formatter;
    std::size_t max_variable_errors = 50;
};

struct ExecutionRequest {
    DocumentPtr document;  // parsed and validated
    std::optional<std::string> operation_name;
    boost::json::object variables;  // raw values from the request
    boost::json::value root_value;
    ExecutionContext* context = nullptr;
};

// The operation a request selects (graphql-js rules), or the request error explaining why
// none can be selected ('Must provide an operation.', 'Unknown operation named "X".', ...).
struct OperationSelection {
    const ast::Definition* operation = nullptr;
    std::optional<GraphQLError> error;
};
OperationSelection select_operation(const Document& document, const std::optional<std::string>& operation_name);

// Executes a request; the response is {"errors":[...], "data":...} with `data` absent when the
// request failed before execution (unknown operation, variable coercion) and `errors` absent
// when empty, exactly as graphql-js's execute() builds it.
// Coroutine: the request and options are taken by value so they live as long as the execution.
boost::asio::awaitable<boost::json::object> execute(const Schema& schema, ExecutionRequest request,
                                                    ExecutionOptions options = {});

// The same, for callers without an event loop (the CLI, benchmarks, tests): when a resolver
// met is asynchronous it drives a private io_context until the response is complete.
boost::json::object execute_sync(const Schema& schema, const ExecutionRequest& request,
                                 const ExecutionOptions& options = {});

// A subscription's response stream (https://spec.graphql.org/October2021/#sec-Response-Stream):
// each source event executed against the subscription's selection set.
class ResponseStream {
  public:
    virtual ~ResponseStream() = default;
    // The next response ({"data":...} or {"errors":[...],"data":...}); nullopt at the end.
    virtual boost::asio::awaitable<std::optional<boost::json::object>> next() = 0;
    // Ends the stream (closes the source stream).
    virtual void close() = 0;
};

// Subscribes (https://spec.graphql.org/October2021/#Subscribe()): either a response stream, or
// the response to send instead (request errors, or the subscribe resolver's field error).
struct Subscription {
    std::unique_ptr<ResponseStream> stream;
    std::optional<boost::json::object> failure;
};
boost::asio::awaitable<Subscription> subscribe(const Schema& schema, ExecutionRequest request,
                                               ExecutionOptions options = {});

}  // namespace alatar::graphql
