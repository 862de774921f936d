#pragma once
// Client of the Shopify Admin GraphQL API (reference §3.5-3.8) for the worker side: blocking, bounded by a
// Deadline, paced per shop from extensions.cost.throttleStatus, retrying throttles (HTTP 429 or THROTTLED),
// 5xx answers, unreadable bodies and timeouts with exponential backoff and jitter, failing fast on other 4xx.
// Every attempt is logged with the shop, status and cost; the access token never is. A CallObserver passed to a
// call hears one CallRecord per logical call (the analysis turns it into a trace span).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "shopify/http_client.hpp"

namespace alatar::shopify {

// Shopify answered 401: the token was revoked (app uninstalled). The caller marks the store TOKEN_REVOKED.
class TokenRevoked : public Error {
  public:
    explicit TokenRevoked(const std::string& shop)
        : Error(ErrorCode::kShopifyError,
                "Shopify no longer accepts the access token of " + shop + "; the store must be linked again") {}
};

// A refusal by Shopify that retrying cannot fix: a 4xx other than 401/429, GraphQL errors, userErrors.
class ShopifyApiError : public Error {
  public:
    ShopifyApiError(long http_status, const std::string& message)
        : Error(ErrorCode::kShopifyError, message), http_status_(http_status) {}
    long http_status() const noexcept { return http_status_; }

  private:
    long http_status_;
};

struct ShopCredentials {
    std::string shop_domain;   // normalised, e.g. demo.myshopify.test
    std::string access_token;  // offline token
};

struct AdminClientOptions {
    std::string shop_url_template = "https://{shop}";  // ALATAR_SHOPIFY_SHOP_URL
    std::string api_version = "2026-01";
    int max_attempts = 6;                               // per call, throttles included
    std::chrono::milliseconds base_backoff{200};        // first retry pause (doubles, equal jitter)
    std::chrono::milliseconds max_backoff{10000};       // cap of one pause
    std::chrono::milliseconds attempt_timeout{30000};   // one HTTP attempt (within the call's deadline)
    std::chrono::milliseconds bulk_poll_interval{500};  // currentBulkOperation polling
};

// The cost block of the last answer (§3.6).
struct QueryCost {
    double requested = 0;
    std::optional<double> actual;
    double currently_available = 0;
    double maximum_available = 0;
    double restore_rate = 0;
};

struct GraphqlResponse {
    boost::json::value data;  // the "data" member
    std::optional<QueryCost> cost;
    int attempts = 1;
};

struct BulkOperation {
    std::string id;
    std::string status;  // CREATED, RUNNING, COMPLETED, FAILED, CANCELING, CANCELED, EXPIRED
    std::optional<std::string> error_code;
    std::optional<std::string> url;  // JSONL, when COMPLETED with objects
    std::int64_t object_count = 0;
};

// One logical Admin API call as a trace records it: never the document, variables or token.
struct CallRecord {
    std::string operation;  // "query orders", "mutation bulkOperationRunQuery", "download bulk result"
    SystemTime started_at{};
    double duration_ms = 0;
    int attempts = 0;
    long http_status = 0;                  // of the last answer; 0 when none came
    std::string outcome;                   // success, throttled, error, timeout, auth_failed
    std::optional<double> requested_cost;  // of the last answer's extensions.cost
    std::optional<double> actual_cost;
    double throttle_wait_ms = 0;  // paced before sending plus waited after throttled answers
    std::optional<std::string> error;
};

// Hears every call made with it. Called on the calling thread, after the call's outcome is known.
class CallObserver {
  public:
    CallObserver() = default;
    virtual ~CallObserver() = default;
    CallObserver(const CallObserver&) = delete;
    CallObserver& operator=(const CallObserver&) = delete;
    CallObserver(CallObserver&&) = delete;
    CallObserver& operator=(CallObserver&&) = delete;
    virtual void on_call(const CallRecord& call) = 0;
};

// "query orders" for an anonymous `query($after: String) { orders(...) ... }`, "query ProductPage" for a named
// one: the operation type and its name, or else its first root field (aliases resolved). Never the arguments.
std::string operation_name(std::string_view document);

class AdminClient {
  public:
    AdminClient(HttpClient& http, AdminClientOptions options, Logger log);

    // POST {shop}/admin/api/{version}/graphql.json. Throws TokenRevoked, ShopifyApiError, or Error kTimeout /
    // kUpstreamUnavailable / kRateLimited when retries or the deadline run out.
    // `observer` (optional) hears the call's CallRecord, whatever its outcome.
    GraphqlResponse query(const ShopCredentials& shop, std::string_view document, const boost::json::object& variables,
                          Deadline deadline, CallObserver* observer = nullptr);

    // Follows a connection page by page. `document` takes `$after: String` and selects, at `path` (field names
    // from data down to the connection), `nodes { ... }` and `pageInfo { hasNextPage endCursor }`.
    // on_page gets each page's nodes and its end cursor, in order; a failed page is retried with the same cursor,
    // so no page is lost or repeated. Returns the number of nodes. `after` resumes from a saved cursor.
    std::int64_t paginate(const ShopCredentials& shop, std::string_view document, boost::json::object variables,
                          const std::vector<std::string>& path, Deadline deadline,
                          const std::function<void(const boost::json::array& nodes,
                                                   const std::optional<std::string>& end_cursor)>& on_page,
                          std::optional<std::string> after = std::nullopt, CallObserver* observer = nullptr);

    // bulkOperationRunQuery; returns the operation id. userErrors become ShopifyApiError.
    std::string start_bulk_query(const ShopCredentials& shop, std::string_view bulk_query, Deadline deadline,
                                 CallObserver* observer = nullptr);
    // Polls bulkOperation(id) until it leaves CREATED/RUNNING. Throws ShopifyApiError when it did not complete.
    BulkOperation wait_for_bulk(const ShopCredentials& shop, const std::string& id, Deadline deadline,
                                CallObserver* observer = nullptr);
    // Streams a result file line by line (never the whole file in memory).
    void download_lines(const std::string& url, Deadline deadline, const std::function<void(std::string_view)>& on_line,
                        CallObserver* observer = nullptr);

    // The pacing state the client keeps for a shop (for tests and metrics).
    std::optional<QueryCost> last_cost(const std::string& shop_domain) const;

  private:
    struct Pacing {
        double available = 0;
        double maximum = 0;
        double restore_rate = 0;
        std::chrono::steady_clock::time_point observed_at{};
        std::map<std::string, double, std::less<>> requested_by_query;  // last requested cost per document
        QueryCost last;
    };

    // What query() reports: filled in by the attempts as they go.
    struct Progress {
        int attempts = 0;
        long http_status = 0;
        std::optional<QueryCost> cost;
        double throttle_wait_ms = 0;
    };
    GraphqlResponse send_with_retries(const ShopCredentials& shop, std::string_view document,
                                      const boost::json::object& variables, Deadline deadline, Progress& progress);

    std::string endpoint(const ShopCredentials& shop) const;
    // How long to wait before sending `document` so its requested cost fits in the bucket: the cost Shopify last
    // reported for it, or for a document not sent yet our estimate of it (so its first page is not throttled).
    std::chrono::milliseconds pacing_wait(const std::string& shop, std::string_view document,
                                          const boost::json::object& variables) const;
    void record_cost(const std::string& shop, std::string_view document, const QueryCost& cost);
    std::chrono::milliseconds backoff(int attempt) const;

    HttpClient& http_;
    AdminClientOptions options_;
    Logger log_;
    mutable std::mutex mutex_;
    std::map<std::string, Pacing, std::less<>> pacing_;
};

// Parses extensions.cost of a response; nullopt when absent or malformed.
std::optional<QueryCost> parse_query_cost(const boost::json::value& response);

}  // namespace alatar::shopify
