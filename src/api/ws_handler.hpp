#pragma once
// The graphql-transport-ws side of the API: connection_init authenticates {"token": "<session token>"} (no token:
// anonymous; a bad token: refused with 4403; the database unreachable: 4500), and every operation runs as a
// coroutine on the API's operation pool with its own RequestContext. A session is re-checked for each operation,
// so logging out stops new operations on an open socket.
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "api/executor.hpp"
#include "http/subscriptions.hpp"

namespace alatar::api {

class WsHandler final : public http::SubscriptionHandler {
  public:
    WsHandler(ApiExecutor& executor, std::size_t threads);
    ~WsHandler() override;
    WsHandler(const WsHandler&) = delete;
    WsHandler& operator=(const WsHandler&) = delete;

    boost::asio::awaitable<http::InitDecision> on_connection_init(const boost::json::object& payload,
                                                                  const http::WsConnectionInfo& connection) override;
    void subscribe(const http::WsConnectionInfo& connection, const std::string& id, const boost::json::object& payload,
                   std::shared_ptr<http::SubscriptionSink> sink) override;
    void unsubscribe(const http::WsConnectionInfo& connection, const std::string& id) override;

    // Cancels every running operation and waits for them to end (shutdown).
    void stop();
    std::size_t running() const;

  private:
    using Key = std::pair<std::uint64_t, std::string>;
    boost::asio::awaitable<void> run(http::WsConnectionInfo connection, std::string id, boost::json::object payload,
                                     std::shared_ptr<http::SubscriptionSink> sink,
                                     std::shared_ptr<OperationControl> control);
    void finished(const Key& key, const OperationControl* control);

    ApiExecutor& executor_;
    boost::asio::thread_pool pool_;
    mutable std::mutex mutex_;
    std::map<Key, std::shared_ptr<OperationControl>> running_;
};

}  // namespace alatar::api
