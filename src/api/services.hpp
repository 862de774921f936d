#pragma once
// What resolvers reach: the database, the CPU pool, the login throttle, the event hub and the settings of the
// account rules. Owned by ApiServer; lives longer than every request.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/login_throttle.hpp"
#include "api/preferences.hpp"
#include "api/sessions.hpp"
#include "common/log.hpp"
#include "http/metrics.hpp"

namespace alatar::db {
class Pool;
}

namespace alatar::api {

class CpuPool;
class EventHub;
class SharedRequestReads;
struct IdentityServices;

struct Services {
    db::Pool& pool;
    CpuPool& cpu;
    LoginThrottle& throttle;
    EventHub& events;
    SessionPolicy sessions;
    std::vector<LlmModel> models;
    std::string dummy_password_hash;       // verified against when an e-mail is unknown, so timing does not tell
    std::function<void()> outbox_written;  // something was committed to the outbox: wake the relay (may be empty)
    Logger log;
    // Batched child-row queries by loader ("tasks", "stores", ...); may be null.
    http::metrics::Family<http::metrics::Counter>* loader_fetches = nullptr;
    // Shopify app, Keyring and identity providers for linking stores and platform sign-in (api/oauth_services).
    std::shared_ptr<IdentityServices> identity;
    // One read per event for all update streams of a request (may be null: each stream reads for itself).
    SharedRequestReads* request_reads = nullptr;
};

}  // namespace alatar::api
