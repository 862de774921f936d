#include "agents/store_data_source.hpp"

#include "common/error.hpp"
#include "db/pool.hpp"

namespace alatar::agents {

StoreFreshness CachedStoreDataSource::ensure_fresh(std::string_view store_id, Deadline deadline,
                                                   shopify::CallObserver* /*observer: no calls made*/) {
    const auto r = pool_.query_blocking(
        "SELECT (SELECT count(*) FROM shop_orders o WHERE o.store_id = s.id), "
        "(SELECT count(*) FROM shop_products p WHERE p.store_id = s.id), "
        "(SELECT max(fetched_at) FROM shop_orders o WHERE o.store_id = s.id), "
        "EXISTS (SELECT 1 FROM shop_orders o WHERE o.store_id = s.id AND o.expires_at < now()) "
        "FROM shopify_stores s WHERE s.id = $1",
        db::Params{store_id}, deadline);
    if (r.empty()) throw Error(ErrorCode::kNotFound, "store not found");
    StoreFreshness f;
    f.orders = r.get<std::int64_t>(0, 0);
    f.products = r.get<std::int64_t>(0, 1);
    if (auto t = r.get<std::optional<db::Timestamp>>(0, 2)) f.fetched_at = format_rfc3339(*t);
    f.stale = r.get<bool>(0, 3);
    if (f.orders == 0 && f.products == 0) {
        throw Error(ErrorCode::kUpstreamUnavailable, "the store's data has not been synced yet");
    }
    return f;
}

}  // namespace alatar::agents
