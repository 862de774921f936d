#include "http/ws_protocol.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace alatar::http {
namespace {

using Kind = WsAction::Kind;

void expect_close(const std::vector<WsAction>& actions, std::uint16_t code) {
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0].kind, Kind::kClose);
    EXPECT_EQ(actions[0].code, code) << actions[0].text;
}

WsProtocol ready(std::size_t max = 100) {
    WsProtocol p{max};
    auto a = p.on_message(R"({"type":"connection_init","payload":{"token":"t"}})");
    EXPECT_EQ(a.at(0).kind, Kind::kAuthenticate);
    EXPECT_EQ(a.at(0).payload.at("token").as_string(), "t");
    auto ack = p.on_init_result(true, {});
    EXPECT_EQ(ack.at(0).text, R"({"type":"connection_ack"})");
    EXPECT_EQ(p.state(), WsProtocol::State::kReady);
    return p;
}

const char* kSubscribe = R"({"id":"1","type":"subscribe","payload":{"query":"subscription { x }"}})";

TEST(WsProtocol, InitAckAndAckPayload) {
    WsProtocol p;
    p.on_message(R"({"type":"connection_init"})");
    boost::json::object payload;
    payload["user"] = "u1";
    const auto a = p.on_init_result(true, payload);
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(boost::json::parse(a[0].text),
              boost::json::parse(R"({"type":"connection_ack","payload":{"user":"u1"}})"));
}

TEST(WsProtocol, SecondInitIs4429) {
    auto p = ready();
    expect_close(p.on_message(R"({"type":"connection_init"})"), ws_close::kTooManyInitialisationRequests);
    EXPECT_EQ(p.state(), WsProtocol::State::kClosed);
}

TEST(WsProtocol, SecondInitWhileAuthenticatingIs4429) {
    WsProtocol p;
    p.on_message(R"({"type":"connection_init"})");
    expect_close(p.on_message(R"({"type":"connection_init"})"), ws_close::kTooManyInitialisationRequests);
}

TEST(WsProtocol, InitTimeoutIs4408UnlessAcknowledged) {
    WsProtocol waiting;
    expect_close(waiting.on_init_timeout(), ws_close::kConnectionInitialisationTimeout);
    WsProtocol authenticating;
    authenticating.on_message(R"({"type":"connection_init"})");
    expect_close(authenticating.on_init_timeout(), ws_close::kConnectionInitialisationTimeout);
    auto p = ready();
    EXPECT_TRUE(p.on_init_timeout().empty());
}

TEST(WsProtocol, SubscribeBeforeAckIs4401) {
    WsProtocol p;
    expect_close(p.on_message(kSubscribe), ws_close::kUnauthorized);
}

TEST(WsProtocol, RefusedInitIs4403) {
    WsProtocol p;
    p.on_message(R"({"type":"connection_init"})");
    expect_close(p.on_init_result(false, {}), ws_close::kForbidden);
}

TEST(WsProtocol, InvalidMessagesAre4400) {
    for (const char* bad :
         {"not json", "[]", R"({"type":7})", R"({"type":"unknown"})", R"({"type":"connection_init","payload":"x"})",
          R"({"type":"ping","payload":[1]})", R"({"type":"subscribe","payload":{"query":"{x}"}})",
          R"({"id":"","type":"subscribe","payload":{"query":"{x}"}})",
          R"({"id":"1","type":"subscribe","payload":{"query":1}})",
          R"({"id":"1","type":"subscribe","payload":{"query":"{x}","variables":[]}})",
          R"({"id":"1","type":"subscribe","payload":{"query":"{x}","operationName":1}})", R"({"type":"complete"})",
          R"({"id":"1","type":"next","payload":{}})", R"({"type":"connection_ack"})"}) {
        auto p = ready();
        expect_close(p.on_message(bad), ws_close::kBadRequest);
    }
}

TEST(WsProtocol, DuplicateIdIs4409WithTheId) {
    auto p = ready();
    auto first = p.on_message(kSubscribe);
    ASSERT_EQ(first.at(0).kind, Kind::kSubscribe);
    EXPECT_EQ(first.at(0).id, "1");
    EXPECT_EQ(first.at(0).payload.at("query").as_string(), "subscription { x }");
    const auto dup = p.on_message(kSubscribe);
    expect_close(dup, ws_close::kSubscriberAlreadyExists);
    EXPECT_EQ(dup.at(0).text, "Subscriber for 1 already exists");
}

TEST(WsProtocol, PingPong) {
    WsProtocol p;  // ping is allowed before the ack
    const auto a = p.on_message(R"({"type":"ping"})");
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].text, R"({"type":"pong"})");
    EXPECT_TRUE(p.on_message(R"({"type":"pong","payload":{"x":1}})").empty());
}

TEST(WsProtocol, NextErrorCompleteFramesAndIdReuse) {
    auto p = ready();
    p.on_message(kSubscribe);
    const auto next = p.next("1", R"({"data":{"x":1}})");
    ASSERT_TRUE(next);
    EXPECT_EQ(boost::json::parse(*next), boost::json::parse(R"({"id":"1","type":"next","payload":{"data":{"x":1}}})"));
    const auto done = p.complete("1");
    ASSERT_TRUE(done);
    EXPECT_EQ(boost::json::parse(*done), boost::json::parse(R"({"id":"1","type":"complete"})"));
    EXPECT_FALSE(p.next("1", "{}"));  // over
    // A completed id may be used again.
    EXPECT_EQ(p.on_message(kSubscribe).at(0).kind, Kind::kSubscribe);
    const auto err = p.error("1", R"([{"message":"bad"}])");
    ASSERT_TRUE(err);
    EXPECT_EQ(boost::json::parse(*err),
              boost::json::parse(R"({"id":"1","type":"error","payload":[{"message":"bad"}]})"));
    EXPECT_TRUE(p.active().empty());
}

TEST(WsProtocol, ClientCompleteUnsubscribesAndUnknownIdIsIgnored) {
    auto p = ready();
    p.on_message(kSubscribe);
    const auto a = p.on_message(R"({"id":"1","type":"complete"})");
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].kind, Kind::kUnsubscribe);
    EXPECT_EQ(a[0].id, "1");
    EXPECT_TRUE(p.on_message(R"({"id":"1","type":"complete"})").empty());
}

TEST(WsProtocol, SubscriptionLimitSendsRateLimitedError) {
    auto p = ready(1);
    p.on_message(kSubscribe);
    const auto a = p.on_message(R"({"id":"2","type":"subscribe","payload":{"query":"subscription { x }"}})");
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(a[0].kind, Kind::kSend);
    const auto v = boost::json::parse(a[0].text);
    EXPECT_EQ(v.at("type").as_string(), "error");
    EXPECT_EQ(v.at("id").as_string(), "2");
    EXPECT_EQ(v.at("payload").at(0).at("extensions").at("code").as_string(), "RATE_LIMITED");
    EXPECT_EQ(p.active().size(), 1u);
}

TEST(WsProtocol, NothingAfterClose) {
    auto p = ready();
    p.on_message(kSubscribe);
    p.close(ws_close::kGoingAway, "bye");
    EXPECT_TRUE(p.on_message(R"({"type":"ping"})").empty());
    EXPECT_FALSE(p.next("1", "{}"));
}

}  // namespace
}  // namespace alatar::http
