#include "shopify/admin_client.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <random>
#include <thread>

#include "shopify/cost_estimate.hpp"
#include "shopify/shop_domain.hpp"

namespace alatar::shopify {
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

double number_of(const json::value* v) {
    if (v == nullptr) return 0;
    if (v->is_double()) return v->get_double();
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_uint64()) return static_cast<double>(v->get_uint64());
    return 0;
}

// Pauses for `wait`, or throws kTimeout when the deadline would pass first.
void pause_within(milliseconds wait, Deadline deadline, std::string_view why) {
    if (wait <= milliseconds::zero()) return;
    if (!deadline.is_never() && deadline.remaining_ms() <= wait) {
        throw Error(ErrorCode::kTimeout, "Shopify call ran out of time (" + std::string(why) + ")");
    }
    std::this_thread::sleep_for(wait);
}

bool is_throttled(const json::value& response) {
    const auto* obj = response.if_object();
    const auto* errors = obj != nullptr ? obj->if_contains("errors") : nullptr;
    if (errors == nullptr || !errors->is_array()) return false;
    for (const auto& e : errors->get_array()) {
        const auto* ext = e.is_object() ? e.get_object().if_contains("extensions") : nullptr;
        const auto* code = ext != nullptr && ext->is_object() ? ext->get_object().if_contains("code") : nullptr;
        if (code != nullptr && code->is_string() && code->get_string() == "THROTTLED") return true;
    }
    return false;
}

std::string first_error_message(const json::value& errors) {
    if (errors.is_string()) return std::string(errors.get_string());
    if (errors.is_array() && !errors.get_array().empty()) {
        const auto& e = errors.get_array().front();
        if (e.is_object()) {
            if (const auto* m = e.get_object().if_contains("message"); m != nullptr && m->is_string()) {
                return std::string(m->get_string());
            }
        }
    }
    return json::serialize(errors).substr(0, 200);
}

std::optional<milliseconds> parse_retry_after(const std::optional<std::string>& header) {
    if (!header) return std::nullopt;
    double seconds = 0;
    const auto* end = header->data() + header->size();
    const auto [ptr, ec] = std::from_chars(header->data(), end, seconds);
    if (ec != std::errc{} || ptr != end || seconds < 0) return std::nullopt;
    return milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000)));
}

const json::value* at_path(const json::value& root, const std::vector<std::string>& path) {
    const json::value* v = &root;
    for (const auto& name : path) {
        const auto* obj = v->if_object();
        v = obj != nullptr ? obj->if_contains(name) : nullptr;
        if (v == nullptr) return nullptr;
    }
    return v;
}

std::optional<std::string> string_member(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->get_string());
}

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// The outcome a failed call reports (the vocabulary of alatar_shopify_requests_total{outcome}).
std::string failure_outcome(const std::exception& e) {
    if (dynamic_cast<const TokenRevoked*>(&e) != nullptr) return "auth_failed";
    if (const auto* api = dynamic_cast<const ShopifyApiError*>(&e)) {
        // Only 401 says the credentials are bad; a 403 is a missing scope (ACCESS_DENIED), which the sync
        // tolerates where a scope is optional and which must not fire the authentication alert.
        return api->http_status() == 401 ? "auth_failed" : "error";
    }
    if (const auto* err = dynamic_cast<const Error*>(&e)) {
        if (err->code() == ErrorCode::kTimeout) return "timeout";
        if (err->code() == ErrorCode::kRateLimited) return "throttled";
    }
    return "error";
}

// Tells `observer` (when there is one) how a call went, once it is over.
class CallReporter {
  public:
    CallReporter(CallObserver* observer, std::string operation) : observer_(observer) {
        record_.operation = std::move(operation);
        record_.started_at = std::chrono::system_clock::now();
    }
    CallRecord& record() noexcept { return record_; }
    void succeeded() { finish("success", std::nullopt); }
    void failed(const std::exception& e) { finish(failure_outcome(e), e.what()); }
    // A refusal that says nothing about the store's credentials (e.g. an expired signed file URL).
    void failed_without_auth(const std::exception& e) {
        const std::string outcome = failure_outcome(e);
        finish(outcome == "auth_failed" ? "error" : outcome, e.what());
    }
    // The caller stopped the call (its own handling of what arrived failed): not Shopify's failure.
    void aborted_by_caller(const std::exception& e) { finish("aborted", e.what()); }

  private:
    // Never throws: a failing observer must not turn a successful call into a failure, nor replace the
    // exception a failed call is about to rethrow (TokenRevoked marks the store).
    void finish(std::string outcome, std::optional<std::string> error) noexcept {
        if (observer_ == nullptr) return;
        try {
            record_.duration_ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
            record_.outcome = std::move(outcome);
            record_.error = std::move(error);
            observer_->on_call(record_);
        } catch (...) {  // NOLINT(bugprone-empty-catch): the record is lost, the call's own result is not
        }
    }

    CallObserver* observer_;
    CallRecord record_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace

std::string operation_name(std::string_view document) {
    std::size_t i = 0;
    const auto skip_ignored = [&] {  // white space, commas and comments
        while (i < document.size()) {
            const char c = document[i];
            if (c == '#') {
                while (i < document.size() && document[i] != '\n') ++i;
            } else if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == ',') {
                ++i;
            } else {
                return;
            }
        }
    };
    const auto read_name = [&] {
        skip_ignored();
        const std::size_t begin = i;
        while (i < document.size() && is_name_char(document[i])) ++i;
        return std::string(document.substr(begin, i - begin));
    };
    std::string type = read_name();
    if (type.empty()) type = "query";  // the shorthand `{ ... }`
    if (type != "query" && type != "mutation" && type != "subscription") return "graphql";
    if (std::string name = read_name(); !name.empty()) return type + " " + name;
    skip_ignored();
    if (i < document.size() && document[i] == '(') {  // variable definitions (no nested parentheses)
        while (i < document.size() && document[i] != ')') ++i;
        ++i;
    }
    skip_ignored();
    if (i >= document.size() || document[i] != '{') return type;
    ++i;
    std::string field = read_name();
    skip_ignored();
    if (i < document.size() && document[i] == ':') {  // an alias: the field comes after it
        ++i;
        field = read_name();
    }
    return field.empty() ? type : type + " " + field;
}

std::optional<QueryCost> parse_query_cost(const json::value& response) {
    const auto* cost = at_path(response, {"extensions", "cost"});
    if (cost == nullptr || !cost->is_object()) return std::nullopt;
    const auto& c = cost->get_object();
    QueryCost out;
    out.requested = number_of(c.if_contains("requestedQueryCost"));
    if (const auto* a = c.if_contains("actualQueryCost"); a != nullptr && !a->is_null()) out.actual = number_of(a);
    const auto* t = c.if_contains("throttleStatus");
    if (t == nullptr || !t->is_object()) return std::nullopt;
    out.maximum_available = number_of(t->get_object().if_contains("maximumAvailable"));
    out.currently_available = number_of(t->get_object().if_contains("currentlyAvailable"));
    out.restore_rate = number_of(t->get_object().if_contains("restoreRate"));
    return out;
}

AdminClient::AdminClient(HttpClient& http, AdminClientOptions options, Logger log)
    : http_(http), options_(std::move(options)), log_(std::move(log)) {}

std::string AdminClient::endpoint(const ShopCredentials& shop) const {
    return shop_base_url(options_.shop_url_template, shop.shop_domain) + "/admin/api/" + options_.api_version +
           "/graphql.json";
}

std::chrono::milliseconds AdminClient::backoff(int attempt) const {
    // Equal jitter: uniform in [c/2, c] with c = min(cap, base * 2^(attempt-1)), at least a millisecond, so
    // retries of many workers spread out yet never come back immediately.
    const double ceiling = std::min(static_cast<double>(options_.max_backoff.count()),
                                    static_cast<double>(options_.base_backoff.count()) * std::pow(2.0, attempt - 1));
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_real_distribution<double> pick(ceiling / 2, ceiling);
    return milliseconds(std::max<std::int64_t>(1, static_cast<std::int64_t>(pick(rng))));
}

std::chrono::milliseconds AdminClient::pacing_wait(const std::string& shop, std::string_view document,
                                                   const json::object& variables) const {
    const std::lock_guard lock(mutex_);
    const auto it = pacing_.find(shop);
    if (it == pacing_.end() || it->second.restore_rate <= 0) return milliseconds::zero();
    const Pacing& p = it->second;
    double requested = 0;
    if (const auto seen = p.requested_by_query.find(document); seen != p.requested_by_query.end()) {
        requested = seen->second;
    } else if (const auto estimate = estimate_requested_cost(document, variables)) {
        // Never more than the bucket holds: a larger query is Shopify's to refuse, not ours to wait for.
        requested = std::min(static_cast<double>(*estimate), p.maximum);
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - p.observed_at).count();
    const double available = std::min(p.maximum, p.available + elapsed * p.restore_rate);
    if (requested <= available) return milliseconds::zero();
    return milliseconds(static_cast<std::int64_t>(std::ceil((requested - available) / p.restore_rate * 1000)));
}

void AdminClient::record_cost(const std::string& shop, std::string_view document, const QueryCost& cost) {
    const std::lock_guard lock(mutex_);
    Pacing& p = pacing_[shop];
    p.available = cost.currently_available;
    p.maximum = cost.maximum_available;
    p.restore_rate = cost.restore_rate;
    p.observed_at = std::chrono::steady_clock::now();
    p.last = cost;
    if (cost.requested > 0) p.requested_by_query.insert_or_assign(std::string(document), cost.requested);
}

std::optional<QueryCost> AdminClient::last_cost(const std::string& shop_domain) const {
    const std::lock_guard lock(mutex_);
    const auto it = pacing_.find(shop_domain);
    if (it == pacing_.end()) return std::nullopt;
    return it->second.last;
}

GraphqlResponse AdminClient::query(const ShopCredentials& shop, std::string_view document,
                                   const json::object& variables, Deadline deadline, CallObserver* observer) {
    CallReporter report(observer, operation_name(document));
    Progress progress;
    const auto copy_progress = [&] {
        CallRecord& r = report.record();
        r.attempts = progress.attempts;
        r.http_status = progress.http_status;
        r.throttle_wait_ms = progress.throttle_wait_ms;
        if (progress.cost) {
            r.requested_cost = progress.cost->requested;
            r.actual_cost = progress.cost->actual;
        }
    };
    try {
        GraphqlResponse response = send_with_retries(shop, document, variables, deadline, progress);
        copy_progress();
        report.succeeded();
        return response;
    } catch (const std::exception& e) {
        copy_progress();
        report.failed(e);
        throw;
    }
}

GraphqlResponse AdminClient::send_with_retries(const ShopCredentials& shop, std::string_view document,
                                               const json::object& variables, Deadline deadline, Progress& progress) {
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint(shop);
    request.headers = {{"Content-Type", "application/json"},
                       {"Accept", "application/json"},
                       {"X-Shopify-Access-Token", shop.access_token}};
    request.body = json::serialize(json::object{{"query", document}, {"variables", variables}});

    std::string last_problem = "no attempt made";
    ErrorCode last_code = ErrorCode::kUpstreamUnavailable;
    for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
        const milliseconds paced = pacing_wait(shop.shop_domain, document, variables);
        pause_within(paced, deadline, "waiting for the rate-limit bucket");
        progress.throttle_wait_ms += static_cast<double>(paced.count());
        progress.attempts = attempt;
        const auto started = std::chrono::steady_clock::now();
        const Deadline attempt_deadline = deadline.min(Deadline::after(options_.attempt_timeout));
        std::optional<milliseconds> wait;  // set when this attempt should be retried
        bool throttle_pause = false;       // that wait is for the rate-limit bucket
        try {
            const HttpResponse res = http_.send(request, attempt_deadline);
            const double dur_ms =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            boost::system::error_code ec;
            const json::value body = json::parse(res.body, ec);
            const auto cost = ec ? std::nullopt : parse_query_cost(body);
            if (cost) record_cost(shop.shop_domain, document, *cost);
            progress.http_status = res.status;
            if (cost) progress.cost = cost;
            log_.info("shopify call", {{"shop", shop.shop_domain},
                                       {"status", static_cast<std::int64_t>(res.status)},
                                       {"attempt", attempt},
                                       {"dur_ms", dur_ms},
                                       {"requested_cost", cost ? cost->requested : -1.0},
                                       {"actual_cost", cost && cost->actual ? *cost->actual : -1.0},
                                       {"available", cost ? cost->currently_available : -1.0}});
            const bool throttled = res.status == 429 || (!ec && res.status == 200 && is_throttled(body));
            if (res.status == 401) throw TokenRevoked(shop.shop_domain);
            if (throttled) {
                last_problem = "Shopify kept throttling the store's requests";
                last_code = ErrorCode::kRateLimited;
                wait = parse_retry_after(res.header("retry-after"));
                if (!wait && cost && cost->restore_rate > 0) {
                    const double missing = std::max(0.0, cost->requested - cost->currently_available);
                    wait = milliseconds(static_cast<std::int64_t>(std::ceil(missing / cost->restore_rate * 1000)));
                }
                if (!wait) wait = backoff(attempt);
                *wait = std::max(*wait, milliseconds(1));
                throttle_pause = true;
            } else if (res.status >= 500) {
                last_problem = "Shopify answered HTTP " + std::to_string(res.status);
                last_code = ErrorCode::kUpstreamUnavailable;
                wait = parse_retry_after(res.header("retry-after")).value_or(backoff(attempt));
            } else if (res.status >= 400 || res.status < 200) {
                throw ShopifyApiError(res.status, "Shopify refused the request (HTTP " + std::to_string(res.status) +
                                                      (ec ? std::string() : ": " + first_error_message(body)) + ")");
            } else if (ec || !body.is_object()) {
                last_problem = "Shopify sent an unreadable response";
                last_code = ErrorCode::kUpstreamUnavailable;
                wait = backoff(attempt);
            } else {
                const auto& obj = body.get_object();
                const auto* data = obj.if_contains("data");
                const auto* errors = obj.if_contains("errors");
                if (errors != nullptr && (data == nullptr || data->is_null())) {
                    throw ShopifyApiError(res.status, "Shopify GraphQL error: " + first_error_message(*errors));
                }
                if (errors != nullptr) {
                    log_.warning("shopify partial errors",
                                 {{"shop", shop.shop_domain}, {"error", first_error_message(*errors)}});
                }
                return GraphqlResponse{data != nullptr ? *data : json::value(nullptr), cost, attempt};
            }
        } catch (const TransportError& e) {
            last_problem = e.timed_out() ? "Shopify did not answer in time" : e.what();
            last_code = e.timed_out() ? ErrorCode::kTimeout : ErrorCode::kUpstreamUnavailable;
            log_.warning("shopify call failed",
                         {{"shop", shop.shop_domain}, {"attempt", attempt}, {"error", e.what()}});
            if (deadline.expired()) break;
            wait = backoff(attempt);
        }
        if (attempt == options_.max_attempts) break;
        pause_within(*wait, deadline, last_problem);
        // Counted once waited: a pause cut short by the deadline throws above and was not a throttle wait.
        if (throttle_pause) progress.throttle_wait_ms += static_cast<double>(wait->count());
    }
    throw Error(last_code, last_problem + " (gave up after " + std::to_string(options_.max_attempts) + " attempts)");
}

std::int64_t AdminClient::paginate(
    const ShopCredentials& shop, std::string_view document, json::object variables,
    const std::vector<std::string>& path, Deadline deadline,
    const std::function<void(const json::array&, const std::optional<std::string>&)>& on_page,
    std::optional<std::string> after, CallObserver* observer) {
    std::int64_t total = 0;
    for (;;) {
        variables["after"] = after ? json::value(*after) : json::value(nullptr);
        const GraphqlResponse page = query(shop, document, variables, deadline, observer);
        const json::value* connection = at_path(page.data, path);
        if (connection == nullptr || !connection->is_object()) {
            throw ShopifyApiError(200, "Shopify's answer has no connection at the expected path");
        }
        const auto* nodes = connection->get_object().if_contains("nodes");
        const auto* info = connection->get_object().if_contains("pageInfo");
        if (nodes == nullptr || !nodes->is_array() || info == nullptr || !info->is_object()) {
            throw ShopifyApiError(200, "Shopify's connection lacks nodes or pageInfo");
        }
        const auto end_cursor = string_member(info->get_object(), "endCursor");
        const auto* more = info->get_object().if_contains("hasNextPage");
        const bool has_next = more != nullptr && more->is_bool() && more->get_bool();
        on_page(nodes->get_array(), end_cursor);
        total += static_cast<std::int64_t>(nodes->get_array().size());
        if (!has_next) return total;
        if (!end_cursor || end_cursor == after) {
            throw ShopifyApiError(200, "Shopify's pagination did not advance");  // would loop for ever
        }
        after = end_cursor;
    }
}

std::string AdminClient::start_bulk_query(const ShopCredentials& shop, std::string_view bulk_query, Deadline deadline,
                                          CallObserver* observer) {
    static constexpr std::string_view kRun =
        "mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } "
        "userErrors { field message } } }";
    const auto res = query(shop, kRun, json::object{{"q", bulk_query}}, deadline, observer);
    const auto* payload = at_path(res.data, {"bulkOperationRunQuery"});
    if (payload == nullptr || !payload->is_object())
        throw ShopifyApiError(200, "bulkOperationRunQuery returned nothing");
    if (const auto* errors = payload->get_object().if_contains("userErrors");
        errors != nullptr && errors->is_array() && !errors->get_array().empty()) {
        throw ShopifyApiError(200, "Shopify refused the bulk query: " + first_error_message(*errors));
    }
    const auto* id = at_path(*payload, {"bulkOperation", "id"});
    if (id == nullptr || !id->is_string()) throw ShopifyApiError(200, "bulkOperationRunQuery returned no operation");
    return std::string(id->get_string());
}

BulkOperation AdminClient::wait_for_bulk(const ShopCredentials& shop, const std::string& id, Deadline deadline,
                                         CallObserver* observer) {
    static constexpr std::string_view kPoll =
        "query($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount url } }";
    for (;;) {
        const auto res = query(shop, kPoll, json::object{{"id", id}}, deadline, observer);
        const auto* op = at_path(res.data, {"bulkOperation"});
        if (op == nullptr || !op->is_object()) throw ShopifyApiError(200, "bulk operation " + id + " not found");
        const auto& o = op->get_object();
        BulkOperation out;
        out.id = id;
        out.status = string_member(o, "status").value_or("");
        out.error_code = string_member(o, "errorCode");
        out.url = string_member(o, "url");
        if (const auto count = string_member(o, "objectCount")) {
            std::from_chars(count->data(), count->data() + count->size(), out.object_count);
        } else {
            out.object_count = static_cast<std::int64_t>(number_of(o.if_contains("objectCount")));
        }
        if (out.status == "COMPLETED") return out;
        if (out.status != "CREATED" && out.status != "RUNNING") {
            throw ShopifyApiError(200, "bulk operation ended " + out.status +
                                           (out.error_code ? " (" + *out.error_code + ")" : std::string()));
        }
        pause_within(options_.bulk_poll_interval, deadline, "bulk operation still running");
    }
}

void AdminClient::download_lines(const std::string& url, Deadline deadline,
                                 const std::function<void(std::string_view)>& on_line, CallObserver* observer) {
    CallReporter report(observer, "download bulk result");
    report.record().attempts = 1;
    bool caller_failed = false;  // on_line threw: parsing or storing failed on our side, not the download
    try {
        LineSplitter splitter([&](std::string_view line) {
            if (line.empty()) return;
            try {
                on_line(line);
            } catch (...) {
                caller_failed = true;
                throw;
            }
        });
        const long status = http_.stream(url, deadline, [&](std::string_view chunk) { splitter.feed(chunk); });
        report.record().http_status = status;
        if (status < 200 || status >= 300) {
            throw ShopifyApiError(status,
                                  "the bulk result file could not be fetched (HTTP " + std::to_string(status) + ")");
        }
        splitter.finish();
    } catch (const std::exception& e) {
        if (caller_failed) {
            report.aborted_by_caller(e);
        } else {
            // The file comes from storage by a signed URL without the token: a 401/403 there is no auth failure.
            report.failed_without_auth(e);
        }
        throw;
    }
    report.succeeded();
}

}  // namespace alatar::shopify
