#include "agents/store_sync.hpp"

#include "common/config.hpp"
#include "common/crypto.hpp"
#include "common/error.hpp"
#include "db/pool.hpp"
#include "shopify/admin_client.hpp"
#include "shopify/http_client.hpp"
#include "shopify/sync.hpp"

namespace alatar::agents {

void ShopifyCallSpans::on_call(const shopify::CallRecord& call) {
    Span span;
    span.name = "shopify." + call.operation;
    span.kind = "shopify";
    span.started_at = call.started_at;
    span.duration_ms = call.duration_ms;
    span.attributes = {{"operation", call.operation},
                       {"attempts", call.attempts},
                       {"http_status", call.http_status},
                       {"outcome", call.outcome},
                       {"throttle_wait_ms", call.throttle_wait_ms}};
    if (call.requested_cost) span.attributes["requested_cost"] = *call.requested_cost;
    if (call.actual_cost) span.attributes["actual_cost"] = *call.actual_cost;
    span.error = call.error;
    add_child_span(parent_, std::move(span));
}

StoreFreshness SyncingStoreDataSource::ensure_fresh(std::string_view store_id, Deadline deadline,
                                                    shopify::CallObserver* observer) {
    sync_.ensure_fresh(store_id, deadline, observer);
    const shopify::CacheSummary cache = shopify::cache_summary(pool_, store_id);
    if (cache.orders == 0 && cache.products == 0) {
        throw Error(ErrorCode::kUpstreamUnavailable, "the store has no orders or products to analyse yet");
    }
    return StoreFreshness{cache.orders, cache.products, cache.fetched_at, cache.stale};
}

struct WorkerStoreData::Parts {
    shopify::CurlHttpClient http;
    std::unique_ptr<shopify::AdminClient> client;
    std::unique_ptr<shopify::StoreSync> sync;
};

WorkerStoreData::WorkerStoreData(db::Pool& pool, const Config& config, const Logger& log)
    : parts_(std::make_unique<Parts>()) {
    if (config.master_key.empty()) {
        log.warning("no master key: store data is read from the cache only, never synced from Shopify");
        source_ = std::make_unique<CachedStoreDataSource>(pool);
        return;
    }
    shopify::AdminClientOptions client_options;
    client_options.shop_url_template = config.shopify_shop_url;
    client_options.api_version = config.shopify_api_version;
    parts_->client = std::make_unique<shopify::AdminClient>(parts_->http, client_options, log.child("shopify"));
    shopify::StoreSyncOptions sync_options;
    sync_options.cache_ttl = std::chrono::duration_cast<std::chrono::milliseconds>(config.cache_ttl);
    sync_options.database_url = config.database_url;
    parts_->sync = std::make_unique<shopify::StoreSync>(
        pool, *parts_->client, crypto::Keyring::parse(config.master_key), sync_options, log.child("store_sync"));
    source_ = std::make_unique<SyncingStoreDataSource>(pool, *parts_->sync);
}

WorkerStoreData::~WorkerStoreData() = default;

shopify::StoreSync* WorkerStoreData::sync() noexcept { return parts_->sync.get(); }

}  // namespace alatar::agents
