#include "http/router.hpp"

namespace alatar::http {

void Router::add(std::string path, Handler handler, RouteOptions options) {
    Route r{path, std::move(handler), options};
    routes_.insert_or_assign(std::move(path), std::move(r));
}

const Route* Router::find(std::string_view path) const {
    const auto it = routes_.find(path);
    return it == routes_.end() ? nullptr : &it->second;
}

}  // namespace alatar::http
