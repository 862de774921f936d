// Sync benchmarks of issue 5, against the real simulator binary and a fresh database on the test cluster:
//   backfill  - StoreSync::backfill of one shop of the given profile (default large): orders/s over the bulk
//               ORDERS phase and over all bulk phases (download, parse and store included), the whole backfill
//               with the paged REFUNDS phase, peak RSS of this process (which does the sync), rows stored;
//   paged     - StoreSync::sync_changes over an updated_at window (the paginated, paced path) at the Standard
//               plan (2,000-point bucket, 100 points/s), started with a full bucket: elapsed against the leaky
//               bucket's lower bound max(0, total actual cost - initial bucket) / restore rate, and the THROTTLED
//               answers after the first page (the client's pacing should keep that at 0).
// Prints a Markdown fragment on stdout (bench/shopify/run.sh puts it into bench/results/sync-<date>.md).
//
//   sync_bench [--profile tiny|small|large] [--window-hours H] [--plan standard|advanced|plus] [--skip-backfill]
//              [--skip-paged]
// (--plan other than standard only speeds up the paged REFUNDS phase of the backfill; the paged figures are
// meant for the Standard plan.)
// Needs ALATAR_TEST_DATABASE_URL (eval "$(scripts/services --profile test env)").
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.hpp"
#include "common/log.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "shopify/admin_client.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/sim_process.hpp"
#include "shopify/sync.hpp"

namespace {

using namespace alatar;           // NOLINT(google-build-using-namespace)
using namespace alatar::shopify;  // NOLINT(google-build-using-namespace)
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kShop = "bench.myshopify.test";
constexpr const char* kSeed = "4242";

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Peak resident set of this process in MiB (VmHWM).
double peak_rss_mib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
        if (line.starts_with("VmHWM:")) return std::stod(line.substr(6)) / 1024.0;
    }
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// CPU seconds (user + system) a process has used so far; 0 when it is gone.
double cpu_seconds(const std::string& pid) {
    std::ifstream in("/proc/" + pid + "/stat");
    std::string stat;
    std::getline(in, stat);
    const auto close = stat.rfind(')');  // the command name may hold spaces
    if (close == std::string::npos) return 0;
    std::istringstream fields(stat.substr(close + 2));
    std::string skip;
    for (int i = 3; i < 14; ++i) fields >> skip;  // state .. cmajflt
    double user = 0;
    double system = 0;
    fields >> user >> system;
    return (user + system) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// The simulator this process started (its child).
std::string child_pid(std::string_view comm_prefix) {
    const std::string self = std::to_string(::getpid());
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        const auto open = stat.find('(');
        const auto close = stat.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 2));
        std::string state;
        std::string ppid;
        rest >> state >> ppid;
        if (ppid == self && stat.substr(open + 1, close - open - 1).starts_with(comm_prefix)) return pid;
    }
    return {};
}

// CPU used so far by this process (the sync), the simulator, and the database's backends (the pool's sessions).
struct CpuSample {
    double sync = 0;
    double simulator = 0;
    double database = 0;
};
CpuSample operator-(const CpuSample& a, const CpuSample& b) {
    return {a.sync - b.sync, a.simulator - b.simulator, a.database - b.database};
}

// `except` is a backend not to count (the phase watcher's own session).
CpuSample sample_cpu(db::Pool& pool, const std::string& sim_pid, int except = 0) {
    CpuSample s;
    s.sync = cpu_seconds(std::to_string(::getpid()));
    s.simulator = sim_pid.empty() ? 0 : cpu_seconds(sim_pid);
    const auto backends = pool.query_blocking(
        "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client "
        "backend' AND pid <> $1",
        db::Params{std::int64_t{except}});
    for (int i = 0; i < backends.rows(); ++i) s.database += cpu_seconds(backends.get<std::string>(i, 0));
    return s;
}

// Every Admin API answer's cost and whether it was a throttle (HTTP 429 or THROTTLED).
class MeteredHttp : public HttpClient {
  public:
    HttpResponse send(const HttpRequest& request, Deadline deadline) override {
        HttpResponse res = inner_.send(request, deadline);
        if (!request.url.ends_with("/graphql.json")) return res;
        boost::system::error_code ec;
        const json::value body = json::parse(res.body, ec);
        bool throttled = res.status == 429;
        if (!ec && body.is_object()) {
            if (const auto* errors = body.get_object().if_contains("errors"); errors != nullptr && errors->is_array()) {
                for (const auto& e : errors->get_array()) {
                    const auto* ext = e.is_object() ? e.get_object().if_contains("extensions") : nullptr;
                    const auto* code =
                        ext != nullptr && ext->is_object() ? ext->get_object().if_contains("code") : nullptr;
                    throttled =
                        throttled || (code != nullptr && code->is_string() && code->get_string() == "THROTTLED");
                }
            }
        }
        std::optional<QueryCost> cost;
        if (!ec) cost = parse_query_cost(body);
        const std::lock_guard lock(mutex_);
        ++calls_;
        if (throttled) {
            ++throttled_;
            if (calls_ > 1) ++throttled_after_first_;
        }
        if (cost) {
            if (calls_ == 1) initial_bucket_ = cost->currently_available + cost->actual.value_or(cost->requested);
            requested_ += cost->requested;
            actual_ += throttled ? 0 : cost->actual.value_or(cost->requested);
            restore_rate_ = cost->restore_rate;
        }
        return res;
    }
    long stream(const std::string& url, Deadline deadline,
                const std::function<void(std::string_view)>& on_chunk) override {
        std::uint64_t bytes = 0;
        double in_callback = 0;
        const auto started = Clock::now();
        const long status = inner_.stream(url, deadline, [&](std::string_view chunk) {
            bytes += chunk.size();
            const auto t = Clock::now();
            on_chunk(chunk);
            in_callback += seconds_since(t);
        });
        const std::lock_guard lock(mutex_);
        downloads_.push_back({seconds_since(started), in_callback, bytes});
        return status;
    }

    // Each bulk file download with what the sync does with it (the callback runs inline: parse and store).
    struct Download {
        double seconds = 0;
        double in_callback = 0;  // parse and store of what arrived
        std::uint64_t bytes = 0;
    };
    std::vector<Download> downloads() const {
        const std::lock_guard lock(mutex_);
        return downloads_;
    }

    struct Totals {
        int calls = 0;
        int throttled = 0;
        int throttled_after_first = 0;
        double requested = 0;
        double actual = 0;
        double initial_bucket = 0;
        double restore_rate = 0;
    };
    Totals totals() const {
        const std::lock_guard lock(mutex_);
        return {calls_, throttled_, throttled_after_first_, requested_, actual_, initial_bucket_, restore_rate_};
    }
    void reset() {
        const std::lock_guard lock(mutex_);
        calls_ = throttled_ = throttled_after_first_ = 0;
        requested_ = actual_ = initial_bucket_ = restore_rate_ = 0;
        downloads_.clear();
    }

  private:
    CurlHttpClient inner_;
    mutable std::mutex mutex_;
    int calls_ = 0;
    int throttled_ = 0;
    int throttled_after_first_ = 0;
    double requested_ = 0;
    double actual_ = 0;
    double initial_bucket_ = 0;
    double restore_rate_ = 0;
    std::vector<Download> downloads_;
};

// When each sync phase was first seen in store_sync_state (seconds since `start`), polled on its own thread.
class PhaseWatch {
  public:
    // Polls on a session of its own, whose CPU is left out of the database's figure.
    PhaseWatch(db::Pool& pool, const std::string& url, std::string store, std::string sim_pid, Clock::time_point start)
        : thread_([this, &pool, url, store = std::move(store), sim_pid = std::move(sim_pid), start] {
              // A failure here loses the phase times, not the run (an exception escaping a thread terminates).
              try {
                  db::Connection conn(url);
                  while (!stop_) {
                      const auto r =
                          conn.exec("SELECT phase FROM store_sync_state WHERE store_id = $1::uuid", db::Params{store});
                      if (!r.empty()) {
                          const auto phase = r.get<std::string>(0, 0);
                          const bool is_new = at(phase) == std::nullopt;
                          const auto cpu = is_new ? sample_cpu(pool, sim_pid, conn.backend_pid()) : CpuSample{};
                          const std::lock_guard lock(mutex_);
                          seen_.try_emplace(phase, Seen{seconds_since(start), cpu});
                      }
                      // Often enough to place phases of seconds, rarely enough not to load the measured cores.
                      std::this_thread::sleep_for(std::chrono::milliseconds(50));
                  }
              } catch (const std::exception& e) {
                  std::cerr << "phase watch stopped: " << e.what() << "\n";
              }
          }) {}
    ~PhaseWatch() { stop(); }
    PhaseWatch(const PhaseWatch&) = delete;
    PhaseWatch& operator=(const PhaseWatch&) = delete;

    void stop() {
        stop_ = true;
        if (thread_.joinable()) thread_.join();
    }
    // Seconds since start when `phase` began; nullopt when never seen.
    std::optional<double> at(const std::string& phase) const {
        const std::lock_guard lock(mutex_);
        const auto it = seen_.find(phase);
        return it == seen_.end() ? std::nullopt : std::optional<double>(it->second.at);
    }
    CpuSample cpu_at(const std::string& phase) const {
        const std::lock_guard lock(mutex_);
        const auto it = seen_.find(phase);
        return it == seen_.end() ? CpuSample{} : it->second.cpu;
    }

  private:
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    struct Seen {
        double at = 0;
        CpuSample cpu;
    };
    std::map<std::string, Seen> seen_;
    std::thread thread_;  // last: started once the rest exists
};

struct Options {
    std::string profile = "large";
    double window_hours = 6;
    std::string plan = "standard";  // the simulator's plan: its bucket size and restore rate
    bool backfill = true;
    bool paged = true;
};

std::int64_t written(const SyncReport& r, const std::string& type) {
    const auto it = r.written.find(type);
    return it == r.written.end() ? 0 : it->second;
}

class Bench {
  public:
    explicit Bench(Options options) : options_(std::move(options)) {}

    int run() {
        database_ = db::testing::TestDatabase::create();
        if (!database_) {
            std::cerr << db::testing::kMissingUrlMessage << "\n";
            return 2;
        }
        testing::migrate(database_->url());
        std::cerr << "starting the simulator (" << options_.profile << ") ...\n";
        const auto sim_started = Clock::now();
        sim_ =
            std::make_unique<testing::SimProcess>(options_.profile, std::vector<std::string>{kShop},
                                                  std::vector<std::string>{"--seed", kSeed, "--plan", options_.plan});
        const double generation_s = seconds_since(sim_started);
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = database_->url(), .size = 4}, Logger::null());
        AdminClientOptions client_options;
        client_options.shop_url_template = sim_->shop_url_template();
        client_options.bulk_poll_interval = std::chrono::milliseconds(20);
        client_ = std::make_unique<AdminClient>(http_, client_options, Logger::null());
        sync_ = std::make_unique<StoreSync>(
            *pool_, *client_, keyring_,
            StoreSyncOptions{.cache_ttl = std::chrono::minutes(15), .database_url = database_->url()}, Logger::null());
        link();

        std::cout << "### Simulator\n\n| profile | plan | start-up incl. generation of the shop |\n|---|---|---|\n| "
                  << options_.profile << " | " << options_.plan << " | " << fixed(generation_s, 1) << " s |\n\n";
        if (options_.backfill) backfill();
        if (options_.paged) paged();
        return 0;
    }

  private:
    static std::string fixed(double v, int digits) {
        std::ostringstream s;
        s << std::fixed << std::setprecision(digits) << v;
        return s.str();
    }

    void link() {
        token_ = sim_->issue_token(kShop);
        const auto user =
            pool_->query_blocking("INSERT INTO users DEFAULT VALUES RETURNING id::text").scalar<std::string>();
        store_ = pool_
                     ->query_blocking(
                         "INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id) "
                         "VALUES ($1, $2, convert_to($3, 'UTF8'), $4) RETURNING id::text",
                         db::Params{user, std::string(kShop), keyring_.encrypt(token_, token_associated_data(kShop)),
                                    keyring_.current_kid()})
                     .scalar<std::string>();
    }

    std::int64_t rows(const std::string& table) {
        return pool_->query_blocking("SELECT count(*) FROM " + table + " WHERE store_id::text = $1", db::Params{store_})
            .scalar<std::int64_t>();
    }

    void backfill() {
        std::cerr << "backfill ...\n";
        const double rss_before = peak_rss_mib();
        http_.reset();
        const auto started = Clock::now();
        const std::string sim_pid = child_pid("alatar-shopify");
        PhaseWatch watch(*pool_, database_->url(), store_, sim_pid, started);
        const SyncReport report = sync_->backfill(store_, Deadline::after(std::chrono::hours(2)));
        const double total_s = seconds_since(started);
        const CpuSample end_cpu = sample_cpu(*pool_, sim_pid);
        watch.stop();
        const CpuSample orders_cpu = watch.cpu_at("LOCATIONS") - watch.cpu_at("ORDERS");
        const CpuSample refunds_cpu = end_cpu - watch.cpu_at("REFUNDS");
        const double rss = peak_rss_mib();
        const auto orders = written(report, "Order");
        const auto phase = [&](const std::string& p) { return watch.at(p).value_or(0); };
        const double orders_s = phase("LOCATIONS") - phase("ORDERS");
        const double bulk_s = phase("REFUNDS");
        const double refunds_s = total_s - bulk_s;
        // The third bulk file is the orders' (products, customers, orders, locations, inventory).
        const auto files = http_.downloads();
        const auto calls = http_.totals();
        const MeteredHttp::Download orders_file = files.size() > 2 ? files[2] : MeteredHttp::Download{};
        std::cout << "### Backfill by bulk operations (StoreSync::backfill)\n\n"
                  << "| figure | value |\n|---|---|\n"
                  << "| orders | " << orders << " |\n"
                  << "| ORDERS phase (bulk run, download, parse, store) | " << fixed(orders_s, 2) << " s = **"
                  << fixed(static_cast<double>(orders) / orders_s, 0) << " orders/s** |\n"
                  << "| of which the download of the orders file with parse and store (Alatar's side) | "
                  << fixed(orders_file.seconds, 2) << " s, " << fixed(static_cast<double>(orders_file.bytes) / 1e6, 1)
                  << " MB = **" << fixed(static_cast<double>(orders) / orders_file.seconds, 0) << " orders/s** ("
                  << fixed(orders_file.in_callback, 2) << " s of it in parse and store) |\n"
                  << "| CPU in the ORDERS phase: sync process, simulator, PostgreSQL backends | "
                  << fixed(orders_cpu.sync, 2) << " s, " << fixed(orders_cpu.simulator, 2) << " s, "
                  << fixed(orders_cpu.database, 2) << " s = **"
                  << fixed(static_cast<double>(orders) / (orders_cpu.sync + orders_cpu.database), 0)
                  << " orders per CPU second of sync + database** |\n"
                  << "| all bulk phases (products, customers, orders, locations, inventory) | " << fixed(bulk_s, 2)
                  << " s = " << fixed(static_cast<double>(orders) / bulk_s, 0) << " orders/s |\n"
                  << "| REFUNDS phase (paged, paced) | " << fixed(refunds_s, 2) << " s, " << http_.totals().calls
                  << " Admin API calls in the whole backfill, CPU " << fixed(refunds_cpu.sync, 2) << " s sync, "
                  << fixed(refunds_cpu.simulator, 2) << " s simulator, " << fixed(refunds_cpu.database, 2)
                  << " s PostgreSQL |\n"
                  << "| Admin API cost of the backfill (almost all REFUNDS pages): actual / requested | "
                  << fixed(calls.actual, 0) << " / " << fixed(calls.requested, 0)
                  << " points; leaky-bucket lower bound max(0, actual - bucket at start) / restore rate = "
                  << fixed(std::max(0.0, calls.actual - calls.initial_bucket) / std::max(1.0, calls.restore_rate), 1)
                  << " s |\n"
                  << "| whole backfill | " << fixed(total_s, 2)
                  << " s = " << fixed(static_cast<double>(orders) / total_s, 0) << " orders/s |\n"
                  << "| peak RSS of the syncing process (VmHWM) | **" << fixed(rss, 1)
                  << " MiB** (before: " << fixed(rss_before, 1) << " MiB) |\n";
        std::cout << "| phase starts (s) |";
        for (const char* p : {"PRODUCTS", "CUSTOMERS", "ORDERS", "LOCATIONS", "INVENTORY", "REFUNDS"}) {
            std::cout << " " << p << " " << fixed(phase(p), 2);
        }
        std::cout << " |\n| rows stored |";
        for (const char* t :
             {"shop_orders", "shop_order_line_items", "shop_products", "shop_product_variants", "shop_customers",
              "shop_locations", "shop_inventory_levels", "shop_refunds", "shop_refund_line_items"}) {
            std::cout << " " << t << " " << rows(t);
        }
        std::cout << " |\n\n";
    }

    void paged() {
        // Start with a full bucket: wait for whatever the backfill left to restore.
        const auto probe = client_->query(ShopCredentials{kShop, token_}, "{ shop { id } }", {},
                                          Deadline::after(std::chrono::seconds(30)));
        if (probe.cost && probe.cost->restore_rate > 0) {
            const double missing = probe.cost->maximum_available - probe.cost->currently_available;
            std::this_thread::sleep_for(std::chrono::duration<double>(missing / probe.cost->restore_rate + 1.0));
        }
        // The window: changes in the last `window_hours` (as if the last sync had been then, minus the overlap).
        pool_->query_blocking(
            "UPDATE shopify_stores SET last_synced_at = now() - make_interval(secs => $2) WHERE id::text = $1",
            db::Params{store_, options_.window_hours * 3600.0});
        std::cerr << "paged sync_changes over " << options_.window_hours << " h ...\n";
        // A fresh client: no pacing state carried over from the probe.
        AdminClientOptions client_options;
        client_options.shop_url_template = sim_->shop_url_template();
        AdminClient client(http_, client_options, Logger::null());
        StoreSync sync(*pool_, client, keyring_,
                       StoreSyncOptions{.cache_ttl = std::chrono::minutes(15), .database_url = database_->url()},
                       Logger::null());
        http_.reset();
        const auto started = Clock::now();
        const SyncReport report = sync.sync_changes(store_, Deadline::after(std::chrono::hours(1)));
        const double elapsed = seconds_since(started);
        const auto t = http_.totals();
        const double bound = std::max(0.0, t.actual - t.initial_bucket) / t.restore_rate;
        std::cout << "### Paginated sync at the " << options_.plan << " plan (StoreSync::sync_changes, window "
                  << fixed(options_.window_hours, 1) << " h)\n\n"
                  << "| figure | value |\n|---|---|\n"
                  << "| rows | orders " << written(report, "Order") << ", line items " << written(report, "LineItem")
                  << ", products " << written(report, "Product") << ", customers " << written(report, "Customer")
                  << ", refunds " << written(report, "Refund") << " |\n"
                  << "| Admin API calls | " << t.calls << " |\n"
                  << "| total actual cost / requested | " << fixed(t.actual, 0) << " / " << fixed(t.requested, 0)
                  << " points |\n"
                  << "| bucket at start, restore rate | " << fixed(t.initial_bucket, 0) << " points, "
                  << fixed(t.restore_rate, 0) << " points/s |\n"
                  << "| lower bound max(0, actual - bucket at start) / restore rate | " << fixed(bound, 2) << " s |\n"
                  << "| plain bound actual / restore rate | " << fixed(t.actual / t.restore_rate, 2) << " s |\n"
                  << "| elapsed | **" << fixed(elapsed, 2) << " s = " << fixed(bound > 0 ? elapsed / bound : 0, 3)
                  << " x the lower bound** |\n"
                  << "| THROTTLED answers (after the first page) | " << t.throttled << " (**" << t.throttled_after_first
                  << "**) |\n\n";
    }

    Options options_;
    std::unique_ptr<db::testing::TestDatabase> database_;
    std::unique_ptr<testing::SimProcess> sim_;
    std::unique_ptr<db::Pool> pool_;
    MeteredHttp http_;
    crypto::Keyring keyring_ = crypto::Keyring::parse(crypto::Keyring::generate_key_base64());
    std::unique_ptr<AdminClient> client_;
    std::unique_ptr<StoreSync> sync_;
    std::string token_;
    std::string store_;
};

}  // namespace

int main(int argc, char** argv) {
    Options options;
    const std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--profile" && i + 1 < args.size()) {
            options.profile = args[++i];
        } else if (args[i] == "--window-hours" && i + 1 < args.size()) {
            options.window_hours = std::stod(args[++i]);
        } else if (args[i] == "--plan" && i + 1 < args.size()) {
            options.plan = args[++i];
        } else if (args[i] == "--skip-backfill") {
            options.backfill = false;
        } else if (args[i] == "--skip-paged") {
            options.paged = false;
        } else {
            std::cerr
                << "usage: sync_bench [--profile tiny|small|large] [--window-hours H] [--plan standard|advanced|plus] "
                   "[--skip-backfill] [--skip-paged]\n";
            return 2;
        }
    }
    try {
        return Bench(options).run();
    } catch (const std::exception& e) {
        std::cerr << "sync_bench failed: " << e.what() << "\n";
        return 1;
    }
}
