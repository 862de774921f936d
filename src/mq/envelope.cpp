#include "mq/envelope.hpp"

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <random>

#include "common/error.hpp"
#include "common/time.hpp"

namespace alatar::mq {
namespace json = boost::json;

std::string new_uuid() {
    // random_device reads the kernel's CSPRNG on Linux; ids must not collide across processes and hosts.
    std::random_device rd;
    std::array<std::uint8_t, 16> bytes{};
    for (std::size_t i = 0; i < bytes.size(); i += 4) {
        const auto r = rd();
        for (std::size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
        out.push_back(kHex[bytes[i] >> 4]);
        out.push_back(kHex[bytes[i] & 0x0F]);
    }
    return out;
}

Envelope Envelope::make(std::string type, json::value payload, std::string trace_id, std::string request_id) {
    Envelope e;
    e.id = new_uuid();
    e.type = std::move(type);
    e.trace_id = std::move(trace_id);
    e.request_id = std::move(request_id);
    e.created_at = format_rfc3339(std::chrono::system_clock::now());
    e.payload = std::move(payload);
    return e;
}

std::string to_json(const Envelope& envelope) {
    json::object o;
    o["id"] = envelope.id;
    o["type"] = envelope.type;
    o["version"] = envelope.version;
    if (!envelope.trace_id.empty()) o["trace_id"] = envelope.trace_id;
    if (!envelope.request_id.empty()) o["request_id"] = envelope.request_id;
    o["created_at"] = envelope.created_at;
    o["payload"] = envelope.payload;
    return json::serialize(o);
}

namespace {

[[noreturn]] void bad(std::string_view why) {
    throw Error(ErrorCode::kBadUserInput, "malformed message envelope: " + std::string(why));
}

std::string required_string(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string() || v->as_string().empty())
        bad(std::string(key) + " must be a non-empty string");
    return std::string(v->as_string());
}

std::string optional_string(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return {};
    if (!v->is_string()) bad(std::string(key) + " must be a string");
    return std::string(v->as_string());
}

}  // namespace

Envelope parse_envelope(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) bad("not JSON");
    if (!v.is_object()) bad("not a JSON object");
    const auto& o = v.as_object();
    Envelope e;
    e.id = required_string(o, "id");
    e.type = required_string(o, "type");
    if (const auto* ver = o.if_contains("version")) {
        if (!ver->is_int64() || ver->as_int64() < 1 || ver->as_int64() > 1'000'000)
            bad("version must be a positive integer");
        e.version = static_cast<int>(ver->as_int64());
    }
    e.trace_id = optional_string(o, "trace_id");
    e.request_id = optional_string(o, "request_id");
    e.created_at = optional_string(o, "created_at");
    if (const auto* p = o.if_contains("payload")) e.payload = *p;
    return e;
}

Message to_message(const Envelope& envelope) {
    Message m;
    m.body = to_json(envelope);
    m.message_id = envelope.id;
    m.type = envelope.type;
    m.persistent = true;
    if (!envelope.trace_id.empty()) m.headers.emplace(std::string(kHeaderTraceId), envelope.trace_id);
    m.headers.emplace(std::string(kHeaderEnvelopeType), envelope.type);
    return m;
}

}  // namespace alatar::mq
