#include "http/router.hpp"

namespace alatar::http {

void Router::add(std::string path, Handler handler, RouteOptions options) {
    Route r{path, std::move(handler), options};
    routes_.insert_or_assign(std::move(path), std::move(r));
}

void Router::add_prefix(std::string prefix, Handler handler, RouteOptions options) {
    Route r{prefix, std::move(handler), options};
    prefixes_.insert_or_assign(std::move(prefix), std::move(r));
}

const Route* Router::find(std::string_view path) const {
    if (const auto it = routes_.find(path); it != routes_.end()) return &it->second;
    // Few prefixes are registered; a linear scan in descending order meets the longest match first.
    for (const auto& [prefix, route] : prefixes_) {
        if (path.starts_with(prefix)) return &route;
    }
    return nullptr;
}

}  // namespace alatar::http
