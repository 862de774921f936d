#include "http/ws_protocol.hpp"

#include <boost/json.hpp>

namespace alatar::http {

namespace json = boost::json;

namespace {

// graphql-ws: payloads of init/ping/pong are an object, null or absent.
bool optional_object(const json::object& msg, std::string_view key) {
    const auto* v = msg.if_contains(key);
    return v == nullptr || v->is_null() || v->is_object();
}

bool optional_string(const json::object& msg, std::string_view key) {
    const auto* v = msg.if_contains(key);
    return v == nullptr || v->is_null() || v->is_string();
}

const json::string* non_empty_id(const json::object& msg) {
    const auto* v = msg.if_contains("id");
    if (v == nullptr || !v->is_string() || v->get_string().empty()) return nullptr;
    return &v->get_string();
}

std::string frame(std::string_view type, const std::string& id, std::string_view raw_payload) {
    std::string out = R"({"id":)";
    out += json::serialize(json::string{id});
    out += R"(,"type":")";
    out += type;
    out += '"';
    if (!raw_payload.empty()) {
        out += R"(,"payload":)";
        out += raw_payload;
    }
    out += '}';
    return out;
}

WsAction send(std::string text) { return WsAction{WsAction::Kind::kSend, std::move(text)}; }

}  // namespace

std::vector<WsAction> WsProtocol::fail(std::uint16_t code, std::string reason) {
    return {close(code, std::move(reason))};
}

WsAction WsProtocol::close(std::uint16_t code, std::string reason) {
    state_ = State::kClosed;
    WsAction a{WsAction::Kind::kClose, std::move(reason)};
    a.code = code;
    return a;
}

std::vector<WsAction> WsProtocol::on_message(std::string_view text) {
    if (state_ == State::kClosed) return {};
    boost::system::error_code ec;
    auto parsed = json::parse(text, ec);
    if (ec || !parsed.is_object()) return fail(ws_close::kBadRequest, "Invalid message received");
    auto& msg = parsed.get_object();
    const auto* type_v = msg.if_contains("type");
    if (type_v == nullptr || !type_v->is_string()) return fail(ws_close::kBadRequest, "Invalid message received");
    const std::string_view type = type_v->get_string();

    if (type == "connection_init") {
        if (!optional_object(msg, "payload")) {
            return fail(ws_close::kBadRequest, R"("connection_init" message expects the 'payload' to be an object)");
        }
        if (init_received_) return fail(ws_close::kTooManyInitialisationRequests, "Too many initialisation requests");
        init_received_ = true;
        state_ = State::kAuthenticating;
        WsAction a{WsAction::Kind::kAuthenticate};
        if (auto* p = msg.if_contains("payload"); p != nullptr && p->is_object())
            a.payload = std::move(p->get_object());
        return {std::move(a)};
    }
    if (type == "ping") {
        if (!optional_object(msg, "payload")) {
            return fail(ws_close::kBadRequest, R"("ping" message expects the 'payload' to be an object)");
        }
        return {send(R"({"type":"pong"})")};
    }
    if (type == "pong") {
        if (!optional_object(msg, "payload")) {
            return fail(ws_close::kBadRequest, R"("pong" message expects the 'payload' to be an object)");
        }
        return {};
    }
    if (type == "subscribe") {
        const auto* id = non_empty_id(msg);
        if (id == nullptr) return fail(ws_close::kBadRequest, R"("subscribe" message requires a non-empty 'id')");
        auto* payload = msg.if_contains("payload");
        if (payload == nullptr || !payload->is_object()) {
            return fail(ws_close::kBadRequest, R"("subscribe" message expects the 'payload' to be an object)");
        }
        const auto& p = payload->get_object();
        const auto* query = p.if_contains("query");
        if (query == nullptr || !query->is_string()) {
            return fail(ws_close::kBadRequest, R"("subscribe" message payload expects 'query' to be a string)");
        }
        if (!optional_object(p, "variables") || !optional_string(p, "operationName") ||
            !optional_object(p, "extensions")) {
            return fail(ws_close::kBadRequest, R"("subscribe" message payload has an invalid member)");
        }
        if (state_ != State::kReady) return fail(ws_close::kUnauthorized, "Unauthorized");
        const std::string sid{id->c_str(), id->size()};
        if (active_.contains(sid)) {
            return fail(ws_close::kSubscriberAlreadyExists, "Subscriber for " + sid + " already exists");
        }
        if (active_.size() >= max_subscriptions_) {
            return {send(frame("error", sid,
                               R"([{"message":"Too many operations on this connection",)"
                               R"("extensions":{"code":"RATE_LIMITED"}}])"))};
        }
        active_.insert(sid);
        WsAction a{WsAction::Kind::kSubscribe};
        a.id = sid;
        a.payload = std::move(payload->get_object());
        return {std::move(a)};
    }
    if (type == "complete") {
        const auto* id = non_empty_id(msg);
        if (id == nullptr) return fail(ws_close::kBadRequest, R"("complete" message requires a non-empty 'id')");
        const std::string sid{id->c_str(), id->size()};
        // Completing an operation that already ended (or never started) is allowed and ignored.
        if (active_.erase(sid) == 0) return {};
        WsAction a{WsAction::Kind::kUnsubscribe};
        a.id = sid;
        return {std::move(a)};
    }
    if (type == "connection_ack" || type == "next" || type == "error") {
        return fail(ws_close::kBadRequest, "Unexpected message of type " + std::string{type} + " received");
    }
    return fail(ws_close::kBadRequest, "Invalid message received");
}

std::vector<WsAction> WsProtocol::on_init_timeout() {
    if (state_ == State::kAwaitingInit || state_ == State::kAuthenticating) {
        return fail(ws_close::kConnectionInitialisationTimeout, "Connection initialisation timeout");
    }
    return {};
}

std::vector<WsAction> WsProtocol::on_init_result(bool accepted, const json::object& ack_payload) {
    if (state_ != State::kAuthenticating) return {};
    if (!accepted) return fail(ws_close::kForbidden, "Forbidden");
    state_ = State::kReady;
    if (ack_payload.empty()) return {send(R"({"type":"connection_ack"})")};
    json::object ack;
    ack["type"] = "connection_ack";
    ack["payload"] = ack_payload;
    return {send(json::serialize(ack))};
}

std::optional<std::string> WsProtocol::next(const std::string& id, std::string_view execution_result) {
    if (state_ == State::kClosed || !active_.contains(id)) return std::nullopt;
    return frame("next", id, execution_result);
}

std::optional<std::string> WsProtocol::error(const std::string& id, std::string_view errors_array) {
    if (state_ == State::kClosed || active_.erase(id) == 0) return std::nullopt;
    return frame("error", id, errors_array);
}

std::optional<std::string> WsProtocol::complete(const std::string& id) {
    if (state_ == State::kClosed || active_.erase(id) == 0) return std::nullopt;
    return frame("complete", id, {});
}

}  // namespace alatar::http
