#pragma once
// Keeps a store's cached Shopify data (the shop_* tables) filled and fresh:
//   backfill      - everything, by bulk operations (products+variants, customers, orders+line items, locations,
//                   inventory levels), then the refunds with their lines page by page for the refunded orders only
//                   (bulk queries take no connection inside a list field); rows the shop no longer has are
//                   dropped; resumes after the last finished phase (within REFUNDS: after the last written page)
//                   when an earlier attempt was cut short (e.g. by its deadline);
//   sync_changes  - products, customers and orders updated since the last sync, page by page (updated_at window,
//                   with an overlap), the refunds of the refunded ones among those orders, then the whole cache
//                   marked fresh again;
//   ensure_fresh  - nothing while the last sync is younger than the TTL, a backfill when never synced,
//                   sync_changes otherwise;
//   refresh_since - a webhook's job: sync_changes unless a sync started after the webhook arrived (never a
//                   backfill: a store whose backfill never completed is left to the next analysis).
// One sync per store at a time, across processes: a session advisory lock on a dedicated connection (released
// when the sync ends or its process dies). A caller that waited for the lock re-checks freshness first, so
// concurrent analyses of one store sync once. Progress is in store_sync_state.
// A revoked token (401) marks the store TOKEN_REVOKED and its token is dropped.
// An optional CallObserver hears every Admin API call the sync makes (the analysis' trace spans).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "shopify/admin_client.hpp"

namespace alatar::db {
class Pool;
}  // namespace alatar::db

namespace alatar::shopify {

// The store's shop and decrypted token. Throws Error kNotFound for an unknown store, kShopifyError when the
// store is not ACTIVE or has no token.
ShopCredentials load_store_credentials(db::Pool& pool, std::string_view store_id, const crypto::Keyring& keyring);
// After a TokenRevoked: status TOKEN_REVOKED, token dropped.
void mark_token_revoked(db::Pool& pool, std::string_view store_id);
// The text of a store's sync lock (a session advisory lock on hashtextextended(key, 0)). Whoever must not run
// while the store syncs (the retention purge) takes the same lock.
std::string store_sync_lock_key(std::string_view store_id);

struct SyncReport {
    bool full = false;                                         // a backfill (false: changes only)
    std::map<std::string, std::int64_t, std::less<>> written;  // rows per type ("Order", "LineItem", ...)
    std::int64_t orphans = 0;                                  // bulk children whose parent never came
};

// What the cache holds for a store (after a sync, for the analysis side).
struct CacheSummary {
    std::int64_t orders = 0;
    std::int64_t products = 0;
    std::optional<std::string> fetched_at;  // RFC 3339 UTC, newest cached order fetch
    bool stale = false;                     // some cached order is past its expires_at
};
CacheSummary cache_summary(db::Pool& pool, std::string_view store_id);

// What refresh_since did: the increment, or why it synced nothing.
struct RefreshResult {
    std::optional<SyncReport> report;  // nullopt: skipped
    std::string skipped;               // "store not found", "store not linked", "never backfilled", "synced since"
};

struct StoreSyncOptions {
    std::chrono::milliseconds cache_ttl{std::chrono::minutes(15)};  // ALATAR_CACHE_TTL
    std::string database_url;  // for the dedicated lock connection (the pool's database)
    std::chrono::milliseconds lock_poll{100};
};

class StoreSync {
  public:
    StoreSync(db::Pool& pool, AdminClient& client, crypto::Keyring keyring, StoreSyncOptions options, Logger log);

    SyncReport backfill(std::string_view store_id, Deadline deadline, CallObserver* observer = nullptr);
    SyncReport sync_changes(std::string_view store_id, Deadline deadline, CallObserver* observer = nullptr);
    // nullopt when the cache was fresh (or another worker's sync made it fresh meanwhile). Throws Error
    // kNotFound for an unknown store, kShopifyError for a store that is not linked (any more), TokenRevoked,
    // kTimeout when the deadline passes (waiting for another sync included).
    std::optional<SyncReport> ensure_fresh(std::string_view store_id, Deadline deadline,
                                           CallObserver* observer = nullptr);

    // Makes the cache hold every change Shopify announced before `requested_at` (RFC 3339 on the database's
    // clock, when the webhook was recorded): under the store's lock, an incremental sync unless a sync that
    // started at or after `requested_at` already finished (so a redelivered or coalesced job costs no Admin API
    // call), the store is not ACTIVE, or it was never backfilled. Throws like sync_changes.
    RefreshResult refresh_since(std::string_view store_id, std::string_view requested_at, Deadline deadline,
                                CallObserver* observer = nullptr);

  private:
    // "" when refresh_since has to sync, else why not.
    std::string refresh_skip_reason(std::string_view store_id, std::string_view requested_at);
    enum class Need { kNothing, kBackfill, kChanges };
    Need need(std::string_view store_id);
    SyncReport run_backfill(std::string_view store_id, Deadline deadline, CallObserver* observer);
    SyncReport run_changes(std::string_view store_id, Deadline deadline, CallObserver* observer);
    void run_bulk_phase(const ShopCredentials& shop, std::string_view store_id, std::string_view phase,
                        const std::string& query, SyncReport& report, Deadline deadline, CallObserver* observer);
    template <class F>
    SyncReport run_tracked(std::string_view store_id, bool full, F&& body);
    void set_phase(std::string_view store_id, std::string_view phase, double progress);

    db::Pool& pool_;
    AdminClient& client_;
    crypto::Keyring keyring_;
    StoreSyncOptions options_;
    Logger log_;
};

}  // namespace alatar::shopify
