#include "shopify_sim/cli.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include "shopify_sim/generator.hpp"
#include "shopify_sim/ground_truth.hpp"

namespace alatar::shopify_sim {
namespace {

constexpr std::string_view kUsage =
    "usage: alatar-shopify-sim <command> [options]\n\n"
    "commands:\n"
    "  export   --shop DOMAIN --profile tiny|small|large --seed N --out DIR [--today YYYY-MM-DD] [--timezone ZONE]\n"
    "           writes the generated shop's ground truth (JSON Lines and planted.json) to DIR\n";

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
    usage_error("unknown command '" + std::string(command) + "'");
    return 2;
}

}  // namespace alatar::shopify_sim
