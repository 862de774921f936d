#include "agents/retention.hpp"

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <optional>
#include <string_view>

#include "common/config.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "db/connection.hpp"
#include "db/params.hpp"
#include "shopify/sync.hpp"

namespace alatar::agents {

namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// Every table of a store's cache, children before their parents: each batch then deletes exactly the rows it
// names (no ON DELETE CASCADE fan-out hidden behind a "small" batch).
constexpr std::array<std::string_view, 9> kCacheTables = {
    "shop_refund_line_items", "shop_refunds",   "shop_order_line_items", "shop_orders",    "shop_product_variants",
    "shop_products",          "shop_customers", "shop_inventory_levels", "shop_locations",
};

// One purge at a time across all processes.
constexpr std::string_view kRunLockKey = "alatar.retention";
// Marks a store whose purge started: a run cut short is finished by the next one, whatever its age.
constexpr std::string_view kPurgingPhase = "PURGING";

double seconds(std::chrono::milliseconds d) { return std::chrono::duration<double>(d).count(); }

bool try_lock(db::Connection& conn, const std::string& key) {
    return conn.exec("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", db::Params{key}).get<bool>(0, 0);
}

void unlock(db::Connection& conn, const std::string& key) {
    conn.exec("SELECT pg_advisory_unlock(hashtextextended($1, 0))", db::Params{key});
}

// A store is due when its purge was started and not finished, or when nothing touched its cache (link, sync
// started or finished, sync state change) for longer than the retention age and there is something to purge.
std::string due_stores_sql(std::string_view only_store) {
    std::string has_cache;
    for (const auto table : kCacheTables) {
        has_cache += " OR EXISTS (SELECT 1 FROM " + std::string(table) + " c WHERE c.store_id = s.id)";
    }
    return "SELECT s.id::text FROM shopify_stores s LEFT JOIN store_sync_state ss ON ss.store_id = s.id WHERE (" +
           std::string(only_store) + ") AND (ss.phase = '" + std::string(kPurgingPhase) +
           "' OR (greatest(s.linked_at, s.last_synced_at, ss.started_at, ss.updated_at) < "
           "now() - make_interval(secs => $1) AND (s.last_synced_at IS NOT NULL OR ss.cursor IS NOT NULL" +
           has_cache + "))) ORDER BY s.id";
}

class Purge {
  public:
    Purge(const RetentionOptions& options, std::stop_token stop, RetentionReport& report)
        : options_(options),
          stop_(std::move(stop)),
          report_(report),
          conn_(options.database_url, Deadline::after(std::chrono::seconds(10))) {
        conn_.set_statement_timeout(options.statement_timeout);
    }

    void run() {
        if (!try_lock(conn_, std::string(kRunLockKey))) return;
        report_.ran = true;
        purge_stores();
        if (!stopped()) purge_spans();
        unlock(conn_, std::string(kRunLockKey));
    }

  private:
    bool stopped() {
        if (stop_.stop_requested()) report_.stopped = true;
        return report_.stopped;
    }

    void purge_stores() {
        const auto due = conn_.exec(due_stores_sql("true"), db::Params{seconds(options_.cache_retention)});
        for (int i = 0; i < due.rows() && !stopped(); ++i) {
            const auto store_id = due.get<std::string>(i, 0);
            const auto key = shopify::store_sync_lock_key(store_id);  // a purge and a sync exclude each other
            if (!try_lock(conn_, key)) {
                report_.busy_stores.push_back(store_id);
                continue;
            }
            // Again under the lock: a sync that held it meanwhile may have refreshed the cache.
            const bool still_due =
                !conn_.exec(due_stores_sql("s.id = $2::uuid"), db::Params{seconds(options_.cache_retention), store_id})
                     .empty();
            if (still_due && purge_store(store_id)) report_.purged_stores.push_back(store_id);
            unlock(conn_, key);
        }
    }

    // Resets the sync state first: if the purge is cut short, the store is re-backfilled (or purged again)
    // rather than synced incrementally on top of a half-deleted cache. false when stopped half-way.
    bool purge_store(const std::string& store_id) {
        conn_.exec(
            "WITH s AS (UPDATE shopify_stores SET last_synced_at = NULL WHERE id = $1::uuid RETURNING id) "
            "INSERT INTO store_sync_state (store_id, phase) SELECT id, $2 FROM s ON CONFLICT (store_id) DO UPDATE "
            "SET phase = $2, cursor = NULL, progress = 0, started_at = NULL",
            db::Params{store_id, std::string(kPurgingPhase)});
        for (const auto table : kCacheTables) {
            const auto deleted =
                delete_batched("DELETE FROM " + std::string(table) + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " +
                                   std::string(table) + " WHERE store_id = $1::uuid LIMIT $2))",
                               store_id);
            if (deleted > 0) report_.cache_rows[std::string(table)] += deleted;
            if (stopped()) return false;
        }
        // As if never synced: the next analysis backfills. A disconnected store keeps its CANCELLED state.
        conn_.exec(
            "UPDATE store_sync_state ss SET phase = CASE WHEN s.status = 'ACTIVE' THEN 'PENDING' ELSE 'CANCELLED' END, "
            "last_error = CASE WHEN s.status = 'ACTIVE' THEN NULL ELSE ss.last_error END "
            "FROM shopify_stores s WHERE s.id = ss.store_id AND ss.store_id = $1::uuid",
            db::Params{store_id});
        return true;
    }

    void purge_spans() {
        report_.trace_spans = delete_batched(
            "DELETE FROM trace_spans WHERE ctid = ANY(ARRAY(SELECT ctid FROM trace_spans "
            "WHERE started_at < now() - make_interval(secs => $1) LIMIT $2))",
            seconds(options_.trace_retention));
    }

    // Runs `sql` ($1 = arg, $2 = batch size) until a batch deletes fewer rows than the batch size.
    template <class Arg>
    std::int64_t delete_batched(const std::string& sql, const Arg& arg) {
        std::int64_t total = 0;
        for (;;) {
            const auto n = conn_.exec(sql, db::Params{arg, options_.batch_size}).affected_rows();
            ++report_.batches;
            total += n;
            if (n < options_.batch_size || stopped()) return total;
        }
    }

    const RetentionOptions& options_;
    std::stop_token stop_;
    RetentionReport& report_;
    db::Connection conn_;  // holds the session advisory locks: closing it releases them
};

}  // namespace

RetentionOptions retention_options(const Config& config) {
    RetentionOptions out;
    out.database_url = config.database_url;
    out.cache_retention = config.cache_retention;
    out.trace_retention = config.trace_retention;
    return out;
}

std::int64_t RetentionReport::cache_rows_total() const {
    std::int64_t total = 0;
    for (const auto& [table, n] : cache_rows) total += n;
    return total;
}

std::string RetentionReport::to_json() const {
    json::object rows;
    for (const auto& [table, n] : cache_rows) rows[table] = n;
    return json::serialize(json::object{
        {"ran", ran},
        {"stopped", stopped},
        {"purged_stores", json::array(purged_stores.begin(), purged_stores.end())},
        {"busy_stores", json::array(busy_stores.begin(), busy_stores.end())},
        {"cache_rows", std::move(rows)},
        {"trace_spans", trace_spans},
        {"batches", batches},
        {"duration_ms", std::llround(duration_ms)},
    });
}

RetentionReport run_retention(const RetentionOptions& options, std::stop_token stop) {
    if (options.batch_size < 1) throw Error(ErrorCode::kInternal, "retention batch size must be positive");
    RetentionReport report;
    const auto started = Clock::now();
    Purge(options, std::move(stop), report).run();
    report.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    return report;
}

RetentionJob::RetentionJob(RetentionOptions options, std::chrono::milliseconds interval, Logger log)
    : options_(std::move(options)),
      interval_(interval),
      log_(std::move(log)),
      thread_([this](const std::stop_token& stop) { loop(stop); }) {}

void RetentionJob::loop(const std::stop_token& stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    auto delay = std::min<std::chrono::milliseconds>(interval_, std::chrono::minutes(1));
    for (;;) {
        {
            std::unique_lock lock(mutex);
            // The predicate never holds: this waits for the delay or for a stop request, whichever comes first.
            if (wake.wait_for(lock, stop, delay, [] { return false; }) || stop.stop_requested()) return;
        }
        delay = interval_;
        try {
            const auto r = run_retention(options_, stop);
            ++runs_;
            if (!r.ran) {
                log_.debug("retention purge skipped: another process runs it");
                continue;
            }
            log_.info("retention purge", {{"stores_purged", r.purged_stores.size()},
                                          {"stores_busy", r.busy_stores.size()},
                                          {"cache_rows", r.cache_rows_total()},
                                          {"trace_spans", r.trace_spans},
                                          {"batches", r.batches},
                                          {"stopped", r.stopped},
                                          {"dur_ms", r.duration_ms}});
        } catch (const std::exception& e) {
            log_.log_exception(LogLevel::kError, "retention purge failed", e);
        }
    }
}

std::unique_ptr<RetentionJob> start_retention_job(const Config& config, const Logger& log) {
    if (config.retention_interval.count() == 0) return nullptr;
    return std::make_unique<RetentionJob>(retention_options(config), config.retention_interval, log.child("retention"));
}

int run_retention_command(alatar::app::Args args) {
    constexpr std::string_view kUsage =
        "usage: alatar retention run [--config FILE]\n"
        "  purges now what is past its retention age (cache_retention, trace_retention) and prints what was\n"
        "  purged as JSON; exit 3 when another process is running the purge\n";
    bool run = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "-h" || args[i] == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (args[i] == "run" && !run) {
            run = true;
        } else if (args[i] == "--config" && i + 1 < args.size()) {
            ++i;  // read by ConfigSources::from_args
        } else if (!args[i].starts_with("--config=")) {
            std::cerr << "alatar retention: bad arguments\n" << kUsage;
            return 2;
        }
    }
    if (!run) {
        std::cerr << "alatar retention: bad arguments\n" << kUsage;
        return 2;
    }
    Config config;
    try {
        config = Config::load(ConfigSources::from_args(args));
    } catch (const ConfigError& e) {
        std::cerr << "alatar retention: " << e.what() << "\n";
        return 2;
    }
    try {
        const auto report = run_retention(retention_options(config));
        std::cout << report.to_json() << "\n";
        return report.ran ? 0 : 3;
    } catch (const std::exception& e) {
        std::cerr << "alatar retention: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace alatar::agents
