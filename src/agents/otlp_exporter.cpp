#include "agents/otlp_exporter.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <exception>

#include "common/config.hpp"
#include "llm/http_transport.hpp"

namespace alatar::agents {

namespace json = boost::json;

namespace {

// OTLP span kinds and status codes (opentelemetry-proto trace.proto), sent as integers in JSON.
constexpr int kSpanKindInternal = 1;
constexpr int kSpanKindClient = 3;
constexpr int kStatusCodeError = 2;

constexpr std::string_view kHex = "0123456789abcdef";

bool is_hex(char c) noexcept { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::uint64_t fnv1a(std::string_view text, std::uint64_t seed) noexcept {
    constexpr std::uint64_t kPrime = 0x100000001b3ULL;
    std::uint64_t h = seed;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= kPrime;
    }
    return h;
}

void append_hex(std::string& out, std::uint64_t bits) {
    for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(bits >> static_cast<unsigned>(shift)) & 0xFU];
}

json::value any_value(const json::value& v);

json::array key_values(const json::object& object) {
    json::array out;
    out.reserve(object.size());
    for (const auto& [key, value] : object) {
        if (value.is_null()) continue;  // OTLP has no null; an absent attribute says the same
        out.push_back(json::object{{"key", key}, {"value", any_value(value)}});
    }
    return out;
}

// One AnyValue: 64-bit integers as decimal strings (the proto3 JSON mapping), nested values as arrays/kvlists.
json::value any_value(const json::value& v) {
    switch (v.kind()) {
        case json::kind::string:
            return json::object{{"stringValue", v.get_string()}};
        case json::kind::bool_:
            return json::object{{"boolValue", v.get_bool()}};
        case json::kind::int64:
            return json::object{{"intValue", std::to_string(v.get_int64())}};
        case json::kind::uint64:
            return json::object{{"intValue", std::to_string(v.get_uint64())}};
        case json::kind::double_:
            return json::object{{"doubleValue", v.get_double()}};
        case json::kind::array: {
            json::array values;
            values.reserve(v.get_array().size());
            for (const auto& item : v.get_array()) values.push_back(any_value(item));
            return json::object{{"arrayValue", json::object{{"values", std::move(values)}}}};
        }
        case json::kind::object:
            return json::object{{"kvlistValue", json::object{{"values", key_values(v.get_object())}}}};
        case json::kind::null:
            break;
    }
    return json::object{};
}

int span_kind(std::string_view kind) noexcept {
    return (kind == "shopify" || kind == "llm") ? kSpanKindClient : kSpanKindInternal;
}

std::int64_t unix_nanos(SystemTime t) noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

json::object otlp_span(const RequestSpan& rs) {
    const Span& s = rs.span;
    const std::int64_t start = unix_nanos(s.started_at);
    const auto duration = static_cast<std::int64_t>(std::llround(std::max(s.duration_ms, 0.0) * 1e6));
    json::array attributes = key_values(s.attributes);
    attributes.push_back(json::object{{"key", "alatar.request_id"}, {"value", any_value(json::string(rs.request_id))}});
    attributes.push_back(json::object{{"key", "alatar.span_kind"}, {"value", any_value(json::string(s.kind))}});
    json::object out{{"traceId", otlp_trace_id(rs.request_id)},
                     {"spanId", s.span_id},
                     {"name", s.name},
                     {"kind", span_kind(s.kind)},
                     {"startTimeUnixNano", std::to_string(start)},
                     {"endTimeUnixNano", std::to_string(start + duration)},
                     {"attributes", std::move(attributes)}};
    // Top-level spans name the request's root span, which is never stored itself: in OTLP they are the roots.
    if (s.parent_id && *s.parent_id != root_span_id(rs.request_id)) out["parentSpanId"] = *s.parent_id;
    if (s.error) out["status"] = json::object{{"code", kStatusCodeError}, {"message", *s.error}};
    return out;
}

bool is_success(long status) noexcept { return status >= 200 && status < 300; }
// Worth another try (the OTLP/HTTP guidance): throttled, timed out or a server-side failure.
bool is_retryable(long status) noexcept { return status == 408 || status == 429 || status >= 500; }

}  // namespace

std::string otlp_trace_id(std::string_view request_id) {
    std::string digits;
    digits.reserve(32);
    bool uuid_like = true;
    for (const char c : request_id) {
        if (c == '-') continue;
        if (!is_hex(c)) uuid_like = false;
        digits += lower(c);
    }
    if (uuid_like && digits.size() == 32 && digits != std::string(32, '0')) return digits;
    std::string hashed;
    hashed.reserve(32);
    append_hex(hashed, fnv1a(request_id, 0xcbf29ce484222325ULL));
    append_hex(hashed, fnv1a(request_id, 0x84222325cbf29ce4ULL));
    return hashed;
}

std::string otlp_trace_request_json(std::span<const RequestSpan> spans, std::string_view service_name) {
    json::array out_spans;
    out_spans.reserve(spans.size());
    for (const auto& s : spans) out_spans.push_back(otlp_span(s));
    const json::object resource{
        {"attributes",
         json::array{json::object{{"key", "service.name"}, {"value", json::object{{"stringValue", service_name}}}}}}};
    const json::object scope_spans{{"scope", json::object{{"name", "alatar"}}}, {"spans", std::move(out_spans)}};
    const json::object resource_spans{{"resource", resource}, {"scopeSpans", json::array{scope_spans}}};
    return json::serialize(json::object{{"resourceSpans", json::array{resource_spans}}});
}

std::vector<std::pair<std::string, std::string>> parse_otlp_headers(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto trim = [](std::string_view s) {
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
        return s;
    };
    while (!text.empty()) {
        const auto comma = text.find(',');
        const auto item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) continue;
        const auto name = trim(item.substr(0, eq));
        if (name.empty()) continue;
        out.emplace_back(std::string{name}, std::string{trim(item.substr(eq + 1))});
    }
    return out;
}

OtlpExporter::OtlpExporter(OtlpExporterOptions options, Logger log, std::unique_ptr<llm::HttpTransport> transport)
    : options_(std::move(options)),
      log_(std::move(log)),
      transport_(transport ? std::move(transport) : std::make_unique<llm::CurlTransport>()) {
    options_.max_batch_spans = std::max<std::size_t>(options_.max_batch_spans, 1);
    options_.max_attempts = std::max(options_.max_attempts, 1);
    thread_ = std::thread([this] { run(); });
}

OtlpExporter::~OtlpExporter() {
    {
        const std::lock_guard lock{mutex_};
        stopping_ = true;
        stop_by_ = std::chrono::steady_clock::now() + options_.shutdown_deadline;
    }
    wake_.notify_all();
    thread_.join();
}

void OtlpExporter::accept(std::vector<RequestSpan> spans) noexcept {
    std::size_t dropped = 0;
    {
        const std::lock_guard lock{mutex_};
        for (auto& s : spans) {
            if (stopping_ || queue_.size() >= options_.max_queued_spans) {
                ++dropped;
                continue;
            }
            try {
                queue_.push_back(std::move(s));
            } catch (const std::bad_alloc&) {
                ++dropped;
            }
        }
    }
    if (dropped > 0) {
        try {
            note_dropped(dropped, "export queue full", true);
        } catch (...) {  // NOLINT(bugprone-empty-catch): logging must not fail the agent's step
        }
    }
    if (dropped < spans.size()) wake_.notify_one();
}

OtlpExporterStats OtlpExporter::stats() const {
    const std::lock_guard lock{mutex_};
    return stats_;
}

bool OtlpExporter::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock{mutex_};
    return idle_.wait_for(lock, timeout, [&] { return queue_.empty() && !in_flight_; });
}

void OtlpExporter::run() {
    std::unique_lock lock{mutex_};
    while (true) {
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) break;  // stopping with nothing left
        if (stopping_ && std::chrono::steady_clock::now() >= stop_by_) {
            stats_.dropped_undelivered += queue_.size();
            queue_.clear();
            break;
        }
        const std::size_t n = std::min(queue_.size(), options_.max_batch_spans);
        std::vector<RequestSpan> batch;
        batch.reserve(n);
        std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n), std::back_inserter(batch));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
        in_flight_ = true;
        lock.unlock();
        bool delivered = false;
        try {
            delivered = deliver(otlp_trace_request_json(batch, options_.service_name));
        } catch (const std::exception& e) {
            log_.error("trace export failed", {{"error", e.what()}});
        }
        if (!delivered) note_dropped(n, "collector unavailable");  // counted before in_flight_ clears
        lock.lock();
        if (delivered) stats_.exported_spans += n;
        in_flight_ = false;
        if (queue_.empty()) idle_.notify_all();
    }
    in_flight_ = false;
    idle_.notify_all();
}

bool OtlpExporter::deliver(const std::string& body) {
    llm::HttpPost post;
    post.url = options_.endpoint;
    post.headers = options_.headers;
    post.headers.emplace_back("Content-Type", "application/json");
    post.body = body;
    auto backoff = options_.first_backoff;
    for (int attempt = 1;; ++attempt) {
        post.timeout = options_.post_timeout;
        {
            const std::lock_guard lock{mutex_};
            if (stopping_) {
                const auto left =
                    std::chrono::duration_cast<std::chrono::milliseconds>(stop_by_ - std::chrono::steady_clock::now());
                if (left <= std::chrono::milliseconds{0}) return false;
                post.timeout = std::min(post.timeout, left);
            }
        }
        bool retryable = true;
        try {
            const auto answer = transport_->post(post);
            if (is_success(answer.status)) return true;
            retryable = is_retryable(answer.status);
        } catch (const llm::TransportFailure&) {
            // refused, reset or timed out: worth another try
        }
        std::unique_lock lock{mutex_};
        ++stats_.failed_posts;
        if (!retryable || attempt >= options_.max_attempts) return false;
        // Back off; a shutdown shortens the wait to its deadline but does not cancel the remaining attempts.
        const auto until = std::chrono::steady_clock::now() + backoff;
        while (std::chrono::steady_clock::now() < until) {
            if (stopping_ && std::chrono::steady_clock::now() >= stop_by_) return false;
            wake_.wait_until(lock, stopping_ ? std::min(until, stop_by_) : until);
        }
        backoff *= 2;
    }
}

void OtlpExporter::note_dropped(std::size_t spans, std::string_view reason, bool queue_full) {
    const auto now = std::chrono::steady_clock::now();
    std::uint64_t to_log = 0;
    {
        const std::lock_guard lock{mutex_};
        (queue_full ? stats_.dropped_queue_full : stats_.dropped_undelivered) += spans;
        unlogged_drops_ += spans;
        if (last_failure_log_ == std::chrono::steady_clock::time_point{} ||
            now - last_failure_log_ >= options_.failure_log_interval) {
            to_log = unlogged_drops_;
            unlogged_drops_ = 0;
            last_failure_log_ = now;
        }
    }
    if (to_log > 0) {
        log_.warning("trace spans dropped", {{"spans", to_log}, {"reason", reason}});
    }
}

std::unique_ptr<OtlpExporter> make_otlp_exporter(const Config& config, const Logger& log) {
    if (config.otlp_traces_endpoint.empty()) return nullptr;
    OtlpExporterOptions options;
    options.endpoint = config.otlp_traces_endpoint;
    options.service_name = config.otlp_service_name;
    options.headers = parse_otlp_headers(config.otlp_headers);
    return std::make_unique<OtlpExporter>(std::move(options), log.child("otlp"));
}

}  // namespace alatar::agents
