#include "http/metrics.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>
#include <vector>

namespace alatar::http::metrics {
namespace {

TEST(Metrics, CounterExpositionHasHelpTypeAndLabels) {
    Registry reg;
    auto& c = reg.counter("alatar_test_requests_total", "Requests.", {"route", "status"});
    c.with({"/graphql", "200"}).inc();
    c.with({"/graphql", "200"}).inc(2);
    const auto text = reg.expose();
    EXPECT_NE(text.find("# HELP alatar_test_requests_total Requests.\n"), std::string::npos);
    EXPECT_NE(text.find("# TYPE alatar_test_requests_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("alatar_test_requests_total{route=\"/graphql\",status=\"200\"} 3\n"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
    Registry reg;
    reg.gauge("alatar_test_gauge", "Help with \\ and\nnewline.", {"v"}).with({"a\"b\\c\nd"}).set(1.5);
    const auto text = reg.expose();
    EXPECT_NE(text.find(R"(alatar_test_gauge{v="a\"b\\c\nd"} 1.5)"), std::string::npos) << text;
    EXPECT_NE(text.find("# HELP alatar_test_gauge Help with \\\\ and\\nnewline.\n"), std::string::npos) << text;
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
    Registry reg;
    auto& h = reg.histogram("alatar_test_seconds", "Latency.", {"op"}, {0.1, 1.0}).with({"q"});
    h.observe(0.05);
    h.observe(0.1);  // le is inclusive
    h.observe(0.5);
    h.observe(7);
    const auto text = reg.expose();
    EXPECT_NE(text.find("alatar_test_seconds_bucket{op=\"q\",le=\"0.1\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("alatar_test_seconds_bucket{op=\"q\",le=\"1\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("alatar_test_seconds_bucket{op=\"q\",le=\"+Inf\"} 4\n"), std::string::npos) << text;
    EXPECT_NE(text.find("alatar_test_seconds_sum{op=\"q\"} 7.65\n"), std::string::npos) << text;
    EXPECT_NE(text.find("alatar_test_seconds_count{op=\"q\"} 4\n"), std::string::npos) << text;
}

TEST(Metrics, RejectsBadNamesAndCountersWithoutTotal) {
    Registry reg;
    EXPECT_THROW(reg.counter("alatar_requests", "x"), std::invalid_argument);
    EXPECT_THROW(reg.gauge("9bad", "x"), std::invalid_argument);
    EXPECT_THROW(reg.gauge("alatar_ok", "x", {"le"}), std::invalid_argument);
    reg.gauge("alatar_shape", "x", {"a"});
    EXPECT_THROW(reg.gauge("alatar_shape", "x", {"b"}), std::invalid_argument);
    EXPECT_THROW(reg.counter("alatar_x_total", "x", {"a"}).with({"1", "2"}), std::invalid_argument);
}

TEST(Metrics, SeriesCapFoldsIntoOther) {
    Registry reg;
    auto& f = reg.counter("alatar_capped_total", "x", {"op"}, 2);
    f.with({"a"}).inc();
    f.with({"b"}).inc();
    f.with({"c"}).inc();
    f.with({"d"}).inc();
    EXPECT_EQ(f.series().size(), 3u);
    EXPECT_NE(reg.expose().find("alatar_capped_total{op=\"_other\"} 2\n"), std::string::npos);
}

TEST(Metrics, CallbackGaugeIsSampledAtScrape) {
    Registry reg;
    double v = 3;
    reg.gauge_callback("alatar_pool_in_use", "Pool connections in use.", [&v] { return v; });
    EXPECT_NE(reg.expose().find("alatar_pool_in_use 3\n"), std::string::npos);
    v = 4;
    EXPECT_NE(reg.expose().find("alatar_pool_in_use 4\n"), std::string::npos);
}

TEST(Metrics, ConcurrentIncrementsAreNotLost) {
    Registry reg;
    auto& c = reg.counter("alatar_conc_total", "x", {"t"});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&c] {
            for (int i = 0; i < 10000; ++i) c.with({"x"}).inc();
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(c.with({"x"}).value(), 40000);
}

TEST(Metrics, FormatValue) {
    EXPECT_EQ(format_value(3), "3");
    EXPECT_EQ(format_value(0.25), "0.25");
    EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(format_value(std::nan("")), "NaN");
}

// promtool (from the prometheus package, installed by scripts/bootstrap) is the reference checker.
TEST(Metrics, ExpositionPassesPromtoolCheckMetrics) {
    ASSERT_EQ(std::system("command -v promtool > /dev/null 2>&1"), 0)
        << "promtool is required (Debian package prometheus, installed by scripts/bootstrap)";
    Registry reg;
    reg.counter("alatar_http_requests_total", "HTTP requests.", {"route", "method", "status"})
        .with({"/graphql", "POST", "200"})
        .inc();
    reg.histogram("alatar_graphql_duration_seconds", "GraphQL latency.", {"operation", "outcome"})
        .with({"Orders", "ok"})
        .observe(0.02);
    reg.gauge("alatar_ws_connections", "Open WebSocket connections.").get().set(2);
    const auto path = std::filesystem::temp_directory_path() / ("alatar_metrics_" + std::to_string(::getpid()));
    {
        std::ofstream out{path};
        out << reg.expose();
    }
    const int rc =
        std::system(("promtool check metrics < " + path.string() + " > " + path.string() + ".out 2>&1").c_str());
    std::ifstream result{path.string() + ".out"};
    const std::string output{std::istreambuf_iterator<char>{result}, std::istreambuf_iterator<char>{}};
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + ".out");
    EXPECT_EQ(rc, 0) << output;
}

}  // namespace
}  // namespace alatar::http::metrics
