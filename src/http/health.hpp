#pragma once
// Probe endpoints: /healthz (the process is alive), /readyz (its dependencies answer), /metrics (Prometheus).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/metrics.hpp"
#include "http/router.hpp"

namespace alatar::http {

struct ReadinessCheck {
    std::string name;  // "postgres", "rabbitmq"
    // True when the dependency answers. Runs on the request's strand; an exception counts as not ready.
    std::function<boost::asio::awaitable<bool>()> probe;
};

struct HealthOptions {
    std::vector<ReadinessCheck> checks;
    std::chrono::milliseconds check_timeout{2000};  // a probe slower than this counts as failed
};

// Registers GET /healthz (200 "ok"), /readyz (200 {"status":"ready",...} or 503 naming the failed checks) and
// /metrics (the registry's text exposition). None of them is rate limited.
void add_health_routes(Router& router, const std::shared_ptr<metrics::Registry>& registry, HealthOptions options);

}  // namespace alatar::http
