#pragma once
// Delivers webhooks on a background thread: one HTTP/1.1 POST per delivery (plain http; the simulator talks to
// local receivers), a few attempts with exponential backoff when the receiver fails or answers non-2xx.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/log.hpp"

namespace alatar::shopify_sim {

struct WebhookSenderOptions {
    int attempts = 4;
    std::chrono::milliseconds first_backoff{500};
    std::chrono::milliseconds timeout{5000};
};

struct OutgoingWebhook {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

// One POST; true on a 2xx answer. Exposed for tests.
bool post_once(const OutgoingWebhook& hook, std::chrono::milliseconds timeout, unsigned* status = nullptr);

class WebhookSender {
  public:
    WebhookSender(alatar::Logger log, WebhookSenderOptions options);
    ~WebhookSender();
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    void send(OutgoingWebhook hook);
    // Stops after the delivery in progress; undelivered webhooks are dropped (and logged).
    void stop();

    std::uint64_t delivered() const;
    std::uint64_t failed() const;

  private:
    void run();

    alatar::Logger log_;
    WebhookSenderOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<OutgoingWebhook> queue_;
    bool stopping_ = false;
    std::uint64_t delivered_ = 0;
    std::uint64_t failed_ = 0;
    std::thread worker_;
};

}  // namespace alatar::shopify_sim
