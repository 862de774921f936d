#pragma once
// Shared set-up for the broker tests: the test broker from ALATAR_TEST_AMQP_URL and a private topology under
// a unique prefix per test, deleted afterwards, so parallel runs and other suites never share a queue.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "common/log.hpp"
#include "mq/amqp_connection.hpp"
#include "mq/amqp_url.hpp"
#include "mq/envelope.hpp"
#include "mq/topology.hpp"

namespace alatar::mq::testing_support {

inline std::optional<AmqpUrl> test_broker_url() {
    const char* env = std::getenv("ALATAR_TEST_AMQP_URL");
    if (env == nullptr || *env == '\0') return std::nullopt;
    return parse_amqp_url(env);
}

// Polls `done` every 20 ms until it is true or `timeout` passes; returns the last value.
inline bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= until) return done();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

class MqBrokerTest : public ::testing::Test {
  protected:
    static constexpr std::int64_t kDeliveryLimit = 2;

    void SetUp() override {
        auto url = test_broker_url();
        ASSERT_TRUE(url.has_value())
            << "ALATAR_TEST_AMQP_URL is not set: start the private broker with `scripts/services --profile test "
               "start` and `eval \"$(scripts/services --profile test env)\"`";
        url_ = *url;
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        names_.emplace("t" + std::to_string(::getpid()) + "." + new_uuid().substr(0, 8) + "." +
                       std::string(info->name()).substr(0, 32));
        admin_ = std::make_unique<AmqpConnection>(url_, ConnectOptions{.connection_name = "alatar-test-admin"});
        admin_->open_channel(1);
        declare_topology(*admin_, 1, *names_, TopologyOptions{.delivery_limit = kDeliveryLimit});
    }

    void TearDown() override {
        if (!names_) return;
        try {
            AmqpConnection c(url_);
            c.open_channel(1);
            delete_topology(c, 1, *names_);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "could not delete the test topology: " << e.what();
        }
    }

    // Messages ready in a queue (a fresh connection each time, so a broken admin connection never matters).
    std::uint32_t ready(const std::string& queue) {
        AmqpConnection c(url_);
        c.open_channel(1);
        return c.inspect_queue(1, queue).message_count;
    }

    const Names& names() const { return *names_; }

    AmqpUrl url_;
    std::optional<Names> names_;
    std::unique_ptr<AmqpConnection> admin_;
    Logger log_{"mq-test", LogLevel::kWarning};
};

}  // namespace alatar::mq::testing_support
