#include "api/executor.hpp"

#include <boost/json/serialize.hpp>

#include "api/errors.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

graphql::ValidationOptions validation_options(const ExecutorLimits& l) {
    graphql::ValidationOptions v;
    v.max_depth = l.max_depth;
    v.max_aliases = l.max_aliases;
    v.max_directives = l.max_directives;
    v.max_cost = l.max_cost;
    v.introspection = l.introspection;
    v.suggestions = l.suggestions;
    return v;
}

graphql::ParseOptions parse_options(const ExecutorLimits& l) {
    graphql::ParseOptions p;
    p.max_tokens = l.max_tokens;
    p.max_depth = l.max_depth * 4 + 8;  // selection nesting plus values; validation enforces the field depth
    return p;
}

http::OperationType to_http(graphql::ast::OperationType t) {
    switch (t) {
        case graphql::ast::OperationType::kMutation:
            return http::OperationType::kMutation;
        case graphql::ast::OperationType::kSubscription:
            return http::OperationType::kSubscription;
        case graphql::ast::OperationType::kQuery:
            break;
    }
    return http::OperationType::kQuery;
}

}  // namespace

ApiExecutor::ApiExecutor(const graphql::Schema& schema, Services& services, const ExecutorLimits& limits)
    : schema_(schema),
      services_(services),
      limits_(limits),
      cache_(schema, parse_options(limits), validation_options(limits), limits.cache_entries) {}

PreparedOperation ApiExecutor::prepare(const std::string& query, const std::optional<std::string>& operation_name) {
    PreparedOperation op;
    op.document = cache_.get(query);
    if (!op.document->ok()) return op;
    const auto selection = graphql::select_operation(*op.document->document, operation_name);
    if (selection.operation == nullptr) return op;
    op.type = to_http(selection.operation->operation);
    if (selection.operation->selection_set != nullptr) {
        for (const auto* sel : selection.operation->selection_set->selections) {
            if (sel->kind == graphql::ast::SelectionKind::kField) op.root_fields.emplace_back(sel->name.value);
        }
    }
    return op;
}

http::OperationInfo ApiExecutor::analyze(const http::GraphQLRequest& request) {
    auto op = std::make_shared<PreparedOperation>(prepare(request.query, request.operation_name));
    http::OperationInfo info;
    info.type = op->type;
    info.root_fields = op->root_fields;
    info.prepared = op;
    return info;
}

graphql::ExecutionOptions ApiExecutor::options_for(const RequestContext& ctx) const {
    graphql::ExecutionOptions o;
    o.hide_suggestions = !limits_.suggestions;
    o.error_formatter = [log = ctx.log(), id = ctx.request_id()](std::exception_ptr e) {
        return format_resolver_error(std::move(e), log, id);
    };
    return o;
}

json::array ApiExecutor::request_errors(const graphql::Errors& errors) {
    json::array out;
    for (const auto& e : errors) {
        auto obj = e.to_json();
        auto& ext = obj["extensions"];
        if (!ext.is_object()) ext = json::object{};
        if (!ext.as_object().contains("code")) ext.as_object()["code"] = error_code_name(ErrorCode::kBadUserInput);
        out.push_back(std::move(obj));
    }
    return out;
}

asio::awaitable<http::ExecutionOutcome> ApiExecutor::execute(const http::GraphQLRequest& request,
                                                             const http::OperationInfo& info,
                                                             http::RequestContext& http_ctx) {
    auto op = std::static_pointer_cast<const PreparedOperation>(info.prepared);
    if (!op) op = std::make_shared<PreparedOperation>(prepare(request.query, request.operation_name));

    http::ExecutionOutcome outcome;
    if (!op->document->ok()) {
        json::object body{{"errors", request_errors(op->document->errors)}};
        outcome.request_error = true;
        outcome.error_codes.assign(op->document->errors.size(), std::string(error_code_name(ErrorCode::kBadUserInput)));
        outcome.body = json::serialize(body);
        co_return outcome;
    }

    RequestContext ctx{services_,
                       http_ctx.request_id,
                       http_ctx.log,
                       Deadline::at(http_ctx.deadline).min(Deadline::after(limits_.request_timeout)),
                       credential_from_key(http_ctx.user_key),
                       http_ctx.client_address};
    graphql::ExecutionRequest exec;
    exec.document = op->document->document;
    exec.operation_name = request.operation_name;
    exec.variables = request.variables;
    exec.context = &ctx;
    json::object response = co_await graphql::execute(schema_, std::move(exec), options_for(ctx));
    outcome.request_error = !response.contains("data");
    outcome.error_codes = ensure_error_codes(response, error_code_name(ErrorCode::kBadUserInput));
    outcome.body = json::serialize(response);
    co_return outcome;
}

}  // namespace alatar::api
