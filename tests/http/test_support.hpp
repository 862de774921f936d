#pragma once
// In-process server fixtures for the http tests: a trivial GraphQL executor, a scripted subscription handler, a
// capturing log sink and small synchronous Beast clients with socket timeouts (a broken server fails the test
// instead of hanging it).
#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/graphql_over_http.hpp"
#include "http/health.hpp"
#include "http/server.hpp"

namespace alatar::http::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

// Log lines kept in memory (thread-safe).
class LogCapture {
  public:
    LogSink sink() {
        return [this](std::string_view line) {
            std::lock_guard lock{mutex_};
            lines_.emplace_back(line);
        };
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock{mutex_};
        return lines_;
    }
    bool contains(std::string_view needle) const {
        for (const auto& l : lines()) {
            if (l.find(needle) != std::string::npos) return true;
        }
        return false;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// A stand-in for the GraphQL engine, enough for the transport rules:
//   "{" alone: syntax error; a field named 8f31403dfe404bccbb0e835f2629c6a7: validation error;
//   "$id: ID!" with a null id: variable coercion error; "boom": throws; "slow": waits 400 ms; "login": root field.
class TestExecutor : public GraphQLExecutor {
  public:
    OperationInfo analyze(const GraphQLRequest& r) override {
        OperationInfo info;
        std::string_view q = r.query;
        while (!q.empty() && q.front() == ' ') q.remove_prefix(1);
        const auto open = std::count(q.begin(), q.end(), '{');
        const auto close = std::count(q.begin(), q.end(), '}');
        if (open == 0 || open != close) return info;
        if (q.starts_with("mutation")) {
            info.type = OperationType::kMutation;
        } else if (q.starts_with("subscription")) {
            info.type = OperationType::kSubscription;
        } else {
            info.type = OperationType::kQuery;
        }
        const auto brace = q.find('{');
        auto rest = q.substr(brace + 1);
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        const auto end = rest.find_first_of(" ({}");
        info.root_fields.emplace_back(rest.substr(0, end));
        return info;
    }

    asio::awaitable<ExecutionOutcome> execute(const GraphQLRequest& r, const OperationInfo& info,
                                              RequestContext&) override {
        executions.fetch_add(1);
        ExecutionOutcome out;
        if (!info.type) {
            out.request_error = true;
            out.body = R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>."}]})";
            out.error_codes = {"GRAPHQL_PARSE_FAILED"};
            co_return out;
        }
        if (r.query.find("8f31403dfe404bccbb0e835f2629c6a7") != std::string::npos) {
            out.request_error = true;
            out.body = R"({"errors":[{"message":"Cannot query field on type Query."}]})";
            out.error_codes = {"GRAPHQL_VALIDATION_FAILED"};
            co_return out;
        }
        if (r.query.find("$id: ID!") != std::string::npos) {
            const auto* id = r.variables.if_contains("id");
            if (id == nullptr || id->is_null()) {
                out.request_error = true;
                out.body = R"({"errors":[{"message":"Variable \"$id\" of non-null type \"ID!\" must not be null."}]})";
                out.error_codes = {"BAD_USER_INPUT"};
                co_return out;
            }
        }
        if (r.query.find("boom") != std::string::npos) {
            throw std::runtime_error("database password=hunter2 leaked in a stack");
        }
        if (r.query.find("slow") != std::string::npos) {
            asio::steady_timer t{co_await asio::this_coro::executor, std::chrono::milliseconds(400)};
            co_await t.async_wait(asio::use_awaitable);
        }
        boost::json::object data;
        data[info.root_fields.empty() ? "__typename" : info.root_fields.front()] = "Query";
        boost::json::object body;
        body["data"] = std::move(data);
        out.body = boost::json::serialize(body);
        co_return out;
    }

    std::atomic<int> executions{0};
};

// Scripted graphql-transport-ws handler. Tokens: "good" accepted, "throw" throws, "slow" answers after 2 s,
// anything else refused. Queries: "count" sends three results and completes, "flood" pushes 16 KiB results from
// another thread until the sink refuses, "boom" throws, anything else runs until unsubscribed.
class TestSubscriptions : public SubscriptionHandler {
  public:
    ~TestSubscriptions() override {
        for (auto& t : producers_) t.join();
    }

    asio::awaitable<InitDecision> on_connection_init(const boost::json::object& payload,
                                                     const WsConnectionInfo&) override {
        const auto* token = payload.if_contains("token");
        const std::string t = token != nullptr && token->is_string() ? std::string{token->get_string()} : "";
        if (t == "throw") throw std::runtime_error("auth backend exploded");
        if (t == "slow") {
            asio::steady_timer timer{co_await asio::this_coro::executor, std::chrono::seconds(2)};
            co_await timer.async_wait(asio::use_awaitable);
        }
        if (t == "good") co_return InitDecision::accept(boost::json::value{"user-1"});
        co_return InitDecision::refuse();
    }

    void subscribe(const WsConnectionInfo&, const std::string& id, const boost::json::object& payload,
                   std::shared_ptr<SubscriptionSink> sink) override {
        const std::string query{payload.at("query").as_string()};
        if (query.find("boom") != std::string::npos) throw std::runtime_error("resolver exploded");
        if (query.find("count") != std::string::npos) {
            for (int i = 1; i <= 3; ++i) sink->next(R"({"data":{"count":)" + std::to_string(i) + "}}");
            sink->complete();
            return;
        }
        if (query.find("flood") != std::string::npos) {
            std::lock_guard lock{mutex_};
            producers_.emplace_back([this, sink] {
                const std::string big = R"({"data":{"blob":")" + std::string(16 * 1024, 'x') + R"("}})";
                while (sink->next(big)) {
                    flood_sent.fetch_add(1);
                    std::size_t cur = sink->pending_bytes();
                    std::size_t prev = flood_peak_pending.load();
                    while (cur > prev && !flood_peak_pending.compare_exchange_weak(prev, cur)) {
                    }
                }
                flood_refused.store(true);
            });
            return;
        }
        std::lock_guard lock{mutex_};
        running_.push_back(id);
    }

    void unsubscribe(const WsConnectionInfo&, const std::string& id) override {
        std::lock_guard lock{mutex_};
        unsubscribed_.push_back(id);
    }

    std::vector<std::string> unsubscribed() const {
        std::lock_guard lock{mutex_};
        return unsubscribed_;
    }

    std::atomic<int> flood_sent{0};
    std::atomic<std::size_t> flood_peak_pending{0};
    std::atomic<bool> flood_refused{false};

  private:
    mutable std::mutex mutex_;
    std::vector<std::thread> producers_;
    std::vector<std::string> running_;
    std::vector<std::string> unsubscribed_;
};

inline void set_socket_timeout(tcp::socket& s, std::chrono::milliseconds t) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(t.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// A server with /graphql (TestExecutor), the probes and optional WebSocket handler, on 127.0.0.1:0.
struct TestServer {
    explicit TestServer(ServerOptions options = {}, std::vector<ReadinessCheck> checks = {},
                        std::shared_ptr<SubscriptionHandler> subs = nullptr) {
        options.host = "127.0.0.1";
        options.port = 0;
        if (options.io_threads == 0) options.io_threads = 2;
        registry = std::make_shared<metrics::Registry>();
        executor = std::make_shared<TestExecutor>();
        graphql = std::make_unique<GraphQLHttp>(executor, *registry);
        Router router;
        router.add("/graphql", graphql->handler());
        add_health_routes(router, registry, HealthOptions{std::move(checks)});
        server = std::make_unique<Server>(std::move(options), std::move(router),
                                          alatar::Logger{"test", LogLevel::kDebug, logs.sink()}, registry);
        if (subs) server->set_subscription_handler(std::move(subs));
        server->start();
    }

    std::uint16_t port() const { return server->port(); }

    LogCapture logs;
    std::shared_ptr<metrics::Registry> registry;
    std::shared_ptr<TestExecutor> executor;
    std::unique_ptr<GraphQLHttp> graphql;
    std::unique_ptr<Server> server;
};

// One keep-alive HTTP/1.1 connection.
class HttpClient {
  public:
    explicit HttpClient(std::uint16_t port) : socket_(ioc_) {
        socket_.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
        set_socket_timeout(socket_, std::chrono::seconds(10));
    }

    bhttp::response<bhttp::string_body> send(bhttp::request<bhttp::string_body> req) {
        if (req.find(bhttp::field::host) == req.end()) req.set(bhttp::field::host, "127.0.0.1");
        req.prepare_payload();
        bhttp::write(socket_, req);
        return read();
    }

    bhttp::response<bhttp::string_body> read() {
        bhttp::response<bhttp::string_body> res;
        bhttp::read(socket_, buffer_, res);
        return res;
    }

    void write_raw(std::string_view data) { asio::write(socket_, asio::buffer(data)); }

    tcp::socket& socket() { return socket_; }

  private:
    asio::io_context ioc_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
};

inline bhttp::request<bhttp::string_body> post_json(std::string body, std::string_view accept = {},
                                                    std::string_view content_type = "application/json") {
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/graphql", 11};
    if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
    if (!accept.empty()) req.set(bhttp::field::accept, accept);
    req.body() = std::move(body);
    return req;
}

inline bhttp::request<bhttp::string_body> get(std::string target, std::string_view accept = {}) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
    if (!accept.empty()) req.set(bhttp::field::accept, accept);
    return req;
}

// One request on a fresh connection.
inline bhttp::response<bhttp::string_body> fetch(std::uint16_t port, bhttp::request<bhttp::string_body> req) {
    HttpClient c{port};
    return c.send(std::move(req));
}

// A graphql-transport-ws client.
class WsClient {
  public:
    explicit WsClient(std::uint16_t port, std::string subprotocol = "graphql-transport-ws") : ws_(ioc_) {
        auto& sock = ws_.next_layer();
        sock.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
        set_socket_timeout(sock, std::chrono::seconds(10));
        ws_.set_option(websocket::stream_base::decorator([subprotocol](websocket::request_type& req) {
            if (!subprotocol.empty()) req.set(bhttp::field::sec_websocket_protocol, subprotocol);
        }));
        ws_.handshake(response_, "127.0.0.1", "/graphql");
    }

    void send(std::string_view text) {
        ws_.text(true);
        ws_.write(asio::buffer(text));
    }

    boost::json::value read_json() {
        beast::flat_buffer b;
        ws_.read(b);
        return boost::json::parse(beast::buffers_to_string(b.data()));
    }

    // Reads until the server closes; returns the close code (0 when the connection broke without a close frame).
    std::uint16_t read_close_code() {
        for (;;) {
            beast::flat_buffer b;
            boost::system::error_code ec;
            ws_.read(b, ec);
            if (ec == websocket::error::closed) return ws_.reason().code;
            if (ec) return 0;
        }
    }

    std::string close_reason() const { return std::string{ws_.reason().reason.c_str()}; }

    void init(std::string token = "good") {
        send(R"({"type":"connection_init","payload":{"token":")" + token + R"("}})");
    }

    websocket::response_type& handshake_response() { return response_; }
    websocket::stream<tcp::socket>& stream() { return ws_; }

  private:
    asio::io_context ioc_;
    websocket::stream<tcp::socket> ws_;
    websocket::response_type response_;
};

}  // namespace alatar::http::test
