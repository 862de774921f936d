#include <gtest/gtest.h>

#include "common/error.hpp"
#include "mq/amqp_connection.hpp"
#include "mq/amqp_url.hpp"

namespace alatar::mq {
namespace {

TEST(AmqpUrl, ParsesEveryComponent) {
    const auto u = parse_amqp_url("amqp://alice:s3cret@broker.internal:5673/prod?heartbeat=10");
    EXPECT_EQ(u.user, "alice");
    EXPECT_EQ(u.password, "s3cret");
    EXPECT_EQ(u.host, "broker.internal");
    EXPECT_EQ(u.port, 5673);
    EXPECT_EQ(u.vhost, "prod");
    EXPECT_EQ(u.heartbeat_seconds, 10);
}

TEST(AmqpUrl, DefaultsAndTheDefaultVhost) {
    const auto bare = parse_amqp_url("amqp://localhost");
    EXPECT_EQ(bare.user, "guest");
    EXPECT_EQ(bare.password, "guest");
    EXPECT_EQ(bare.port, 5672);
    EXPECT_EQ(bare.vhost, "/");
    EXPECT_EQ(parse_amqp_url("amqp://guest:guest@127.0.0.1:55672/").vhost, "/");
    EXPECT_EQ(parse_amqp_url("amqp://h/%2F").vhost, "/");
    EXPECT_EQ(parse_amqp_url("amqp://h/%2fteam").vhost, "/team");
}

TEST(AmqpUrl, PercentDecodesUserinfoAndTakesIpv6Hosts) {
    const auto u = parse_amqp_url("amqp://us%65r:p%40ss%3Aw0rd@[::1]:5680/v");
    EXPECT_EQ(u.user, "user");
    EXPECT_EQ(u.password, "p@ss:w0rd");
    EXPECT_EQ(u.host, "::1");
    EXPECT_EQ(u.port, 5680);
    const auto no_password = parse_amqp_url("amqp://bob@h");
    EXPECT_EQ(no_password.user, "bob");
    EXPECT_EQ(no_password.password, "");
}

TEST(AmqpUrl, RejectsMalformedUrlsAsBadUserInput) {
    for (const char* bad : {"http://h", "amqps://h", "amqp://", "amqp://h:0", "amqp://h:99999", "amqp://h:x",
                            "amqp://h:", "amqp://h/a/b", "amqp://h?heartbeat=-1", "amqp://[::1", "amqp://h/%zz"}) {
        try {
            parse_amqp_url(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::kBadUserInput) << bad;
        }
    }
}

TEST(AmqpUrl, PasswordNeverAppearsInParseErrors) {
    // A broken %-escape inside the password itself.
    try {
        parse_amqp_url("amqp://alice:Hunter2%zzSecret@h:5672/");
        FAIL() << "accepted a malformed password escape";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.find("Hunter2"), std::string::npos) << what;
        EXPECT_NE(what.find("password"), std::string::npos) << what;  // names the component instead
    }
    try {
        parse_amqp_url("amqp://alice:Hunter2Secret@h:notaport/");
        FAIL() << "accepted a bad port";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find("Hunter2"), std::string::npos) << e.what();
    }
}

TEST(AmqpUrl, RedactedFormHidesThePassword) {
    const auto u = parse_amqp_url("amqp://alice:Hunter2Secret@h:5000/v");
    EXPECT_EQ(u.redacted(), "amqp://alice:***@h:5000/v");
    EXPECT_EQ(parse_amqp_url("amqp://h").redacted(), "amqp://guest:***@h:5672/%2F");
}

TEST(AmqpConnection, UnreachableBrokerIsUpstreamUnavailableWithoutThePassword) {
    // Port 1 on loopback: nothing listens there, so the connect is refused at once.
    const auto u = parse_amqp_url("amqp://alice:Hunter2Secret@127.0.0.1:1/");
    try {
        AmqpConnection c(u, ConnectOptions{.connect_timeout = std::chrono::milliseconds{2000}});
        FAIL() << "connected to a closed port";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kUpstreamUnavailable);
        const std::string what = e.what();
        EXPECT_EQ(what.find("Hunter2"), std::string::npos) << what;
        EXPECT_NE(what.find("127.0.0.1:1"), std::string::npos) << what;
    }
}

}  // namespace
}  // namespace alatar::mq
