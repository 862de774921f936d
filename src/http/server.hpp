#pragma once
// The HTTP/1.1 + WebSocket server: one io_context run by N threads, a listener coroutine, a strand and a coroutine
// per connection. Keep-alive and pipelining (answered in order), limits and deadlines on every read and write,
// optional TLS, per-address/per-user rate limits, security headers, CORS, request ids, metrics and a graceful stop.
//
//     http::Router router;
//     http::add_health_routes(router, registry, {});
//     router.add("/graphql", graphql.handler());
//     http::Server server{options, std::move(router), log, registry};
//     server.set_subscription_handler(subs);   // enables WebSocket upgrades at options.ws.path
//     server.start();                            // binds; throws std::system_error when it cannot
//     server.wait();                             // returns after SIGTERM/SIGINT (handle_signals) or stop()
//
// Beast and Asio stay in server.cpp; this header only needs the Router's awaitable.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/log.hpp"
#include "http/metrics.hpp"
#include "http/rate_limiter.hpp"
#include "http/router.hpp"
#include "http/security.hpp"
#include "http/subscriptions.hpp"

namespace alatar::http {

namespace detail {
struct ServerCore;
}

struct TlsOptions {
    std::string certificate_chain_file;  // PEM
    std::string private_key_file;        // PEM
};

struct WebSocketOptions {
    std::string path = "/graphql";
    std::chrono::milliseconds init_timeout{3000};    // connection_init must arrive (and be accepted) by then
    std::chrono::milliseconds idle_timeout{60'000};  // no frame from the client (pings are sent at half of it)
    std::size_t max_subscriptions = 50;              // running operations per connection
    std::size_t max_outbound_bytes = 1024 * 1024;    // queued but unsent bytes before a slow client is dropped
    std::size_t max_message_bytes = 64 * 1024;       // largest frame accepted from a client
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;   // 0 picks a free port (tests); see Server::port()
    std::size_t io_threads = 0;  // 0 = hardware concurrency

    std::size_t body_limit = 1024 * 1024;               // 413 above it
    std::uint32_t header_limit = 16 * 1024;             // 431 above it
    std::chrono::milliseconds header_timeout{10'000};   // whole request head (slowloris)
    std::chrono::milliseconds request_timeout{30'000};  // body read, handler, response write
    std::chrono::milliseconds idle_timeout{60'000};     // keep-alive wait for the next request
    std::chrono::milliseconds shutdown_grace{10'000};   // in-flight requests get this long on stop()
    std::size_t max_connections = 10'000;               // above it new connections get a 503 and are closed

    std::optional<TlsOptions> tls;     // TLS 1.2+ on this listener when set
    bool trust_forwarded_for = false;  // take the client address from the last X-Forwarded-For entry
    bool handle_signals = false;       // SIGTERM/SIGINT start a graceful stop

    bool rate_limit = true;
    BucketConfig per_address{50, 100};
    BucketConfig per_user{20, 40};

    SecurityHeaderOptions security;
    CorsOptions cors;
    WebSocketOptions ws;
};

class Server {
  public:
    // `registry` receives the server's metrics; others (DB pool, broker) may add theirs to the same registry.
    Server(ServerOptions options, Router router, alatar::Logger log, std::shared_ptr<metrics::Registry> registry);
    ~Server();  // stops (gracefully) if still running
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Enables graphql-transport-ws upgrades at options.ws.path. Call before start().
    void set_subscription_handler(std::shared_ptr<SubscriptionHandler> handler);
    // Maps a request to its per-user rate-limit key ("" = anonymous). The default hashes the Authorization header.
    // Must be cheap and thread-safe. Call before start().
    void set_user_key(std::function<std::string(const Request&)> user_key);

    // Binds, listens and starts the I/O threads. Throws std::system_error (address in use, bad TLS files).
    void start();
    // The bound port (useful with port 0). Valid after start().
    std::uint16_t port() const;

    // Graceful stop: stop accepting, close idle keep-alive connections, let in-flight requests finish within
    // shutdown_grace (their responses carry Connection: close), close WebSockets with 1001, then stop the threads.
    // Blocks until done. Thread-safe; never call it from an I/O thread.
    void stop();
    // Blocks until the server has stopped (after stop() or a handled signal).
    void wait();

    // Open connections (HTTP and WebSocket) right now.
    std::size_t connections() const;

  private:
    std::shared_ptr<detail::ServerCore> core_;
};

}  // namespace alatar::http
