#pragma once
// The JSON envelope every Alatar message body carries:
//   {"id": uuid, "type": "analysis.requested", "version": 1, "trace_id": "...", "request_id": "...",
//    "created_at": RFC 3339, "payload": {...}}
// `id` doubles as the AMQP message_id, which consumers use as their idempotency key.
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "mq/message.hpp"

namespace alatar::mq {

struct Envelope {
    std::string id;
    std::string type;
    int version{1};
    std::string trace_id;
    std::string request_id;
    std::string created_at;
    boost::json::value payload;

    // A new envelope with a fresh random id and created_at = now.
    static Envelope make(std::string type, boost::json::value payload, std::string trace_id = {},
                         std::string request_id = {});
};

// A random (version 4) UUID in canonical lower-case text.
std::string new_uuid();

std::string to_json(const Envelope& envelope);

// Throws alatar::Error(kBadUserInput) when the text is not a well-formed envelope (missing id/type, wrong types).
Envelope parse_envelope(std::string_view json);

// A persistent application/json message with message_id, type and the trace id header set.
Message to_message(const Envelope& envelope);

}  // namespace alatar::mq
