#pragma once
// The simulator's shops: each one's generated Store plus what the API adds to it (webhook subscriptions, bulk
// operations), behind one mutex per shop. A shop is generated on first use with a seed derived from its domain,
// so every run serves the same data for the same domain and base seed.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shopify_sim/generator.hpp"
#include "shopify_sim/store_model.hpp"

namespace alatar::shopify_sim {

struct WebhookSubscriptionRecord {
    Id id = 0;
    std::string topic;  // GraphQL enum, "ORDERS_CREATE"
    std::string callback_url;
    std::string format = "JSON";
    std::vector<std::string> include_fields;
    Timestamp created_at = 0;
    Timestamp updated_at = 0;
};

struct BulkOperationRecord {
    Id id = 0;
    std::string status = "CREATED";  // BulkOperationStatus
    std::string query;
    std::optional<std::string> error_code;
    Timestamp created_at = 0;
    std::optional<Timestamp> completed_at;
    std::uint64_t object_count = 0;
    std::uint64_t root_object_count = 0;
    std::uint64_t file_size = 0;
    std::string url;  // set when COMPLETED
};

// One shop. Lock `mutex` for every access to the other members.
struct ShopState {
    std::mutex mutex;
    Store store;
    std::vector<WebhookSubscriptionRecord> webhooks;
    std::vector<BulkOperationRecord> bulk_operations;  // oldest first
    bool installed = true;
    Id next_webhook_id = 1;
    Id next_adjustment_group_id = 1;
};

struct ShopRegistryOptions {
    std::uint64_t seed = 42;
    Profile profile = Profile::kSmall;
    Date today = 0;  // 0: current_utc_date()
    std::string plan_display_name = "Shopify";
    std::string rate_limit_plan = "Standard";  // "Standard", "Advanced", "Plus"
};

// Thread-safe. Shops live as long as the registry.
class ShopRegistry {
  public:
    explicit ShopRegistry(ShopRegistryOptions options);

    // The shop for a normalized domain, generated now when new (outside the registry lock: other shops stay
    // available while a large one is generated).
    std::shared_ptr<ShopState> get(const std::string& domain);
    // Domains generated so far.
    std::vector<std::string> domains() const;
    // A new bulk operation id, unique over all shops (the file URL carries no shop).
    Id next_bulk_id() { return next_bulk_id_.fetch_add(1); }
    const ShopRegistryOptions& options() const { return options_; }

    // The seed a shop's data is generated from.
    static std::uint64_t shop_seed(std::uint64_t base_seed, std::string_view domain) noexcept;

  private:
    struct Slot {
        std::once_flag once;
        std::shared_ptr<ShopState> state;
    };
    ShopRegistryOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Slot>, std::less<>> shops_;
    std::atomic<Id> next_bulk_id_{1};
};

}  // namespace alatar::shopify_sim
