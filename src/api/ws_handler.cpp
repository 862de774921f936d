#include "api/ws_handler.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/serialize.hpp>

#include "api/errors.hpp"
#include "db/pool_async.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;

WsHandler::WsHandler(ApiExecutor& executor, std::size_t threads) : executor_(executor), pool_(threads) {}

WsHandler::~WsHandler() { stop(); }

asio::awaitable<http::InitDecision> WsHandler::on_connection_init(const json::object& payload,
                                                                  const http::WsConnectionInfo& connection) {
    (void)connection;
    const auto* token = payload.if_contains("token");
    if (token == nullptr || token->is_null()) co_return http::InitDecision::accept(nullptr);
    // cppcheck-suppress nullPointerRedundantCheck ; the co_return above leaves when token is null
    if (!token->is_string() || token->get_string().empty() || token->get_string().size() > 512) {
        co_return http::InitDecision::refuse();
    }
    const std::string hash = session_token_hash(token->get_string());
    auto& services = executor_.services();
    auto lookup = [&pool = services.pool, hash, policy = services.sessions] {
        return authenticate_session(pool, hash, policy, pool.default_deadline());
    };
    // Throws when the database is unreachable: the transport closes with 4500.
    const auto principal = co_await db::run_blocking(services.pool, std::move(lookup));
    if (!principal) co_return http::InitDecision::refuse();
    co_return http::InitDecision::accept(json::object{{"tokenHash", hash}});
}

void WsHandler::subscribe(const http::WsConnectionInfo& connection, const std::string& id, const json::object& payload,
                          std::shared_ptr<http::SubscriptionSink> sink) {
    auto control = std::make_shared<OperationControl>();
    {
        std::lock_guard lock{mutex_};
        running_[Key{connection.connection_id, id}] = control;
    }
    auto op = run(connection, id, payload, std::move(sink), control);
    asio::co_spawn(asio::make_strand(pool_), std::move(op), asio::detached);
}

void WsHandler::unsubscribe(const http::WsConnectionInfo& connection, const std::string& id) {
    std::shared_ptr<OperationControl> control;
    {
        std::lock_guard lock{mutex_};
        const auto it = running_.find(Key{connection.connection_id, id});
        if (it == running_.end()) return;
        control = it->second;
    }
    control->cancel();
}

void WsHandler::finished(const Key& key, const OperationControl* control) {
    std::lock_guard lock{mutex_};
    const auto it = running_.find(key);
    if (it != running_.end() && it->second.get() == control) running_.erase(it);
}

std::size_t WsHandler::running() const {
    std::lock_guard lock{mutex_};
    return running_.size();
}

void WsHandler::stop() {
    std::map<Key, std::shared_ptr<OperationControl>> all;
    {
        std::lock_guard lock{mutex_};
        all = running_;
    }
    for (auto& [key, control] : all) control->cancel();
    pool_.join();
}

asio::awaitable<void> WsHandler::run(http::WsConnectionInfo connection, std::string id, json::object payload,
                                     std::shared_ptr<http::SubscriptionSink> sink,
                                     std::shared_ptr<OperationControl> control) {
    const Key key{connection.connection_id, id};
    const std::string request_id = connection.request_id + "/" + id;
    auto log = connection.log.with({{"operation_id", id}});
    try {
        const std::string query(payload.at("query").as_string());
        std::optional<std::string> operation_name;
        if (const auto* n = payload.if_contains("operationName"); n != nullptr && n->is_string()) {
            operation_name = std::string(n->get_string());
        }
        json::object variables;
        if (const auto* v = payload.if_contains("variables"); v != nullptr && v->is_object())
            variables = v->get_object();

        const PreparedOperation op = executor_.prepare(query, operation_name);
        if (!op.document->ok()) {
            sink->error(json::serialize(ApiExecutor::request_errors(op.document->errors)));
            finished(key, control.get());
            co_return;
        }
        Credential credential;
        if (const auto* p = connection.principal.if_object(); p != nullptr && p->contains("tokenHash")) {
            credential = Credential{Credential::Kind::kBearer, std::string(p->at("tokenHash").as_string())};
        }
        const bool streaming = op.type == http::OperationType::kSubscription;
        const Deadline deadline = streaming ? Deadline::never() : Deadline::after(executor_.limits().request_timeout);
        RequestContext ctx{executor_.services(), request_id, log, deadline, credential, connection.client_address};
        ctx.control = control;

        graphql::ExecutionRequest exec;
        exec.document = op.document->document;
        exec.operation_name = operation_name;
        exec.variables = std::move(variables);
        exec.context = &ctx;
        const auto error_code = error_code_name(ErrorCode::kBadUserInput);
        if (!streaming) {
            json::object response =
                co_await graphql::execute(executor_.schema(), std::move(exec), executor_.options_for(ctx));
            ensure_error_codes(response, error_code);
            if (!response.contains("data")) {
                sink->error(json::serialize(response.at("errors")));
            } else if (sink->next(json::serialize(response))) {
                sink->complete();
            }
        } else {
            graphql::Subscription sub =
                co_await graphql::subscribe(executor_.schema(), std::move(exec), executor_.options_for(ctx));
            if (sub.failure) {
                ensure_error_codes(*sub.failure, error_code);
                if (!sub.failure->contains("data")) {
                    sink->error(json::serialize(sub.failure->at("errors")));
                } else if (sink->next(json::serialize(*sub.failure))) {
                    sink->complete();
                }
            } else {
                bool open = true;
                while (open && !control->cancelled()) {
                    auto next = co_await sub.stream->next();
                    if (!next) break;
                    ensure_error_codes(*next, error_code);
                    open = sink->next(json::serialize(*next));
                }
                sub.stream->close();
                sub.stream.reset();  // before ctx, which the stream refers to
                if (open && !control->cancelled()) sink->complete();
            }
        }
    } catch (...) {
        log.log_exception(LogLevel::kError, "websocket operation failed", std::current_exception());
        if (!sink->closed()) {
            json::array errors{
                json::object{{"message", kInternalMessage},
                             {"extensions", json::object{{"code", "INTERNAL"}, {"requestId", request_id}}}}};
            sink->error(json::serialize(errors));
        }
    }
    finished(key, control.get());
}

}  // namespace alatar::api
