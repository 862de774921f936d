#pragma once
// Test support: the real Shopify simulator (alatar-shopify-sim serve) on a free port, stopped on destruction.
#include <sys/types.h>

#include <string>
#include <vector>

namespace alatar::api::test {

inline constexpr const char* kSimAppKey = "identity-app-key";
inline constexpr const char* kSimAppSecret = "identity-app-secret";
inline constexpr const char* kSimShopSuffix = ".myshopify.test";

class SimProcess {
  public:
    // Starts `serve` with the test app key/secret and the given shops; waits until /_sim/healthz answers.
    // Throws std::runtime_error when it does not come up within 60 s.
    explicit SimProcess(const std::vector<std::string>& shops);
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    const std::string& base_url() const noexcept { return base_url_; }
    // The ALATAR_SHOPIFY_SHOP_URL template for this simulator.
    std::string shop_url_template() const { return base_url_ + "/shops/{shop}"; }

  private:
    pid_t pid_ = -1;
    std::string base_url_;
};

}  // namespace alatar::api::test
