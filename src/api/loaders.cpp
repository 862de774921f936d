#include "api/loaders.hpp"

namespace alatar::api {

namespace json = boost::json;

boost::asio::awaitable<json::value> BatchLoader::load(std::string key) {
    if (const auto it = cache_.find(key); it != cache_.end()) co_return it->second;
    pending_.insert(key);
    std::vector<std::string> keys(pending_.begin(), pending_.end());
    pending_.clear();
    ++fetches_;
    Batch fetched = co_await fetch_(keys);
    for (auto& k : keys) {
        auto it = fetched.find(k);
        cache_.insert_or_assign(k, it == fetched.end() ? missing_ : std::move(it->second));
    }
    co_return cache_.at(key);
}

Loaders::Loaders(const std::function<BatchLoader::Fetch(std::string_view)>& make)
    : tasks(make("tasks"), json::array{}),
      proposals(make("proposals"), json::array{}),
      trace(make("trace"), json::array{}),
      results(make("results"), nullptr),
      stores(make("stores"), nullptr) {}

}  // namespace alatar::api
