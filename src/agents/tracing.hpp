#pragma once
// Trace spans of an analysis: one for every orchestrator step, department task and tool call (and, from the
// Shopify and LLM clients, every upstream call). Spans are collected in memory while a message is handled and
// written to trace_spans in the same transaction as the step's effect, so the trace shows exactly the work
// that counted. Attributes and errors are masked on the way in (e-mail addresses, tokens, secret-named keys).
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/time.hpp"
#include "db/transaction.hpp"

namespace alatar::agents {

struct Span {
    std::string span_id;
    std::optional<std::string> parent_id;
    std::string name;
    std::string kind;  // agent, tool, llm, shopify, db
    SystemTime started_at{};
    double duration_ms{0};
    boost::json::object attributes;
    std::optional<std::string> error;
};

// A span with the request it belongs to, as handed to a SpanSink.
struct RequestSpan {
    std::string request_id;
    Span span;
};

// Receives spans (already masked) once the transaction that stored them has committed: the OTLP exporter.
// accept() is called on the agent's thread, so it must return at once and never throw.
class SpanSink {
  public:
    SpanSink() = default;
    virtual ~SpanSink() = default;
    SpanSink(const SpanSink&) = delete;
    SpanSink& operator=(const SpanSink&) = delete;
    SpanSink(SpanSink&&) = delete;
    SpanSink& operator=(SpanSink&&) = delete;

    virtual void accept(std::vector<RequestSpan> spans) noexcept = 0;
};

// The spans Trace::flush stored in one transaction, handed to the sink by committed() once that transaction
// returned (so a rollback never exports). A re-run of the transaction (serialization failure) replaces what the
// earlier attempt staged. Without a sink it only drops what it is given.
class CommittedSpans {
  public:
    explicit CommittedSpans(SpanSink* sink) noexcept : sink_(sink) {}

    void stage(const db::Transaction& tx, const std::string& request_id, const std::vector<Span>& spans);
    void committed() noexcept;

  private:
    SpanSink* sink_;
    int attempt_{0};
    std::vector<RequestSpan> staged_;
};

// A random 16-hex-digit span id.
std::string new_span_id();
// The root span of a request: derived from its id so every worker names the same parent.
std::string root_span_id(std::string_view request_id);

// Masks PII and secrets in attribute values (recursively) and names.
boost::json::object mask_attributes(const boost::json::object& attributes);

class Trace {
  public:
    // `committed` (optional, must outlive the trace) also receives what flush() stores, for export.
    explicit Trace(std::string request_id, CommittedSpans* committed = nullptr)
        : request_id_(std::move(request_id)), committed_(committed) {}

    const std::string& request_id() const noexcept { return request_id_; }
    void add(Span span);
    const std::vector<Span>& spans() const noexcept { return spans_; }
    // Inserts the collected spans (masked) and forgets them.
    void flush(db::Transaction& tx);

  private:
    std::string request_id_;
    CommittedSpans* committed_;
    std::vector<Span> spans_;
};

// The span a tool call runs under. The upstream calls the tool makes (Shopify, LLM) become its children; they
// carry the worker's name themselves so the worker's metrics find them without walking up the tree.
struct ParentSpan {
    Trace* trace{nullptr};  // null: the call is not traced (a tool run outside a department task)
    std::string span_id;
    std::string worker;
};

// Adds a finished upstream-call span under `parent` (nothing when parent.trace is null).
void add_child_span(const ParentSpan& parent, Span span);

// Times one span and adds it to the trace when it ends (explicitly or on destruction).
class SpanTimer {
  public:
    SpanTimer(Trace& trace, std::string name, std::string kind, std::optional<std::string> parent_id);
    ~SpanTimer();
    SpanTimer(const SpanTimer&) = delete;
    SpanTimer& operator=(const SpanTimer&) = delete;
    SpanTimer(SpanTimer&&) = delete;
    SpanTimer& operator=(SpanTimer&&) = delete;

    const std::string& id() const noexcept { return span_.span_id; }
    template <class T>
    void set(std::string_view key, T&& value) {
        span_.attributes[key] = boost::json::value_from(std::forward<T>(value));
    }
    void fail(std::string error) { span_.error = std::move(error); }
    void end();

  private:
    Trace& trace_;
    Span span_;
    std::chrono::steady_clock::time_point start_;
    bool ended_{false};
};

}  // namespace alatar::agents
