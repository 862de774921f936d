// The pool across a restart of the shared test PostgreSQL (scripts/services restart-postgres).
// A binary of its own, run serially by CTest, because the restart briefly breaks every other
// session on the cluster.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "db/pool.hpp"
#include "db/test_database.hpp"

namespace alatar::db {
namespace {

using namespace std::chrono_literals;

class RestartTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { db_.open(); }
    static void TearDownTestSuite() { db_.close(); }
    void SetUp() override { ASSERT_NE(db_.get(), nullptr) << db_.why(); }

    static testing::SuiteDatabase db_;
};

testing::SuiteDatabase RestartTest::db_;

TEST_F(RestartTest, NextCallAfterServerRestartSucceeds) {
    Pool pool{PoolOptions{.url = db_.url(), .size = 2},
              Logger{"db-test", LogLevel::kWarning, [](std::string_view line) { std::cerr << line << "\n"; }}};
    // Two open connections, both idle when the server goes away.
    {
        auto a = pool.acquire(Deadline::after(5s));
        auto b = pool.acquire(Deadline::after(5s));
        EXPECT_NE(a.connection().backend_pid(), b.connection().backend_pid());
    }
    ASSERT_EQ(pool.stats().idle, 2U);
    const std::string cmd = std::string{ALATAR_SOURCE_DIR} + "/scripts/services --profile test restart-postgres";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;  // NOLINT(cert-env33-c,concurrency-mt-unsafe)
    EXPECT_EQ(pool.query_blocking("SELECT 40 + 2").scalar<std::int32_t>(), 42);
    EXPECT_EQ(pool.query_blocking("SELECT 1").scalar<std::int32_t>(), 1);
    EXPECT_EQ(pool.stats().discarded, 2U) << "both stale connections were dropped, not handed out";
}

}  // namespace
}  // namespace alatar::db
