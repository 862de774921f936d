#pragma once
// Typed start-up configuration.
//
// Precedence: compiled defaults < TOML file (`--config path` or ALATAR_CONFIG) < environment ALATAR_*.
// Keys are flat: TOML `database_url` <-> env ALATAR_DATABASE_URL (ALATAR_ + upper-case key).
// Unknown keys (in the file, or ALATAR_* variables outside the allow-list), malformed values and secrets
// found in the file stop start-up with a ConfigError naming the key and where it came from.
// Secrets (master_key, shopify_api_key, shopify_api_secret, llm_api_key, and a password inside
// database_url/amqp_url) are accepted only from the environment: either directly (ALATAR_MASTER_KEY) or as
// the content of a file named by ALATAR_<KEY>_FILE (for Docker/Kubernetes secrets; a trailing newline is dropped).
//
// Adding a key: a member here plus one row in the table in config.cpp (name, member, default, secret flag,
// check), plus its documented default in config/alatar.example.toml.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"

namespace alatar {

// Start-up configuration problem. what() names the key and the source ("config.toml:12", "env ALATAR_X");
// it never contains a secret value.
class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

enum class Mode { kDevelopment, kProduction };

// Environment variables as name -> value (tests pass their own; main passes process_environment()).
using Environment = std::map<std::string, std::string, std::less<>>;

// Snapshot of the process environment (only ALATAR_* entries are kept).
Environment process_environment();

// ALATAR_* variables that are not configuration keys and are therefore ignored by the unknown-key check:
// ALATAR_CONFIG, everything starting with ALATAR_TEST_, ALATAR_BUILD_, ALATAR_SIM_ or ALATAR_DEV_, the build
// options ALATAR_WERROR, ALATAR_SANITIZE and ALATAR_CONFORMANCE, and ALATAR_BIN (used by test scripts).
bool is_allowed_non_config_env(std::string_view name) noexcept;

struct ConfigSources {
    // TOML file; when unset, ALATAR_CONFIG from `env` is used if present. No file is fine.
    std::optional<std::string> file;
    Environment env;

    // `--config path` or `--config=path` from a subcommand's arguments (other arguments are ignored)
    // plus process_environment(). Throws ConfigError when --config has no value.
    static ConfigSources from_args(std::span<const std::string_view> args);
};

struct Config {
    using Duration = std::chrono::milliseconds;

    std::string listen;        // host:port of the API
    std::string database_url;  // libpq URI; a password only via ALATAR_DATABASE_URL
    std::string amqp_url;      // amqp://; a password only via ALATAR_AMQP_URL
    LogLevel log_level{};
    std::int64_t io_threads{};  // 0 = number of cores
    std::int64_t db_pool_size{};
    Duration db_call_timeout{};
    Mode mode{};
    std::string shopify_shop_url;  // template with "{shop}", e.g. https://{shop}
    std::string shopify_api_version;
    std::vector<std::string> shopify_scopes;
    std::string shopify_shop_suffix;
    std::string shopify_api_key;              // secret
    std::string shopify_api_secret;           // secret
    std::string shopify_api_secret_previous;  // secret: still accepted on webhooks while the app secret rotates
    std::string master_key;                   // secret: base64 32 bytes, or "kid:base64,kid:base64" (first is current)
    std::string llm_api_key;                  // secret
    std::string llm_base_url;
    std::vector<std::string> llm_models;
    Duration llm_timeout{};                      // one chat-completions call
    std::int64_t llm_max_retries{};              // extra attempts on 429/5xx/transport errors
    std::int64_t llm_max_tool_steps{};           // model turns with tool calls per step
    std::int64_t llm_request_token_budget{};     // tokens per analysis request
    std::int64_t llm_user_daily_token_budget{};  // tokens per user per UTC day
    std::int64_t llm_request_budget_cents{};     // USD cents per analysis request (0 = no cost cap)
    std::int64_t llm_user_daily_budget_cents{};  // USD cents per user per UTC day (0 = no cost cap)
    Duration cache_ttl{};
    std::string public_url;
    std::int64_t max_body_bytes{};
    Duration request_timeout{};
    bool trust_proxy{};                 // take the client address from X-Forwarded-For (only behind a trusted proxy)
    std::int64_t max_connections{};     // open connections (HTTP and WebSocket) before new ones get a 503
    std::int64_t max_header_bytes{};    // request head size before a 431
    Duration header_timeout{};          // the whole request head must arrive by then (slowloris)
    Duration idle_timeout{};            // keep-alive wait for the next request
    std::string amqp_prefix;            // names of the RabbitMQ exchanges and queues: <prefix>.work, <prefix>.dlq, ...
    Duration analysis_timeout{};        // an analysis with no progress for this long is failed by the workers
    std::string worker_metrics_listen;  // host:port of a worker's /metrics listener ("" = none)
    // OTLP/HTTP JSON trace export from the workers: the collector's full URL ("" = off), the resource's
    // service.name, and extra request headers "Name=value,Name=value" (secret: e.g. an Authorization header).
    std::string otlp_traces_endpoint;
    std::string otlp_service_name;
    std::string otlp_headers;       // secret
    Duration cache_retention{};     // a store's cache unused (not synced) this long is purged
    Duration trace_retention{};     // trace spans older than this are purged
    Duration retention_interval{};  // how often each worker runs the purge job (0 = not in this process)
    // Mobile sign-in (loginWithIdToken): the accepted audiences (empty: provider off) and the provider's JWKS.
    std::vector<std::string> google_client_ids;
    std::string google_jwks_url;
    std::vector<std::string> apple_client_ids;
    std::string apple_jwks_url;

    // Compiled defaults only.
    static Config defaults();

    // Defaults, then the file, then the environment; validated. Throws ConfigError.
    static Config load(const ConfigSources& sources);

    // The effective configuration as one JSON object; secrets are "***" when set ("" when not) and URL
    // passwords are masked. For the single start-up log line.
    std::string redacted_json() const;

    bool production() const noexcept { return mode == Mode::kProduction; }

    friend bool operator==(const Config&, const Config&) = default;
};

// The names of all configuration keys in table order (for docs and tests).
std::vector<std::string_view> config_key_names();
// True for keys accepted only from the environment.
bool is_secret_config_key(std::string_view key);

// Parses "15m", "30s", "250ms", "2h", "1d", sums like "1h30m", or a bare integer (milliseconds).
// nullopt when malformed or negative.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// The shortest exact form: 900000ms -> "15m", 1500ms -> "1500ms", 0 -> "0s".
std::string format_duration(std::chrono::milliseconds d);
// true/false, 1/0, yes/no, on/off (case-insensitive). nullopt otherwise.
std::optional<bool> parse_bool(std::string_view text);

}  // namespace alatar
