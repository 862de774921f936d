// Transport behaviour of http::Server: keep-alive, pipelining, limits, deadlines, rate limits, CORS, request ids,
// the global exception handler, probes, metrics, TLS and the graceful stop.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <regex>

#include "test_support.hpp"

namespace alatar::http::test {
namespace {

using namespace std::chrono_literals;

const std::string kTypename = R"({"query":"{ __typename }"})";

TEST(Server, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
    TestServer s;
    HttpClient c{s.port()};
    // Three requests in one write: the answers must come back in the same order on the same connection.
    const std::string body = R"({"query":"{ first }","variables":{}})";
    c.write_raw(
        "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto r1 = c.read();
    const auto r2 = c.read();
    const auto r3 = c.read();
    EXPECT_EQ(r1.result_int(), 200);
    EXPECT_EQ(r1.body(), "ok\n");
    EXPECT_EQ(r2.result_int(), 200);
    EXPECT_EQ(r2.body(), R"({"data":{"first":"Query"}})");
    EXPECT_EQ(r3.result_int(), 404);
    EXPECT_TRUE(r1.keep_alive() && r2.keep_alive() && r3.keep_alive());
    // And the connection is still usable.
    EXPECT_EQ(c.send(get("/healthz")).result_int(), 200);
    EXPECT_EQ(s.server->connections(), 1u);
}

TEST(Server, ConnectionCloseIsHonoured) {
    TestServer s;
    HttpClient c{s.port()};
    auto req = get("/healthz");
    req.keep_alive(false);
    const auto res = c.send(std::move(req));
    EXPECT_FALSE(res.keep_alive());
    char byte = 0;
    boost::system::error_code ec;
    c.socket().read_some(asio::buffer(&byte, 1), ec);
    EXPECT_EQ(ec, asio::error::eof);
}

TEST(Server, OversizeBodyIs413) {
    ServerOptions o;
    o.body_limit = 1024;
    TestServer s{o};
    const auto res = fetch(s.port(), post_json(R"({"query":")" + std::string(2000, 'a') + R"("})"));
    EXPECT_EQ(res.result_int(), 413);
    // A chunked body is cut off at the limit too.
    HttpClient c{s.port()};
    c.write_raw(
        "POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        "800\r\n" +
        std::string(0x800, 'a') + "\r\n0\r\n\r\n");
    EXPECT_EQ(c.read().result_int(), 413);
}

TEST(Server, OversizeHeaderIs431) {
    ServerOptions o;
    o.header_limit = 1024;
    TestServer s{o};
    auto req = get("/healthz");
    req.set("X-Big", std::string(4096, 'a'));
    EXPECT_EQ(fetch(s.port(), std::move(req)).result_int(), 431);
}

TEST(Server, SlowHeaderSenderIsCutOffWhileOthersAreServed) {
    ServerOptions o;
    o.header_timeout = 500ms;
    TestServer s{o};
    HttpClient slow{s.port()};
    const auto started = std::chrono::steady_clock::now();
    slow.write_raw("GET /healthz HTTP/1.1\r\n");
    // Trickle one header byte every 100 ms: each byte alone is fast, the whole head is not.
    std::atomic<bool> cut{false};
    std::thread trickle([&] {
        for (int i = 0; i < 40 && !cut.load(); ++i) {
            boost::system::error_code ec;
            asio::write(slow.socket(), asio::buffer("X", 1), ec);
            if (ec) {
                cut.store(true);
                break;
            }
            std::this_thread::sleep_for(100ms);
        }
    });
    // Meanwhile a normal client is served.
    EXPECT_EQ(fetch(s.port(), get("/healthz")).result_int(), 200);
    char buf[64];
    boost::system::error_code ec;
    slow.socket().read_some(asio::buffer(buf), ec);  // returns when the server closes
    const auto elapsed = std::chrono::steady_clock::now() - started;
    cut.store(true);
    trickle.join();
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
    EXPECT_LT(elapsed, 2500ms);
    EXPECT_GE(elapsed, 400ms);
}

TEST(Server, IdleKeepAliveConnectionIsClosed) {
    ServerOptions o;
    o.idle_timeout = 300ms;
    TestServer s{o};
    HttpClient c{s.port()};
    EXPECT_EQ(c.send(get("/healthz")).result_int(), 200);
    char byte = 0;
    boost::system::error_code ec;
    const auto started = std::chrono::steady_clock::now();
    c.socket().read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(Server, RequestDeadlineGives504) {
    ServerOptions o;
    o.request_timeout = 100ms;
    TestServer s{o};
    const auto res = fetch(s.port(), post_json(R"({"query":"{ slow }"})"));
    EXPECT_EQ(res.result_int(), 504);
    EXPECT_NE(res.body().find("TIMEOUT"), std::string::npos);
}

TEST(Server, ExecutorExceptionIsInternalWithRequestIdAndNoDetails) {
    TestServer s;
    auto req = post_json(R"({"query":"{ boom }"})");
    req.set("X-Request-Id", "req-boom-1");
    const auto res = fetch(s.port(), std::move(req));
    EXPECT_EQ(res.result_int(), 500);
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
    const auto body = boost::json::parse(res.body());
    const auto& err = body.at("errors").at(0);
    EXPECT_EQ(err.at("message").as_string(), "Internal server error");
    EXPECT_EQ(err.at("extensions").at("code").as_string(), "INTERNAL");
    EXPECT_EQ(err.at("extensions").at("requestId").as_string(), "req-boom-1");
    EXPECT_EQ(res.body().find("hunter2"), std::string::npos);
    EXPECT_EQ(res.body().find("database"), std::string::npos);
    // The log has the details (redacted) and the request id.
    bool logged = false;
    for (const auto& line : s.logs.lines()) {
        if (line.find("req-boom-1") != std::string::npos && line.find("database") != std::string::npos) {
            logged = true;
            EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
        }
    }
    EXPECT_TRUE(logged);
}

TEST(Server, RequestIdIsEchoedOrGenerated) {
    TestServer s;
    auto req = get("/healthz");
    req.set("X-Request-Id", "abc-123");
    EXPECT_EQ(fetch(s.port(), std::move(req))["X-Request-Id"], "abc-123");
    auto bad = get("/healthz");
    bad.set("X-Request-Id", "has spaces and <script>");
    const std::string generated{fetch(s.port(), std::move(bad))["X-Request-Id"]};
    EXPECT_TRUE(std::regex_match(generated, std::regex{"[0-9a-f]{32}"})) << generated;
    const std::string other{fetch(s.port(), get("/healthz"))["X-Request-Id"]};
    EXPECT_NE(generated, other);
    // Every line about a request carries its id.
    EXPECT_TRUE(s.logs.contains(R"("request_id":"abc-123")"));
}

TEST(Server, SecurityHeadersOnEveryResponse) {
    TestServer s;
    const auto res = fetch(s.port(), get("/healthz"));
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
    EXPECT_FALSE(res["Referrer-Policy"].empty());
    EXPECT_NE(res["Content-Security-Policy"].find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_TRUE(res["Strict-Transport-Security"].empty());  // plain HTTP
}

TEST(Server, CorsPreflightAndSimpleRequests) {
    ServerOptions o;
    o.cors.allowed_origins = {"https://app.example.com"};
    TestServer s{o};
    bhttp::request<bhttp::string_body> pre{bhttp::verb::options, "/graphql", 11};
    pre.set("Origin", "https://app.example.com");
    pre.set("Access-Control-Request-Method", "POST");
    pre.set("Access-Control-Request-Headers", "content-type");
    const auto ok = fetch(s.port(), pre);
    EXPECT_EQ(ok.result_int(), 204);
    EXPECT_EQ(ok["Access-Control-Allow-Origin"], "https://app.example.com");
    EXPECT_NE(ok["Access-Control-Allow-Methods"].find("POST"), std::string::npos);
    pre.set("Origin", "https://evil.example");
    const auto refused = fetch(s.port(), pre);
    EXPECT_EQ(refused.result_int(), 403);
    EXPECT_TRUE(refused["Access-Control-Allow-Origin"].empty());
    auto post = post_json(kTypename);
    post.set("Origin", "https://app.example.com");
    EXPECT_EQ(fetch(s.port(), post)["Access-Control-Allow-Origin"], "https://app.example.com");
}

TEST(Server, PerAddressRateLimitGives429WithRetryAfter) {
    ServerOptions o;
    o.per_address = BucketConfig{0.01, 2};
    TestServer s{o};
    EXPECT_EQ(fetch(s.port(), post_json(kTypename)).result_int(), 200);
    EXPECT_EQ(fetch(s.port(), post_json(kTypename)).result_int(), 200);
    const auto res = fetch(s.port(), post_json(kTypename));
    EXPECT_EQ(res.result_int(), 429);
    EXPECT_GE(std::stoi(std::string{res["Retry-After"]}), 1);
    EXPECT_EQ(boost::json::parse(res.body()).at("errors").at(0).at("extensions").at("code").as_string(),
              "RATE_LIMITED");
    // Probes are never rate limited.
    EXPECT_EQ(fetch(s.port(), get("/healthz")).result_int(), 200);
}

TEST(Server, PerUserRateLimitUsesTheCredential) {
    ServerOptions o;
    o.per_user = BucketConfig{0.01, 1};
    TestServer s{o};
    auto as = [](std::string token) {
        auto r = post_json(kTypename);
        r.set(bhttp::field::authorization, "Bearer " + token);
        return r;
    };
    EXPECT_EQ(fetch(s.port(), as("alice")).result_int(), 200);
    EXPECT_EQ(fetch(s.port(), as("alice")).result_int(), 429);
    EXPECT_EQ(fetch(s.port(), as("bob")).result_int(), 200);
}

TEST(Server, MaxConnectionsRefusesWith503) {
    ServerOptions o;
    o.max_connections = 2;
    TestServer s{o};
    HttpClient a{s.port()};
    HttpClient b{s.port()};
    EXPECT_EQ(a.send(get("/healthz")).result_int(), 200);
    EXPECT_EQ(b.send(get("/healthz")).result_int(), 200);
    HttpClient c{s.port()};
    EXPECT_EQ(c.read().result_int(), 503);
}

TEST(Server, ReadyzReportsFailedChecks) {
    std::vector<ReadinessCheck> checks;
    checks.push_back({"postgres", []() -> asio::awaitable<bool> { co_return true; }});
    checks.push_back({"rabbitmq", []() -> asio::awaitable<bool> { co_return false; }});
    checks.push_back({"thrower", []() -> asio::awaitable<bool> {
                          throw std::runtime_error("x");
                          co_return true;
                      }});
    TestServer s{ServerOptions{}, std::move(checks)};
    const auto res = fetch(s.port(), get("/readyz"));
    EXPECT_EQ(res.result_int(), 503);
    EXPECT_EQ(boost::json::parse(res.body()),
              boost::json::parse(R"({"status":"unavailable","failed":["rabbitmq","thrower"],
                                     "checks":{"postgres":"ok","rabbitmq":"failed","thrower":"failed"}})"));
    TestServer healthy{ServerOptions{}, {{"postgres", []() -> asio::awaitable<bool> { co_return true; }}}};
    const auto ready = fetch(healthy.port(), get("/readyz"));
    EXPECT_EQ(ready.result_int(), 200);
    EXPECT_EQ(boost::json::parse(ready.body()), boost::json::parse(R"({"status":"ready","checks":{"postgres":"ok"}})"));
}

TEST(Server, MetricsEndpointIsPrometheusTextAndPassesPromtool) {
    TestServer s;
    fetch(s.port(), post_json(R"({"query":"query Orders { orders }","operationName":"Orders"})"));
    fetch(s.port(), post_json(R"({"query":"{"})", "application/graphql-response+json"));
    const auto res = fetch(s.port(), get("/metrics"));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res[bhttp::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
    const auto& text = res.body();
    EXPECT_NE(text.find(R"(alatar_http_requests_total{route="/graphql",method="POST",status="200"} 1)"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"(alatar_graphql_operations_total{operation="Orders",outcome="ok"} 1)"), std::string::npos);
    EXPECT_NE(text.find(R"(alatar_graphql_duration_seconds_count{operation="Orders",outcome="ok"} 1)"),
              std::string::npos);
    EXPECT_NE(text.find(R"(alatar_graphql_errors_total{code="GRAPHQL_PARSE_FAILED"} 1)"), std::string::npos);
    EXPECT_NE(text.find("alatar_http_in_flight_requests 1"), std::string::npos);  // the /metrics request itself
    EXPECT_NE(text.find("alatar_ws_connections 0"), std::string::npos);
    EXPECT_NE(text.find("alatar_ws_subscriptions 0"), std::string::npos);

    ASSERT_EQ(std::system("command -v promtool > /dev/null 2>&1"), 0) << "promtool is required (package prometheus)";
    const auto path = std::filesystem::temp_directory_path() / ("alatar_server_metrics_" + std::to_string(::getpid()));
    std::ofstream{path} << text;
    const int rc = std::system(("promtool check metrics < " + path.string() + " > /dev/null 2>&1").c_str());
    std::filesystem::remove(path);
    EXPECT_EQ(rc, 0);
}

TEST(Server, GracefulStopFinishesInFlightRequest) {
    TestServer s;
    HttpClient idle{s.port()};
    EXPECT_EQ(idle.send(get("/healthz")).result_int(), 200);
    auto in_flight =
        std::async(std::launch::async, [port = s.port()] { return fetch(port, post_json(R"({"query":"{ slow }"})")); });
    while (s.executor->executions.load() == 0) std::this_thread::sleep_for(5ms);
    const auto started = std::chrono::steady_clock::now();
    s.server->stop();
    const auto res = in_flight.get();
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), R"({"data":{"slow":"Query"}})");
    EXPECT_FALSE(res.keep_alive());  // Connection: close during shutdown
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    // The idle keep-alive connection was closed and nothing is accepted any more.
    char byte = 0;
    boost::system::error_code ec;
    idle.socket().read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec);
    asio::io_context ioc;
    tcp::socket sock{ioc};
    sock.connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), s.port()}, ec);
    EXPECT_TRUE(ec);
}

TEST(Server, GraceDeadlineBoundsTheStop) {
    ServerOptions o;
    o.shutdown_grace = 100ms;
    o.request_timeout = 10s;
    TestServer s{o};
    auto in_flight = std::async(std::launch::async, [port = s.port()] {
        HttpClient c{port};
        boost::system::error_code ec;
        try {
            c.send(post_json(R"({"query":"{ slow }"})"));
        } catch (const boost::system::system_error& e) {
            ec = e.code();
        }
        return ec;
    });
    while (s.executor->executions.load() == 0) std::this_thread::sleep_for(5ms);
    const auto started = std::chrono::steady_clock::now();
    s.server->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
    in_flight.get();
}

class TlsServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("alatar_tls_" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
        const auto cmd =
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
            "-subj /CN=localhost -keyout " +
            (dir_ / "key.pem").string() + " -out " + (dir_ / "cert.pem").string() + " > /dev/null 2>&1";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl is required to make a test certificate";
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
};

TEST_F(TlsServerTest, ServesHttpsWithHstsAndRefusesOldProtocols) {
    ServerOptions o;
    o.tls = TlsOptions{(dir_ / "cert.pem").string(), (dir_ / "key.pem").string()};
    TestServer s{o};

    asio::io_context ioc;
    asio::ssl::context ctx{asio::ssl::context::tls_client};
    ctx.set_verify_mode(asio::ssl::verify_none);
    beast::ssl_stream<tcp::socket> stream{ioc, ctx};
    stream.next_layer().connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), s.port()});
    set_socket_timeout(stream.next_layer(), 10s);
    stream.handshake(asio::ssl::stream_base::client);
    auto req = get("/healthz");
    req.set(bhttp::field::host, "localhost");
    bhttp::write(stream, req);
    beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buf, res);
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res["Strict-Transport-Security"], "max-age=63072000; includeSubDomains");

    // A TLS 1.1 client cannot connect.
    asio::ssl::context old_ctx{asio::ssl::context::tls_client};
    old_ctx.set_verify_mode(asio::ssl::verify_none);
    SSL_CTX_set_min_proto_version(old_ctx.native_handle(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(old_ctx.native_handle(), TLS1_1_VERSION);
    beast::ssl_stream<tcp::socket> old{ioc, old_ctx};
    old.next_layer().connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), s.port()});
    set_socket_timeout(old.next_layer(), 10s);
    boost::system::error_code ec;
    old.handshake(asio::ssl::stream_base::client, ec);
    EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace alatar::http::test
