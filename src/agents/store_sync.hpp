#pragma once
// The worker's StoreDataSource: before an analysis reads a store's cached Shopify tables, the Shopify sync brings
// them up to date (a backfill the first time, changes since the last sync once the TTL has passed, nothing while
// fresh). A store whose token Shopify revoked is marked TOKEN_REVOKED and the analysis fails with a message that
// says to link the store again.
#include <memory>
#include <string_view>

#include "agents/store_data_source.hpp"
#include "agents/tracing.hpp"
#include "common/log.hpp"
#include "shopify/admin_client.hpp"

namespace alatar {
struct Config;
}  // namespace alatar

namespace alatar::shopify {
class StoreSync;
}  // namespace alatar::shopify

namespace alatar::agents {

// Turns each Shopify call into a "shopify" span under the tool call's span: the operation name, attempts, HTTP
// status, outcome, requested and actual query cost and the throttle wait (never the document or the token).
class ShopifyCallSpans final : public shopify::CallObserver {
  public:
    explicit ShopifyCallSpans(ParentSpan parent) : parent_(std::move(parent)) {}
    void on_call(const shopify::CallRecord& call) override;

  private:
    ParentSpan parent_;
};

class SyncingStoreDataSource : public StoreDataSource {
  public:
    SyncingStoreDataSource(db::Pool& pool, shopify::StoreSync& sync) : pool_(pool), sync_(sync) {}
    // Throws Error kNotFound (unknown store), kShopifyError (store not linked, token revoked), kTimeout,
    // kUpstreamUnavailable (Shopify unreachable), kRateLimited; all with messages fit for the analysis' user.
    StoreFreshness ensure_fresh(std::string_view store_id, Deadline deadline, shopify::CallObserver* observer) override;

  private:
    db::Pool& pool_;
    shopify::StoreSync& sync_;
};

// Everything the worker needs to sync stores, built from configuration (shop URL template, API version,
// cache TTL, master key, database URL). Without a master key no token can be opened: the cache is only read.
class WorkerStoreData {
  public:
    WorkerStoreData(db::Pool& pool, const Config& config, const Logger& log);
    ~WorkerStoreData();
    WorkerStoreData(const WorkerStoreData&) = delete;
    WorkerStoreData& operator=(const WorkerStoreData&) = delete;

    StoreDataSource& source() noexcept { return *source_; }
    // The sync itself (webhook-driven refreshes); null without a master key.
    shopify::StoreSync* sync() noexcept;

  private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
    std::unique_ptr<StoreDataSource> source_;
};

}  // namespace alatar::agents
