#pragma once
// Data retention: the purge job that keeps the database from growing without bound.
//
//   cached Shopify data - purged per store, never row by row: a store whose cache has not been synced (nor a sync
//                         started) for longer than cache_retention loses ALL its shop_* rows and its sync state is
//                         reset (last_synced_at NULL, store_sync_state PENDING without cursor), so the next analysis
//                         backfills from scratch. Dropping single stale rows instead would break the incremental
//                         sync, which never re-fetches rows that did not change upstream.
//   trace spans         - trace_spans started longer than trace_retention ago.
//   never touched       - audit_log, analysis requests and results, agent tasks, action proposals and executions.
//
// Deletes run in bounded batches (each its own short statement), so no purge holds long locks. A whole run holds
// a session advisory lock, so one worker of many runs it at a time; a store is purged only under the store's sync
// lock (the key StoreSync uses), so a purge and a sync of the same store exclude each other: a store whose sync is
// running is skipped until the next run.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "app/commands.hpp"
#include "common/log.hpp"

namespace alatar {
struct Config;
}  // namespace alatar

namespace alatar::agents {

struct RetentionOptions {
    std::string database_url;  // a dedicated connection holds the locks and runs the deletes
    std::chrono::milliseconds cache_retention{std::chrono::hours(24 * 30)};
    std::chrono::milliseconds trace_retention{std::chrono::hours(24 * 30)};
    std::int64_t batch_size = 5000;  // rows per DELETE statement
    // Per batch; a stop request is seen between batches, so this also bounds how long a stopping worker waits.
    std::chrono::milliseconds statement_timeout{std::chrono::seconds(10)};
};

// database_url, cache_retention and trace_retention from the process configuration.
RetentionOptions retention_options(const Config& config);

struct RetentionReport {
    bool ran = false;                                             // false: another process was running the purge
    bool stopped = false;                                         // the stop token interrupted the run
    std::vector<std::string> purged_stores;                       // store ids whose cache was purged
    std::vector<std::string> busy_stores;                         // due, but syncing: left for the next run
    std::map<std::string, std::int64_t, std::less<>> cache_rows;  // deleted rows per shop_* table
    std::int64_t trace_spans = 0;                                 // deleted spans
    std::int64_t batches = 0;                                     // DELETE statements issued
    double duration_ms = 0;

    std::int64_t cache_rows_total() const;
    // {"ran":..,"purged_stores":[..],"busy_stores":[..],"cache_rows":{..},"trace_spans":..,"batches":..,...}
    std::string to_json() const;
};

// One purge run. Throws db errors (connection lost, statement timeout) to the caller; what was deleted before
// stays deleted, and a store interrupted half-way is finished by the next run.
RetentionReport run_retention(const RetentionOptions& options, std::stop_token stop = {});

// The scheduled job of a worker: runs the purge on its own thread every `interval` (the first run after
// min(interval, 1 min), so start-up settles first); logs one line per run with the counts. Stops (and joins) on
// destruction; a run in progress stops after its current batch.
class RetentionJob {
  public:
    RetentionJob(RetentionOptions options, std::chrono::milliseconds interval, Logger log);
    ~RetentionJob() = default;  // jthread: request_stop() and join()
    RetentionJob(const RetentionJob&) = delete;
    RetentionJob& operator=(const RetentionJob&) = delete;

    // Completed runs (that took the lock or found it taken), for tests and metrics.
    std::int64_t runs() const noexcept { return runs_.load(); }

  private:
    void loop(const std::stop_token& stop);

    RetentionOptions options_;
    std::chrono::milliseconds interval_;
    Logger log_;
    std::atomic<std::int64_t> runs_{0};
    std::jthread thread_;  // last: started after every member it uses, stopped first
};

// The job for `alatar worker`, or nullptr when retention_interval is 0.
std::unique_ptr<RetentionJob> start_retention_job(const Config& config, const Logger& log);

// `alatar retention run [--config FILE]`: one purge now, the report as JSON on stdout. Exit 0 when it ran,
// 3 when another process holds the purge lock, 1 on failure, 2 on bad arguments.
int run_retention_command(alatar::app::Args args);

}  // namespace alatar::agents
