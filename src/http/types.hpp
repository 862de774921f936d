#pragma once
// The server's own request/response vocabulary. Beast stays behind the session code: handlers, the
// GraphQL adapter and tests only see these small value types.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"

namespace alatar::http {

// ASCII case-insensitive comparison (header names, media types, tokens).
bool iequals(std::string_view a, std::string_view b) noexcept;

struct Header {
    std::string name;
    std::string value;
};

// Ordered header list with case-insensitive lookup; repeated names are kept as sent.
class Headers {
  public:
    // First value of `name`, if any.
    std::optional<std::string_view> get(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }
    // Replaces every value of `name` with one value.
    void set(std::string_view name, std::string_view value);
    // Sets `name` only when it is absent (lets a handler override defaults).
    void set_default(std::string_view name, std::string_view value);
    void add(std::string_view name, std::string_view value);
    void remove(std::string_view name);

    const std::vector<Header>& items() const noexcept { return items_; }

  private:
    std::vector<Header> items_;
};

struct Request {
    std::string method;  // upper case as sent: "GET", "POST", ...
    std::string target;  // origin-form as sent: "/graphql?query=..."
    std::string path;    // target without the query
    std::string query;   // raw query without '?', still percent-encoded
    Headers headers;
    std::string body;
    std::string client_address;  // peer IP (or the trusted forwarded address)
    bool tls = false;
};

struct Response {
    unsigned status = 200;
    Headers headers;
    std::string body;

    static Response text(unsigned status, std::string body,
                         std::string_view content_type = "text/plain; charset=utf-8");
    static Response json(unsigned status, std::string body, std::string_view content_type = "application/json");
};

// Per-request state handed to every handler. Lives for the duration of one request on its connection's strand.
struct RequestContext {
    std::string request_id;
    std::string client_address;
    // Rate-limit key of the caller when the request carries a credential; empty for anonymous requests.
    std::string user_key;
    alatar::Logger log{"http"};  // carries request_id in every line
    std::chrono::steady_clock::time_point deadline;
    bool tls = false;
};

// {"errors":[{"message":...,"extensions":{"code":...[,"requestId":...]}}]}: the body of every transport-level
// refusal, so clients always get a GraphQL-shaped error.
std::string error_body(std::string_view message, std::string_view code, std::string_view request_id = {});

}  // namespace alatar::http
