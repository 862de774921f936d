#include "http/graphql_over_http.hpp"

#include <boost/json.hpp>
#include <boost/url/params_view.hpp>
#include <chrono>
#include <exception>

#include "http/media_type.hpp"

namespace alatar::http {

namespace json = boost::json;

std::string_view operation_type_name(OperationType t) noexcept {
    switch (t) {
        case OperationType::kQuery:
            return "query";
        case OperationType::kMutation:
            return "mutation";
        case OperationType::kSubscription:
            return "subscription";
    }
    return "query";
}

struct GraphQLHttp::Metrics {
    metrics::Family<metrics::Counter>& operations;
    metrics::Family<metrics::Histogram>& duration;
    metrics::Family<metrics::Counter>& errors;
};

namespace {

constexpr std::size_t kMaxOperationSeries = 500;

// Client-chosen names go into metric labels only when they look like GraphQL names; the family caps the rest.
std::string operation_label(const std::optional<std::string>& name) {
    if (!name || name->empty() || name->size() > 64) return "anonymous";
    for (std::size_t i = 0; i < name->size(); ++i) {
        const char c = (*name)[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
        if (!ok) return "anonymous";
    }
    return *name;
}

// Reads the GraphQL request members from a POST body object or from decoded GET parameters.
// Returns an error message when a member has the wrong type.
std::optional<std::string> fill_request(const json::object& o, GraphQLRequest& out) {
    const auto* q = o.if_contains("query");
    if (q == nullptr) return "The 'query' parameter is missing";
    if (!q->is_string()) return "The 'query' parameter must be a string";
    out.query = std::string{q->get_string()};
    if (const auto* n = o.if_contains("operationName"); n != nullptr && !n->is_null()) {
        if (!n->is_string()) return "The 'operationName' parameter must be a string";
        out.operation_name = std::string{n->get_string()};
    }
    if (const auto* v = o.if_contains("variables"); v != nullptr && !v->is_null()) {
        if (!v->is_object()) return "The 'variables' parameter must be an object";
        out.variables = v->get_object();
    }
    if (const auto* e = o.if_contains("extensions"); e != nullptr && !e->is_null()) {
        if (!e->is_object()) return "The 'extensions' parameter must be an object";
        out.extensions = e->get_object();
    }
    return std::nullopt;
}

// GET: query and operationName are plain strings; variables and extensions are JSON-encoded.
std::optional<std::string> params_to_object(std::string_view raw_query, json::object& out) {
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;  // application/x-www-form-urlencoded
    try {
        const boost::urls::params_view params{raw_query, opts};
        for (const auto& p : params) {
            if (out.contains(p.key)) continue;  // the first occurrence wins
            if (p.key == "query" || p.key == "operationName") {
                out[p.key] = p.value;
            } else if (p.key == "variables" || p.key == "extensions") {
                boost::system::error_code ec;
                auto v = json::parse(p.value, ec);
                if (ec) return "The '" + p.key + "' parameter must be JSON-encoded";
                out[p.key] = std::move(v);
            }
        }
    } catch (const std::exception&) {
        return "The query string is malformed";
    }
    return std::nullopt;
}

}  // namespace

GraphQLHttp::GraphQLHttp(std::shared_ptr<GraphQLExecutor> executor, metrics::Registry& registry,
                         GraphQLHttpOptions options)
    : executor_(std::move(executor)),
      options_(std::move(options)),
      strict_limiter_(options_.strict_bucket),
      metrics_(std::make_shared<Metrics>(Metrics{
          registry.counter("alatar_graphql_operations_total", "GraphQL operations by operation name and outcome.",
                           {"operation", "outcome"}, kMaxOperationSeries),
          registry.histogram("alatar_graphql_duration_seconds", "GraphQL operation latency by operation and outcome.",
                             {"operation", "outcome"}, metrics::default_latency_buckets(), kMaxOperationSeries),
          registry.counter("alatar_graphql_errors_total", "GraphQL errors by extensions.code.", {"code"}, 64),
      })) {}

Handler GraphQLHttp::handler() {
    return [this](const Request& req, RequestContext& ctx) { return handle(req, ctx); };
}

boost::asio::awaitable<Response> GraphQLHttp::handle(const Request& req, RequestContext& ctx) {
    const auto started = std::chrono::steady_clock::now();
    std::string op_label = "_invalid";
    auto record = [&](std::string_view outcome) {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        metrics_->operations.with({op_label, std::string{outcome}}).inc();
        metrics_->duration.with({op_label, std::string{outcome}}).observe(secs);
    };

    if (req.method != "GET" && req.method != "POST") {
        auto r = Response::json(405, error_body("Only GET and POST are supported", "BAD_USER_INPUT"));
        r.headers.set("Allow", "GET, POST");
        co_return r;
    }
    const auto media = negotiate_graphql_response(req.headers.get("Accept"));
    if (!media) {
        co_return Response::json(
            406, error_body("Accept application/graphql-response+json or application/json", "BAD_USER_INPUT"));
    }
    const auto ct = content_type_of(*media);
    auto refuse = [&](unsigned status, std::string_view message) {
        record("request_error");
        metrics_->errors.with({"BAD_USER_INPUT"}).inc();
        return Response::json(status, error_body(message, "BAD_USER_INPUT"), ct);
    };

    GraphQLRequest greq;
    if (req.method == "POST") {
        const auto ctype = req.headers.get("Content-Type");
        const auto m = ctype ? parse_media_type(*ctype) : std::nullopt;
        if (!m || !m->is("application", "json")) co_return refuse(415, "Content-Type must be application/json");
        if (const auto cs = m->param("charset"); cs && !iequals(*cs, "utf-8")) {
            co_return refuse(415, "Only the utf-8 charset is supported");
        }
        if (req.body.empty()) co_return refuse(400, "The request body is missing");
        boost::system::error_code ec;
        auto body = json::parse(req.body, ec);
        if (ec) co_return refuse(400, "The request body is not valid JSON");
        if (!body.is_object()) co_return refuse(400, "The request body must be a JSON object");
        if (auto err = fill_request(body.get_object(), greq)) co_return refuse(400, *err);
    } else {
        if (!csrf_allows(req, options_.csrf)) {
            co_return refuse(400,
                             "GET requests must send Accept: application/graphql-response+json (or application/json) "
                             "or an X-Requested-With header");
        }
        json::object params;
        if (auto err = params_to_object(req.query, params)) co_return refuse(400, *err);
        if (auto err = fill_request(params, greq)) co_return refuse(400, *err);
        greq.via_get = true;
    }

    op_label = operation_label(greq.operation_name);
    const OperationInfo info = executor_->analyze(greq);
    if (greq.via_get && info.type == OperationType::kMutation) {
        record("request_error");
        auto r = Response::json(405, error_body("Mutations are only allowed over POST", "BAD_USER_INPUT"), ct);
        r.headers.set("Allow", "POST");
        co_return r;
    }
    if (info.type == OperationType::kSubscription) {
        record("request_error");
        const unsigned status = *media == GraphQLMediaType::kGraphQLResponseJson ? 400 : 200;
        co_return Response::json(
            status, error_body("Subscriptions are served over WebSocket (graphql-transport-ws)", "BAD_USER_INPUT"), ct);
    }

    bool strict = greq.operation_name && std::find(options_.strict_operations.begin(), options_.strict_operations.end(),
                                                   *greq.operation_name) != options_.strict_operations.end();
    for (const auto& f : info.root_fields) {
        strict = strict || std::find(options_.strict_operations.begin(), options_.strict_operations.end(), f) !=
                               options_.strict_operations.end();
    }
    if (strict) {
        const auto d = strict_limiter_.take(ctx.client_address);
        if (!d.allowed) {
            record("rate_limited");
            metrics_->errors.with({"RATE_LIMITED"}).inc();
            auto r = Response::json(429, error_body("Too many attempts, retry later", "RATE_LIMITED"), ct);
            r.headers.set("Retry-After", std::to_string(d.retry_after.count()));
            co_return r;
        }
    }

    ExecutionOutcome outcome;
    std::exception_ptr failure;
    try {
        outcome = co_await executor_->execute(greq, info, ctx);
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) {
        ctx.log.log_exception(LogLevel::kError, "graphql execution failed", failure, {{"operation", op_label}});
        record("internal");
        metrics_->errors.with({"INTERNAL"}).inc();
        co_return Response::json(500, error_body("Internal server error", "INTERNAL", ctx.request_id), ct);
    }
    for (const auto& code : outcome.error_codes) metrics_->errors.with({code}).inc();
    record(outcome.request_error ? "request_error" : (outcome.error_codes.empty() ? "ok" : "error"));

    unsigned status = 200;
    if (*media == GraphQLMediaType::kGraphQLResponseJson && outcome.request_error)
        status = outcome.status.value_or(400);
    co_return Response::json(status, std::move(outcome.body), ct);
}

}  // namespace alatar::http
