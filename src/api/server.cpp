#include "api/server.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <variant>

#include "agents/outbox_relay.hpp"
#include "api/embedded.hpp"
#include "api/event_hub.hpp"
#include "api/oauth_callback_route.hpp"
#include "api/oauth_services.hpp"
#include "api/offload.hpp"
#include "api/resolvers.hpp"
#include "api/shared_request_reads.hpp"
#include "api/webhook_shopify.hpp"
#include "api/ws_handler.hpp"
#include "common/crypto.hpp"
#include "db/pool.hpp"
#include "db/pool_async.hpp"
#include "http/health.hpp"
#include "http/metrics.hpp"
#include "mq/amqp_url.hpp"
#include "mq/events.hpp"
#include "mq/publisher.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;
namespace fs = std::filesystem;

std::string_view builtin_schema_sdl() noexcept { return embedded::kSchemaSdl; }

namespace {

std::pair<std::string, std::uint16_t> split_listen(std::string_view listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos) throw std::invalid_argument("listen address must be host:port");
    std::string host(listen.substr(0, colon));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const auto text = listen.substr(colon + 1);
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || ptr != text.data() + text.size() || port > 65535) {
        throw std::invalid_argument("listen address must end in a port number");
    }
    return {host, static_cast<std::uint16_t>(port)};
}

std::string origin_of(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return {};
    const auto path = url.find('/', scheme + 3);
    return std::string(url.substr(0, path));
}

std::optional<std::string> read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The GraphiQL page's assets: an allow-list of files from the installed npm packages (no CDN).
struct GraphiqlAsset {
    std::string_view name;
    std::string_view package_path;
    std::string_view content_type;
};
constexpr GraphiqlAsset kGraphiqlAssets[] = {
    {"graphiql.min.js", "graphiql/graphiql.min.js", "text/javascript; charset=utf-8"},
    {"graphiql.min.css", "graphiql/graphiql.min.css", "text/css; charset=utf-8"},
    {"react.production.min.js", "react/umd/react.production.min.js", "text/javascript; charset=utf-8"},
    {"react-dom.production.min.js", "react-dom/umd/react-dom.production.min.js", "text/javascript; charset=utf-8"},
};

}  // namespace

ApiOptions api_options(const Config& config) {
    ApiOptions o;
    o.config = config;
    o.schema_sdl = std::string(builtin_schema_sdl());
    const auto [host, port] = split_listen(config.listen);
    o.http.host = host;
    o.http.port = port;
    o.http.io_threads = static_cast<std::size_t>(config.io_threads);
    o.http.body_limit = static_cast<std::size_t>(config.max_body_bytes);
    o.http.request_timeout = config.request_timeout;
    o.http.max_connections = static_cast<std::size_t>(config.max_connections);
    o.http.header_limit = static_cast<std::uint32_t>(config.max_header_bytes);
    o.http.header_timeout = config.header_timeout;
    o.http.idle_timeout = config.idle_timeout;
    o.http.trust_forwarded_for = config.trust_proxy;
    o.http.handle_signals = true;
    if (const auto origin = origin_of(config.public_url); !origin.empty()) o.http.cors.allowed_origins = {origin};
    o.limits.request_timeout = config.request_timeout;
    o.limits.introspection = !config.production();
    o.limits.suggestions = !config.production();
    if (fs::is_directory("web/dist")) o.static_dir = fs::path("web/dist");
    if (!config.production()) {
        for (const fs::path& candidate :
             {fs::path("tests/node/node_modules"), fs::path(ALATAR_SOURCE_DIR) / "tests/node/node_modules"}) {
            if (fs::exists(candidate / "graphiql" / "graphiql.min.js")) {
                o.graphiql_dir = candidate;
                break;
            }
        }
    }
    return o;
}

struct ApiServer::Parts {
    ApiOptions options;
    Logger log;
    std::shared_ptr<http::metrics::Registry> registry = std::make_shared<http::metrics::Registry>();
    std::unique_ptr<db::Pool> pool;
    std::unique_ptr<CpuPool> cpu;
    std::unique_ptr<LoginThrottle> throttle;
    std::shared_ptr<EventHub> hub = std::make_shared<EventHub>();
    SharedRequestReads request_reads;
    graphql::SchemaPtr schema;
    std::unique_ptr<Services> services;
    std::shared_ptr<ApiExecutor> executor;
    std::shared_ptr<WsHandler> ws;
    std::unique_ptr<http::GraphQLHttp> graphql_http;
    std::unique_ptr<mq::Publisher> publisher;
    std::unique_ptr<agents::OutboxRelay> relay;
    std::unique_ptr<mq::EventSubscriber> subscriber;
    std::unique_ptr<http::Server> server;
    bool stopped = false;

    Parts(ApiOptions opts, Logger logger) : options(std::move(opts)), log(std::move(logger)) {}

    void build();
    http::Router routes();
    void install_metrics();
    void shutdown();
};

void ApiServer::Parts::build() {
    const Config& config = options.config;
    pool = std::make_unique<db::Pool>(db::pool_options(config), log.child("db"));
    cpu = std::make_unique<CpuPool>(options.cpu_threads);
    throttle = std::make_unique<LoginThrottle>(options.throttle);

    auto built = graphql::build_schema(options.schema_sdl);
    if (auto* errors = std::get_if<graphql::Errors>(&built)) {
        std::string message = "the API schema does not build:";
        for (const auto& e : *errors) message += "\n  " + e.message;
        throw std::runtime_error(message);
    }
    schema = std::get<graphql::SchemaPtr>(std::move(built));
    install_resolvers(*schema);

    services = std::make_unique<Services>(Services{*pool,
                                                   *cpu,
                                                   *throttle,
                                                   *hub,
                                                   options.sessions,
                                                   available_models(config.llm_models),
                                                   crypto::hash_password(crypto::random_token(16)),
                                                   {},
                                                   log.child("graphql")});
    services->identity = make_identity_services(config);
    services->request_reads = &request_reads;
    services->loader_fetches = &registry->counter("alatar_api_loader_fetches_total",
                                                  "Batched queries of the per-request loaders.", {"loader"}, 16);
    executor = std::make_shared<ApiExecutor>(*schema, *services, options.limits);
    ws = std::make_shared<WsHandler>(*executor, options.ws_threads);
    graphql_http = std::make_unique<http::GraphQLHttp>(executor, *registry, options.graphql_http);

    const mq::Names names{config.amqp_prefix};
    if (options.relay) {
        publisher = std::make_unique<mq::Publisher>(mq::parse_amqp_url(config.amqp_url), log.child("publisher"));
        relay = std::make_unique<agents::OutboxRelay>(*pool, *publisher, names, log.child("relay"));
        services->outbox_written = [r = relay.get()] { r->wake(); };
    }
    if (options.events) {
        subscriber = std::make_unique<mq::EventSubscriber>(
            mq::parse_amqp_url(config.amqp_url), names,
            [hub = hub](const mq::Event& e) {
                if (const auto* payload = e.envelope.payload.if_object()) {
                    const auto* id = payload->if_contains("request_id");
                    if (id != nullptr && id->is_string()) hub->publish(std::string(id->get_string()), *payload);
                }
            },
            log.child("events"));
    }
    install_metrics();
    server = std::make_unique<http::Server>(options.http, routes(), log.child("http"), registry);
    server->set_subscription_handler(ws);
    server->set_user_key([](const http::Request& req) {
        return credential_key(req.headers.get("Authorization").value_or(std::string_view{}));
    });
}

http::Router ApiServer::Parts::routes() {
    http::Router router;
    http::HealthOptions health;
    health.checks.push_back({"postgres", [p = pool.get()]() -> asio::awaitable<bool> {
                                 const auto r =
                                     co_await db::query(*p, "SELECT 1", {}, Deadline::after(std::chrono::seconds(2)));
                                 co_return r.rows() == 1;
                             }});
    if (subscriber) {
        health.checks.push_back(
            {"rabbitmq", [s = subscriber.get()]() -> asio::awaitable<bool> { co_return s->ready(); }});
    }
    http::add_health_routes(router, registry, std::move(health));
    router.add("/graphql", graphql_http->handler());
    router.add("/auth/shopify/callback",
               make_oauth_callback_handler(*pool, services->identity, options.static_dir, log.child("oauth")));
    router.add("/webhooks/shopify", make_shopify_webhook_handler(*pool, options.config, log.child("webhooks")));

    if (!options.config.production()) {
        router.add("/graphiql", [](const http::Request&, http::RequestContext&) -> asio::awaitable<http::Response> {
            co_return http::Response::text(200, std::string(embedded::kGraphiqlHtml), "text/html; charset=utf-8");
        });
        router.add_prefix("/graphiql/assets/",
                          [dir = options.graphiql_dir](const http::Request& req,
                                                       http::RequestContext&) -> asio::awaitable<http::Response> {
                              const std::string_view name =
                                  std::string_view{req.path}.substr(std::string_view{"/graphiql/assets/"}.size());
                              if (name == "init.js") {
                                  co_return http::Response::text(200, std::string(embedded::kGraphiqlInitJs),
                                                                 "text/javascript; charset=utf-8");
                              }
                              for (const auto& asset : kGraphiqlAssets) {
                                  if (asset.name != name || !dir) continue;
                                  if (auto body = read_file(*dir / asset.package_path)) {
                                      auto res = http::Response::text(200, std::move(*body), asset.content_type);
                                      res.headers.set("Cache-Control", "public, max-age=3600");
                                      co_return res;
                                  }
                              }
                              co_return http::Response::text(404, "Not found");
                          });
    }
    if (options.static_dir && fs::is_directory(*options.static_dir)) {
        router.set_static_files(std::make_shared<http::StaticFiles>(*options.static_dir));
    }
    return router;
}

void ApiServer::Parts::install_metrics() {
    registry->gauge_callback("alatar_db_pool_open_connections", "Open PostgreSQL connections of the pool.",
                             [p = pool.get()] { return static_cast<double>(p->stats().open); });
    registry->gauge_callback("alatar_db_pool_idle_connections", "Idle PostgreSQL connections of the pool.",
                             [p = pool.get()] { return static_cast<double>(p->stats().idle); });
    registry->gauge_callback("alatar_graphql_document_cache_entries", "Parsed documents in the cache.",
                             [e = executor.get()] { return static_cast<double>(e->cache_stats().size); });
    registry->gauge_callback("alatar_ws_operations", "Running WebSocket operations.",
                             [w = ws.get()] { return static_cast<double>(w->running()); });
    registry->gauge_callback("alatar_event_subscriptions", "Subscriptions waiting for analysis events.",
                             [h = hub.get()] { return static_cast<double>(h->subscriptions()); });
}

void ApiServer::Parts::shutdown() {
    if (stopped) return;
    stopped = true;
    if (server) server->stop();
    hub->close_all();
    if (ws) ws->stop();
    subscriber.reset();
    relay.reset();
    publisher.reset();
    if (cpu) cpu->stop();
    log.info("api stopped");
}

ApiServer::ApiServer(ApiOptions options, Logger log)
    : parts_(std::make_unique<Parts>(std::move(options), std::move(log))) {
    parts_->build();
}

ApiServer::~ApiServer() { parts_->shutdown(); }

void ApiServer::start() {
    parts_->server->start();
    parts_->log.info("api listening", {{"host", parts_->options.http.host},
                                       {"port", static_cast<std::int64_t>(parts_->server->port())},
                                       {"mode", parts_->options.config.production() ? "production" : "development"}});
}

std::uint16_t ApiServer::port() const { return parts_->server->port(); }

void ApiServer::stop() { parts_->shutdown(); }

void ApiServer::wait() {
    parts_->server->wait();
    parts_->shutdown();
}

db::Pool& ApiServer::pool() { return *parts_->pool; }
EventHub& ApiServer::events() { return *parts_->hub; }
ApiExecutor& ApiServer::executor() { return *parts_->executor; }

}  // namespace alatar::api
