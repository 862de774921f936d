#include "mq/dlq_command.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "mq/dlq.hpp"

namespace alatar::mq {
namespace {

constexpr std::string_view kUsage =
    "usage: alatar dlq [--amqp-url URL] [--prefix PREFIX] <command>\n"
    "  list [--limit N] [--body]   show dead-lettered messages (default limit 100), one JSON object a line\n"
    "  replay [--id MESSAGE_ID]    send them back to their work queue (all, or one message)\n"
    "  purge                       delete every dead-lettered message\n"
    "--amqp-url defaults to ALATAR_AMQP_URL; --prefix to \"alatar\".\n";

int usage_error(std::string_view why) {
    std::cerr << "alatar dlq: " << why << "\n" << kUsage;
    return 2;
}

struct Parsed {
    std::optional<std::string> url;
    std::string prefix{Names::kDefaultPrefix};
    std::string command;
    std::optional<std::string> id;
    std::size_t limit{100};
    bool body{false};
    bool help{false};
};

// Returns an error text, or nullopt when `args` parsed.
std::optional<std::string> parse(std::span<const std::string_view> args, Parsed& p) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto a = args[i];
        const auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size()) return std::nullopt;
            return std::string(args[++i]);
        };
        if (a == "--help" || a == "-h") {
            p.help = true;
        } else if (a == "--amqp-url") {
            if (!(p.url = value())) return "--amqp-url needs a value";
        } else if (a == "--prefix") {
            auto v = value();
            if (!v) return "--prefix needs a value";
            p.prefix = *v;
        } else if (a == "--id") {
            if (!(p.id = value())) return "--id needs a value";
        } else if (a == "--limit") {
            auto v = value();
            std::size_t n = 0;
            if (!v || std::from_chars(v->data(), v->data() + v->size(), n).ec != std::errc{} || n == 0)
                return "--limit needs a positive number";
            p.limit = n;
        } else if (a == "--body") {
            p.body = true;
        } else if (a.starts_with("-")) {
            return "unknown option " + std::string(a);
        } else if (p.command.empty()) {
            p.command = std::string(a);
        } else {
            return "unexpected argument " + std::string(a);
        }
    }
    if (p.help) return std::nullopt;
    if (p.command != "list" && p.command != "replay" && p.command != "purge")
        return p.command.empty() ? "missing command" : "unknown command " + p.command;
    if (p.id && p.command != "replay") return "--id applies to replay only";
    if (p.body && p.command != "list") return "--body applies to list only";
    return std::nullopt;
}

}  // namespace

int run_dlq_command(std::span<const std::string_view> args) {
    Parsed p;
    if (auto err = parse(args, p)) return usage_error(*err);
    if (p.help) {
        std::cout << kUsage;
        return 0;
    }
    if (!p.url) {
        if (const char* env = std::getenv("ALATAR_AMQP_URL"); env != nullptr && *env != '\0') p.url = env;
    }
    if (!p.url) return usage_error("no broker: pass --amqp-url or set ALATAR_AMQP_URL");
    try {
        const auto url = parse_amqp_url(*p.url);
        const Names names(p.prefix);
        if (p.command == "list") {
            for (const auto& d : dlq_list(url, names, p.limit)) {
                boost::json::object o{{"id", d.message_id},    {"type", d.type},   {"work_key", d.work_key},
                                      {"reason", d.reason},    {"queue", d.queue}, {"deaths", d.deaths},
                                      {"bytes", d.body.size()}};
                if (p.body) o["body"] = d.body;
                std::cout << boost::json::serialize(o) << "\n";
            }
        } else if (p.command == "replay") {
            const auto r = dlq_replay(url, names, p.id);
            std::cout << "replayed " << r.replayed << ", failed " << r.failed << "\n";
            if (p.id && r.replayed == 0 && r.failed == 0) {
                std::cerr << "alatar dlq: no dead letter with id " << *p.id << "\n";
                return 1;
            }
            return r.failed == 0 ? 0 : 1;
        } else {
            const auto purged = dlq_purge(url, names);
            std::cout << "purged " << purged << "\n";
        }
        return 0;
    } catch (const Error& e) {
        // Error messages of this layer never contain the password.
        if (e.code() == ErrorCode::kBadUserInput) return usage_error(e.what());
        std::cerr << "alatar dlq: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace alatar::mq
