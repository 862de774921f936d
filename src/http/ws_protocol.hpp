#pragma once
// The graphql-transport-ws protocol (enisdenjo/graphql-ws PROTOCOL.md) as a pure state machine: no sockets, no
// timers. The session feeds it events and carries out the actions it returns. Single-threaded (one strand).
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::http {

inline constexpr std::string_view kGraphQLTransportWs = "graphql-transport-ws";

namespace ws_close {
inline constexpr std::uint16_t kGoingAway = 1001;
inline constexpr std::uint16_t kBadRequest = 4400;
inline constexpr std::uint16_t kUnauthorized = 4401;
inline constexpr std::uint16_t kForbidden = 4403;
inline constexpr std::uint16_t kSubprotocolNotAcceptable = 4406;
inline constexpr std::uint16_t kConnectionInitialisationTimeout = 4408;
inline constexpr std::uint16_t kSubscriberAlreadyExists = 4409;
inline constexpr std::uint16_t kTooManyInitialisationRequests = 4429;
inline constexpr std::uint16_t kInternalServerError = 4500;
}  // namespace ws_close

struct WsAction {
    enum class Kind {
        kSend,          // send `text` as a text frame
        kClose,         // close the socket with `code` and `text` as reason; nothing follows
        kAuthenticate,  // ask the handler about connection_init `payload`, then call on_init_result
        kSubscribe,     // start operation `id` with `payload`
        kUnsubscribe,   // stop operation `id` (client sent complete)
    };
    Kind kind;
    std::string text;
    std::uint16_t code = 0;
    std::string id;
    boost::json::object payload;
};

class WsProtocol {
  public:
    enum class State { kAwaitingInit, kAuthenticating, kReady, kClosed };

    explicit WsProtocol(std::size_t max_subscriptions = 100) : max_subscriptions_(max_subscriptions) {}

    // A text message from the client.
    std::vector<WsAction> on_message(std::string_view text);
    // The connection-init timer fired: closes with 4408 unless the connection was acknowledged.
    std::vector<WsAction> on_init_timeout();
    // The handler's answer to kAuthenticate: connection_ack, or close 4403.
    std::vector<WsAction> on_init_result(bool accepted, const boost::json::object& ack_payload);
    // Server-side close (shutdown 1001, internal error 4500, ...): the protocol accepts nothing more.
    WsAction close(std::uint16_t code, std::string reason);

    // Frames for a running operation; nullopt when `id` is not running (completed, or never started). error() and
    // complete() end the operation.
    std::optional<std::string> next(const std::string& id, std::string_view execution_result);
    std::optional<std::string> error(const std::string& id, std::string_view errors_array);
    std::optional<std::string> complete(const std::string& id);

    State state() const noexcept { return state_; }
    const std::set<std::string, std::less<>>& active() const noexcept { return active_; }

  private:
    std::vector<WsAction> fail(std::uint16_t code, std::string reason);

    std::size_t max_subscriptions_;
    State state_ = State::kAwaitingInit;
    bool init_received_ = false;
    std::set<std::string, std::less<>> active_;
};

}  // namespace alatar::http
