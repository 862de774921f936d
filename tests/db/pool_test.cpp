// The connection pool: deadlines, broken connections, server restarts, retries and the async API.
#include "db/pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "db/pool_async.hpp"
#include "db/test_database.hpp"

namespace alatar::db {
namespace {

using namespace std::chrono_literals;

class PoolTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { db_.open(); }
    static void TearDownTestSuite() { db_.close(); }
    void SetUp() override { ASSERT_NE(db_.get(), nullptr) << db_.why(); }

    std::unique_ptr<Pool> make_pool(std::size_t size, std::chrono::milliseconds timeout = 5000ms) {
        return std::make_unique<Pool>(PoolOptions{.url = db_.url(), .size = size, .default_timeout = timeout},
                                      Logger{"db-test", LogLevel::kWarning, sink()});
    }
    static LogSink sink() {
        return [](std::string_view line) { std::cerr << line << "\n"; };
    }

    static testing::SuiteDatabase db_;
};

testing::SuiteDatabase PoolTest::db_;

int backend_pid(Pool& pool) { return pool.query_blocking("SELECT pg_backend_pid()").scalar<std::int32_t>(); }

TEST_F(PoolTest, OpensConnectionsLazilyAndReusesThem) {
    auto pool = make_pool(4);
    EXPECT_EQ(pool->stats().open, 0U);
    const int pid = backend_pid(*pool);
    EXPECT_EQ(backend_pid(*pool), pid);
    const auto stats = pool->stats();
    EXPECT_EQ(stats.open, 1U);
    EXPECT_EQ(stats.idle, 1U);
    EXPECT_EQ(stats.opened, 1U);
}

TEST_F(PoolTest, ManyThreadsNeverExceedTheBound) {
    auto pool = make_pool(3);
    pool->query_blocking("CREATE TABLE hits (n int)");
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                try {
                    pool->query_blocking("INSERT INTO hits (n) VALUES ($1)", Params{t * 100 + i});
                } catch (const std::exception&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(pool->query_blocking("SELECT count(*) FROM hits").scalar<std::int64_t>(), 200);
    EXPECT_LE(pool->stats().opened, 3U);
}

TEST_F(PoolTest, TerminatedBackendIsReplacedOnTheNextCall) {
    auto pool = make_pool(1);
    const int pid = backend_pid(*pool);
    Connection admin{db_.url()};
    ASSERT_TRUE(admin.exec("SELECT pg_terminate_backend($1)", Params{pid}).scalar<bool>());
    // pg_terminate_backend only signals; wait until the backend is gone.
    for (int i = 0; i < 200; ++i) {
        if (admin.exec("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", Params{pid}).scalar<std::int64_t>() ==
            0) {
            break;
        }
        std::this_thread::sleep_for(10ms);
    }
    const int new_pid = backend_pid(*pool);  // must not fail
    EXPECT_NE(new_pid, pid);
    EXPECT_EQ(pool->stats().discarded, 1U);
}

TEST_F(PoolTest, DeadlineBecomesStatementTimeout) {
    auto pool = make_pool(1);
    const auto started = std::chrono::steady_clock::now();
    try {
        pool->query_blocking("SELECT pg_sleep(10)", {}, Deadline::after(300ms));
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kTimeout);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    // The connection is still good and a call with the default deadline gets a longer timeout.
    EXPECT_EQ(pool->query_blocking("SELECT count(*) FROM pg_sleep(0.5)").scalar<std::int64_t>(), 1);
    EXPECT_EQ(pool->stats().opened, 1U);
}

TEST_F(PoolTest, TransactionCannotOutliveItsDeadline) {
    auto pool = make_pool(1);
    pool->query_blocking("CREATE TABLE steps (n int)");
    int statements = 0;
    const auto started = std::chrono::steady_clock::now();
    try {
        pool->transact_blocking(
            [&](Transaction& tx) {
                for (int i = 0; i < 20; ++i) {
                    tx.exec("INSERT INTO steps SELECT $1 FROM pg_sleep(0.1)", Params{i});
                    ++statements;
                }
            },
            {}, Deadline::after(450ms));
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kTimeout);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
    EXPECT_GE(statements, 2);
    EXPECT_LT(statements, 20);
    EXPECT_EQ(pool->query_blocking("SELECT count(*) FROM steps").scalar<std::int64_t>(), 0) << "rolled back";
}

TEST_F(PoolTest, ExhaustedPoolFailsAtTheDeadline) {
    auto pool = make_pool(1);
    auto held = pool->acquire(Deadline::after(5s));
    const auto started = std::chrono::steady_clock::now();
    try {
        pool->query_blocking("SELECT 1", {}, Deadline::after(200ms));
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_TRUE(e.code() == ErrorCode::kUpstreamUnavailable || e.code() == ErrorCode::kTimeout)
            << error_code_name(e.code());
    }
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, 190ms);
    EXPECT_LT(waited, 2s);
}

TEST_F(PoolTest, WaiterGetsTheConnectionWhenItIsReturned) {
    auto pool = make_pool(1);
    std::optional<Pool::Lease> held{pool->acquire(Deadline::after(5s))};
    std::thread releaser([&] {
        std::this_thread::sleep_for(100ms);
        held.reset();
    });
    EXPECT_EQ(pool->query_blocking("SELECT 7", {}, Deadline::after(5s)).scalar<std::int32_t>(), 7);
    releaser.join();
}

TEST_F(PoolTest, TransactionCommitsOrRollsBack) {
    auto pool = make_pool(2);
    pool->query_blocking("CREATE TABLE ledger (amount int NOT NULL)");
    const auto sum = pool->transact_blocking([](Transaction& tx) {
        tx.exec("INSERT INTO ledger VALUES ($1), ($2)", Params{5, 7});
        return tx.exec("SELECT sum(amount) FROM ledger").scalar<std::int64_t>();
    });
    EXPECT_EQ(sum, 12);
    EXPECT_THROW(pool->transact_blocking([](Transaction& tx) {
        tx.exec("INSERT INTO ledger VALUES (100)");
        throw std::runtime_error("changed my mind");
    }),
                 std::runtime_error);
    EXPECT_THROW(pool->transact_blocking([](Transaction& tx) { tx.exec("INSERT INTO ledger VALUES (NULL)"); }),
                 DbError);
    EXPECT_EQ(pool->query_blocking("SELECT sum(amount) FROM ledger").scalar<std::int64_t>(), 12);
    EXPECT_EQ(pool->stats().discarded, 0U) << "a rolled back connection goes back to the pool";
}

// Write skew under SERIALIZABLE: both read the table, both insert; one must fail with 40001
// and transact() re-runs it.
TEST_F(PoolTest, SerializationFailureIsRetried) {
    auto pool = make_pool(2);
    pool->query_blocking("CREATE TABLE oncall (doctor text NOT NULL)");
    std::barrier both_read{2};
    std::atomic<int> runs{0};
    std::atomic<int> max_attempt{0};
    auto work = [&](const std::string& name) {
        pool->transact_blocking(
            [&](Transaction& tx) {
                ++runs;
                max_attempt = std::max(max_attempt.load(), tx.attempt());
                const auto n = tx.exec("SELECT count(*) FROM oncall").scalar<std::int64_t>();
                if (tx.attempt() == 1) both_read.arrive_and_wait();
                tx.exec("INSERT INTO oncall (doctor) VALUES ($1)", Params{name + "#" + std::to_string(n)});
            },
            TxOptions{.isolation = Isolation::kSerializable});
    };
    std::thread a(work, "alice");
    std::thread b(work, "bob");
    a.join();
    b.join();
    EXPECT_EQ(pool->query_blocking("SELECT count(*) FROM oncall").scalar<std::int64_t>(), 2);
    EXPECT_GE(runs.load(), 3);
    EXPECT_GE(max_attempt.load(), 2);
    // The retried one saw the other's row.
    EXPECT_EQ(pool->query_blocking("SELECT count(*) FROM oncall WHERE doctor LIKE '%#1'").scalar<std::int64_t>(), 1);
}

TEST_F(PoolTest, SerializationFailureSurfacesWhenRetriesRunOut) {
    auto pool = make_pool(2);
    pool->query_blocking("CREATE TABLE slots (taken_by text)");
    std::barrier both_read{2};
    std::atomic<int> failed{0};
    auto work = [&](const std::string& name) {
        try {
            pool->transact_blocking(
                [&](Transaction& tx) {
                    tx.exec("SELECT count(*) FROM slots");
                    both_read.arrive_and_wait();
                    tx.exec("INSERT INTO slots VALUES ($1)", Params{name});
                },
                TxOptions{.isolation = Isolation::kSerializable, .max_attempts = 1});
        } catch (const SerializationFailure& e) {
            EXPECT_EQ(e.code(), ErrorCode::kUpstreamUnavailable);
            ++failed;
        }
    };
    std::thread a(work, "a");
    std::thread b(work, "b");
    a.join();
    b.join();
    EXPECT_EQ(failed.load(), 1);
    EXPECT_EQ(pool->query_blocking("SELECT count(*) FROM slots").scalar<std::int64_t>(), 1);
}

TEST_F(PoolTest, AwaitableCallsRunOnPoolThreadsAndResumeOnTheCaller) {
    auto pool = make_pool(2);
    boost::asio::io_context io;
    const auto io_thread = std::this_thread::get_id();
    std::thread::id query_thread;
    std::thread::id resumed_thread;
    auto fut = boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<std::string> {
            co_await query(*pool, "CREATE TABLE kv (k text PRIMARY KEY, v text)");
            // Closures are named before co_await (GCC 12 double-destroys closure temporaries there).
            auto insert = [&](Transaction& tx) {
                query_thread = std::this_thread::get_id();
                tx.exec("INSERT INTO kv VALUES ($1, $2)", Params{"greeting", "grüß dich"});
                return tx.exec("SELECT count(*) FROM kv").scalar<std::int64_t>();
            };
            const auto inserted = co_await transact(*pool, insert);
            EXPECT_EQ(inserted, 1);
            auto r = co_await query(*pool, "SELECT v FROM kv WHERE k = $1", Params{"greeting"});
            resumed_thread = std::this_thread::get_id();
            // Typed errors cross the hop.
            try {
                co_await query(*pool, "INSERT INTO kv VALUES ($1, $2)", Params{"greeting", "again"});
                ADD_FAILURE() << "no conflict";
            } catch (const ConflictError& e) {
                EXPECT_EQ(e.code(), ErrorCode::kConflict);
            }
            auto delete_nothing = [](Transaction& tx) { tx.exec("DELETE FROM kv WHERE k = 'nothing'"); };
            co_await transact(*pool, delete_nothing);
            auto add_json = [](Transaction& tx) {
                return tx.exec("SELECT $1::jsonb ->> 'a'", Params{Json{R"({"a": "long enough to leave SSO storage"})"}})
                    .scalar<std::string>();
            };
            EXPECT_EQ(co_await transact(*pool, add_json), "long enough to leave SSO storage");
            co_return r.get<std::string>(0, 0);
        },
        boost::asio::use_future);
    io.run();
    EXPECT_EQ(fut.get(), "grüß dich");
    EXPECT_NE(query_thread, io_thread);
    EXPECT_EQ(resumed_thread, io_thread);
}

TEST_F(PoolTest, AwaitableQueryOnAnIdleConnectionNeedsNoPoolThread) {
    auto pool = make_pool(2);
    boost::asio::io_context io;
    std::promise<void> release;
    const std::shared_future<void> released = release.get_future().share();
    auto fut = boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<std::int64_t> {
            co_await query(*pool, "SELECT 1");  // opens the connection (on a pool thread)
            const auto opened = pool->stats().opened;
            // Occupy every pool thread: a call that still hopped there would wait for the release below.
            for (int i = 0; i < 2; ++i) {
                boost::asio::post(pool->executor(), [released] { released.wait_for(30s); });
            }
            const auto started = std::chrono::steady_clock::now();
            std::int64_t sum = 0;
            for (int i = 0; i < 20; ++i) {
                sum += (co_await query(*pool, "SELECT $1::int", Params{i})).scalar<std::int32_t>();
            }
            // The deadline still bounds the statement: statement_timeout is set without blocking too.
            try {
                co_await query(*pool, "SELECT pg_sleep(5)", {}, Deadline::after(300ms));
                ADD_FAILURE() << "pg_sleep outlived its deadline";
            } catch (const DbError& e) {
                EXPECT_EQ(e.kind(), FailureKind::kTimeout) << e.what();
            }
            sum += (co_await query(*pool, "SELECT 7")).scalar<std::int32_t>();  // the connection is still good
            EXPECT_LT(std::chrono::steady_clock::now() - started, 15s) << "the calls waited for a pool thread";
            EXPECT_EQ(pool->stats().opened, opened);  // the idle connection was reused every time
            release.set_value();
            co_return sum;
        },
        boost::asio::use_future);
    io.run();
    EXPECT_EQ(fut.get(), 190 + 7);
}

}  // namespace
}  // namespace alatar::db
