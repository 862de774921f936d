// Tests that restart the shared test broker and database or SIGKILL worker processes: RUN_SERIAL.
//  - the outbox keeps accepting requests while RabbitMQ restarts and delivers them when it is back;
//  - the fault test: N requests (300, ALATAR_TEST_FAULT_REQUESTS overrides; `make chaos` uses 2000) while
//    worker processes are SIGKILLed at random, the broker is restarted once and PostgreSQL once: every
//    request reaches a terminal state, none is lost, none has two results, no task completes twice.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>

#include "agents/agents_fixture.hpp"
#include "agents/outbox_relay.hpp"
#include "mq/publisher.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace alatar::agents::testing {
namespace {

using namespace std::chrono_literals;

int run_services(std::string_view action) {
    const std::string cmd = std::string(ALATAR_SOURCE_DIR) + "/scripts/services --profile test " + std::string(action) +
                            " > /dev/null 2>&1";
    return std::system(cmd.c_str());  // NOLINT(concurrency-mt-unsafe, cert-env33-c)
}

// Submits, retrying while the database is unavailable (as a client would).
std::string submit_retrying(db::Pool& pool, const SeededStore& store, std::string_view prompt) {
    for (int attempt = 0;; ++attempt) {
        try {
            return pool.transact_blocking([&](db::Transaction& tx) {
                return submit_analysis_request(tx, store.user_id, store.store_id, prompt);
            });
        } catch (const Error& e) {
            if (!is_transient(e.code()) || attempt > 300) throw;
            std::this_thread::sleep_for(200ms);
        }
    }
}

class SerialTest : public AgentsTest {};

TEST_F(SerialTest, OutboxDeliversRequestsAcceptedWhileTheBrokerRestarts) {
    start_worker();
    std::atomic<bool> restarting{true};
    int restart_rc = -1;
    std::thread restart([&] {
        restart_rc = run_services("restart-rabbitmq");
        restarting = false;
    });
    std::vector<std::string> ids;
    while (restarting) {
        ids.push_back(submit("How were sales last month?"));  // only the database is involved
        std::this_thread::sleep_for(100ms);
    }
    restart.join();
    ASSERT_EQ(restart_rc, 0);
    ids.push_back(submit("How were sales last month?"));
    ASSERT_GE(ids.size(), 5U);
    for (const auto& id : ids) EXPECT_EQ(wait_finished(id, 90s), "COMPLETED") << id;
    // Some messages really did wait for the broker: the relay failed to publish them at least once.
    EXPECT_GT(count("SELECT count(*) FROM outbox WHERE attempts > 0"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE sent_at IS NULL"), 0);
}

class WorkerProcess {
  public:
    WorkerProcess(const std::vector<std::string>& env, const std::string& log_path) {
        std::vector<char*> envp;
        envp.reserve(env.size() + 1);
        for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));  // NOLINT
        envp.push_back(nullptr);
        std::vector<std::string> args{ALATAR_TEST_WORKER_BIN, "--concurrency", "2", "--max-retry-delay", "1s"};
        std::vector<char*> argv;
        argv.reserve(args.size() + 1);
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("could not start the worker process");
    }
    ~WorkerProcess() { kill_now(); }
    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;
    WorkerProcess(WorkerProcess&&) = delete;
    WorkerProcess& operator=(WorkerProcess&&) = delete;

    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    // SIGTERM and wait: the graceful shutdown. Returns the exit status.
    int terminate() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return status;
    }

  private:
    pid_t pid_{-1};
};

TEST_F(SerialTest, FaultTestEveryRequestEndsOnceDespiteKilledWorkersAndRestarts) {
    const char* size_env = std::getenv("ALATAR_TEST_FAULT_REQUESTS");   // NOLINT(concurrency-mt-unsafe)
    const int total = size_env != nullptr ? std::atoi(size_env) : 300;  // NOLINT(cert-err34-c)
    ASSERT_GT(total, 0);

    // The worker processes' environment: this test's database and broker, its own queue prefix.
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
        if (std::string_view(*e).starts_with("ALATAR_") && !std::string_view(*e).starts_with("ALATAR_TEST_")) continue;
        env.emplace_back(*e);
    }
    env.push_back("ALATAR_DATABASE_URL=" + suite().database.url());
    env.push_back(std::string("ALATAR_AMQP_URL=") + std::getenv("ALATAR_TEST_AMQP_URL"));  // NOLINT
    env.push_back("ALATAR_AMQP_PREFIX=" + names_->prefix());
    env.push_back("ALATAR_LOG_LEVEL=WARNING");
    env.push_back("ALATAR_DB_POOL_SIZE=16");
    const std::string log_path = std::string(ALATAR_TEST_LOG_DIR) + "/agents_fault_workers.log";

    declare_worker_topology(url_, *names_, WorkerOptions{}.delivery_limit);
    // The API's role in this process: submitting and relaying the outbox.
    mq::Publisher publisher{url_, log_};
    OutboxRelay relay{*pool_, publisher, *names_, log_, OutboxRelayOptions{.idle_poll = 50ms}};

    constexpr std::size_t kWorkers = 3;
    std::vector<std::unique_ptr<WorkerProcess>> workers;
    for (std::size_t i = 0; i < kWorkers; ++i) workers.push_back(std::make_unique<WorkerProcess>(env, log_path));

    // Chaos is tied to progress, not to the clock: a fast machine must not finish the run before
    // the faults happen. The submitting thread kills a worker every eighth of the run and restarts
    // the broker and PostgreSQL at a third and two thirds; a background thread adds random kills
    // while requests are still in flight.
    std::mutex workers_mutex;
    std::atomic<int> kills{0};
    const auto kill_one = [&](std::mt19937& rng) {
        const std::lock_guard lock{workers_mutex};
        auto& victim = workers[std::uniform_int_distribution<std::size_t>(0, kWorkers - 1)(rng)];
        victim->kill_now();
        ++kills;
        victim = std::make_unique<WorkerProcess>(env, log_path);
    };
    std::atomic<bool> stop_chaos{false};
    std::thread chaos([&] {
        std::mt19937 rng{std::random_device{}()};
        while (!stop_chaos) {
            std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<>(400, 1500)(rng)));
            if (stop_chaos) break;
            kill_one(rng);
        }
    });

    int broker_rc = -1;
    int postgres_rc = -1;
    std::mt19937 rng{std::random_device{}()};
    const int kill_every = std::max(1, total / 8);
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i) {
        ids.push_back(submit_retrying(*pool_, store(),
                                      i % 10 == 9 ? "What is the capital of France?" : "How were sales last month?"));
        relay.wake();
        if (i % kill_every == kill_every / 2) kill_one(rng);
        if (i == total / 3) broker_rc = run_services("restart-rabbitmq");
        if (i == 2 * total / 3) postgres_rc = run_services("restart-postgres");
        if (i % 10 == 0) std::this_thread::sleep_for(20ms);
    }
    const auto active = [&] {
        try {
            return count(
                "SELECT count(*) FROM analysis_requests WHERE status IN "
                "('QUEUED', 'PLANNING', 'RUNNING', 'REVIEWING')");
        } catch (const Error&) {
            return std::int64_t{-1};  // PostgreSQL is restarting
        }
    };
    const bool all_finished = eventually([&] { return active() == 0; }, std::chrono::minutes{8});
    stop_chaos = true;
    chaos.join();
    // A replacement spawned by the chaos thread's last round must reach its signal handling before SIGTERM.
    std::this_thread::sleep_for(3s);
    for (auto& w : workers) EXPECT_EQ(w->terminate(), 0) << "a worker did not shut down cleanly on SIGTERM";

    EXPECT_EQ(broker_rc, 0);
    EXPECT_EQ(postgres_rc, 0);
    EXPECT_GE(kills.load(), 8);
    ASSERT_TRUE(all_finished) << active() << " requests still active";
    // Only this test's requests: the suite's store also served the other tests of this binary.
    const auto by_status = pool_->query_blocking(
        "SELECT status, count(*) FROM analysis_requests WHERE id = ANY($1::uuid[]) GROUP BY status ORDER BY status",
        db::Params{ids});
    std::string summary;
    std::int64_t completed = 0;
    std::int64_t requests = 0;
    for (int i = 0; i < by_status.rows(); ++i) {
        summary += by_status.get<std::string>(i, 0) + "=" + std::to_string(by_status.get<std::int64_t>(i, 1)) + " ";
        requests += by_status.get<std::int64_t>(i, 1);
        if (by_status.get<std::string>(i, 0) == "COMPLETED") completed = by_status.get<std::int64_t>(i, 1);
    }
    std::cout << "fault test: " << total << " requests, " << kills.load() << " workers killed; " << summary << "\n";
    EXPECT_EQ(requests, total) << "requests lost or duplicated";
    EXPECT_EQ(completed, total) << summary;
    EXPECT_EQ(count("SELECT count(*) FROM analysis_results r JOIN analysis_requests q ON q.id = r.request_id "
                    "WHERE q.id = ANY($1::uuid[])",
                    db::Params{ids}),
              completed);
    EXPECT_EQ(count("SELECT count(*) FROM analysis_requests q WHERE q.id = ANY($1::uuid[]) AND q.status = 'FAILED' "
                    "AND coalesce(q.error, '') = ''",
                    db::Params{ids}),
              0);
    // No task ran to completion twice: exactly one successful department span per succeeded task.
    EXPECT_EQ(count("SELECT count(*) FROM (SELECT attributes->>'task_id' FROM trace_spans WHERE kind = 'agent' "
                    "AND name LIKE 'department.%' AND error IS NULL GROUP BY 1 HAVING count(*) > 1) d"),
              0);
    EXPECT_EQ(count("SELECT count(*) FROM agent_tasks t WHERE status = 'SUCCEEDED' AND agent_class = 'DEPARTMENT' "
                    "AND (SELECT count(*) FROM trace_spans s WHERE s.request_id = t.request_id AND s.kind = 'agent' "
                    "AND s.error IS NULL AND s.attributes->>'task_id' = t.id::text) <> 1"),
              0);
}

}  // namespace
}  // namespace alatar::agents::testing
