#pragma once
// Per-request batch loaders, so a list of N analysis requests costs one query per child field, not N.
//
// Whoever returns objects primes their keys (e.g. listAnalysisRequests primes every request id on the page);
// the first load() fetches every primed key not yet cached in one call, later loads are served from the cache.
// The executor runs deferred resolvers one after another, so all keys of a page are primed before the first
// child resolver asks.
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace alatar::api {

class BatchLoader {
  public:
    using Batch = std::unordered_map<std::string, boost::json::value>;
    using Fetch = std::function<boost::asio::awaitable<Batch>(std::vector<std::string> keys)>;

    // `missing`: the value of a key the fetch did not return (e.g. an empty list).
    BatchLoader(Fetch fetch, boost::json::value missing) : fetch_(std::move(fetch)), missing_(std::move(missing)) {}

    void prime(const std::string& key) {
        if (!cache_.contains(key)) pending_.insert(key);
    }
    boost::asio::awaitable<boost::json::value> load(std::string key);

    std::size_t fetches() const noexcept { return fetches_; }

  private:
    Fetch fetch_;
    boost::json::value missing_;
    std::set<std::string> pending_;
    Batch cache_;
    std::size_t fetches_ = 0;
};

// The loaders of one request; their fetches are set up by the resolvers module (analysis_read.cpp).
struct Loaders {
    explicit Loaders(const std::function<BatchLoader::Fetch(std::string_view)>& make);
    BatchLoader tasks;      // request uuid -> [AgentTask]
    BatchLoader proposals;  // request uuid -> [ActionProposal]
    BatchLoader trace;      // request uuid -> [TraceSpan]
    BatchLoader results;    // request uuid -> AnalysisResult or null
    BatchLoader stores;     // store uuid -> ShopifyStore or null
};

}  // namespace alatar::api
