// Pool behaviour that needs no running database: an unreachable server.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "common/config.hpp"
#include "db/pool.hpp"

namespace alatar::db {
namespace {

using namespace std::chrono_literals;

TEST(PoolWithoutServer, FailsFastAsUnavailableAndFreesTheSlot) {
    std::ostringstream logs;
    Pool pool{PoolOptions{.url = "postgresql://postgres@127.0.0.1:1/none", .size = 1},
              Logger{"db-test", LogLevel::kWarning, ostream_sink(logs)}};
    for (int i = 0; i < 3; ++i) {  // a leaked slot would turn the later calls into "pool exhausted"
        try {
            pool.query_blocking("SELECT 1", {}, Deadline::after(2s));
            FAIL() << "no exception";
        } catch (const ConnectionError& e) {
            EXPECT_EQ(e.code(), ErrorCode::kUpstreamUnavailable);
        }
    }
    const auto stats = pool.stats();
    EXPECT_EQ(stats.open, 0U);
    EXPECT_EQ(stats.opened, 0U);
    EXPECT_NE(logs.str().find("database connect failed"), std::string::npos) << logs.str();
}

TEST(PoolWithoutServer, ExpiredDeadlineIsATimeout) {
    Pool pool{PoolOptions{.url = "postgresql://postgres@127.0.0.1:1/none", .size = 1},
              Logger{"db-test", LogLevel::kCritical}};
    try {
        pool.query_blocking("SELECT 1", {}, Deadline::after(0ms));
        FAIL() << "no exception";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kTimeout);
    }
}

TEST(PoolOptionsFromConfig, TakesUrlSizeAndTimeout) {
    Config config = Config::defaults();
    config.database_url = "postgresql://u@h:5432/alatar";
    config.db_pool_size = 12;
    config.db_call_timeout = 1500ms;
    const auto options = pool_options(config);
    EXPECT_EQ(options.url, "postgresql://u@h:5432/alatar");
    EXPECT_EQ(options.size, 12U);
    EXPECT_EQ(options.default_timeout, 1500ms);
    config.db_pool_size = 0;
    EXPECT_EQ(pool_options(config).size, PoolOptions{}.size);
}

}  // namespace
}  // namespace alatar::db
