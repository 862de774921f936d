#include "shopify_sim/query_cost.hpp"

#include <algorithm>
#include <cmath>

namespace alatar::shopify_sim {
namespace {

namespace json = boost::json;

std::int64_t requested_of(const CostSelection& s);

std::int64_t requested_of_all(const std::vector<CostSelection>& selections) {
    std::int64_t sum = 0;
    for (const auto& s : selections) sum += requested_of(s);
    return sum;
}

// Inside a connection, edges/node/nodes/pageInfo are part of the connection itself; what they select is
// charged per node.
std::int64_t per_node_requested(const std::vector<CostSelection>& selections) {
    std::int64_t sum = 0;
    for (const auto& s : selections) {
        if (s.response_key == "edges" || s.response_key == "node" || s.response_key == "nodes") {
            sum += per_node_requested(s.children);
        } else if (s.response_key != "pageInfo") {
            sum += requested_of(s);
        }
    }
    return sum;
}

std::int64_t requested_of(const CostSelection& s) {
    switch (s.kind) {
        case CostSelection::Kind::kLeaf:
            return 0;
        case CostSelection::Kind::kObject:
            return 1 + requested_of_all(s.children);
        case CostSelection::Kind::kConnection:
            return 2 + s.page_size + s.page_size * per_node_requested(s.children);
        case CostSelection::Kind::kAlternatives: {
            std::int64_t best = 0;
            for (const auto& c : s.children) best = std::max(best, requested_of_all(c.children));
            return best;
        }
    }
    return 0;
}

std::int64_t actual_of(const CostSelection& s, const json::value* value);

std::int64_t actual_of_all(const std::vector<CostSelection>& selections, const json::value* object) {
    std::int64_t sum = 0;
    const json::object* obj = object != nullptr ? object->if_object() : nullptr;
    for (const auto& s : selections) {
        if (s.kind == CostSelection::Kind::kAlternatives) {
            std::int64_t best = 0;
            for (const auto& c : s.children) best = std::max(best, actual_of_all(c.children, object));
            sum += best;
            continue;
        }
        const json::value* field = obj != nullptr ? obj->if_contains(s.response_key) : nullptr;
        sum += actual_of(s, field);
    }
    return sum;
}

// One node's own selections (without the node object itself, which the connection's size already counts).
std::int64_t per_node_actual(const std::vector<CostSelection>& selections, const json::value& node) {
    std::int64_t sum = 0;
    for (const auto& s : selections) {
        if (s.response_key == "edges" || s.response_key == "node" || s.response_key == "nodes" ||
            s.response_key == "pageInfo") {
            continue;
        }
        sum += actual_of_all({s}, &node);
    }
    return sum;
}

std::int64_t actual_of(const CostSelection& s, const json::value* value) {
    if (value == nullptr || value->is_null()) return 0;
    switch (s.kind) {
        case CostSelection::Kind::kLeaf:
        case CostSelection::Kind::kAlternatives:
            return 0;
        case CostSelection::Kind::kObject:
            if (const auto* arr = value->if_array()) {
                std::int64_t sum = 0;
                for (const auto& item : *arr) sum += 1 + actual_of_all(s.children, &item);
                return sum;
            }
            return 1 + actual_of_all(s.children, value);
        case CostSelection::Kind::kConnection: {
            const json::object* conn = value->if_object();
            if (conn == nullptr) return 0;
            // Each node's nested selections, found under edges[].node or nodes[].
            std::vector<const json::value*> nodes;
            std::vector<CostSelection> node_selections;
            // Each node's nested selections, found under nodes[] or else edges[].node.
            for (const auto& child : s.children) {
                if (child.response_key == "nodes") {
                    if (const auto* v = conn->if_contains("nodes"); v != nullptr && v->is_array()) {
                        for (const auto& n : v->get_array()) nodes.push_back(&n);
                    }
                    node_selections = child.children;
                }
            }
            for (const auto& child : s.children) {
                if (child.response_key != "edges" || !nodes.empty()) continue;
                if (const auto* v = conn->if_contains("edges"); v != nullptr && v->is_array()) {
                    for (const auto& e : v->get_array()) {
                        const json::object* edge = e.if_object();
                        const json::value* n = edge != nullptr ? edge->if_contains("node") : nullptr;
                        if (n != nullptr) nodes.push_back(n);
                    }
                }
                for (const auto& grand : child.children) {
                    if (grand.response_key == "node") node_selections = grand.children;
                }
            }
            std::int64_t count = 0;
            if (const auto* v = conn->if_contains("nodes"); v != nullptr && v->is_array())
                count = static_cast<std::int64_t>(v->get_array().size());
            if (const auto* v = conn->if_contains("edges"); v != nullptr && v->is_array()) {
                count = std::max(count, static_cast<std::int64_t>(v->get_array().size()));
            }
            std::int64_t sum = 2 + count;
            for (const auto* n : nodes) sum += per_node_actual(node_selections, *n);
            return sum;
        }
    }
    return 0;
}

}  // namespace

std::int64_t requested_cost(const CostOperation& operation) {
    if (operation.mutation)
        return kMutationCost * static_cast<std::int64_t>(std::max<std::size_t>(1, operation.roots.size()));
    return requested_of_all(operation.roots);
}

std::int64_t actual_cost(const CostOperation& operation, const boost::json::value& data) {
    if (operation.mutation) return requested_cost(operation);
    return std::min(requested_cost(operation), actual_of_all(operation.roots, &data));
}

BucketConfig bucket_for_plan(std::string_view plan) {
    if (plan == "Advanced") return {4000, 200};
    if (plan == "Plus") return {20000, 1000};
    if (plan == "Enterprise") return {40000, 2000};
    return {2000, 100};  // Standard
}

LeakyBucket::LeakyBucket(BucketConfig config, double now)
    : config_(config), available_(config.maximum_available), updated_(now) {}

void LeakyBucket::refill(double now) {
    if (now > updated_) {
        available_ = std::min(config_.maximum_available, available_ + (now - updated_) * config_.restore_rate);
        updated_ = now;
    }
}

bool LeakyBucket::try_charge(double cost, double now) {
    refill(now);
    if (cost > available_) return false;
    available_ -= cost;
    return true;
}

void LeakyBucket::refund(double points, double now) {
    refill(now);
    available_ = std::min(config_.maximum_available, available_ + std::max(0.0, points));
}

void LeakyBucket::drain_to(double available, double now) {
    refill(now);
    available_ = std::clamp(available, 0.0, available_);
}

ThrottleStatus LeakyBucket::status(double now) {
    refill(now);
    return {config_.maximum_available, available_, config_.restore_rate};
}

LeakyBucket& BucketRegistry::bucket_locked(const std::string& app, const std::string& shop, const BucketConfig& config,
                                           double now) {
    auto it = buckets_.find({app, shop});
    if (it == buckets_.end()) it = buckets_.emplace(std::make_pair(app, shop), LeakyBucket{config, now}).first;
    return it->second;
}

BucketRegistry::Charge BucketRegistry::charge(const std::string& app, const std::string& shop,
                                              const BucketConfig& config, double cost, double now) {
    const std::lock_guard lock(mutex_);
    LeakyBucket& bucket = bucket_locked(app, shop, config, now);
    const bool allowed = bucket.try_charge(cost, now);
    return {allowed, bucket.status(now)};
}

ThrottleStatus BucketRegistry::refund(const std::string& app, const std::string& shop, double points, double now) {
    const std::lock_guard lock(mutex_);
    const auto it = buckets_.find({app, shop});
    if (it == buckets_.end()) return {};
    it->second.refund(points, now);
    return it->second.status(now);
}

void BucketRegistry::drain(const std::string& app, const std::string& shop, const BucketConfig& config,
                           double available, double now) {
    const std::lock_guard lock(mutex_);
    bucket_locked(app, shop, config, now).drain_to(available, now);
}

boost::json::object cost_extension(std::int64_t requested, std::optional<std::int64_t> actual,
                                   const ThrottleStatus& status) {
    json::object throttle;
    throttle["maximumAvailable"] = status.maximum_available;
    // Shopify reports whole points currently available.
    throttle["currentlyAvailable"] = static_cast<std::int64_t>(std::floor(status.currently_available));
    throttle["restoreRate"] = status.restore_rate;
    json::object cost;
    cost["requestedQueryCost"] = requested;
    if (actual) {
        cost["actualQueryCost"] = *actual;
    } else {
        cost["actualQueryCost"] = nullptr;
    }
    cost["throttleStatus"] = std::move(throttle);
    return cost;
}

boost::json::object throttled_response(std::int64_t requested, const ThrottleStatus& status) {
    json::object error;
    error["message"] = "Throttled";
    error["extensions"] =
        json::object{{"code", "THROTTLED"}, {"documentation", "https://shopify.dev/api/usage/rate-limits"}};
    json::object body;
    body["errors"] = json::array{std::move(error)};
    body["extensions"] = json::object{{"cost", cost_extension(requested, std::nullopt, status)}};
    return body;
}

boost::json::object max_cost_exceeded_response(std::int64_t requested, const ThrottleStatus& status) {
    json::object error;
    error["message"] = "Query cost is " + std::to_string(requested) +
                       ", which exceeds the single query max cost limit (" + std::to_string(kMaxSingleQueryCost) +
                       ").\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n"
                       "cost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk "
                       "operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-"
                       "with-admin-api for usage details.\n";
    error["extensions"] =
        json::object{{"code", "MAX_COST_EXCEEDED"}, {"cost", requested}, {"maxCost", kMaxSingleQueryCost}};
    json::object body;
    body["errors"] = json::array{std::move(error)};
    body["extensions"] = json::object{{"cost", cost_extension(requested, std::nullopt, status)}};
    return body;
}

double seconds_until_available(const ThrottleStatus& status, double cost) {
    if (status.currently_available >= cost || status.restore_rate <= 0) return 0;
    return (cost - status.currently_available) / status.restore_rate;
}

}  // namespace alatar::shopify_sim
