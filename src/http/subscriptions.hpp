#pragma once
// What the WebSocket transport (graphql-transport-ws) needs from the GraphQL side. The API implements
// SubscriptionHandler; the server owns the protocol, the socket and the outbound queue.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/log.hpp"

namespace alatar::http {

// One WebSocket connection as the handler sees it. Stable for the life of the connection.
struct WsConnectionInfo {
    std::uint64_t connection_id = 0;
    std::string client_address;
    std::string request_id;        // of the upgrade request
    boost::json::value principal;  // what on_connection_init returned when it accepted
    alatar::Logger log{"http"};
};

struct InitDecision {
    bool accepted = false;
    boost::json::value principal;     // kept in WsConnectionInfo for subscribe()
    boost::json::object ack_payload;  // sent in connection_ack when not empty

    static InitDecision accept(boost::json::value principal = nullptr, boost::json::object ack_payload = {}) {
        return InitDecision{true, std::move(principal), std::move(ack_payload)};
    }
    static InitDecision refuse() { return InitDecision{}; }
};

// Where a running operation delivers its results. Thread-safe: may be called from any thread; the session posts
// the frames to its own strand. Frames are bounded by the connection's outbound byte budget: a client that does
// not read is disconnected instead of growing memory.
class SubscriptionSink {
  public:
    virtual ~SubscriptionSink() = default;
    // `execution_result` is a serialized ExecutionResult ({"data":...,"errors":[...]}). Returns false when the
    // operation is over (client completed it, connection gone, or the client is too slow): stop producing.
    virtual bool next(std::string execution_result) = 0;
    // Ends the operation with `errors_array`, a serialized JSON array of GraphQL errors (request errors only).
    virtual void error(std::string errors_array) = 0;
    // Ends the operation normally.
    virtual void complete() = 0;
    virtual bool closed() const = 0;
    // Bytes queued on this connection and not yet written to the socket (for producers that want to pace
    // themselves); never above WebSocketOptions::max_outbound_bytes for results.
    virtual std::size_t pending_bytes() const = 0;
};

class SubscriptionHandler {
  public:
    virtual ~SubscriptionHandler() = default;

    // connection_init arrived with `payload` (e.g. {"token": "..."}). Runs on the connection's strand; may await
    // (database lookups). Refusing closes the socket with 4403; throwing closes it with 4500. The init timeout keeps
    // running while this is pending.
    virtual boost::asio::awaitable<InitDecision> on_connection_init(const boost::json::object& payload,
                                                                    const WsConnectionInfo& connection) = 0;

    // A subscribe message (payload: query, variables, operationName, extensions, already shape-checked). Called on
    // the connection's strand and must not block: start the work elsewhere and report through `sink`. Also used for
    // single-result queries and mutations (next once, then complete). Throwing sends an INTERNAL error for `id`.
    virtual void subscribe(const WsConnectionInfo& connection, const std::string& id,
                           const boost::json::object& payload, std::shared_ptr<SubscriptionSink> sink) = 0;

    // The client completed `id`, or the connection closed while `id` was running. Not called after the operation
    // ended through its sink. Must not block.
    virtual void unsubscribe(const WsConnectionInfo& connection, const std::string& id) = 0;
};

}  // namespace alatar::http
