#pragma once
// Exact-path routes, prefix routes (a whole subtree to one handler) and an optional static-file fallback.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "http/static_files.hpp"
#include "http/types.hpp"

namespace alatar::http {

// A route handler. Runs on the connection's strand; may co_await anything. An exception becomes a 500 with an
// INTERNAL error carrying the request id (the details go to the log only).
using Handler = std::function<boost::asio::awaitable<Response>(const Request&, RequestContext&)>;

struct RouteOptions {
    // Subject to the per-address and per-user token buckets. Probes (/healthz, /readyz, /metrics) are not.
    bool rate_limited = true;
};

struct Route {
    std::string path;
    Handler handler;
    RouteOptions options;
};

class Router {
  public:
    // Registers `path` (exact match, e.g. "/graphql"). A second registration of a path replaces the first.
    void add(std::string path, Handler handler, RouteOptions options = {});
    // Registers every path starting with `prefix` (e.g. "/shops/" serves "/shops/a/b"). Exact routes win; among
    // prefixes the longest match wins. The route's `path` (its metrics label) is the prefix.
    void add_prefix(std::string prefix, Handler handler, RouteOptions options = {});
    // GET/HEAD requests matching no route are served from `files`.
    void set_static_files(std::shared_ptr<const StaticFiles> files) { static_ = std::move(files); }

    const Route* find(std::string_view path) const;
    const StaticFiles* static_files() const noexcept { return static_.get(); }

  private:
    std::map<std::string, Route, std::less<>> routes_;
    std::map<std::string, Route, std::greater<>> prefixes_;  // longest candidates first among equal starts
    std::shared_ptr<const StaticFiles> static_;
};

}  // namespace alatar::http
