#include "agents/worker_command.hpp"

#include <unistd.h>

#include <csignal>
#include <iostream>
#include <optional>
#include <string>

#include "agents/builtin_tools.hpp"
#include "agents/llm_narrative.hpp"
#include "agents/otlp_exporter.hpp"
#include "agents/retention.hpp"
#include "agents/store_refresh.hpp"
#include "agents/store_sync.hpp"
#include "agents/worker.hpp"
#include "agents/worker_metrics.hpp"
#include "common/config.hpp"
#include "common/error.hpp"
#include "db/pool.hpp"

namespace alatar::agents {

namespace {

constexpr std::string_view kUsage =
    "usage: alatar worker [--config FILE] [--queues LIST] [--concurrency N] [--no-relay] [--max-retry-delay TIER]\n"
    "  --queues LIST           comma-separated: orchestrator, results, departments (all four), or a department\n"
    "                          queue (dept.data_retrieval, dept.quantitative, dept.qualitative,\n"
    "                          dept.recommendation); default: all of them\n"
    "  --concurrency N         consumers per queue (default 2)\n"
    "  --no-relay              do not run the outbox relay in this process\n"
    "  --max-retry-delay TIER  cap of the backoff between attempts of a failing task: 1s, 5s, 30s or 5m (default)\n";

struct WorkerArgs {
    bool help{false};
    WorkerOptions options;
};

std::optional<std::vector<mq::WorkQueue>> parse_queues(std::string_view list) {
    std::vector<mq::WorkQueue> out;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (item == "departments") {
            out.insert(out.end(), {mq::WorkQueue::kDataRetrieval, mq::WorkQueue::kQuantitative,
                                   mq::WorkQueue::kQualitative, mq::WorkQueue::kRecommendation});
            continue;
        }
        const auto q = mq::parse_work_key(item);
        if (!q || *q == mq::WorkQueue::kActions || *q == mq::WorkQueue::kStoreRefresh) return std::nullopt;
        out.push_back(*q);
    }
    if (out.empty()) return std::nullopt;
    return out;
}

std::optional<WorkerArgs> parse(alatar::app::Args args) {
    WorkerArgs out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        auto value = [&](std::string_view flag) -> std::optional<std::string_view> {
            if (arg.starts_with(flag) && arg.size() > flag.size() && arg[flag.size()] == '=') {
                return arg.substr(flag.size() + 1);
            }
            if (arg == flag && i + 1 < args.size()) return args[++i];
            return std::nullopt;
        };
        if (arg == "-h" || arg == "--help") {
            out.help = true;
        } else if (arg == "--no-relay") {
            out.options.run_relay = false;
        } else if (value("--config")) {
            // read by ConfigSources::from_args
        } else if (auto q = value("--queues")) {
            auto queues = parse_queues(*q);
            if (!queues) return std::nullopt;
            out.options.queues = std::move(*queues);
        } else if (auto n = value("--concurrency")) {
            try {
                out.options.concurrency = std::stoi(std::string(*n));
            } catch (const std::exception&) {
                return std::nullopt;
            }
            if (out.options.concurrency < 1 || out.options.concurrency > 64) return std::nullopt;
        } else if (auto t = value("--max-retry-delay")) {
            bool found = false;
            for (const auto tier : mq::kAllRetryTiers) {
                if (mq::tier_name(tier) == *t) {
                    out.options.max_retry_tier = tier;
                    found = true;
                }
            }
            if (!found) return std::nullopt;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

std::string default_worker_name() {
    std::array<char, 256> host{};
    if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
    return std::string(host.data()) + ":" + std::to_string(::getpid());
}

}  // namespace

int run_worker_command(alatar::app::Args args) { return run_worker_command(args, {}); }

int run_worker_command(alatar::app::Args args, const WorkerExtension& extension) {
    auto parsed = parse(args);
    if (!parsed) {
        std::cerr << "alatar worker: bad arguments\n" << kUsage;
        return 2;
    }
    if (parsed->help) {
        std::cout << kUsage;
        return 0;
    }
    // Block the stop signals before any thread starts, so every thread inherits the mask and only sigwait()
    // below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    Config config;
    try {
        config = Config::load(ConfigSources::from_args(args));
    } catch (const ConfigError& e) {
        std::cerr << "alatar worker: " << e.what() << "\n";
        return 2;
    }
    const Logger log{"worker", config.log_level};
    log.info("configuration", {{"config", RawJson{config.redacted_json()}}});
    try {
        WorkerOptions options = std::move(parsed->options);
        options.name = default_worker_name();
        options.analysis_timeout = config.analysis_timeout;
        const auto otlp = make_otlp_exporter(config, log);  // outlives the worker; nullptr when not configured
        options.span_sink = otlp.get();
        db::Pool pool{db::pool_options(config), log.child("db")};
        WorkerStoreData store_data{pool, config, log};
        Worker worker{pool,
                      mq::parse_amqp_url(config.amqp_url),
                      mq::Names{config.amqp_prefix},
                      with_llm_narrative(builtin_tools(), config, log),
                      store_data.source(),
                      log,
                      options};
        auto extra = extension ? extension(pool, config, log) : nullptr;
        // Webhook-driven increments; without a master key no store can be synced, so no consumer.
        auto refresh = store_data.sync() != nullptr ? start_store_refresh(*store_data.sync(), config, log) : nullptr;
        const auto metrics = start_worker_metrics(pool, config, log, default_worker_name());
        const auto retention = start_retention_job(config, log);  // nullptr when retention_interval is 0
        int signal = 0;
        sigwait(&stop_signals, &signal);
        log.info("stopping", {{"signal", signal}});
        refresh.reset();
        extra.reset();
        worker.stop();
        return 0;
    } catch (const Error& e) {
        log.log_exception(LogLevel::kCritical, "worker failed", e);
    } catch (const std::exception& e) {
        log.log_exception(LogLevel::kCritical, "worker failed", e);
    }
    return 1;
}

}  // namespace alatar::agents
