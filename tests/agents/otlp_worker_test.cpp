// A worker with the OTLP exporter: every span an analysis stored arrives at the collector, and nothing else.
#include <set>

#include "agents/agents_fixture.hpp"
#include "agents/otlp_collector.hpp"
#include "agents/otlp_exporter.hpp"

namespace alatar::agents::testing {
namespace {

TEST_F(AgentsTest, AWorkersStoredSpansArriveAtTheOtlpCollector) {
    TestCollector collector;
    OtlpExporterOptions options;
    options.endpoint = collector.endpoint();
    options.service_name = "alatar-worker-test";
    OtlpExporter exporter{options, Logger::null()};
    WorkerOptions worker = worker_options();
    worker.span_sink = &exporter;
    start_worker(worker);

    const std::string id = submit("How were sales last month?");
    ASSERT_EQ(wait_finished(id), "COMPLETED");
    workers_.clear();  // every handler has returned, so every committed span has been handed over
    ASSERT_TRUE(exporter.wait_idle(std::chrono::seconds{30}));

    std::set<std::string> stored;
    const auto rows = pool_->query_blocking("SELECT span_id FROM trace_spans WHERE request_id = $1", db::Params{id});
    for (int i = 0; i < rows.rows(); ++i) stored.insert(std::string(rows.text(i, 0)));
    ASSERT_GE(stored.size(), 16U);  // the agent steps and tool calls of the analysis

    std::set<std::string> exported;
    std::size_t exported_count = 0;
    std::string trace_id;
    for (const auto& request : collector.requests()) {
        EXPECT_EQ(request.content_type, "application/json");
        for (const auto& rs : request.json.at("resourceSpans").as_array()) {
            for (const auto& ss : rs.at("scopeSpans").as_array()) {
                for (const auto& s : ss.at("spans").as_array()) {
                    exported.insert(std::string(s.at("spanId").as_string()));
                    ++exported_count;
                    EXPECT_EQ(s.at("traceId").as_string(), otlp_trace_id(id));
                }
            }
        }
    }
    EXPECT_EQ(exported, stored);
    EXPECT_EQ(exported_count, stored.size());  // each exactly once
    EXPECT_EQ(exporter.stats().dropped_queue_full + exporter.stats().dropped_undelivered, 0U);
}

}  // namespace
}  // namespace alatar::agents::testing
