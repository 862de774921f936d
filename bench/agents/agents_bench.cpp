// Agent runtime benchmark: the offline reasoner over a warm cache (a tiny generated store seeded into the
// cache tables), two worker processes (`alatar worker --concurrency 2`), this process submitting and relaying
// like the API. Goals: >= 20 analyses/s sustained, orchestration overhead p50 <= 20 ms per request.
//
//   throughput: `total` requests kept `in_flight` at a time; analyses/s = completions / wall time.
//   overhead:   requests one at a time; overhead = end-to-end latency (created_at -> completed_at) minus the
//               departments' critical path (load + slowest of the three quantitative tasks + slowest of
//               narrative and recommendations), i.e. queueing, relaying, orchestration and bookkeeping.
//
//   breakdown:  for the work messages of the sequential requests (outbox rows are kept an hour): relay pickup
//               (row created -> claimed for publishing: the rest of the step's transaction, the relay's wake-up
//               and any wait behind other relays) and delivery (claimed -> the consumer's transaction began:
//               publish, the broker's confirm and delivery, the consumer's hand-off to the database pool).
//               Measured apart: one publisher-confirmed message to a quorum queue, one small DB transaction.
//
// Usage: agents_bench [total=600] [in_flight=40] [sequential=50]
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "agents/outbox_relay.hpp"
#include "agents/seed_store.hpp"
#include "agents/submission.hpp"
#include "agents/worker.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "mq/amqp_connection.hpp"
#include "mq/envelope.hpp"
#include "mq/publisher.hpp"
#include "mq/topology.hpp"
#include "shopify_sim/generator.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace {

using namespace alatar;
using namespace std::chrono_literals;

pid_t spawn_worker(const std::vector<std::string>& env) {
    std::vector<char*> envp;
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));  // NOLINT
    envp.push_back(nullptr);
    std::vector<std::string> args{ALATAR_TEST_WORKER_BIN, "--concurrency", "2"};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) {
        throw std::runtime_error("cannot start a worker");
    }
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

std::int64_t active(db::Pool& pool, const std::vector<std::string>& ids) {
    return pool
        .query_blocking(
            "SELECT count(*) FROM analysis_requests WHERE id = ANY($1::uuid[]) AND status IN "
            "('QUEUED', 'PLANNING', 'RUNNING', 'REVIEWING')",
            db::Params{ids})
        .scalar<std::int64_t>();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
    const int total = argc > 1 ? std::atoi(argv[1]) : 600;      // NOLINT
    const int in_flight = argc > 2 ? std::atoi(argv[2]) : 40;   // NOLINT
    const int sequential = argc > 3 ? std::atoi(argv[3]) : 50;  // NOLINT
    const char* amqp = std::getenv("ALATAR_TEST_AMQP_URL");     // NOLINT(concurrency-mt-unsafe)
    auto database = db::testing::TestDatabase::create();
    if (!database || amqp == nullptr) {
        std::cerr << "set ALATAR_TEST_DATABASE_URL and ALATAR_TEST_AMQP_URL (scripts/services --profile test env)\n";
        return 2;
    }
    agents::testing::migrate(database->url());
    db::Pool pool{db::PoolOptions{.url = database->url(), .size = 8}, Logger::null()};
    shopify_sim::GeneratorOptions gen;
    gen.profile = shopify_sim::Profile::kTiny;
    gen.today = shopify_sim::current_utc_date();
    const auto seeded = agents::testing::seed_store(pool, shopify_sim::generate_store(gen));
    pool.query_blocking("ANALYZE");

    const mq::AmqpUrl url = mq::parse_amqp_url(amqp);
    const mq::Names names{"bench" + std::to_string(::getpid())};
    agents::declare_worker_topology(url, names, agents::WorkerOptions{}.delivery_limit);
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
        if (!std::string_view(*e).starts_with("ALATAR_")) env.emplace_back(*e);
    }
    env.push_back("ALATAR_DATABASE_URL=" + database->url());
    env.push_back(std::string("ALATAR_AMQP_URL=") + amqp);
    env.push_back("ALATAR_AMQP_PREFIX=" + names.prefix());
    env.push_back("ALATAR_LOG_LEVEL=ERROR");
    std::vector<pid_t> workers{spawn_worker(env), spawn_worker(env)};

    {
        const Logger log{"bench", LogLevel::kError};
        mq::Publisher publisher{url, log};
        agents::OutboxRelay relay{pool, publisher, names, log, agents::OutboxRelayOptions{.idle_poll = 20ms}};
        auto submit = [&] {
            auto id = pool.transact_blocking([&](db::Transaction& tx) {
                return agents::submit_analysis_request(tx, seeded.user_id, seeded.store_id,
                                                       "How were sales last month?");
            });
            relay.wake();
            return id;
        };
        // Warm-up: caches, connections, the workers' consumers.
        std::vector<std::string> warm;
        warm.reserve(20);
        for (int i = 0; i < 20; ++i) warm.push_back(submit());
        while (active(pool, warm) > 0) std::this_thread::sleep_for(20ms);

        // Throughput.
        std::vector<std::string> ids;
        const auto start = std::chrono::steady_clock::now();
        std::size_t next = 0;
        while (true) {
            const std::int64_t open = ids.empty() ? 0 : active(pool, ids);
            for (std::int64_t n = open; n < in_flight && next < static_cast<std::size_t>(total); ++n, ++next) {
                ids.push_back(submit());
            }
            if (next == static_cast<std::size_t>(total) && active(pool, ids) == 0) break;
            std::this_thread::sleep_for(5ms);
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const auto completed = pool.query_blocking(
                                       "SELECT count(*) FROM analysis_requests WHERE id = ANY($1::uuid[]) AND "
                                       "status = 'COMPLETED'",
                                       db::Params{ids})
                                   .scalar<std::int64_t>();
        std::cout << "throughput: " << completed << "/" << total << " completed in " << seconds
                  << " s = " << static_cast<double>(completed) / seconds << " analyses/s (2 worker processes, "
                  << in_flight << " in flight)\n";

        // Overhead, one request at a time.
        std::vector<std::string> seq;
        for (int i = 0; i < sequential; ++i) {
            seq.push_back(submit());
            while (active(pool, {seq.back()}) > 0) std::this_thread::sleep_for(1ms);
        }
        const auto r = pool.query_blocking(
            "WITH d AS (SELECT request_id, name, duration_ms FROM trace_spans WHERE request_id = ANY($1::uuid[]) "
            "  AND kind = 'agent' AND name LIKE 'department.%') "
            "SELECT extract(epoch FROM q.completed_at - q.created_at) * 1000, "
            "(SELECT coalesce(max(duration_ms) FILTER (WHERE name = 'department.load_store_data'), 0) "
            "  + coalesce(max(duration_ms) FILTER (WHERE name IN ('department.sales_current', "
            "    'department.sales_previous', 'department.top_products')), 0) "
            "  + coalesce(max(duration_ms) FILTER (WHERE name IN ('department.narrative', "
            "    'department.recommendations')), 0) FROM d WHERE d.request_id = q.id) "
            "FROM analysis_requests q WHERE q.id = ANY($1::uuid[]) AND q.status = 'COMPLETED'",
            db::Params{seq});
        // Where the time of the last request went: each span's start and length after the request was created.
        const auto timeline = pool.query_blocking(
            "SELECT s.name, extract(epoch FROM s.started_at - q.created_at) * 1000, s.duration_ms FROM trace_spans s "
            "JOIN analysis_requests q ON q.id = s.request_id WHERE q.id = $1 ORDER BY s.started_at",
            db::Params{seq.back()});
        for (int i = 0; i < timeline.rows(); ++i) {
            std::cout << "  +" << timeline.get<double>(i, 1) << " ms  " << timeline.get<std::string>(i, 0) << " ("
                      << timeline.get<double>(i, 2) << " ms)\n";
        }
        std::vector<double> latency;
        std::vector<double> overhead;
        for (int i = 0; i < r.rows(); ++i) {
            latency.push_back(r.get<double>(i, 0));
            overhead.push_back(r.get<double>(i, 0) - r.get<double>(i, 1));
        }
        // Per hop, over the work messages of the sequential requests.
        const auto hops = pool.query_blocking(
            "WITH w AS (SELECT o.topic, o.created_at, o.sent_at, CASE WHEN o.topic IN ('orchestrator', 'results') "
            "  THEN (SELECT p.processed_at FROM processed_messages p WHERE p.consumer = o.topic "
            "        AND p.message_id = o.payload->>'id') "
            "  ELSE (SELECT t.started_at FROM agent_tasks t WHERE t.id = (o.payload->'payload'->>'task_id')::uuid) "
            "  END AS received FROM outbox o WHERE o.headers->>'exchange' = 'work' "
            "  AND o.payload->>'request_id' = ANY($1::text[])) "
            "SELECT count(*), "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at) * 1000), "
            "avg(extract(epoch FROM sent_at - created_at) * 1000), "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM received - sent_at) * 1000), "
            "avg(extract(epoch FROM received - sent_at) * 1000) FROM w WHERE received IS NOT NULL",
            db::Params{seq});
        std::cout << "hops: " << hops.get<std::int64_t>(0, 0) << " work messages; relay pickup p50 "
                  << hops.get<double>(0, 1) << " ms (mean " << hops.get<double>(0, 2) << "), delivery p50 "
                  << hops.get<double>(0, 3) << " ms (mean " << hops.get<double>(0, 4)
                  << "); 7 hops on the critical path\n";
        std::vector<double> confirm;
        confirm.reserve(50);
        for (int i = 0; i < 50; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            publisher.publish_blocking(names.work_exchange(), std::string(mq::work_key(mq::WorkQueue::kActions)),
                                       mq::Envelope::make("bench.ping", boost::json::object{}),
                                       Deadline::after(std::chrono::seconds{10}));
            confirm.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::vector<double> commit;
        commit.reserve(50);
        for (int i = 0; i < 50; ++i) {
            const auto t0 = std::chrono::steady_clock::now();
            pool.transact_blocking([&](db::Transaction& tx) {
                tx.exec("UPDATE analysis_requests SET progress = progress WHERE id = $1", db::Params{seq.back()});
            });
            commit.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        }
        std::cout << "broker: one confirmed publish to a quorum queue p50 " << percentile(confirm, 0.5) << " ms, p95 "
                  << percentile(confirm, 0.95) << " ms; database: one small transaction p50 " << percentile(commit, 0.5)
                  << " ms, p95 " << percentile(commit, 0.95) << " ms\n";
        std::cout << "sequential: " << r.rows() << " requests; latency p50 " << percentile(latency, 0.5) << " ms, p95 "
                  << percentile(latency, 0.95) << " ms; orchestration overhead p50 " << percentile(overhead, 0.5)
                  << " ms, p95 " << percentile(overhead, 0.95) << " ms\n";
    }
    for (const pid_t pid : workers) {
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
    }
    mq::AmqpConnection c(url);
    c.open_channel(1);
    mq::delete_topology(c, 1, names);
    return 0;
}
