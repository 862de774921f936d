#include "api/request_context.hpp"

#include "api/analysis_read.hpp"
#include "api/event_hub.hpp"
#include "common/crypto.hpp"
#include "common/error.hpp"
#include "db/pool_async.hpp"

namespace alatar::api {

namespace asio = boost::asio;

std::string credential_key(std::string_view header) {
    if (header.empty()) return {};
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() > kScheme.size()) {
        bool bearer = true;
        for (std::size_t i = 0; i < kScheme.size(); ++i) {
            const char c = header[i];
            bearer = bearer && (c == kScheme[i] || (c >= 'A' && c <= 'Z' && c + ('a' - 'A') == kScheme[i]));
        }
        if (bearer) {
            std::string_view token = header.substr(kScheme.size());
            while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
            while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
            if (!token.empty() && token.size() <= 512) return "bearer:" + session_token_hash(token);
        }
    }
    return "other:" + crypto::sha256_hex(header).substr(0, 16);
}

Credential credential_from_key(std::string_view key) {
    if (key.empty()) return {};
    if (key.starts_with("bearer:")) return Credential{Credential::Kind::kBearer, std::string(key.substr(7))};
    return Credential{Credential::Kind::kInvalid, {}};
}

void OperationControl::attach(std::shared_ptr<EventQueue> queue) {
    std::unique_lock lock{mutex_};
    if (cancelled_) {
        lock.unlock();
        queue->close();
        return;
    }
    queue_ = std::move(queue);
}

void OperationControl::cancel() {
    std::shared_ptr<EventQueue> queue;
    {
        std::lock_guard lock{mutex_};
        cancelled_ = true;
        queue = std::move(queue_);
    }
    if (queue) queue->close();
}

bool OperationControl::cancelled() const {
    std::lock_guard lock{mutex_};
    return cancelled_;
}

RequestContext::RequestContext(Services& services, std::string request_id, Logger log, Deadline deadline,
                               Credential credential, std::string client_address)
    : services_(services),
      request_id_(std::move(request_id)),
      log_(std::move(log)),
      deadline_(deadline),
      credential_(std::move(credential)),
      client_address_(std::move(client_address)),
      loaders_([this](std::string_view name) { return make_fetch(*this, name); }) {}

asio::awaitable<std::optional<Principal>> RequestContext::principal() {
    if (!resolved_) {
        if (credential_.kind == Credential::Kind::kBearer) {
            // authenticate_session's statements through db::query: on an idle connection they run on this
            // thread, without a hop to the pool's threads and back.
            const SessionPolicy& policy = services_.sessions;
            const auto r = co_await db::query(
                services_.pool, std::string{kSessionLookupSql},
                db::Params{credential_.token_hash, static_cast<double>(policy.touch_interval.count())}, deadline_);
            if (!r.empty()) {
                principal_ = Principal{r.get<std::string>(0, 1), r.get<std::string>(0, 0)};  // user id, session id
                if (r.get<bool>(0, 2)) {
                    (void)co_await db::query(
                        services_.pool, std::string{kSessionTouchSql},
                        db::Params{principal_->session_id, static_cast<double>(policy.idle.count())}, deadline_);
                }
            }
            if (!principal_) credential_.kind = Credential::Kind::kInvalid;  // remembered: one lookup per request
        }
        resolved_ = true;
    }
    if (credential_.kind == Credential::Kind::kInvalid) {
        throw Error(ErrorCode::kUnauthenticated,
                    "The session is invalid, expired or revoked; sign in again (Authorization: Bearer <token>).");
    }
    co_return principal_;
}

asio::awaitable<Principal> RequestContext::require_principal() {
    auto p = co_await principal();
    if (!p) throw Error(ErrorCode::kUnauthenticated, "Sign in first.");
    co_return *p;
}

void RequestContext::reset_loaders() {
    loaders_ = Loaders([this](std::string_view name) { return make_fetch(*this, name); });
}

RequestContext& request_context(const graphql::ResolveInfo& info) {
    auto* ctx = dynamic_cast<RequestContext*>(info.context);
    if (ctx == nullptr) throw std::logic_error("resolver called without an api::RequestContext");
    return *ctx;
}

}  // namespace alatar::api
