#pragma once
// How the Data Retrieval department makes sure a store's cached Shopify data is there and fresh enough.
// The Shopify sync implements this interface (fetching what is missing or stale); until then, and in tests
// over seeded caches, CachedStoreDataSource only inspects the cache.
#include <optional>
#include <string>
#include <string_view>

#include "common/time.hpp"

namespace alatar::db {
class Pool;
}  // namespace alatar::db

namespace alatar::shopify {
class CallObserver;
}  // namespace alatar::shopify

namespace alatar::agents {

struct StoreFreshness {
    std::int64_t orders{0};
    std::int64_t products{0};
    std::optional<std::string> fetched_at;  // RFC 3339, newest cached order fetch
    bool stale{false};                      // some cached order is past its expires_at
};

class StoreDataSource {
  public:
    virtual ~StoreDataSource() = default;
    // Throws alatar::Error: kNotFound for an unknown store, kUpstreamUnavailable when data cannot be had.
    // `observer` (may be null) hears every Shopify call made to bring the data up to date.
    virtual StoreFreshness ensure_fresh(std::string_view store_id, Deadline deadline,
                                        shopify::CallObserver* observer) = 0;
};

// Checks that the cache holds the store and reports its freshness; never fetches. A store with no cached
// orders and products is an error (nothing to analyse).
class CachedStoreDataSource : public StoreDataSource {
  public:
    explicit CachedStoreDataSource(db::Pool& pool) : pool_(pool) {}
    StoreFreshness ensure_fresh(std::string_view store_id, Deadline deadline, shopify::CallObserver* observer) override;

  private:
    db::Pool& pool_;
};

}  // namespace alatar::agents
