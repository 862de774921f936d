// The OTLP/HTTP JSON exporter against a real HTTP collector on 127.0.0.1 (no other services).
#include "agents/otlp_exporter.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/value.hpp>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <thread>

#include "agents/otlp_collector.hpp"
#include "common/config.hpp"
#include "llm/http_transport.hpp"

namespace alatar::agents {
namespace {

namespace json = boost::json;
using testing::TestCollector;

constexpr std::string_view kRequestId = "3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f";

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds{20}) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= until) return done();
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    return true;
}

RequestSpan make_span(std::string name, std::string kind, std::optional<std::string> parent, double duration_ms) {
    Span s;
    s.span_id = new_span_id();
    s.parent_id = std::move(parent);
    s.name = std::move(name);
    s.kind = std::move(kind);
    s.started_at = SystemTime{std::chrono::nanoseconds{1'700'000'000'123'456'789LL}};
    s.duration_ms = duration_ms;
    return RequestSpan{std::string{kRequestId}, std::move(s)};
}

OtlpExporterOptions fast_options(std::string endpoint) {
    OtlpExporterOptions o;
    o.endpoint = std::move(endpoint);
    o.service_name = "alatar-test";
    o.first_backoff = std::chrono::milliseconds{20};
    o.post_timeout = std::chrono::seconds{5};
    return o;
}

// Every span of every request the collector received, in arrival order.
std::vector<json::object> collected_spans(const TestCollector& collector) {
    std::vector<json::object> out;
    for (const auto& r : collector.requests()) {
        for (const auto& rs : r.json.at("resourceSpans").as_array()) {
            for (const auto& ss : rs.at("scopeSpans").as_array()) {
                for (const auto& s : ss.at("spans").as_array()) out.push_back(s.as_object());
            }
        }
    }
    return out;
}

// The attribute's AnyValue, or null when absent.
json::value attribute(const json::object& span, std::string_view key) {
    for (const auto& kv : span.at("attributes").as_array()) {
        if (kv.at("key").as_string() == key) return kv.at("value");
    }
    return nullptr;
}

// A port nothing listens on: bound, then closed.
std::uint16_t closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API takes a sockaddr*
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    ::close(fd);
    return ntohs(addr.sin_port);
}

TEST(OtlpTraceId, IsTheUuidsDigitsAndTheSameForEveryCall) {
    EXPECT_EQ(otlp_trace_id(kRequestId), "3f2a9c1e7b4d4e8a9c0f1a2b3c4d5e6f");
    EXPECT_EQ(otlp_trace_id("3F2A9C1E-7B4D-4E8A-9C0F-1A2B3C4D5E6F"), "3f2a9c1e7b4d4e8a9c0f1a2b3c4d5e6f");
    const std::string hashed = otlp_trace_id("not-a-uuid");
    EXPECT_TRUE(std::regex_match(hashed, std::regex("[0-9a-f]{32}"))) << hashed;
    EXPECT_EQ(hashed, otlp_trace_id("not-a-uuid"));
    EXPECT_NE(hashed, otlp_trace_id("not-a-uuie"));
}

TEST(OtlpHeaders, ParsesNameValuePairs) {
    const auto h = parse_otlp_headers("Authorization=Bearer abc=def, X-Scope = tenant-1,broken");
    ASSERT_EQ(h.size(), 2U);
    EXPECT_EQ(h[0].first, "Authorization");
    EXPECT_EQ(h[0].second, "Bearer abc=def");
    EXPECT_EQ(h[1].first, "X-Scope");
    EXPECT_EQ(h[1].second, "tenant-1");
}

TEST(OtlpExporter, IsOffUnlessAnEndpointIsConfigured) {
    Config config = Config::defaults();
    EXPECT_EQ(make_otlp_exporter(config, Logger::null()), nullptr);
    config.otlp_traces_endpoint = "http://127.0.0.1:1/v1/traces";
    EXPECT_NE(make_otlp_exporter(config, Logger::null()), nullptr);
}

TEST(OtlpExporter, SendsAnExportTraceServiceRequestInTheOtlpJsonShape) {
    TestCollector collector;
    auto options = fast_options(collector.endpoint());
    options.headers = {{"Authorization", "Bearer collector-token"}};
    OtlpExporter exporter{options, Logger::null()};

    auto parent = make_span("orchestrator.plan", "agent", root_span_id(kRequestId), 12.5);
    parent.span.attributes = json::object{{"intent", "sales_summary"},
                                          {"tasks", 3},
                                          {"confidence", 0.75},
                                          {"completed", true},
                                          {"arguments", json::object{{"days", 30}}},
                                          {"models", json::array{"a", "b"}},
                                          {"nothing", nullptr}};
    auto child = make_span("tool.sales_summary", "tool", parent.span.span_id, 3.25);
    auto failed = make_span("shopify.query", "shopify", child.span.span_id, 1.0);
    failed.span.error = "THROTTLED: try again";
    exporter.accept({parent, child, failed});
    ASSERT_TRUE(exporter.wait_idle(std::chrono::seconds{20}));

    const auto requests = collector.requests();
    ASSERT_EQ(requests.size(), 1U);
    EXPECT_EQ(requests[0].content_type, "application/json");
    EXPECT_EQ(requests[0].authorization, "Bearer collector-token");
    const auto& resource_spans = requests[0].json.at("resourceSpans").as_array();
    ASSERT_EQ(resource_spans.size(), 1U);
    const auto& resource_attrs = resource_spans[0].at("resource").at("attributes").as_array();
    ASSERT_EQ(resource_attrs.size(), 1U);
    EXPECT_EQ(resource_attrs[0].at("key").as_string(), "service.name");
    EXPECT_EQ(resource_attrs[0].at("value").at("stringValue").as_string(), "alatar-test");
    EXPECT_EQ(resource_spans[0].at("scopeSpans").as_array()[0].at("scope").at("name").as_string(), "alatar");

    const auto spans = collected_spans(collector);
    ASSERT_EQ(spans.size(), 3U);
    std::map<std::string, json::object> by_name;
    for (const auto& s : spans) {
        EXPECT_EQ(s.at("traceId").as_string(), "3f2a9c1e7b4d4e8a9c0f1a2b3c4d5e6f");
        EXPECT_TRUE(std::regex_match(std::string(s.at("spanId").as_string()), std::regex("[0-9a-f]{16}")));
        ASSERT_TRUE(s.at("startTimeUnixNano").is_string());
        ASSERT_TRUE(s.at("endTimeUnixNano").is_string());
        by_name[std::string(s.at("name").as_string())] = s;
    }
    const auto nanos = [](const json::object& s, std::string_view key) {
        return std::stoll(std::string(s.at(key).as_string()));
    };
    const auto& p = by_name.at("orchestrator.plan");
    const auto& c = by_name.at("tool.sales_summary");
    const auto& f = by_name.at("shopify.query");
    EXPECT_EQ(p.at("spanId").as_string(), parent.span.span_id);
    EXPECT_FALSE(p.contains("parentSpanId"));  // a top-level span is an OTLP root (the request root is not stored)
    EXPECT_EQ(c.at("parentSpanId").as_string(), parent.span.span_id);
    EXPECT_EQ(f.at("parentSpanId").as_string(), child.span.span_id);
    EXPECT_EQ(nanos(p, "startTimeUnixNano"), 1'700'000'000'123'456'789LL);
    EXPECT_EQ(nanos(p, "endTimeUnixNano") - nanos(p, "startTimeUnixNano"), 12'500'000);
    EXPECT_EQ(nanos(c, "endTimeUnixNano") - nanos(c, "startTimeUnixNano"), 3'250'000);
    EXPECT_EQ(p.at("kind").as_int64(), 1);  // SPAN_KIND_INTERNAL
    EXPECT_EQ(c.at("kind").as_int64(), 1);
    EXPECT_EQ(f.at("kind").as_int64(), 3);  // SPAN_KIND_CLIENT
    EXPECT_FALSE(p.contains("status"));
    ASSERT_TRUE(f.contains("status"));
    EXPECT_EQ(f.at("status").at("code").as_int64(), 2);  // STATUS_CODE_ERROR
    EXPECT_EQ(f.at("status").at("message").as_string(), "THROTTLED: try again");

    EXPECT_EQ(attribute(p, "intent"), (json::object{{"stringValue", "sales_summary"}}));
    EXPECT_EQ(attribute(p, "tasks"), (json::object{{"intValue", "3"}}));
    EXPECT_EQ(attribute(p, "confidence"), (json::object{{"doubleValue", 0.75}}));
    EXPECT_EQ(attribute(p, "completed"), (json::object{{"boolValue", true}}));
    EXPECT_EQ(attribute(p, "arguments"),
              json::parse(R"({"kvlistValue":{"values":[{"key":"days","value":{"intValue":"30"}}]}})"));
    EXPECT_EQ(attribute(p, "models"),
              json::parse(R"({"arrayValue":{"values":[{"stringValue":"a"},{"stringValue":"b"}]}})"));
    EXPECT_TRUE(attribute(p, "nothing").is_null());
    EXPECT_EQ(attribute(p, "alatar.request_id"), (json::object{{"stringValue", kRequestId}}));
    EXPECT_EQ(attribute(f, "alatar.span_kind"), (json::object{{"stringValue", "shopify"}}));

    const auto stats = exporter.stats();
    EXPECT_EQ(stats.exported_spans, 3U);
    EXPECT_EQ(stats.failed_posts, 0U);
}

TEST(OtlpExporter, RetriesA503AndDeliversTheBatchOnce) {
    TestCollector collector;
    collector.script({503});
    OtlpExporter exporter{fast_options(collector.endpoint()), Logger::null()};
    exporter.accept({make_span("a", "agent", std::nullopt, 1), make_span("b", "tool", std::nullopt, 2)});
    ASSERT_TRUE(exporter.wait_idle(std::chrono::seconds{20}));

    const auto requests = collector.requests();
    ASSERT_EQ(requests.size(), 2U);  // the refused attempt and the accepted one, nothing more
    EXPECT_EQ(requests[0].body, requests[1].body);
    const auto stats = exporter.stats();
    EXPECT_EQ(stats.exported_spans, 2U);
    EXPECT_EQ(stats.failed_posts, 1U);
    EXPECT_EQ(stats.dropped_undelivered, 0U);
}

TEST(OtlpExporter, ABadRequestIsDroppedWithoutRetrying) {
    TestCollector collector;
    collector.script({400});
    OtlpExporter exporter{fast_options(collector.endpoint()), Logger::null()};
    exporter.accept({make_span("a", "agent", std::nullopt, 1)});
    ASSERT_TRUE(exporter.wait_idle(std::chrono::seconds{20}));
    EXPECT_EQ(collector.requests().size(), 1U);
    EXPECT_EQ(exporter.stats().dropped_undelivered, 1U);
    EXPECT_EQ(exporter.stats().exported_spans, 0U);
}

TEST(OtlpExporter, ADownCollectorCostsTheCallerNothingAndTheBatchIsDroppedAfterTheRetries) {
    auto options = fast_options("http://127.0.0.1:" + std::to_string(closed_port()) + "/v1/traces");
    options.max_attempts = 3;
    OtlpExporter exporter{options, Logger::null()};
    exporter.accept({make_span("a", "agent", std::nullopt, 1), make_span("b", "agent", std::nullopt, 1)});
    ASSERT_TRUE(exporter.wait_idle(std::chrono::seconds{20}));
    const auto stats = exporter.stats();
    EXPECT_EQ(stats.failed_posts, 3U);
    EXPECT_EQ(stats.dropped_undelivered, 2U);
    EXPECT_EQ(stats.exported_spans, 0U);
}

// A transport that holds every POST until released, so the test sees what the caller does meanwhile.
class HeldTransport final : public llm::HttpTransport {
  public:
    struct Gate {
        std::mutex mutex;
        std::condition_variable cv;
        bool open{false};
        int entered{0};
    };
    explicit HeldTransport(std::shared_ptr<Gate> gate) : gate_(std::move(gate)) {}
    llm::HttpAnswer post(const llm::HttpPost& /*request*/) override {
        std::unique_lock lock{gate_->mutex};
        ++gate_->entered;
        gate_->cv.notify_all();
        gate_->cv.wait(lock, [&] { return gate_->open; });
        return llm::HttpAnswer{200, "{}", {}};
    }

  private:
    std::shared_ptr<Gate> gate_;
};

TEST(OtlpExporter, AcceptNeverWaitsForTheCollectorAndAFullQueueDropsAndCounts) {
    auto gate = std::make_shared<HeldTransport::Gate>();
    auto options = fast_options("http://collector.invalid/v1/traces");
    options.max_queued_spans = 3;
    options.max_batch_spans = 1;
    OtlpExporter exporter{options, Logger::null(), std::make_unique<HeldTransport>(gate)};
    exporter.accept({make_span("first", "agent", std::nullopt, 1)});
    {
        std::unique_lock lock{gate->mutex};
        ASSERT_TRUE(gate->cv.wait_for(lock, std::chrono::seconds{20}, [&] { return gate->entered == 1; }));
    }
    // The collector holds the first batch: accept() still returns, queues three and drops the rest.
    exporter.accept({make_span("q1", "agent", std::nullopt, 1), make_span("q2", "agent", std::nullopt, 1),
                     make_span("q3", "agent", std::nullopt, 1), make_span("x1", "agent", std::nullopt, 1),
                     make_span("x2", "agent", std::nullopt, 1)});
    EXPECT_EQ(exporter.stats().dropped_queue_full, 2U);
    EXPECT_EQ(exporter.stats().exported_spans, 0U);
    {
        const std::lock_guard lock{gate->mutex};
        gate->open = true;
    }
    gate->cv.notify_all();
    ASSERT_TRUE(exporter.wait_idle(std::chrono::seconds{20}));
    EXPECT_EQ(exporter.stats().exported_spans, 4U);
    EXPECT_EQ(gate->entered, 4);  // one span per batch here
}

TEST(OtlpExporter, DestructionSendsWhatIsStillQueued) {
    TestCollector collector;
    {
        OtlpExporter exporter{fast_options(collector.endpoint()), Logger::null()};
        exporter.accept({make_span("last-words", "agent", std::nullopt, 1)});
    }
    const auto spans = collected_spans(collector);
    ASSERT_EQ(spans.size(), 1U);
    EXPECT_EQ(spans[0].at("name").as_string(), "last-words");
}

TEST(OtlpExporter, DestructionGivesUpOnADownCollectorAfterTheShutdownDeadline) {
    auto options = fast_options("http://127.0.0.1:" + std::to_string(closed_port()) + "/v1/traces");
    options.first_backoff = std::chrono::hours{1};  // only the shutdown deadline can end the wait
    options.shutdown_deadline = std::chrono::milliseconds{200};
    std::atomic<bool> finished{false};
    std::thread owner{[&] {
        {
            OtlpExporter exporter{options, Logger::null()};
            exporter.accept({make_span("a", "agent", std::nullopt, 1)});
            // The first attempt fails at once and the hour-long backoff begins; leaving the scope destroys the
            // exporter, which must give up at the shutdown deadline instead of waiting out the hour.
            eventually([&] { return exporter.stats().failed_posts == 1; });
        }
        finished = true;
    }};
    const bool done = eventually([&] { return finished.load(); }, std::chrono::seconds{30});
    owner.join();  // returns at once when done; otherwise after the hour (the test's timeout ends it first)
    EXPECT_TRUE(done);
}

}  // namespace
}  // namespace alatar::agents
