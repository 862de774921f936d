#include "http/health.hpp"

#include <boost/json.hpp>

#include "http/detail/with_timeout.hpp"

namespace alatar::http {

namespace asio = boost::asio;

namespace {

asio::awaitable<bool> run_check(const ReadinessCheck& check, std::chrono::milliseconds timeout) {
    try {
        const auto result = co_await detail::with_timeout(check.probe(), timeout);
        co_return result.value_or(false);
    } catch (const std::exception&) {
        co_return false;
    }
}

}  // namespace

void add_health_routes(Router& router, const std::shared_ptr<metrics::Registry>& registry, HealthOptions options) {
    const RouteOptions probe{.rate_limited = false};
    router.add(
        "/healthz",
        [](const Request&, RequestContext&) -> asio::awaitable<Response> { co_return Response::text(200, "ok\n"); },
        probe);

    auto shared = std::make_shared<HealthOptions>(std::move(options));
    router.add(
        "/readyz",
        [shared](const Request&, RequestContext& ctx) -> asio::awaitable<Response> {
            boost::json::array failed;
            boost::json::object checks;  // every check by name, so an operator sees what was looked at
            for (const auto& check : shared->checks) {
                const bool ok = co_await run_check(check, shared->check_timeout);
                checks[check.name] = ok ? "ok" : "failed";
                if (!ok) failed.emplace_back(check.name);
            }
            const bool ready = failed.empty();
            boost::json::object body;
            body["status"] = ready ? "ready" : "unavailable";
            body["checks"] = std::move(checks);
            if (!ready) {
                ctx.log.warning("not ready", {{"failed", boost::json::serialize(failed)}});
                body["failed"] = std::move(failed);
            }
            co_return Response::json(ready ? 200 : 503, boost::json::serialize(body));
        },
        probe);

    router.add(
        "/metrics",
        [registry](const Request&, RequestContext&) -> asio::awaitable<Response> {
            co_return Response::text(200, registry->expose(), metrics::kExpositionContentType);
        },
        probe);
}

}  // namespace alatar::http
