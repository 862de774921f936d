#pragma once
// Shopify's calculated query cost and its leaky bucket (reference §3.6).
//
// Requested cost is computed from the query before it runs: scalars and enums 0, objects 1, a connection
// 2 plus its page size (first/last) with everything selected inside its nodes counted once per node,
// a mutation field 10, abstract types the most expensive alternative. A query costing more than 1,000 is
// refused. Actual cost is the same sum over what the response really contains; the difference is refunded.
//
// The selection tree is our own small struct so the calculator does not depend on the GraphQL engine's AST;
// an adapter builds it from a parsed operation.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alatar::shopify_sim {

inline constexpr std::int64_t kMaxSingleQueryCost = 1000;
inline constexpr std::int64_t kMutationCost = 10;

struct CostSelection {
    enum class Kind {
        kLeaf,          // scalar or enum field: free
        kObject,        // object field: 1 + its selections
        kConnection,    // 2 + page_size, selections under edges/node/nodes counted per node
        kAlternatives,  // fragments on an abstract type: the most expensive child counts
    };
    Kind kind = Kind::kLeaf;
    std::string response_key;  // alias or field name, to find the field in the response
    std::int64_t page_size = 0;
    std::vector<CostSelection> children;
    bool list = false;  // a list field (e.g. Order.refunds): bulk queries take no connection inside one
};

struct CostOperation {
    bool mutation = false;
    std::vector<CostSelection> roots;
};

std::int64_t requested_cost(const CostOperation& operation);
// What the response holds: connection sizes as returned, null objects free. Never above the requested cost.
std::int64_t actual_cost(const CostOperation& operation, const boost::json::value& data);

struct BucketConfig {
    double maximum_available = 2000;
    double restore_rate = 100;  // points per second
};

// Per-plan buckets (restore rate from Shopify's table; bucket size 20 s of restore, configurable).
BucketConfig bucket_for_plan(std::string_view plan);

struct ThrottleStatus {
    double maximum_available = 0;
    double currently_available = 0;
    double restore_rate = 0;
};

// A leaky bucket of points refilled continuously at restore_rate up to maximum_available. Time is passed in
// (seconds on a monotonic clock) so tests control it.
class LeakyBucket {
  public:
    LeakyBucket(BucketConfig config, double now);
    // Takes `cost` points when that many are available; otherwise takes nothing and returns false.
    bool try_charge(double cost, double now);
    // Gives points back (requested minus actual), capped at the maximum.
    void refund(double points, double now);
    // Empties the bucket down to `available` points (the "throttle pressure" fault).
    void drain_to(double available, double now);
    ThrottleStatus status(double now);
    const BucketConfig& config() const { return config_; }

  private:
    void refill(double now);
    BucketConfig config_;
    double available_;
    double updated_;
};

// One bucket per (app, shop), created on first use with the shop's plan. Thread-safe.
class BucketRegistry {
  public:
    struct Charge {
        bool allowed = false;
        ThrottleStatus status;  // after the charge (or the refusal)
    };

    Charge charge(const std::string& app, const std::string& shop, const BucketConfig& config, double cost, double now);
    ThrottleStatus refund(const std::string& app, const std::string& shop, double points, double now);
    void drain(const std::string& app, const std::string& shop, const BucketConfig& config, double available,
               double now);

  private:
    LeakyBucket& bucket_locked(const std::string& app, const std::string& shop, const BucketConfig& config, double now);
    std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, LeakyBucket> buckets_;
};

// {"requestedQueryCost":..,"actualQueryCost":..|null,"throttleStatus":{"maximumAvailable":..,
//  "currentlyAvailable":..,"restoreRate":..}}
boost::json::object cost_extension(std::int64_t requested, std::optional<std::int64_t> actual,
                                   const ThrottleStatus& status);

// The whole THROTTLED response body: errors plus extensions.cost, no data.
boost::json::object throttled_response(std::int64_t requested, const ThrottleStatus& status);
// The response body for a query over kMaxSingleQueryCost.
boost::json::object max_cost_exceeded_response(std::int64_t requested, const ThrottleStatus& status);

// Seconds until `cost` points are available (0 when they are now).
double seconds_until_available(const ThrottleStatus& status, double cost);

}  // namespace alatar::shopify_sim
