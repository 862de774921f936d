#pragma once
// Webhook-driven increments of a store's cached Shopify data (the store.refresh job on the store_refresh queue):
//   enqueue_store_refresh - API side, inside the transaction that records a Shopify webhook: one outbox job per
//                           ACTIVE store linked to the shop, coalesced (a store with an unsent job gets no second
//                           one; migration 0008's partial unique index makes that hold under concurrency too);
//   StoreRefresher        - worker side: StoreSync::refresh_since, the updated_at-window sync under the store's
//                           lock. Idempotent: once a sync has started after the webhook, a redelivered or
//                           coalesced job finds the store synced since and calls no Admin API;
//   start_store_refresh   - the consumer of the store_refresh queue, started next to the worker's agents.
// The cached row's expiry set by the webhook stays as a fallback: with no worker running, the next analysis syncs.
#include <chrono>
#include <memory>
#include <string_view>

#include "common/config.hpp"
#include "common/log.hpp"
#include "db/transaction.hpp"
#include "mq/consumer.hpp"
#include "mq/envelope.hpp"
#include "shopify/sync.hpp"

namespace alatar::agents {

// Returns how many jobs were added (0 when the shop has no ACTIVE store or each already has one unsent).
int enqueue_store_refresh(db::Transaction& tx, std::string_view shop_domain);

struct StoreRefresherOptions {
    // Waiting for a sync held elsewhere (e.g. a running backfill) included; a job cut short is retried.
    std::chrono::milliseconds deadline{std::chrono::minutes(10)};
};

class StoreRefresher {
  public:
    StoreRefresher(shopify::StoreSync& sync, Logger log, StoreRefresherOptions options = {})
        : sync_(sync), log_(std::move(log)), options_(options) {}

    // Throws Error kBadUserInput for an envelope that breaks the store.refresh contract (dead-lettered), and the
    // transient errors of a sync (kTimeout, kUpstreamUnavailable, kRateLimited) so the job is retried. A store
    // that is gone, unlinked or whose token Shopify revoked is skipped: nothing to retry.
    shopify::RefreshResult run(const mq::Envelope& envelope);
    mq::Decision handle(const mq::Delivery& delivery);

  private:
    shopify::StoreSync& sync_;
    Logger log_;
    StoreRefresherOptions options_;
};

// The refresher and its consumer (own AMQP connection and retry publisher); kept until shutdown.
std::shared_ptr<void> start_store_refresh(shopify::StoreSync& sync, const Config& config, const Logger& log);

}  // namespace alatar::agents
