#pragma once
// A stand-in OpenTelemetry collector for the exporter tests: a real HTTP server on 127.0.0.1 (alatar's own) that
// records every POST to /v1/traces and answers with the next scripted status (200 once the script is used up).
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace alatar::agents::testing {

struct CollectedRequest {
    std::string content_type;
    std::string authorization;
    std::string body;
    boost::json::object json;  // the body parsed (empty when it is not a JSON object)
};

class TestCollector {
  public:
    TestCollector() {
        http::ServerOptions options;
        options.host = "127.0.0.1";
        options.port = 0;
        options.io_threads = 1;
        options.rate_limit = false;
        options.shutdown_grace = std::chrono::milliseconds{500};
        http::Router router;
        router.add(
            "/v1/traces",
            [state = state_](const http::Request& request,
                             http::RequestContext&) -> boost::asio::awaitable<http::Response> {
                CollectedRequest r;
                r.content_type = std::string(request.headers.get("Content-Type").value_or(""));
                r.authorization = std::string(request.headers.get("Authorization").value_or(""));
                r.body = request.body;
                boost::system::error_code ec;
                auto parsed = boost::json::parse(r.body, ec);
                if (!ec && parsed.is_object()) r.json = std::move(parsed.as_object());
                unsigned status = 200;
                {
                    const std::lock_guard lock{state->mutex};
                    if (!state->script.empty()) {
                        status = state->script.front();
                        state->script.pop_front();
                    }
                    state->requests.push_back(std::move(r));
                }
                co_return http::Response::json(status, status == 200 ? "{}" : R"({"message":"unavailable"})");
            },
            http::RouteOptions{.rate_limited = false});
        server_ = std::make_unique<http::Server>(std::move(options), std::move(router), Logger::null(),
                                                 std::make_shared<http::metrics::Registry>());
        server_->start();
    }

    std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1/traces"; }

    // The next answers, in order (then 200).
    void script(std::initializer_list<unsigned> statuses) {
        const std::lock_guard lock{state_->mutex};
        state_->script.insert(state_->script.end(), statuses.begin(), statuses.end());
    }

    std::vector<CollectedRequest> requests() const {
        const std::lock_guard lock{state_->mutex};
        return state_->requests;
    }

  private:
    struct State {
        std::mutex mutex;
        std::deque<unsigned> script;
        std::vector<CollectedRequest> requests;
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
    std::unique_ptr<http::Server> server_;
};

}  // namespace alatar::agents::testing
