#pragma once
// Per-request state for resolvers: request id, logger, deadline, the caller's credential and (resolved on first
// use, once) principal, the per-request loaders, and for WebSocket operations the control that cancels them.
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/loaders.hpp"
#include "api/services.hpp"
#include "api/sessions.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "graphql/resolver.hpp"

namespace alatar::api {

class EventQueue;

// What the request presented: nothing, a bearer token (kept only as its hash), or something unusable.
struct Credential {
    enum class Kind { kNone, kBearer, kInvalid };
    Kind kind = Kind::kNone;
    std::string token_hash;
};

// The rate-limit key the HTTP server computes for a request doubles as the credential carrier: "bearer:<sha256>"
// for `Authorization: Bearer <token>`, "other:<hash>" for any other Authorization value, "" without one.
std::string credential_key(std::string_view authorization_header);
Credential credential_from_key(std::string_view key);

// Lets a WebSocket operation be cancelled from another thread (the client completed it, or the connection closed).
class OperationControl {
  public:
    // Closes `queue` now if already cancelled, else when cancel() is called. Thread-safe.
    void attach(std::shared_ptr<EventQueue> queue);
    void cancel();
    bool cancelled() const;

  private:
    mutable std::mutex mutex_;
    bool cancelled_ = false;
    std::shared_ptr<EventQueue> queue_;
};

class RequestContext : public graphql::ExecutionContext {
  public:
    RequestContext(Services& services, std::string request_id, Logger log, Deadline deadline, Credential credential,
                   std::string client_address);

    Services& services() const noexcept { return services_; }
    const std::string& request_id() const noexcept { return request_id_; }
    const Logger& log() const noexcept { return log_; }
    Deadline deadline() const noexcept { return deadline_; }
    const std::string& client_address() const noexcept { return client_address_; }
    Loaders& loaders() noexcept { return loaders_; }

    // The signed-in caller; nullopt for an anonymous request. Throws UNAUTHENTICATED when a credential was sent
    // but is not (or no longer) valid. Looked up once per request.
    boost::asio::awaitable<std::optional<Principal>> principal();
    // The caller, or UNAUTHENTICATED.
    boost::asio::awaitable<Principal> require_principal();
    // After login/register within this request.
    void set_principal(Principal p) {
        principal_ = std::move(p);
        credential_.kind = Credential::Kind::kBearer;
        resolved_ = true;
    }
    // Forgets cached child rows (a subscription re-reads them for every update).
    void reset_loaders();

    std::shared_ptr<OperationControl> control;  // set for WebSocket operations

  private:
    Services& services_;
    std::string request_id_;
    Logger log_;
    Deadline deadline_;
    Credential credential_;
    std::string client_address_;
    bool resolved_ = false;
    std::optional<Principal> principal_;
    Loaders loaders_;
};

// The RequestContext of a resolver (the executor always passes one).
RequestContext& request_context(const graphql::ResolveInfo& info);

}  // namespace alatar::api
