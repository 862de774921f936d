// analysisRequestUpdates end to end: events published to RabbitMQ reach a graphql-transport-ws subscriber through
// the API's one event subscriber; a late subscriber first gets the current state; stale events are dropped; the
// stream completes at a final status; someone else's request answers NOT_FOUND.
#include <boost/beast/websocket.hpp>

#include "api/ids.hpp"
#include "api_fixture.hpp"
#include "mq/events.hpp"
#include "mq/publisher.hpp"

namespace alatar::api::test {
namespace {

namespace websocket = boost::beast::websocket;

// A synchronous graphql-transport-ws client with a read timeout.
class WsClient {
  public:
    explicit WsClient(std::uint16_t port) : ws_(io_) {
        beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(20));
        beast::get_lowest_layer(ws_).connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
        ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
            req.set(bhttp::field::sec_websocket_protocol, "graphql-transport-ws");
        }));
        ws_.handshake("127.0.0.1", "/graphql");
    }
    void send(const json::object& message) { ws_.write(asio::buffer(json::serialize(message))); }
    json::object receive() {
        beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(20));
        beast::flat_buffer buffer;
        ws_.read(buffer);
        return json::parse(beast::buffers_to_string(buffer.data())).as_object();
    }
    // Reads until a message that is not a ping (answering pings).
    json::object receive_data() {
        while (true) {
            auto m = receive();
            if (m.at("type") == "ping") {
                send({{"type", "pong"}});
                continue;
            }
            return m;
        }
    }
    void init(const std::string& token) {
        send({{"type", "connection_init"}, {"payload", json::object{{"token", token}}}});
        const auto ack = receive_data();
        ASSERT_EQ(ack.at("type"), "connection_ack") << json::serialize(ack);
    }

  private:
    asio::io_context io_;
    websocket::stream<beast::tcp_stream> ws_;
};

class SubscriptionTest : public ApiFixture {
  protected:
    void adjust(ApiOptions& options) override {
        ASSERT_FALSE(amqp_url().empty()) << "ALATAR_TEST_AMQP_URL is not set: run `eval \"$(scripts/services "
                                            "--profile test env)\"` after `scripts/services --profile test start`";
        options.events = true;
        prefix_ = options.config.amqp_prefix;
    }

    void wait_until_ready() {
        for (int i = 0; i < 100; ++i) {
            if (http_request(server_->port(), "GET", "/readyz", "", {}).status == 200) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        FAIL() << "/readyz never became ready";
    }

    void publish(const std::string& request_uuid, std::int64_t seq, const std::string& event) {
        if (!publisher_) publisher_ = std::make_unique<mq::Publisher>(mq::parse_amqp_url(amqp_url()), Logger::null());
        mq::EventPublisher events{*publisher_, mq::Names{prefix_}};
        const auto envelope = mq::Envelope::make(
            "analysis.event",
            json::object{{"request_id", request_uuid}, {"seq", seq}, {"event", event}, {"message", "step " + event}},
            "trace", request_uuid);
        events.publish_blocking(mq::analysis_event_key(request_uuid), envelope,
                                Deadline::after(std::chrono::seconds(10)));
    }

    std::string seed_request(const std::string& email) {
        const auto user = sql("SELECT id::text FROM users WHERE email = $1", db::Params{email}).scalar<std::string>();
        return sql("INSERT INTO analysis_requests (user_id, prompt, status, progress) VALUES ($1, 'q', 'RUNNING', 0.2) "
                   "RETURNING id::text",
                   db::Params{user})
            .scalar<std::string>();
    }

    static json::object subscribe_message(const std::string& id, const std::string& request_id) {
        return {{"type", "subscribe"},
                {"id", id},
                {"payload", json::object{{"query",
                                          "subscription($r: ID!) { analysisRequestUpdates(requestId: $r) "
                                          "{ event message request { status progress } } }"},
                                         {"variables", json::object{{"r", request_id}}}}}};
    }

    std::string prefix_;
    std::unique_ptr<mq::Publisher> publisher_;
};

TEST_F(SubscriptionTest, SnapshotThenEventsThenCompleteAtTheFinalStatus) {
    const auto token = register_user("sub@example.com");
    const auto uuid = seed_request("sub@example.com");
    wait_until_ready();
    WsClient ws{server_->port()};
    ws.init(token);
    ws.send(subscribe_message("s1", encode_id(id_type::kAnalysisRequest, uuid)));
    const auto snapshot = ws.receive_data();
    ASSERT_EQ(snapshot.at("type"), "next") << json::serialize(snapshot);
    const auto& first = snapshot.at("payload").at("data").at("analysisRequestUpdates");
    EXPECT_EQ(first.at("event"), "SNAPSHOT");
    EXPECT_EQ(first.at("request").at("status"), "RUNNING");

    sql("UPDATE analysis_requests SET progress = 0.5, event_seq = 1 WHERE id = $1", db::Params{uuid});
    publish(uuid, 1, "PROGRESS");
    const auto progress = ws.receive_data();
    ASSERT_EQ(progress.at("type"), "next") << json::serialize(progress);
    EXPECT_EQ(progress.at("payload").at("data").at("analysisRequestUpdates").at("event"), "PROGRESS");
    EXPECT_EQ(progress.at("payload").at("data").at("analysisRequestUpdates").at("request").at("progress"), 0.5);

    publish(uuid, 1, "PROGRESS");  // a redelivered (stale) event: dropped
    sql("UPDATE analysis_requests SET status = 'COMPLETED', progress = 1, event_seq = 2 WHERE id = $1",
        db::Params{uuid});
    publish(uuid, 2, "COMPLETED");
    const auto done = ws.receive_data();
    ASSERT_EQ(done.at("type"), "next") << json::serialize(done);
    EXPECT_EQ(done.at("payload").at("data").at("analysisRequestUpdates").at("event"), "COMPLETED");
    EXPECT_EQ(done.at("payload").at("data").at("analysisRequestUpdates").at("request").at("status"), "COMPLETED");
    const auto complete = ws.receive_data();
    EXPECT_EQ(complete.at("type"), "complete");
    EXPECT_EQ(complete.at("id"), "s1");
}

TEST_F(SubscriptionTest, ApprovedActionsOfAFinishedRequestArePushedUntilTheySettle) {
    const auto token = register_user("act@example.com");
    const auto uuid = seed_request("act@example.com");
    const auto user = sql("SELECT id::text FROM users WHERE email = 'act@example.com'").scalar<std::string>();
    const auto store = sql("INSERT INTO shopify_stores (user_id, shop_domain) VALUES ($1, 'act.myshopify.com') "
                           "RETURNING id::text",
                           db::Params{user})
                           .scalar<std::string>();
    const auto proposal = sql("INSERT INTO action_proposals (request_id, store_id, user_id, kind, status, title, "
                              "expires_at, idempotency_key) VALUES ($1, $2, $3, 'CREATE_DISCOUNT_CODE', 'APPROVED', "
                              "'Discount', now() + interval '7 days', gen_random_uuid()::text) RETURNING id::text",
                              db::Params{uuid, store, user})
                              .scalar<std::string>();
    sql("UPDATE analysis_requests SET status = 'COMPLETED', progress = 1 WHERE id = $1", db::Params{uuid});
    wait_until_ready();
    WsClient ws{server_->port()};
    ws.init(token);
    ws.send(
        {{"type", "subscribe"},
         {"id", "a1"},
         {"payload", json::object{{"query",
                                   "subscription($r: ID!) { analysisRequestUpdates(requestId: $r) "
                                   "{ event request { status proposals { status } } } }"},
                                  {"variables", json::object{{"r", encode_id(id_type::kAnalysisRequest, uuid)}}}}}});
    const auto status_of = [](const json::object& m) {
        return m.at("payload").at("data").at("analysisRequestUpdates").at("request").at("proposals").at(0).at("status");
    };
    const auto snapshot = ws.receive_data();
    ASSERT_EQ(snapshot.at("type"), "next") << json::serialize(snapshot);
    EXPECT_EQ(status_of(snapshot), "APPROVED");

    // The analysis is finished, but the approved action is still running: its transitions keep coming.
    sql("UPDATE action_proposals SET status = 'EXECUTING' WHERE id = $1", db::Params{proposal});
    sql("UPDATE analysis_requests SET event_seq = 1 WHERE id = $1", db::Params{uuid});
    publish(uuid, 1, "STATUS_CHANGED");
    const auto executing = ws.receive_data();
    ASSERT_EQ(executing.at("type"), "next") << json::serialize(executing);
    EXPECT_EQ(status_of(executing), "EXECUTING");

    sql("UPDATE action_proposals SET status = 'SUCCEEDED' WHERE id = $1", db::Params{proposal});
    sql("UPDATE analysis_requests SET event_seq = 2 WHERE id = $1", db::Params{uuid});
    publish(uuid, 2, "STATUS_CHANGED");
    const auto succeeded = ws.receive_data();
    ASSERT_EQ(succeeded.at("type"), "next") << json::serialize(succeeded);
    EXPECT_EQ(status_of(succeeded), "SUCCEEDED");
    // Settled: the stream completes.
    const auto complete = ws.receive_data();
    EXPECT_EQ(complete.at("type"), "complete") << json::serialize(complete);
}

TEST_F(SubscriptionTest, SomeoneElsesRequestIsNotFoundAndBadTokensAreRefused) {
    register_user("owner@example.com");
    const auto other = register_user("other@example.com");
    const auto uuid = seed_request("owner@example.com");
    WsClient ws{server_->port()};
    ws.init(other);
    ws.send(subscribe_message("x", encode_id(id_type::kAnalysisRequest, uuid)));
    const auto answer = ws.receive_data();
    ASSERT_EQ(answer.at("type"), "error") << json::serialize(answer);
    EXPECT_EQ(answer.at("payload").at(0).at("extensions").at("code"), "NOT_FOUND");

    WsClient bad{server_->port()};
    bad.send({{"type", "connection_init"}, {"payload", json::object{{"token", "forged"}}}});
    EXPECT_THROW(bad.receive(), boost::system::system_error);  // closed with 4403
}

TEST_F(SubscriptionTest, QueriesAndMutationsWorkOverTheSocketAndLogoutStopsNewOperations) {
    const auto token = register_user("wsq@example.com");
    WsClient ws{server_->port()};
    ws.init(token);
    ws.send({{"type", "subscribe"}, {"id", "q"}, {"payload", json::object{{"query", "{ me { email } }"}}}});
    const auto me = ws.receive_data();
    ASSERT_EQ(me.at("type"), "next") << json::serialize(me);
    EXPECT_EQ(me.at("payload").at("data").at("me").at("email"), "wsq@example.com");
    EXPECT_EQ(ws.receive_data().at("type"), "complete");
    ws.send({{"type", "subscribe"}, {"id", "out"}, {"payload", json::object{{"query", "mutation { logout }"}}}});
    EXPECT_EQ(ws.receive_data().at("type"), "next");
    EXPECT_EQ(ws.receive_data().at("type"), "complete");
    ws.send({{"type", "subscribe"}, {"id", "q2"}, {"payload", json::object{{"query", "{ me { email } }"}}}});
    const auto after = ws.receive_data();
    EXPECT_EQ(after.at("payload").at("errors").at(0).at("extensions").at("code"), "UNAUTHENTICATED");
}

}  // namespace
}  // namespace alatar::api::test
