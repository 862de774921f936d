#include "common/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <fstream>
#include <iterator>
#include <limits>
#include <type_traits>
#include <utility>
#include <variant>

#include "common/crypto.hpp"

namespace alatar {

namespace {

using Member = std::variant<std::string Config::*, std::int64_t Config::*, bool Config::*, Config::Duration Config::*,
                            std::vector<std::string> Config::*, LogLevel Config::*, Mode Config::*>;

// Returns "" when the value is acceptable, otherwise what is wrong with it (without echoing it).
using Validator = std::string (*)(std::string_view value);

struct Check {
    std::int64_t min = std::numeric_limits<std::int64_t>::min();  // ints; durations in ms
    std::int64_t max = std::numeric_limits<std::int64_t>::max();
    Validator validate = nullptr;  // strings, and each item of a list
};

constexpr Check range(std::int64_t min, std::int64_t max) { return Check{min, max, nullptr}; }
constexpr Check valid(Validator v) {
    return Check{std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(), v};
}

enum class Secrecy {
    kPublic,
    kSecret,       // environment only, never logged
    kUrlPassword,  // a URL whose userinfo password may come only from the environment
};

struct KeySpec {
    std::string_view name;
    Member member;
    std::string_view default_text;  // in environment syntax
    Secrecy secrecy;
    Check check;
};

constexpr std::int64_t kMsPerHour = 3'600'000;
constexpr std::int64_t kMsPerDay = 24 * kMsPerHour;

std::string starts_with_any(std::string_view v, std::initializer_list<std::string_view> prefixes,
                            std::string_view what) {
    for (auto p : prefixes) {
        if (v.size() > p.size() && v.substr(0, p.size()) == p) return "";
    }
    return std::string{what};
}

std::string check_host_port(std::string_view v) {
    const auto colon = v.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return "expected host:port";
    const auto host = v.substr(0, colon);
    if (host.front() == '[' && host.back() != ']') return "expected [ipv6]:port";
    const auto port_text = v.substr(colon + 1);
    int port = -1;
    const auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535) {
        return "expected a port number 0-65535 after ':'";
    }
    return "";
}

std::string check_optional_host_port(std::string_view v) { return v.empty() ? "" : check_host_port(v); }

std::string check_postgres_url(std::string_view v) {
    return starts_with_any(v, {"postgresql://", "postgres://"}, "expected a postgresql:// URI");
}
std::string check_amqp_url(std::string_view v) {
    return starts_with_any(v, {"amqp://", "amqps://"}, "expected an amqp:// or amqps:// URL");
}
std::string check_http_url(std::string_view v) {
    return starts_with_any(v, {"http://", "https://"}, "expected an http:// or https:// URL");
}
std::string check_optional_http_url(std::string_view v) { return v.empty() ? "" : check_http_url(v); }
// "Name=value,Name=value" (OTEL_EXPORTER_OTLP_HEADERS syntax); the values are secret, so never echoed.
std::string check_header_list(std::string_view v) {
    while (!v.empty()) {
        const auto comma = v.find(',');
        const auto item = v.substr(0, comma);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0) return "expected Name=value pairs separated by commas";
        v = comma == std::string_view::npos ? std::string_view{} : v.substr(comma + 1);
    }
    return "";
}
std::string check_shop_url_template(std::string_view v) {
    if (auto e = check_http_url(v); !e.empty()) return e;
    if (v.find("{shop}") == std::string_view::npos) return "expected a URL template containing {shop}";
    return "";
}
std::string check_api_version(std::string_view v) {
    if (v == "unstable") return "";
    const bool ok = v.size() == 7 && v[4] == '-' &&
                    std::all_of(v.begin(), v.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
                    std::all_of(v.begin() + 5, v.end(), [](char c) { return c >= '0' && c <= '9'; });
    return ok ? "" : "expected YYYY-MM or unstable";
}
std::string check_scope(std::string_view v) {
    const bool ok =
        !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
    return ok ? "" : "expected scopes made of a-z and _";
}
std::string check_shop_suffix(std::string_view v) {
    return (v.size() > 1 && v.front() == '.') ? "" : "expected a domain suffix starting with '.'";
}
std::string check_word(std::string_view v) {
    const bool ok = !v.empty() && std::none_of(v.begin(), v.end(), [](char c) { return c == ' ' || c == '\t'; });
    return ok ? "" : "expected non-empty items without spaces";
}
std::string check_master_key(std::string_view v) {
    if (v.empty()) return "";
    try {
        (void)crypto::Keyring::parse(v);
        return "";
    } catch (const crypto::CryptoError& e) {
        return e.what();
    }
}

// The single table of configuration keys. Adding a key: one row here, a member in Config, a line in
// config/alatar.example.toml.
std::span<const KeySpec> key_table() {
    using S = Secrecy;
    static const KeySpec kTable[] = {
        {"listen", &Config::listen, "127.0.0.1:8080", S::kPublic, valid(check_host_port)},
        {"database_url", &Config::database_url, "postgresql://127.0.0.1:5432/alatar", S::kUrlPassword,
         valid(check_postgres_url)},
        {"amqp_url", &Config::amqp_url, "amqp://guest:guest@127.0.0.1:5672/", S::kUrlPassword, valid(check_amqp_url)},
        {"log_level", &Config::log_level, "INFO", S::kPublic, {}},
        {"io_threads", &Config::io_threads, "0", S::kPublic, range(0, 1024)},
        {"db_pool_size", &Config::db_pool_size, "8", S::kPublic, range(1, 1024)},
        {"db_call_timeout", &Config::db_call_timeout, "5s", S::kPublic, range(1, kMsPerHour)},
        {"mode", &Config::mode, "development", S::kPublic, {}},
        {"shopify_shop_url", &Config::shopify_shop_url, "https://{shop}", S::kPublic, valid(check_shop_url_template)},
        {"shopify_api_version", &Config::shopify_api_version, "2026-01", S::kPublic, valid(check_api_version)},
        {"shopify_scopes", &Config::shopify_scopes,
         "read_orders,read_products,read_customers,read_inventory,write_discounts,write_products,write_inventory",
         S::kPublic, valid(check_scope)},
        {"shopify_shop_suffix", &Config::shopify_shop_suffix, ".myshopify.com", S::kPublic, valid(check_shop_suffix)},
        {"shopify_api_key", &Config::shopify_api_key, "", S::kSecret, {}},
        {"shopify_api_secret", &Config::shopify_api_secret, "", S::kSecret, {}},
        {"shopify_api_secret_previous", &Config::shopify_api_secret_previous, "", S::kSecret, {}},
        {"master_key", &Config::master_key, "", S::kSecret, valid(check_master_key)},
        {"llm_api_key", &Config::llm_api_key, "", S::kSecret, {}},
        {"llm_base_url", &Config::llm_base_url, "https://openrouter.ai/api/v1", S::kPublic, valid(check_http_url)},
        {"llm_models", &Config::llm_models, "", S::kPublic, valid(check_word)},
        {"llm_timeout", &Config::llm_timeout, "60s", S::kPublic, range(100, 10 * 60 * 1000)},
        {"llm_max_retries", &Config::llm_max_retries, "3", S::kPublic, range(0, 10)},
        {"llm_max_tool_steps", &Config::llm_max_tool_steps, "4", S::kPublic, range(1, 32)},
        {"llm_request_token_budget", &Config::llm_request_token_budget, "60000", S::kPublic, range(1, 10'000'000)},
        {"llm_user_daily_token_budget", &Config::llm_user_daily_token_budget, "1000000", S::kPublic,
         range(1, 1'000'000'000)},
        {"llm_request_budget_cents", &Config::llm_request_budget_cents, "50", S::kPublic, range(0, 100'000)},
        {"llm_user_daily_budget_cents", &Config::llm_user_daily_budget_cents, "500", S::kPublic, range(0, 10'000'000)},
        {"cache_ttl", &Config::cache_ttl, "15m", S::kPublic, range(0, 30 * kMsPerDay)},
        {"public_url", &Config::public_url, "http://127.0.0.1:8080", S::kPublic, valid(check_http_url)},
        {"max_body_bytes", &Config::max_body_bytes, "1048576", S::kPublic, range(1024, std::int64_t{1} << 30)},
        {"request_timeout", &Config::request_timeout, "30s", S::kPublic, range(1, kMsPerHour)},
        {"trust_proxy", &Config::trust_proxy, "false", S::kPublic, {}},
        {"max_connections", &Config::max_connections, "10000", S::kPublic, range(1, 1'000'000)},
        {"max_header_bytes", &Config::max_header_bytes, "16384", S::kPublic, range(1024, 1024 * 1024)},
        {"header_timeout", &Config::header_timeout, "10s", S::kPublic, range(100, kMsPerHour)},
        {"idle_timeout", &Config::idle_timeout, "60s", S::kPublic, range(1000, kMsPerDay)},
        {"amqp_prefix", &Config::amqp_prefix, "alatar", S::kPublic, valid(check_word)},
        {"analysis_timeout", &Config::analysis_timeout, "10m", S::kPublic, range(1000, kMsPerDay)},
        {"worker_metrics_listen", &Config::worker_metrics_listen, "127.0.0.1:9465", S::kPublic,
         valid(check_optional_host_port)},
        {"otlp_traces_endpoint", &Config::otlp_traces_endpoint, "", S::kUrlPassword, valid(check_optional_http_url)},
        {"otlp_service_name", &Config::otlp_service_name, "alatar-worker", S::kPublic, valid(check_word)},
        {"otlp_headers", &Config::otlp_headers, "", S::kSecret, valid(check_header_list)},
        {"cache_retention", &Config::cache_retention, "30d", S::kPublic, range(kMsPerHour, 3650 * kMsPerDay)},
        {"trace_retention", &Config::trace_retention, "30d", S::kPublic, range(kMsPerHour, 3650 * kMsPerDay)},
        {"retention_interval", &Config::retention_interval, "1h", S::kPublic, range(0, 7 * kMsPerDay)},
        {"google_client_ids", &Config::google_client_ids, "", S::kPublic, valid(check_word)},
        {"google_jwks_url", &Config::google_jwks_url, "https://www.googleapis.com/oauth2/v3/certs", S::kPublic,
         valid(check_http_url)},
        {"apple_client_ids", &Config::apple_client_ids, "", S::kPublic, valid(check_word)},
        {"apple_jwks_url", &Config::apple_jwks_url, "https://appleid.apple.com/auth/keys", S::kPublic,
         valid(check_http_url)},
    };
    return kTable;
}

const KeySpec* find_key(std::string_view name) {
    for (const auto& spec : key_table()) {
        if (spec.name == name) return &spec;
    }
    return nullptr;
}

std::string env_name(std::string_view key) {
    std::string name{"ALATAR_"};
    for (char c : key) name += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    return name;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string to_lower(std::string_view s) {
    std::string out{s};
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::vector<std::string> split_list(std::string_view text) {
    std::vector<std::string> items;
    if (trim(text).empty()) return items;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        items.emplace_back(trim(text.substr(start, comma == std::string_view::npos ? comma : comma - start)));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return items;
}

bool url_has_password(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return false;
    const auto rest = url.substr(scheme_end + 3);
    const auto authority = rest.substr(0, rest.find_first_of("/?#"));
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos) return false;
    const auto colon = authority.substr(0, at).find(':');
    return colon != std::string_view::npos && colon + 1 < at;
}

// Where a value came from, for error messages: "file.toml:12" or "env ALATAR_X" or "defaults".
struct Origin {
    std::string where;
};

[[noreturn]] void fail(const KeySpec& spec, const Origin& origin, std::string_view problem) {
    throw ConfigError(fmt::format("config: key '{}' from {}: {}", spec.name, origin.where, problem));
}

// A raw value: text from the environment/defaults, or a typed TOML node.
using Raw = std::variant<std::string_view, const toml::node*>;

std::string describe_expected(const Member& member) {
    return std::visit(
        [](auto m) -> std::string {
            using T = std::remove_cvref_t<decltype(std::declval<Config>().*m)>;
            if constexpr (std::is_same_v<T, std::string>) return "a string";
            if constexpr (std::is_same_v<T, std::int64_t>) return "an integer";
            if constexpr (std::is_same_v<T, bool>) return "a boolean (true/false)";
            if constexpr (std::is_same_v<T, Config::Duration>) return "a duration like 30s, 15m, 250ms";
            if constexpr (std::is_same_v<T, std::vector<std::string>>) return "a list of strings";
            if constexpr (std::is_same_v<T, LogLevel>) return "one of DEBUG, INFO, WARNING, ERROR, CRITICAL";
            if constexpr (std::is_same_v<T, Mode>) return "development or production";
            return "a value";
        },
        member);
}

std::optional<std::string> raw_string(const Raw& raw) {
    if (const auto* text = std::get_if<std::string_view>(&raw)) return std::string{*text};
    const toml::node* node = std::get<const toml::node*>(raw);
    if (const auto* s = node->as_string()) return s->get();
    return std::nullopt;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
    text = trim(text);
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return v;
}

// Converts `raw` to the member's type and stores it; throws ConfigError naming key and origin.
void assign(Config& config, const KeySpec& spec, const Raw& raw, const Origin& origin) {
    const std::string expected = "expected " + describe_expected(spec.member);
    const toml::node* node =
        std::holds_alternative<const toml::node*>(raw) ? std::get<const toml::node*>(raw) : nullptr;
    auto check_range = [&](std::int64_t v) {
        if (v < spec.check.min || v > spec.check.max) {
            fail(spec, origin, fmt::format("{} is out of range [{}, {}]", v, spec.check.min, spec.check.max));
        }
    };
    auto check_text = [&](std::string_view v) {
        if (spec.check.validate == nullptr) return;
        if (auto problem = spec.check.validate(v); !problem.empty()) fail(spec, origin, problem);
    };
    std::visit(
        [&](auto m) {
            auto& field = config.*m;
            using T = std::remove_cvref_t<decltype(field)>;
            if constexpr (std::is_same_v<T, std::string>) {
                auto v = raw_string(raw);
                if (!v) fail(spec, origin, expected);
                check_text(*v);
                field = std::move(*v);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                std::optional<std::int64_t> v;
                if (node != nullptr) {
                    if (const auto* i = node->as_integer()) v = i->get();
                } else {
                    v = parse_int(std::get<std::string_view>(raw));
                }
                if (!v) fail(spec, origin, expected);
                check_range(*v);
                field = *v;
            } else if constexpr (std::is_same_v<T, bool>) {
                std::optional<bool> v;
                if (node != nullptr) {
                    if (const auto* b = node->as_boolean()) v = b->get();
                } else {
                    v = parse_bool(std::get<std::string_view>(raw));
                }
                if (!v) fail(spec, origin, expected);
                field = *v;
            } else if constexpr (std::is_same_v<T, Config::Duration>) {
                std::optional<Config::Duration> v;
                if (node != nullptr && node->as_integer() != nullptr) {
                    v = Config::Duration{node->as_integer()->get()};
                    if (v->count() < 0) v.reset();
                } else if (auto text = raw_string(raw)) {
                    v = parse_duration(*text);
                }
                if (!v) fail(spec, origin, expected);
                check_range(v->count());
                field = *v;
            } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                std::vector<std::string> items;
                if (node != nullptr && node->as_array() != nullptr) {
                    for (const auto& item : *node->as_array()) {
                        const auto* s = item.as_string();
                        if (s == nullptr) fail(spec, origin, expected);
                        items.emplace_back(trim(s->get()));
                    }
                } else if (auto text = raw_string(raw)) {
                    items = split_list(*text);
                } else {
                    fail(spec, origin, expected);
                }
                for (const auto& item : items) check_text(item);
                field = std::move(items);
            } else if constexpr (std::is_same_v<T, LogLevel>) {
                const auto text = raw_string(raw);
                const auto v = text ? parse_log_level(*text) : std::nullopt;
                if (!v) fail(spec, origin, expected);
                field = *v;
            } else if constexpr (std::is_same_v<T, Mode>) {
                const auto text = raw_string(raw);
                const auto lowered = text ? to_lower(*text) : std::string{};
                if (lowered == "development") {
                    field = Mode::kDevelopment;
                } else if (lowered == "production") {
                    field = Mode::kProduction;
                } else {
                    fail(spec, origin, expected);
                }
            }
        },
        spec.member);
}

// Levenshtein distance, for "did you mean" hints on misspelt keys.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// " (did you mean 'listen'?)" for a near miss, "" otherwise.
std::string suggestion(std::string_view key) {
    std::string_view best;
    std::size_t best_distance = std::max<std::size_t>(2, key.size() / 4) + 1;
    for (const auto& spec : key_table()) {
        const std::size_t d = edit_distance(key, spec.name);
        if (d < best_distance) {
            best = spec.name;
            best_distance = d;
        }
    }
    return best.empty() ? std::string{} : fmt::format(" (did you mean '{}'?)", best);
}

void apply_file(Config& config, const std::string& path) {
    toml::table table;
    try {
        table = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& begin = e.source().begin;
        throw ConfigError(
            fmt::format("config: cannot parse {}:{}:{}: {}", path, begin.line, begin.column, e.description()));
    }
    for (const auto& [key, node] : table) {
        const Origin origin{fmt::format("{}:{}", path, key.source().begin.line)};
        const KeySpec* spec = find_key(key.str());
        if (spec == nullptr) {
            throw ConfigError(
                fmt::format("config: unknown key '{}' in {}{}", key.str(), origin.where, suggestion(key.str())));
        }
        if (spec->secrecy == Secrecy::kSecret) {
            throw ConfigError(
                fmt::format("config: key '{}' in {} is a secret and is accepted only from the "
                            "environment ({})",
                            spec->name, origin.where, env_name(spec->name)));
        }
        if (node.is_table()) fail(*spec, origin, "expected " + describe_expected(spec->member) + ", got a table");
        assign(config, *spec, Raw{&node}, origin);
        if (spec->secrecy == Secrecy::kUrlPassword) {
            const auto* text = node.as_string();
            if (text != nullptr && url_has_password(text->get())) {
                throw ConfigError(
                    fmt::format("config: key '{}' in {} contains a password; passwords are accepted "
                                "only from the environment ({})",
                                spec->name, origin.where, env_name(spec->name)));
            }
        }
    }
}

// Contents of a secret file (Docker/Kubernetes secrets), without the trailing newline editors add.
std::string read_secret_file(const std::string& path, const std::string& variable) {
    std::ifstream in{path, std::ios::binary};
    if (!in) throw ConfigError(fmt::format("config: cannot read the file named by {}", variable));
    std::string text{std::istreambuf_iterator<char>{in}, {}};
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

void apply_env(Config& config, const Environment& env) {
    for (const auto& [name, value] : env) {
        if (name.rfind("ALATAR_", 0) != 0 || is_allowed_non_config_env(name)) continue;
        std::string key = to_lower(std::string_view{name}.substr(7));
        const KeySpec* spec = find_key(key);
        if (spec == nullptr && key.size() > 5 && key.ends_with("_file")) {
            // ALATAR_<SECRET>_FILE: the secret is the content of that file.
            const KeySpec* secret = find_key(std::string_view{key}.substr(0, key.size() - 5));
            if (secret != nullptr && secret->secrecy != Secrecy::kPublic) {
                const std::string direct = env_name(secret->name);
                if (env.contains(direct)) {
                    throw ConfigError(
                        fmt::format("config: key '{}' is set by both {} and {}; use one", secret->name, direct, name));
                }
                const std::string content = read_secret_file(value, name);
                assign(config, *secret, Raw{std::string_view{content}}, Origin{"the file named by env " + name});
                continue;
            }
        }
        if (spec == nullptr) {
            throw ConfigError(fmt::format("config: unknown environment variable {}: no configuration key '{}'{}", name,
                                          key, suggestion(key)));
        }
        assign(config, *spec, Raw{std::string_view{value}}, Origin{"env " + name});
    }
}

void check_cross_key_rules(const Config& config) {
    if (config.production() && config.master_key.empty()) {
        throw ConfigError("config: key 'master_key' is required when mode is production (set ALATAR_MASTER_KEY)");
    }
}

}  // namespace

Environment process_environment() {
    Environment env;
    for (char** e = ::environ; e != nullptr && *e != nullptr; ++e) {
        const std::string_view entry{*e};
        if (entry.rfind("ALATAR_", 0) != 0) continue;
        const auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        env.emplace(std::string{entry.substr(0, eq)}, std::string{entry.substr(eq + 1)});
    }
    return env;
}

bool is_allowed_non_config_env(std::string_view name) noexcept {
    static constexpr std::array<std::string_view, 5> kExact{"ALATAR_CONFIG", "ALATAR_WERROR", "ALATAR_SANITIZE",
                                                            "ALATAR_BIN", "ALATAR_CONFORMANCE"};
    static constexpr std::array<std::string_view, 4> kPrefixes{"ALATAR_TEST_", "ALATAR_BUILD_", "ALATAR_SIM_",
                                                               "ALATAR_DEV_"};
    return std::find(kExact.begin(), kExact.end(), name) != kExact.end() ||
           std::any_of(kPrefixes.begin(), kPrefixes.end(),
                       [name](std::string_view p) { return name.rfind(p, 0) == 0; });
}

ConfigSources ConfigSources::from_args(std::span<const std::string_view> args) {
    ConfigSources sources;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (arg == "--config") {
            if (i + 1 >= args.size()) throw ConfigError("config: --config needs a file path");
            sources.file = std::string{args[++i]};
        } else if (arg.rfind("--config=", 0) == 0) {
            sources.file = std::string{arg.substr(9)};
            if (sources.file->empty()) throw ConfigError("config: --config needs a file path");
        }
    }
    sources.env = process_environment();
    return sources;
}

Config Config::defaults() {
    Config config;
    for (const auto& spec : key_table()) assign(config, spec, Raw{spec.default_text}, Origin{"defaults"});
    return config;
}

Config Config::load(const ConfigSources& sources) {
    Config config = defaults();
    std::optional<std::string> file = sources.file;
    if (!file) {
        if (const auto it = sources.env.find("ALATAR_CONFIG"); it != sources.env.end() && !it->second.empty()) {
            file = it->second;
        }
    }
    if (file) apply_file(config, *file);
    apply_env(config, sources.env);
    check_cross_key_rules(config);
    return config;
}

std::string Config::redacted_json() const {
    boost::json::object out;
    for (const auto& spec : key_table()) {
        std::visit(
            [&](auto m) {
                const auto& field = this->*m;
                using T = std::remove_cvref_t<decltype(field)>;
                const boost::json::string_view key{spec.name.data(), spec.name.size()};
                if constexpr (std::is_same_v<T, std::string>) {
                    if (spec.secrecy == Secrecy::kSecret) {
                        out[key] = field.empty() ? "" : "***";
                    } else {
                        out[key] = redact(field);
                    }
                } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                    boost::json::array items;
                    for (const auto& item : field) items.emplace_back(boost::json::string_view{item});
                    out[key] = std::move(items);
                } else if constexpr (std::is_same_v<T, Config::Duration>) {
                    out[key] = format_duration(field);
                } else if constexpr (std::is_same_v<T, LogLevel>) {
                    out[key] = log_level_name(field);
                } else if constexpr (std::is_same_v<T, Mode>) {
                    out[key] = field == Mode::kProduction ? "production" : "development";
                } else {
                    out[key] = field;
                }
            },
            spec.member);
    }
    return boost::json::serialize(out);
}

std::vector<std::string_view> config_key_names() {
    std::vector<std::string_view> names;
    for (const auto& spec : key_table()) names.push_back(spec.name);
    return names;
}

bool is_secret_config_key(std::string_view key) {
    const KeySpec* spec = find_key(key);
    return spec != nullptr && spec->secrecy == Secrecy::kSecret;
}

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
    text = trim(text);
    if (text.empty()) return std::nullopt;
    if (auto bare = parse_int(text)) {
        if (*bare < 0) return std::nullopt;
        return std::chrono::milliseconds{*bare};
    }
    struct Unit {
        std::string_view suffix;
        std::int64_t ms;
    };
    // "ms" before "m" so that the longer suffix wins.
    static constexpr std::array<Unit, 5> kUnits{
        {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", kMsPerHour}, {"d", kMsPerDay}}};
    std::int64_t total = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t digits_end = pos;
        while (digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9') ++digits_end;
        if (digits_end == pos) return std::nullopt;
        std::int64_t amount = 0;
        const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + digits_end, amount);
        if (ec != std::errc{} || ptr != text.data() + digits_end) return std::nullopt;
        const Unit* unit = nullptr;
        for (const auto& u : kUnits) {
            if (text.substr(digits_end, u.suffix.size()) == u.suffix) {
                unit = &u;
                break;
            }
        }
        if (unit == nullptr) return std::nullopt;
        if (amount > (std::numeric_limits<std::int64_t>::max() - total) / unit->ms) return std::nullopt;
        total += amount * unit->ms;
        pos = digits_end + unit->suffix.size();
    }
    return std::chrono::milliseconds{total};
}

std::string format_duration(std::chrono::milliseconds d) {
    const std::int64_t ms = d.count();
    if (ms == 0) return "0s";
    if (ms % kMsPerDay == 0) return fmt::format("{}d", ms / kMsPerDay);
    if (ms % kMsPerHour == 0) return fmt::format("{}h", ms / kMsPerHour);
    if (ms % 60'000 == 0) return fmt::format("{}m", ms / 60'000);
    if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
    return fmt::format("{}ms", ms);
}

std::optional<bool> parse_bool(std::string_view text) {
    const std::string v = to_lower(trim(text));
    if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "0" || v == "no" || v == "off") return false;
    return std::nullopt;
}

}  // namespace alatar
