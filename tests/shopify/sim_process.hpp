#pragma once
// Test support: the real simulator binary (build/alatar-shopify-sim serve) on a free port, stopped on destruction,
// plus a migrated private database.
#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "db/test_database.hpp"

namespace alatar::shopify::testing {

inline constexpr const char* kAppKey = "test-app-key";
inline constexpr const char* kAppSecret = "test-app-secret";
inline constexpr const char* kShopSuffix = ".myshopify.test";

class SimProcess {
  public:
    // Starts `serve` with the test app key/secret, the given profile and precreated shops; waits until
    // /_sim/healthz answers. Throws std::runtime_error when it does not come up.
    SimProcess(const std::string& profile, const std::vector<std::string>& shops,
               const std::vector<std::string>& extra_args = {});
    ~SimProcess();
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    // http://127.0.0.1:PORT
    const std::string& base_url() const noexcept { return base_url_; }
    // The ALATAR_SHOPIFY_SHOP_URL template for this simulator.
    std::string shop_url_template() const { return base_url_ + "/shops/{shop}"; }

    // POST /_sim/faults with a JSON body; returns the response body. Throws on a non-200 answer.
    std::string set_faults(const std::string& json_body) const;
    // POST /_sim/shops/{shop}/tokens: an access token without the OAuth dance.
    std::string issue_token(const std::string& shop) const;

  private:
    pid_t pid_ = -1;
    std::string base_url_;
};

// Runs `alatar-shopify-sim export` for one shop into `dir` and returns the number of records per file
// ("orders.jsonl" -> 12, ...): the generator's ground truth, independent of the Admin API.
std::map<std::string, std::int64_t> export_ground_truth(const std::string& shop, const std::string& profile,
                                                        const std::string& seed, const std::string& today,
                                                        const std::string& dir);

// Applies migrations/*.sql to the database at `url`.
void migrate(const std::string& url);

// A suite's shared state when its tests need both a migrated private database and a running simulator.
// `error` says why either could not be set up: every test asserts it is empty, so a missing service fails each
// test with the reason instead of skipping.
struct SimSuite {
    db::testing::SuiteDatabase database;
    std::unique_ptr<SimProcess> sim;
    std::string error;

    // Returns whether both came up.
    bool open(const std::string& profile, const std::vector<std::string>& shops,
              const std::vector<std::string>& extra_args = {});
    void close() {
        sim.reset();
        database.close();
    }
};

}  // namespace alatar::shopify::testing
