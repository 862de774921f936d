// Integration tests against the private RabbitMQ (ALATAR_TEST_AMQP_URL).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <set>
#include <vector>

#include "common/error.hpp"
#include "mq/broker_fixture.hpp"
#include "mq/consumer.hpp"
#include "mq/dlq.hpp"
#include "mq/dlq_command.hpp"
#include "mq/events.hpp"
#include "mq/publisher.hpp"

namespace alatar::mq {
namespace {

using namespace std::chrono_literals;
using testing_support::eventually;
using testing_support::MqBrokerTest;

Envelope task(std::string_view type, int n) {
    return Envelope::make(std::string(type), boost::json::object{{"n", n}}, "trace-" + std::to_string(n));
}

// Collects deliveries from a consumer's thread.
struct Inbox {
    std::mutex mutex;
    std::vector<Delivery> items;
    std::chrono::steady_clock::time_point last_at;

    void add(const Delivery& d) {
        const std::lock_guard lock(mutex);
        items.push_back(d);
        last_at = std::chrono::steady_clock::now();
    }
    std::size_t size() {
        const std::lock_guard lock(mutex);
        return items.size();
    }
    std::vector<Delivery> snapshot() {
        const std::lock_guard lock(mutex);
        return items;
    }
};

ConsumerOptions consume(const Names& names, WorkQueue q, std::uint16_t prefetch = 1) {
    ConsumerOptions o;
    o.queue = names.queue(q);
    o.prefetch = prefetch;
    return o;
}

TEST_F(MqBrokerTest, PublishConfirmedThenConsumedAndAcked) {
    Publisher publisher(url_, log_);
    const auto sent = task("analysis.requested", 1);
    publisher.publish_blocking(names().work_exchange(), "orchestrator", sent, Deadline::after(10s));
    EXPECT_EQ(ready(names().queue(WorkQueue::kOrchestrator)), 1U);

    Inbox inbox;
    {
        Consumer consumer(
            url_, names(), consume(names(), WorkQueue::kOrchestrator),
            [&](const Delivery& d) {
                inbox.add(d);
                return Decision::ack();
            },
            log_, &publisher);
        ASSERT_TRUE(eventually([&] { return inbox.size() == 1; }, 10s));
    }
    const auto got = inbox.snapshot().front();
    EXPECT_EQ(got.envelope.id, sent.id);
    EXPECT_EQ(got.envelope.type, "analysis.requested");
    EXPECT_EQ(got.envelope.trace_id, "trace-1");
    EXPECT_EQ(got.envelope.payload, sent.payload);
    EXPECT_EQ(got.message.message_id, sent.id);
    EXPECT_TRUE(got.message.persistent);
    EXPECT_EQ(got.message.content_type, "application/json");
    EXPECT_EQ(got.work_key, "orchestrator");
    EXPECT_FALSE(got.redelivered);
    EXPECT_EQ(got.delivery_count, 0);
    // Acked, and the consumer closed cleanly: nothing is left.
    EXPECT_EQ(ready(names().queue(WorkQueue::kOrchestrator)), 0U);
}

TEST_F(MqBrokerTest, UnroutableAndMissingExchangeFailTyped) {
    Publisher publisher(url_, log_);
    try {
        publisher.publish_blocking(names().work_exchange(), "no.such.key", task("x", 1), Deadline::after(10s));
        FAIL() << "an unroutable mandatory message was confirmed";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kNotFound) << e.what();
    }
    try {
        publisher.publish_blocking(names().prefix() + ".nonexistent", "orchestrator", task("x", 2),
                                   Deadline::after(10s));
        FAIL() << "a message to a missing exchange was confirmed";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kNotFound) << e.what();
    }
    // The publisher recovers (new channel) and keeps working.
    publisher.publish_blocking(names().work_exchange(), "actions", task("x", 3), Deadline::after(10s));
    EXPECT_EQ(ready(names().queue(WorkQueue::kActions)), 1U);
}

TEST_F(MqBrokerTest, ManyThreadsPublishThroughOnePublisher) {
    Publisher publisher(url_, log_);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                try {
                    publisher.publish_blocking(names().work_exchange(), "results", task("r", t * 100 + i),
                                               Deadline::after(20s));
                } catch (const std::exception&) {
                    failures.fetch_add(1);
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(ready(names().queue(WorkQueue::kResults)), 200U);
    EXPECT_EQ(publisher.connection_count(), 1U);
}

TEST_F(MqBrokerTest, RetryTierRedeliversAfterItsDelay) {
    Publisher publisher(url_, log_);
    Inbox inbox;
    std::vector<std::chrono::steady_clock::time_point> times;
    Consumer consumer(
        url_, names(), consume(names(), WorkQueue::kQuantitative),
        [&](const Delivery& d) {
            times.push_back(std::chrono::steady_clock::now());  // consumer thread only
            inbox.add(d);
            return d.attempts == 0 ? Decision::retry(RetryTier::k1s) : Decision::ack();
        },
        log_, &publisher);
    ASSERT_TRUE(consumer.wait_until_consuming(10s));
    const auto sent = task("dept.task", 7);
    publisher.publish_blocking(names().work_exchange(), "dept.quantitative", sent, Deadline::after(10s));
    ASSERT_TRUE(eventually([&] { return inbox.size() == 2; }, 15s));
    const auto items = inbox.snapshot();
    EXPECT_EQ(items[0].attempts, 0);
    EXPECT_EQ(items[1].attempts, 1);
    EXPECT_EQ(items[1].envelope.id, sent.id);
    EXPECT_EQ(items[1].work_key, "dept.quantitative");
    EXPECT_EQ(items[1].routing_key, "1s.dept.quantitative");
    EXPECT_GE(times[1] - times[0], 900ms);  // the 1 s tier's TTL (expiry is checked lazily, never early)
    ASSERT_FALSE(items[1].message.deaths.empty());
    EXPECT_EQ(items[1].message.deaths.front().reason, "expired");
    EXPECT_EQ(items[1].message.deaths.front().queue, names().retry_queue(RetryTier::k1s));
    EXPECT_TRUE(eventually([&] { return ready(names().queue(WorkQueue::kQuantitative)) == 0; }, 5s));
    EXPECT_EQ(ready(names().dead_letter_queue()), 0U);
}

TEST_F(MqBrokerTest, ExhaustedRetriesGoToTheDlq) {
    Publisher publisher(url_, log_);
    Inbox inbox;
    ConsumerOptions o = consume(names(), WorkQueue::kQualitative);
    o.max_retries = 1;
    Consumer consumer(
        url_, names(), o,
        [&](const Delivery& d) {
            inbox.add(d);
            return Decision::retry(RetryTier::k1s);
        },
        log_, &publisher);
    ASSERT_TRUE(consumer.wait_until_consuming(10s));
    const auto sent = task("dept.task", 8);
    publisher.publish_blocking(names().work_exchange(), "dept.qualitative", sent, Deadline::after(10s));
    ASSERT_TRUE(eventually([&] { return ready(names().dead_letter_queue()) == 1; }, 15s));
    EXPECT_EQ(inbox.size(), 2U);  // the first try and one retry
    const auto dead = dlq_list(url_, names());
    ASSERT_EQ(dead.size(), 1U);
    EXPECT_EQ(dead[0].message_id, sent.id);
    EXPECT_EQ(dead[0].reason, "rejected");
    EXPECT_EQ(dead[0].queue, names().queue(WorkQueue::kQualitative));
    EXPECT_EQ(dead[0].work_key, "dept.qualitative");
}

TEST_F(MqBrokerTest, DeliveryLimitDeadLettersAMessageThatKeepsFailing) {
    Publisher publisher(url_, log_);
    Inbox inbox;
    Consumer consumer(
        url_, names(), consume(names(), WorkQueue::kActions),
        [&](const Delivery& d) {
            inbox.add(d);
            return Decision::requeue();
        },
        log_, &publisher);
    ASSERT_TRUE(consumer.wait_until_consuming(10s));
    const auto sent = task("action.execute", 9);
    publisher.publish_blocking(names().work_exchange(), "actions", sent, Deadline::after(10s));
    ASSERT_TRUE(eventually([&] { return ready(names().dead_letter_queue()) == 1; }, 15s));
    const auto items = inbox.snapshot();
    // Delivered once plus once per requeue allowed by the limit, with x-delivery-count counting the returns.
    ASSERT_EQ(items.size(), static_cast<std::size_t>(kDeliveryLimit + 1));
    for (std::size_t i = 0; i < items.size(); ++i) {
        EXPECT_EQ(items[i].delivery_count, static_cast<std::int64_t>(i));
        EXPECT_EQ(items[i].redelivered, i > 0);
    }
    const auto dead = dlq_list(url_, names());
    ASSERT_EQ(dead.size(), 1U);
    EXPECT_EQ(dead[0].message_id, sent.id);
    EXPECT_EQ(dead[0].reason, "delivery_limit");
    EXPECT_EQ(dead[0].work_key, "actions");
}

TEST_F(MqBrokerTest, DlqListReplayAndPurge) {
    Publisher publisher(url_, log_);
    std::vector<Envelope> sent;
    for (int i = 0; i < 3; ++i) {
        sent.push_back(task("dept.task", i));
        publisher.publish_blocking(names().work_exchange(), "dept.data_retrieval", sent.back(), Deadline::after(10s));
    }
    {
        Consumer rejecter(
            url_, names(), consume(names(), WorkQueue::kDataRetrieval, 10),
            [](const Delivery&) { return Decision::reject(); }, log_, &publisher);
        ASSERT_TRUE(eventually([&] { return ready(names().dead_letter_queue()) == 3; }, 10s));
    }

    // list leaves everything in place, in order.
    for (int pass = 0; pass < 2; ++pass) {
        const auto dead = dlq_list(url_, names());
        ASSERT_EQ(dead.size(), 3U);
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(dead[i].message_id, sent[i].id);
            EXPECT_EQ(dead[i].work_key, "dept.data_retrieval");
            EXPECT_EQ(dead[i].reason, "rejected");
            EXPECT_EQ(parse_envelope(dead[i].body).id, sent[i].id);
        }
    }
    EXPECT_EQ(dlq_list(url_, names(), 2).size(), 2U);
    EXPECT_EQ(ready(names().dead_letter_queue()), 3U);

    // replay one by id: it goes back to its work queue; the others stay in order.
    const auto one = dlq_replay(url_, names(), sent[1].id);
    EXPECT_EQ(one.replayed, 1U);
    EXPECT_EQ(one.failed, 0U);
    EXPECT_EQ(ready(names().queue(WorkQueue::kDataRetrieval)), 1U);
    const auto left = dlq_list(url_, names());
    ASSERT_EQ(left.size(), 2U);
    EXPECT_EQ(left[0].message_id, sent[0].id);
    EXPECT_EQ(left[1].message_id, sent[2].id);

    // replay the rest through the CLI entry point.
    const std::string url_text = std::getenv("ALATAR_TEST_AMQP_URL");
    testing::internal::CaptureStdout();
    const std::vector<std::string_view> replay_args{"--amqp-url", url_text, "--prefix", names().prefix(), "replay"};
    EXPECT_EQ(run_dlq_command(replay_args), 0);
    EXPECT_NE(testing::internal::GetCapturedStdout().find("replayed 2, failed 0"), std::string::npos);
    EXPECT_EQ(ready(names().dead_letter_queue()), 0U);
    EXPECT_EQ(ready(names().queue(WorkQueue::kDataRetrieval)), 3U);

    // The replayed copies are clean: no death history, retry count reset, same ids.
    Inbox inbox;
    {
        Consumer consumer(
            url_, names(), consume(names(), WorkQueue::kDataRetrieval, 10),
            [&](const Delivery& d) {
                inbox.add(d);
                return Decision::reject();  // dead-letter them again for the purge below
            },
            log_, &publisher);
        ASSERT_TRUE(eventually([&] { return inbox.size() == 3 && ready(names().dead_letter_queue()) == 3; }, 10s));
    }
    std::set<std::string> ids;
    for (const auto& d : inbox.snapshot()) {
        ids.insert(d.envelope.id);
        EXPECT_TRUE(d.message.deaths.empty());
        EXPECT_EQ(d.attempts, 0);
    }
    EXPECT_EQ(ids, (std::set<std::string>{sent[0].id, sent[1].id, sent[2].id}));

    testing::internal::CaptureStdout();
    const std::vector<std::string_view> list_args{"--amqp-url", url_text, "--prefix", names().prefix(), "list"};
    EXPECT_EQ(run_dlq_command(list_args), 0);
    const auto listed = testing::internal::GetCapturedStdout();
    for (const auto& e : sent) EXPECT_NE(listed.find(e.id), std::string::npos) << listed;

    EXPECT_EQ(dlq_purge(url_, names()), 3U);
    EXPECT_EQ(ready(names().dead_letter_queue()), 0U);
    EXPECT_TRUE(dlq_list(url_, names()).empty());
}

TEST_F(MqBrokerTest, PrefetchBoundsUnackedDeliveries) {
    constexpr std::uint16_t kPrefetch = 3;
    constexpr int kMessages = 10;
    Publisher publisher(url_, log_);
    for (int i = 0; i < kMessages; ++i)
        publisher.publish_blocking(names().work_exchange(), "dept.recommendation", task("t", i), Deadline::after(10s));

    std::mutex mutex;
    std::vector<DeliveryTag> unsettled;
    std::size_t max_unsettled = 0;
    std::size_t total = 0;
    Consumer consumer(
        url_, names(), consume(names(), WorkQueue::kRecommendation, kPrefetch),
        [&](const Delivery& d) {
            const std::lock_guard lock(mutex);
            unsettled.push_back(d.tag);
            max_unsettled = std::max(max_unsettled, unsettled.size());
            ++total;
            return Decision::deferred();
        },
        log_, &publisher);
    const auto count = [&] {
        const std::lock_guard lock(mutex);
        return unsettled.size();
    };
    ASSERT_TRUE(eventually([&] { return count() == kPrefetch; }, 10s));
    std::this_thread::sleep_for(500ms);  // would the broker send more? It must not.
    EXPECT_EQ(count(), kPrefetch);

    // Settle from this (foreign) thread, one at a time: each ack lets one more in.
    for (int settled = 0; settled < kMessages; ++settled) {
        ASSERT_TRUE(eventually([&] { return count() > 0; }, 5s)) << "after " << settled << " acks";
        DeliveryTag tag;
        {
            const std::lock_guard lock(mutex);
            tag = unsettled.front();
            unsettled.erase(unsettled.begin());
        }
        consumer.settle(tag, Decision::ack());
    }
    const std::lock_guard lock(mutex);
    EXPECT_EQ(total, static_cast<std::size_t>(kMessages));
    EXPECT_EQ(max_unsettled, kPrefetch);
    EXPECT_TRUE(eventually([&] { return ready(names().queue(WorkQueue::kRecommendation)) == 0; }, 5s));
}

TEST_F(MqBrokerTest, EventsReachEverySubscriber) {
    Publisher publisher(url_, log_);
    EventPublisher events(publisher, names());
    Inbox a;
    Inbox b;
    std::vector<std::unique_ptr<EventSubscriber>> subs;
    for (Inbox* inbox : {&a, &b}) {
        subs.push_back(std::make_unique<EventSubscriber>(
            url_, names(),
            [inbox](const Event& e) { inbox->add(Delivery{.envelope = e.envelope, .routing_key = e.routing_key}); },
            log_));
    }
    for (auto& s : subs) ASSERT_TRUE(s->wait_until_ready(10s));

    const auto ev = Envelope::make("analysis.status", boost::json::object{{"status", "RUNNING"}});
    events.publish_blocking("other.topic", Envelope::make("other", nullptr), Deadline::after(10s));
    events.publish_blocking(analysis_event_key("42"), ev, Deadline::after(10s));
    ASSERT_TRUE(eventually([&] { return b.size() == 1 && a.size() == 1; }, 10s));
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(a.size(), 1U);  // "other.topic" matched nobody
    EXPECT_EQ(b.size(), 1U);
    for (Inbox* inbox : {&a, &b}) {
        const auto got = inbox->snapshot();
        ASSERT_EQ(got.size(), 1U);
        EXPECT_EQ(got[0].envelope.id, ev.id);
        EXPECT_EQ(got[0].routing_key, "analysis.42");
        EXPECT_EQ(got[0].envelope.payload, ev.payload);
    }
}

TEST_F(MqBrokerTest, TopologyDeclarationIsIdempotentAndChecksArguments) {
    declare_topology(*admin_, 1, names(), TopologyOptions{.delivery_limit = kDeliveryLimit});
    EXPECT_EQ(ready(names().queue(WorkQueue::kOrchestrator)), 0U);
    AmqpConnection c(url_);
    c.open_channel(1);
    try {
        declare_topology(c, 1, names(), TopologyOptions{.delivery_limit = kDeliveryLimit + 1});
        FAIL() << "redeclaring with another delivery limit succeeded";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kConflict) << e.what();
    }
    EXPECT_TRUE(c.broken());
}

}  // namespace
}  // namespace alatar::mq
