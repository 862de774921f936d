#pragma once
// `alatar api` assembled: configuration -> database pool -> schema + resolvers -> executor -> HTTP/WebSocket
// server with /graphql, /healthz, /readyz, /metrics, /graphiql (development only) and the dashboard at /.
// Also owns the process's one analysis-event subscriber (fanned out to subscriptions) and an outbox relay.
//
//     api::ApiServer server{api::api_options(config), log};
//     server.start();   // binds; throws std::system_error when it cannot
//     server.wait();    // until SIGTERM/SIGINT (options.http.handle_signals) or stop()
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "api/executor.hpp"
#include "api/login_throttle.hpp"
#include "api/sessions.hpp"
#include "common/config.hpp"
#include "common/log.hpp"
#include "http/graphql_over_http.hpp"
#include "http/server.hpp"

namespace alatar::db {
class Pool;
}

namespace alatar::api {

class EventHub;

struct ApiOptions {
    Config config;
    std::string schema_sdl;                             // the served schema (default: the one built in)
    std::optional<std::filesystem::path> static_dir;    // the dashboard (web/dist)
    std::optional<std::filesystem::path> graphiql_dir;  // a node_modules directory holding graphiql, react, react-dom
    ExecutorLimits limits;
    http::ServerOptions http;
    http::GraphQLHttpOptions graphql_http;
    LoginThrottlePolicy throttle;
    SessionPolicy sessions;
    bool events = true;           // subscribe to analysis events (RabbitMQ) for analysisRequestUpdates
    bool relay = true;            // run an outbox relay so submitted requests are published at once
    std::size_t cpu_threads = 2;  // password hashing
    std::size_t ws_threads = 2;   // WebSocket operations
};

// The schema compiled into the binary (schema/alatar.graphql at build time).
std::string_view builtin_schema_sdl() noexcept;

// Options from the process configuration: listen address, limits by mode (introspection and suggestions off in
// production), body limit, timeouts, proxy trust, CORS for public_url.
ApiOptions api_options(const Config& config);

class ApiServer {
  public:
    // Builds everything; throws std::runtime_error for a schema that does not build, ConfigError-like
    // std::invalid_argument for a bad listen address.
    ApiServer(ApiOptions options, Logger log);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    void start();
    std::uint16_t port() const;
    // Graceful: stops accepting, lets in-flight requests finish (shutdown grace), ends subscriptions.
    void stop();
    void wait();

    db::Pool& pool();
    EventHub& events();
    ApiExecutor& executor();

  private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

}  // namespace alatar::api
