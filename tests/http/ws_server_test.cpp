// graphql-transport-ws over a real socket: every close code, results, ping/pong, shutdown and a slow consumer.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace alatar::http::test {
namespace {

using namespace std::chrono_literals;

class WsTest : public ::testing::Test {
  protected:
    void start(ServerOptions o = {}) {
        subs_ = std::make_shared<TestSubscriptions>();
        s_ = std::make_unique<TestServer>(std::move(o), std::vector<ReadinessCheck>{}, subs_);
    }
    void SetUp() override {
        ServerOptions o;
        o.ws.init_timeout = 300ms;
        start(o);
    }
    std::shared_ptr<TestSubscriptions> subs_;
    std::unique_ptr<TestServer> s_;
};

TEST_F(WsTest, AckNextCompleteAndPingPong) {
    WsClient c{s_->port()};
    EXPECT_EQ(c.handshake_response()[bhttp::field::sec_websocket_protocol], "graphql-transport-ws");
    c.send(R"({"type":"ping"})");
    EXPECT_EQ(c.read_json().at("type").as_string(), "pong");
    c.init();
    EXPECT_EQ(c.read_json().at("type").as_string(), "connection_ack");
    c.send(R"({"id":"a","type":"subscribe","payload":{"query":"subscription { count }"}})");
    for (int i = 1; i <= 3; ++i) {
        const auto m = c.read_json();
        EXPECT_EQ(m.at("type").as_string(), "next");
        EXPECT_EQ(m.at("id").as_string(), "a");
        EXPECT_EQ(m.at("payload").at("data").at("count").as_int64(), i);
    }
    EXPECT_EQ(c.read_json(), boost::json::parse(R"({"id":"a","type":"complete"})"));
}

TEST_F(WsTest, ClientCompleteUnsubscribes) {
    WsClient c{s_->port()};
    c.init();
    c.read_json();
    c.send(R"({"id":"x","type":"subscribe","payload":{"query":"subscription { forever }"}})");
    c.send(R"({"id":"x","type":"complete"})");
    c.send(R"({"type":"ping"})");  // ordering: once pong arrives, complete was handled
    EXPECT_EQ(c.read_json().at("type").as_string(), "pong");
    EXPECT_EQ(subs_->unsubscribed(), std::vector<std::string>{"x"});
}

TEST_F(WsTest, WrongSubprotocolIs4406) {
    WsClient c{s_->port(), "graphql-ws"};
    EXPECT_TRUE(c.handshake_response()[bhttp::field::sec_websocket_protocol].empty());
    EXPECT_EQ(c.read_close_code(), 4406);
    EXPECT_EQ(c.close_reason(), "Subprotocol not acceptable");
}

TEST_F(WsTest, InitTimeoutIs4408) {
    WsClient c{s_->port()};
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(c.read_close_code(), 4408);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(WsTest, SlowAuthenticationAlsoTimesOut4408) {
    WsClient c{s_->port()};
    c.init("slow");
    EXPECT_EQ(c.read_close_code(), 4408);
}

TEST_F(WsTest, SubscribeBeforeAckIs4401) {
    WsClient c{s_->port()};
    c.send(R"({"id":"1","type":"subscribe","payload":{"query":"subscription { x }"}})");
    EXPECT_EQ(c.read_close_code(), 4401);
}

TEST_F(WsTest, RefusedInitIs4403) {
    WsClient c{s_->port()};
    c.init("bad");
    EXPECT_EQ(c.read_close_code(), 4403);
}

TEST_F(WsTest, SecondInitIs4429) {
    WsClient c{s_->port()};
    c.init();
    EXPECT_EQ(c.read_json().at("type").as_string(), "connection_ack");
    c.init();
    EXPECT_EQ(c.read_close_code(), 4429);
}

TEST_F(WsTest, DuplicateIdIs4409AndRunningOperationsAreStopped) {
    WsClient c{s_->port()};
    c.init();
    c.read_json();
    c.send(R"({"id":"dup","type":"subscribe","payload":{"query":"subscription { forever }"}})");
    c.send(R"({"id":"dup","type":"subscribe","payload":{"query":"subscription { forever }"}})");
    EXPECT_EQ(c.read_close_code(), 4409);
    EXPECT_EQ(c.close_reason(), "Subscriber for dup already exists");
    for (int i = 0; i < 200 && subs_->unsubscribed().empty(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(subs_->unsubscribed(), std::vector<std::string>{"dup"});
}

TEST_F(WsTest, InvalidMessageIs4400) {
    WsClient c{s_->port()};
    c.send("{not json");
    EXPECT_EQ(c.read_close_code(), 4400);
}

TEST_F(WsTest, InitHandlerFailureIs4500) {
    WsClient c{s_->port()};
    c.init("throw");
    EXPECT_EQ(c.read_close_code(), 4500);
    EXPECT_TRUE(s_->logs.contains("auth backend exploded"));
}

TEST_F(WsTest, SubscribeHandlerFailureIsAnInternalErrorForThatId) {
    WsClient c{s_->port()};
    c.init();
    c.read_json();
    c.send(R"({"id":"b","type":"subscribe","payload":{"query":"subscription { boom }"}})");
    const auto m = c.read_json();
    EXPECT_EQ(m.at("type").as_string(), "error");
    EXPECT_EQ(m.at("id").as_string(), "b");
    EXPECT_EQ(m.at("payload").at(0).at("extensions").at("code").as_string(), "INTERNAL");
    EXPECT_EQ(boost::json::serialize(m).find("exploded"), std::string::npos);
}

TEST_F(WsTest, CrossSiteOriginIsRefused) {
    EXPECT_THROW(
        {
            asio::io_context ioc;
            websocket::stream<tcp::socket> ws{ioc};
            ws.next_layer().connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), s_->port()});
            ws.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
                req.set(bhttp::field::sec_websocket_protocol, "graphql-transport-ws");
                req.set(bhttp::field::origin, "https://evil.example");
            }));
            ws.handshake("127.0.0.1", "/graphql");
        },
        boost::system::system_error);
}

TEST_F(WsTest, GracefulStopClosesWith1001) {
    WsClient c{s_->port()};
    c.init();
    c.read_json();
    c.send(R"({"id":"s","type":"subscribe","payload":{"query":"subscription { forever }"}})");
    c.send(R"({"type":"ping"})");
    c.read_json();
    std::thread stopper([this] { s_->server->stop(); });
    EXPECT_EQ(c.read_close_code(), 1001);
    stopper.join();
    EXPECT_EQ(subs_->unsubscribed(), std::vector<std::string>{"s"});
}

TEST_F(WsTest, ClientThatNeverReadsIsDisconnectedWithBoundedMemory) {
    ServerOptions o;
    o.ws.max_outbound_bytes = 256 * 1024;
    start(o);
    WsClient c{s_->port()};
    // Shrink the client's receive buffer so the server's socket backs up quickly.
    c.stream().next_layer().set_option(asio::socket_base::receive_buffer_size(4096));
    c.init();
    c.send(R"({"id":"f","type":"subscribe","payload":{"query":"subscription { flood }"}})");
    // Never read: the producer must be refused, and the server must drop the connection.
    for (int i = 0; i < 1000 && !subs_->flood_refused.load(); ++i) std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(subs_->flood_refused.load());
    EXPECT_LE(subs_->flood_peak_pending.load(), o.ws.max_outbound_bytes);
    EXPECT_GT(subs_->flood_sent.load(), 0);
    for (int i = 0; i < 500 && s_->server->connections() > 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(s_->server->connections(), 0u);
    EXPECT_NE(s_->registry->expose().find("alatar_ws_slow_consumers_total 1"), std::string::npos);
    EXPECT_EQ(subs_->unsubscribed(), std::vector<std::string>{"f"});
    EXPECT_EQ(c.read_close_code(), 0);  // the socket was cut, not closed politely
}

TEST_F(WsTest, MetricsCountConnectionsAndSubscriptions) {
    WsClient c{s_->port()};
    c.init();
    c.read_json();
    c.send(R"({"id":"m","type":"subscribe","payload":{"query":"subscription { forever }"}})");
    c.send(R"({"type":"ping"})");
    c.read_json();
    const auto text = s_->registry->expose();
    EXPECT_NE(text.find("alatar_ws_connections 1"), std::string::npos) << text;
    EXPECT_NE(text.find("alatar_ws_subscriptions 1"), std::string::npos);
}

}  // namespace
}  // namespace alatar::http::test
