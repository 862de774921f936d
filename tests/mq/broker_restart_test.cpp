// Broker restart: restarts the shared test broker (scripts/services --profile test restart-rabbitmq), so this
// binary is registered with RUN_SERIAL. No confirmed message may be lost; both the publisher and the consumer
// must carry on by themselves.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "mq/broker_fixture.hpp"
#include "mq/consumer.hpp"
#include "mq/publisher.hpp"

namespace alatar::mq {
namespace {

using namespace std::chrono_literals;
using testing_support::eventually;
using testing_support::MqBrokerTest;

TEST_F(MqBrokerTest, SurvivesBrokerRestart) {
    Publisher publisher(url_, log_);
    std::mutex mutex;
    std::set<std::string> received;
    std::vector<std::string> confirmed;
    ConsumerOptions o;
    o.queue = names().queue(WorkQueue::kResults);
    o.prefetch = 5;
    Consumer consumer(
        url_, names(), o,
        [&](const Delivery& d) {
            const std::lock_guard lock(mutex);
            received.insert(d.envelope.id);
            return Decision::ack();
        },
        log_, &publisher);
    ASSERT_TRUE(consumer.wait_until_consuming(10s));

    const auto publish_one = [&](int n) {
        const auto e = Envelope::make("report", boost::json::object{{"n", n}});
        publisher.publish_blocking(names().work_exchange(), "results", e, Deadline::after(90s));
        const std::lock_guard lock(mutex);
        confirmed.push_back(e.id);
    };
    const auto all_confirmed_received = [&] {
        const std::lock_guard lock(mutex);
        for (const auto& id : confirmed) {
            if (!received.contains(id)) return false;
        }
        return true;
    };

    for (int i = 0; i < 10; ++i) publish_one(i);
    ASSERT_TRUE(eventually(all_confirmed_received, 10s));

    // Keep publishing from another thread while the broker goes away and comes back.
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::thread background([&] {
        for (int i = 100; !stop.load(); ++i) {
            try {
                publish_one(i);
            } catch (const Error&) {
                failures.fetch_add(1);
            }
            std::this_thread::sleep_for(50ms);
        }
    });
    admin_.reset();  // its connection dies with the broker
    const std::string cmd = std::string("cd '") + ALATAR_SOURCE_DIR +
                            "' && scripts/services --profile test restart-rabbitmq >/dev/null 2>&1";
    const int rc = std::system(cmd.c_str());
    EXPECT_EQ(rc, 0) << cmd;

    for (int i = 1000; i < 1010; ++i) publish_one(i);
    stop.store(true);
    background.join();

    EXPECT_EQ(failures.load(), 0);
    EXPECT_TRUE(eventually(all_confirmed_received, 60s));
    EXPECT_GE(publisher.connection_count(), 2U);
    EXPECT_GE(consumer.connection_count(), 2U);
    EXPECT_TRUE(consumer.consuming());
    const std::lock_guard lock(mutex);
    EXPECT_GE(confirmed.size(), 20U);
}

}  // namespace
}  // namespace alatar::mq
