#pragma once
// The simulator's HTTP face: every shop under /shops/{shop}/ with Shopify's OAuth endpoints and the Admin GraphQL
// endpoint (token check, per-field scopes, calculated query cost with a leaky bucket per (app, shop), both throttle
// styles), bulk operation files at /bulk/{id}.jsonl, webhooks on API changes, and a /_sim/ admin API (faults,
// uninstall, new orders, tokens, health).
//
//     SimServer sim{options, log};
//     sim.start();          // binds (port 0 picks one), pre-creates options.precreate_shops
//     ... sim.port() ...
//     sim.stop();
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "shopify_sim/faults.hpp"
#include "shopify_sim/oauth.hpp"
#include "shopify_sim/query_cost.hpp"
#include "shopify_sim/shop_registry.hpp"
#include "shopify_sim/webhook_sender.hpp"

namespace alatar::shopify_sim {

enum class ThrottleMode { kHttp200, kHttp429 };

struct SimOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8090;
    std::size_t io_threads = 2;
    bool handle_signals = false;  // SIGTERM/SIGINT stop the server (the binary sets it)
    OAuthConfig oauth;
    ShopRegistryOptions shops;
    std::vector<std::string> precreate_shops{"demo.myshopify.test"};
    ThrottleMode throttle_mode = ThrottleMode::kHttp200;
    BucketConfig bucket = bucket_for_plan("Standard");
    FaultConfig faults;
    WebhookSenderOptions webhooks;
    std::string data_dir;  // bulk operation files; empty: a private temporary directory removed at exit
};

class SimServer {
  public:
    SimServer(SimOptions options, alatar::Logger log);
    ~SimServer();
    SimServer(const SimServer&) = delete;
    SimServer& operator=(const SimServer&) = delete;

    // Generates the pre-created shops, binds and starts serving. Throws std::system_error when it cannot bind.
    void start();
    std::uint16_t port() const;
    std::string base_url() const;  // http://host:port
    // Stops serving, cancels running bulk operations and stops the webhook sender. Idempotent.
    void stop();
    // Blocks until stopped (stop() or a handled signal).
    void wait();

    OAuthService& oauth();
    ShopRegistry& shops();
    FaultInjector& faults();
    WebhookSender& webhooks();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace alatar::shopify_sim
