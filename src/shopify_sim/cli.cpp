#include "shopify_sim/cli.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "shopify_sim/generator.hpp"
#include "shopify_sim/ground_truth.hpp"
#include "shopify_sim/sim_server.hpp"

namespace alatar::shopify_sim {
namespace {

constexpr std::string_view kUsage =
    "usage: alatar-shopify-sim <command> [options]\n\n"
    "commands:\n"
    "  export   --shop DOMAIN --profile micro|tiny|small|large --seed N --out DIR [--today YYYY-MM-DD]\n"
    "           [--timezone ZONE]\n"
    "           writes the generated shop's ground truth (JSON Lines and planted.json) to DIR\n"
    "  serve    [--listen 127.0.0.1:8090] [--app-key K --app-secret S] [--shop-suffix .myshopify.test] [--seed N]\n"
    "           [--profile micro|tiny|small|large] [--shops demo.myshopify.test,...] [--throttle-mode 200|429]\n"
    "           [--plan standard|advanced|plus] [--today YYYY-MM-DD] [--data-dir DIR] [--threads N]\n"
    "           [--latency-ms N] [--error-rate-500 R] [--error-rate-502 R] [--error-rate-503 R] [--timeout-rate R]\n"
    "           [--timeout-ms N] [--malformed-json-rate R] [--throttle-pressure R] [--log-level LEVEL]\n"
    "           serves the simulated shops (OAuth, Admin GraphQL API, bulk operations, webhooks) until "
    "SIGTERM/SIGINT\n";

void usage_error(std::string_view message) {
    std::fprintf(stderr, "alatar-shopify-sim: %.*s\n\n%.*s", static_cast<int>(message.size()), message.data(),
                 static_cast<int>(kUsage.size()), kUsage.data());
}

}  // namespace

int run_export_command(std::span<const std::string_view> args) {
    GeneratorOptions options;
    options.today = current_utc_date();
    std::string out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view flag = args[i];
        if (i + 1 >= args.size()) {
            usage_error("missing value for " + std::string(flag));
            return 2;
        }
        const std::string_view value = args[++i];
        if (flag == "--shop") {
            options.shop_domain = std::string(value);
        } else if (flag == "--profile") {
            const auto profile = parse_profile(value);
            if (!profile) {
                usage_error("unknown profile '" + std::string(value) + "'");
                return 2;
            }
            options.profile = *profile;
        } else if (flag == "--seed") {
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), options.seed);
            if (ec != std::errc{} || end != value.data() + value.size()) {
                usage_error("--seed needs an unsigned integer");
                return 2;
            }
        } else if (flag == "--today") {
            const auto date = parse_date(value);
            if (!date) {
                usage_error("--today needs YYYY-MM-DD");
                return 2;
            }
            options.today = *date;
        } else if (flag == "--timezone") {
            options.iana_timezone = std::string(value);
        } else if (flag == "--out") {
            out = std::string(value);
        } else {
            usage_error("unknown option " + std::string(flag));
            return 2;
        }
    }
    if (out.empty()) {
        usage_error("--out is required");
        return 2;
    }
    try {
        const auto started = std::chrono::steady_clock::now();
        const Store store = generate_store(options);
        const auto generated = std::chrono::steady_clock::now();
        const ExportSummary summary = export_ground_truth(store, out);
        const auto written = std::chrono::steady_clock::now();
        using Ms = std::chrono::duration<double, std::milli>;
        std::printf("generated %s (%s, seed %llu, today %s) in %.0f ms, written in %.0f ms\n",
                    store.shop.domain.c_str(), std::string(profile_name(options.profile)).c_str(),
                    static_cast<unsigned long long>(options.seed), format_date(options.today).c_str(),
                    Ms(generated - started).count(), Ms(written - generated).count());
        for (const auto& [name, count] : summary.files) std::printf("  %-26s %zu\n", name.c_str(), count);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "alatar-shopify-sim export: %s\n", e.what());
        return 1;
    }
}

namespace {

std::optional<double> parse_double(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> out;
    while (!text.empty()) {
        const auto comma = text.find(',');
        if (const auto item = text.substr(0, comma); !item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

}  // namespace

int run_serve_command(std::span<const std::string_view> args) {
    SimOptions options;
    options.handle_signals = true;
    LogLevel level = LogLevel::kInfo;
    boost::json::object fault_patch;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view flag = args[i];
        if (i + 1 >= args.size()) {
            usage_error("missing value for " + std::string(flag));
            return 2;
        }
        const std::string_view value = args[++i];
        if (flag == "--listen") {
            const auto colon = value.rfind(':');
            unsigned port = 0;
            const auto* port_end = value.data() + value.size();
            if (colon == std::string_view::npos ||
                std::from_chars(value.data() + colon + 1, port_end, port).ptr != port_end || port > 65535) {
                usage_error("--listen needs HOST:PORT");
                return 2;
            }
            options.host = std::string(value.substr(0, colon));
            options.port = static_cast<std::uint16_t>(port);
        } else if (flag == "--app-key") {
            options.oauth.api_key = std::string(value);
        } else if (flag == "--app-secret") {
            options.oauth.api_secret = std::string(value);
        } else if (flag == "--shop-suffix") {
            options.oauth.shop_suffix = std::string(value);
        } else if (flag == "--seed") {
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), options.shops.seed);
            if (ec != std::errc{} || end != value.data() + value.size()) {
                usage_error("--seed needs an unsigned integer");
                return 2;
            }
        } else if (flag == "--profile") {
            const auto profile = parse_profile(value);
            if (!profile) {
                usage_error("unknown profile '" + std::string(value) + "'");
                return 2;
            }
            options.shops.profile = *profile;
        } else if (flag == "--shops") {
            options.precreate_shops = split_list(value);
        } else if (flag == "--throttle-mode") {
            if (value != "200" && value != "429") {
                usage_error("--throttle-mode is 200 or 429");
                return 2;
            }
            options.throttle_mode = value == "429" ? ThrottleMode::kHttp429 : ThrottleMode::kHttp200;
        } else if (flag == "--plan") {
            static constexpr std::pair<std::string_view, std::string_view> kPlans[] = {
                {"standard", "Standard"}, {"advanced", "Advanced"}, {"plus", "Plus"}};
            const auto* plan =
                std::find_if(std::begin(kPlans), std::end(kPlans), [&](const auto& p) { return p.first == value; });
            if (plan == std::end(kPlans)) {
                usage_error("--plan is standard, advanced or plus");
                return 2;
            }
            options.shops.rate_limit_plan = std::string(plan->second);
            options.shops.plan_display_name = plan->second == "Plus"       ? "Shopify Plus"
                                              : plan->second == "Advanced" ? "Advanced"
                                                                           : "Shopify";
            options.bucket = bucket_for_plan(plan->second);
        } else if (flag == "--today") {
            const auto date = parse_date(value);
            if (!date) {
                usage_error("--today needs YYYY-MM-DD");
                return 2;
            }
            options.shops.today = *date;
        } else if (flag == "--data-dir") {
            options.data_dir = std::string(value);
        } else if (flag == "--threads") {
            const auto n = parse_double(value);
            if (!n || *n < 1 || *n > 64) {
                usage_error("--threads needs 1..64");
                return 2;
            }
            options.io_threads = static_cast<std::size_t>(*n);
        } else if (flag == "--log-level") {
            const auto parsed = parse_log_level(value);
            if (!parsed) {
                usage_error("unknown log level");
                return 2;
            }
            level = *parsed;
        } else if (flag.starts_with("--") && (flag.ends_with("-ms") || flag.ends_with("-rate") ||
                                              flag.ends_with("-pressure") || flag.starts_with("--error-rate-"))) {
            const auto number = parse_double(value);
            if (!number) {
                usage_error(std::string(flag) + " needs a number");
                return 2;
            }
            std::string key(flag.substr(2));
            std::replace(key.begin(), key.end(), '-', '_');
            fault_patch[key] = *number;
        } else {
            usage_error("unknown option " + std::string(flag));
            return 2;
        }
    }
    if (auto error = apply_fault_patch(options.faults, fault_patch)) {
        usage_error(*error);
        return 2;
    }
    try {
        SimServer server(std::move(options), alatar::Logger("shopify-sim", level));
        server.start();
        server.wait();
        server.stop();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "alatar-shopify-sim serve: %s\n", e.what());
        return 1;
    }
}

int run_cli(std::span<const std::string_view> args) {
    if (args.empty()) {
        usage_error("missing command");
        return 2;
    }
    const std::string_view command = args.front();
    if (command == "--help" || command == "-h" || command == "help") {
        std::fwrite(kUsage.data(), 1, kUsage.size(), stdout);
        return 0;
    }
    if (command == "export") return run_export_command(args.subspan(1));
    if (command == "serve") return run_serve_command(args.subspan(1));
    usage_error("unknown command '" + std::string(command) + "'");
    return 2;
}

}  // namespace alatar::shopify_sim
