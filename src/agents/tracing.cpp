#include "agents/tracing.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "common/log.hpp"

namespace alatar::agents {

namespace {

boost::json::value mask_value(const boost::json::value& v) {
    if (v.is_string()) return boost::json::value(redact(v.get_string()));
    if (v.is_object()) return mask_attributes(v.get_object());
    if (v.is_array()) {
        boost::json::array out;
        out.reserve(v.get_array().size());
        for (const auto& item : v.get_array()) out.push_back(mask_value(item));
        return out;
    }
    return v;
}

}  // namespace

std::string new_span_id() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::uint64_t bits = rng();
    std::string id(16, '0');
    for (auto& c : id) {
        c = kHex[bits & 0xFU];
        bits >>= 4U;
    }
    return id;
}

std::string root_span_id(std::string_view request_id) {
    std::string id;
    for (char c : request_id) {
        if (c != '-') id += c;
        if (id.size() == 16) break;
    }
    return id;
}

boost::json::object mask_attributes(const boost::json::object& attributes) {
    boost::json::object out;
    for (const auto& [key, value] : attributes) {
        if (is_secret_name(key)) {
            out[key] = "***";
        } else {
            out[key] = mask_value(value);
        }
    }
    return out;
}

void CommittedSpans::stage(const db::Transaction& tx, const std::string& request_id, const std::vector<Span>& spans) {
    if (sink_ == nullptr) return;
    if (tx.attempt() != attempt_) {
        staged_.clear();  // the earlier attempt rolled back
        attempt_ = tx.attempt();
    }
    for (const auto& s : spans) staged_.push_back(RequestSpan{request_id, s});
}

void CommittedSpans::committed() noexcept {
    if (sink_ == nullptr || staged_.empty()) return;
    sink_->accept(std::move(staged_));
    staged_.clear();
    attempt_ = 0;
}

void Trace::add(Span span) { spans_.push_back(std::move(span)); }

void Trace::flush(db::Transaction& tx) {
    for (auto& s : spans_) {
        s.attributes = mask_attributes(s.attributes);
        if (s.error) s.error = redact(*s.error);
    }
    if (committed_ != nullptr) committed_->stage(tx, request_id_, spans_);
    if (spans_.empty()) return;
    boost::json::array rows;
    rows.reserve(spans_.size());
    for (const auto& s : spans_) {
        boost::json::object row{{"span_id", s.span_id},
                                {"name", s.name},
                                {"kind", s.kind},
                                {"started_at", format_rfc3339(s.started_at)},
                                {"duration_ms", s.duration_ms},
                                {"attributes", s.attributes}};
        row["parent_id"] = s.parent_id ? boost::json::value(*s.parent_id) : boost::json::value(nullptr);
        row["error"] = s.error ? boost::json::value(*s.error) : boost::json::value(nullptr);
        rows.push_back(std::move(row));
    }
    tx.exec(
        "INSERT INTO trace_spans (request_id, span_id, parent_id, name, kind, started_at, duration_ms, attributes, "
        "error) SELECT $1, r.span_id, r.parent_id, r.name, r.kind, r.started_at, r.duration_ms, r.attributes, r.error "
        "FROM jsonb_to_recordset($2::jsonb) AS r(span_id text, parent_id text, name text, kind text, "
        "started_at timestamptz, duration_ms double precision, attributes jsonb, error text) "
        "ON CONFLICT (request_id, span_id) DO NOTHING",
        db::Params{request_id_, db::Json{boost::json::serialize(rows)}});
    spans_.clear();
}

void add_child_span(const ParentSpan& parent, Span span) {
    if (parent.trace == nullptr) return;
    if (span.span_id.empty()) span.span_id = new_span_id();
    span.parent_id = parent.span_id;
    if (!parent.worker.empty()) span.attributes["worker"] = parent.worker;
    parent.trace->add(std::move(span));
}

SpanTimer::SpanTimer(Trace& trace, std::string name, std::string kind, std::optional<std::string> parent_id)
    : trace_(trace), start_(std::chrono::steady_clock::now()) {
    span_.span_id = new_span_id();
    span_.parent_id = std::move(parent_id);
    span_.name = std::move(name);
    span_.kind = std::move(kind);
    span_.started_at = std::chrono::system_clock::now();
}

SpanTimer::~SpanTimer() { end(); }

void SpanTimer::end() {
    if (ended_) return;
    ended_ = true;
    span_.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
    trace_.add(std::move(span_));
}

}  // namespace alatar::agents
