#include "mq/dlq_command.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace alatar::mq {
namespace {

int run(std::vector<std::string_view> args) { return run_dlq_command(args); }

TEST(DlqCommand, UsageErrorsExitWithTwo) {
    testing::internal::CaptureStderr();
    EXPECT_EQ(run({}), 2);
    EXPECT_EQ(run({"frobnicate"}), 2);
    EXPECT_EQ(run({"list", "extra"}), 2);
    EXPECT_EQ(run({"list", "--id", "x"}), 2);
    EXPECT_EQ(run({"purge", "--body"}), 2);
    EXPECT_EQ(run({"list", "--limit", "0"}), 2);
    EXPECT_EQ(run({"list", "--amqp-url"}), 2);
    EXPECT_EQ(run({"list", "--bogus"}), 2);
    EXPECT_EQ(run({"--amqp-url", "http://h", "list"}), 2);
    EXPECT_EQ(run({"--amqp-url", "amqp://h", "--prefix", "bad prefix", "list"}), 2);
    const auto err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("usage: alatar dlq"), std::string::npos);
}

TEST(DlqCommand, HelpExitsWithZero) {
    testing::internal::CaptureStdout();
    EXPECT_EQ(run({"--help"}), 0);
    EXPECT_NE(testing::internal::GetCapturedStdout().find("replay [--id MESSAGE_ID]"), std::string::npos);
}

TEST(DlqCommand, UnreachableBrokerExitsWithOneAndHidesThePassword) {
    testing::internal::CaptureStderr();
    EXPECT_EQ(run({"--amqp-url", "amqp://u:TopSecretPw@127.0.0.1:1/", "purge"}), 1);
    const auto err = testing::internal::GetCapturedStderr();
    EXPECT_EQ(err.find("TopSecretPw"), std::string::npos) << err;
    EXPECT_NE(err.find("127.0.0.1:1"), std::string::npos) << err;
}

}  // namespace
}  // namespace alatar::mq
