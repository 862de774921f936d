#pragma once
// Sends committed trace spans to an OpenTelemetry collector as OTLP/HTTP JSON (an ExportTraceServiceRequest
// POSTed to the configured URL). Off unless configured. The agent work never waits for it: accept() only puts
// spans on a bounded queue that one background thread drains in batches. A full queue drops spans (counted);
// a collector that is down or answers 408/429/5xx is retried with backoff a few times, then the batch is
// dropped (counted, logged at most once per interval). Destruction sends what is queued within a short
// deadline and joins the thread.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "agents/tracing.hpp"
#include "common/log.hpp"
#include "llm/http_transport.hpp"

namespace alatar {
struct Config;
}  // namespace alatar

namespace alatar::agents {

struct OtlpExporterOptions {
    std::string endpoint;  // full URL, e.g. http://127.0.0.1:4318/v1/traces
    std::string service_name{"alatar-worker"};
    std::vector<std::pair<std::string, std::string>> headers;  // extra request headers; secret, never logged
    std::size_t max_queued_spans{8192};
    std::size_t max_batch_spans{512};
    int max_attempts{4};                           // POSTs per batch before it is dropped
    std::chrono::milliseconds first_backoff{250};  // doubled after each failed attempt
    std::chrono::milliseconds post_timeout{5000};  // one POST, connect included
    std::chrono::milliseconds shutdown_deadline{2000};
    std::chrono::milliseconds failure_log_interval{60000};
};

struct OtlpExporterStats {
    std::uint64_t exported_spans{0};       // accepted by the collector (2xx)
    std::uint64_t dropped_queue_full{0};   // never queued
    std::uint64_t dropped_undelivered{0};  // given up after the retries, or left over at shutdown
    std::uint64_t failed_posts{0};         // attempts that did not get a 2xx
};

// 32 lower-case hex digits derived from the request id alone, so every worker exports a request's spans under
// the same trace: a UUID's own digits, any other id hashed.
std::string otlp_trace_id(std::string_view request_id);
// The ExportTraceServiceRequest JSON for these spans: one resource (service.name), one scope ("alatar").
std::string otlp_trace_request_json(std::span<const RequestSpan> spans, std::string_view service_name);
// Parses "Name=value,Name=value" (the otlp_headers key). Malformed items are skipped.
std::vector<std::pair<std::string, std::string>> parse_otlp_headers(std::string_view text);

class OtlpExporter final : public SpanSink {
  public:
    // `transport` defaults to libcurl. Starts the background thread.
    OtlpExporter(OtlpExporterOptions options, Logger log, std::unique_ptr<llm::HttpTransport> transport = nullptr);
    ~OtlpExporter() override;
    OtlpExporter(const OtlpExporter&) = delete;
    OtlpExporter& operator=(const OtlpExporter&) = delete;
    OtlpExporter(OtlpExporter&&) = delete;
    OtlpExporter& operator=(OtlpExporter&&) = delete;

    void accept(std::vector<RequestSpan> spans) noexcept override;

    OtlpExporterStats stats() const;
    // Blocks until nothing is queued or in flight, or the timeout passes; returns whether idle.
    bool wait_idle(std::chrono::milliseconds timeout);

  private:
    void run();
    // POSTs one batch with retries; returns whether the collector took it.
    bool deliver(const std::string& body);
    // Counts dropped spans (queue full, or undelivered) and logs them at most once per failure_log_interval.
    void note_dropped(std::size_t spans, std::string_view reason, bool queue_full = false);

    OtlpExporterOptions options_;
    Logger log_;
    std::unique_ptr<llm::HttpTransport> transport_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;  // new spans, stop
    std::condition_variable idle_;  // queue drained
    std::deque<RequestSpan> queue_;
    bool in_flight_{false};
    bool stopping_{false};
    std::chrono::steady_clock::time_point stop_by_{};
    OtlpExporterStats stats_;
    std::chrono::steady_clock::time_point last_failure_log_{};
    std::uint64_t unlogged_drops_{0};
    std::thread thread_;  // last: starts after everything above exists
};

// The exporter the config asks for: nullptr when otlp_traces_endpoint is empty.
std::unique_ptr<OtlpExporter> make_otlp_exporter(const Config& config, const Logger& log);

}  // namespace alatar::agents
