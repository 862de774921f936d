#pragma once
// A small blocking HTTP/1.1 client and a webhook receiver for the simulator's server tests (Asio stays in the .cpp).
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace alatar::shopify_sim::testing {

struct HttpReply {
    unsigned status = 0;                         // 0: no answer within the timeout (or connection failure)
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    boost::json::value json() const;  // null when the body is not JSON
};

HttpReply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers = {}, const std::string& body = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

struct ReceivedWebhook {
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

// An HTTP server on a free port that records every POST (answering 200, or 500 for the first `fail_first`).
class WebhookReceiver {
  public:
    explicit WebhookReceiver(int fail_first = 0);
    ~WebhookReceiver();
    std::uint16_t port() const;
    std::string url(const std::string& path = "/hooks") const;
    // Waits until a webhook with this X-Shopify-Topic arrived; false on timeout.
    bool wait_for(const std::string& topic, ReceivedWebhook& out,
                  std::chrono::milliseconds timeout = std::chrono::seconds(20));
    std::size_t attempts() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace alatar::shopify_sim::testing
