#include "shopify_sim/sim_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/crypto.hpp"
#include "graphql/cache.hpp"
#include "graphql/execution.hpp"
#include "http/server.hpp"
#include "shopify_sim/admin_api.hpp"
#include "shopify_sim/admin_support.hpp"
#include "shopify_sim/bulk_export.hpp"
#include "shopify_sim/cost_adapter.hpp"
#include "shopify_sim/order_factory.hpp"
#include "shopify_sim/webhooks.hpp"

namespace alatar::shopify_sim {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Request;
using http::RequestContext;
using http::Response;

constexpr std::string_view kServedVersion = "2026-01";
constexpr std::string_view kInvalidToken =
    R"json({"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"})json";

Timestamp wall_now() { return static_cast<Timestamp>(std::time(nullptr)); }

double monotonic_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        const auto slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash);
    }
    return parts;
}

// YYYY-MM of a quarterly release (01, 04, 07, 10) from 2020 on, or "unstable".
bool known_api_version(std::string_view v) {
    if (v == "unstable") return true;
    if (v.size() != 7 || v[4] != '-') return false;
    for (const std::size_t i : {0U, 1U, 2U, 3U, 5U, 6U}) {
        if (v[i] < '0' || v[i] > '9') return false;
    }
    const int year = std::stoi(std::string(v.substr(0, 4)));
    const std::string_view month = v.substr(5);
    return year >= 2020 && year <= 2030 && (month == "01" || month == "04" || month == "07" || month == "10");
}

Response json_response(unsigned status, const json::value& body) {
    return Response::json(status, json::serialize(body));
}

Response oauth_error(const OAuthError& e) {
    return json_response(e.http_status, json::object{{"error", e.error}, {"error_description", e.description}});
}

std::string param(const QueryParams& params, std::string_view name) {
    for (const auto& [k, v] : params) {
        if (k == name) return v;
    }
    return {};
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(duration);
    co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace

struct SimServer::Impl {
    SimOptions options;
    alatar::Logger log;
    OAuthService oauth;
    ShopRegistry shops;
    FaultInjector faults;
    BucketRegistry buckets;
    AdminApi api;
    graphql::DocumentCache documents;
    WebhookSender webhooks;
    std::filesystem::path data_dir;
    bool owns_data_dir = false;
    std::unique_ptr<http::Server> server;
    std::string base_url;

    std::mutex jobs_mutex;
    std::vector<std::jthread> jobs;
    std::atomic<bool> stopping{false};
    std::atomic<std::uint64_t> next_event{1};

    Impl(SimOptions o, alatar::Logger l)
        : options(std::move(o)),
          log(std::move(l)),
          oauth(options.oauth, wall_now),
          shops(options.shops),
          faults(options.faults, options.shops.seed ^ 0x5eedULL),
          documents(api.schema(), graphql::ParseOptions{.max_bytes = 100000, .max_tokens = 20000, .max_depth = 64},
                    graphql::ValidationOptions{}, 512),
          webhooks(log.child("webhooks"), options.webhooks) {}

    // ---- helpers --------------------------------------------------------------------------------------------

    std::optional<std::string> shop_domain(std::string_view raw) const { return oauth.shops().normalize(raw); }

    void deliver(const std::string& shop_domain, const std::vector<WebhookSubscriptionRecord>& hooks,
                 const WebhookEvent& event, Timestamp now) {
        const auto topic_enum = enum_from_topic(event.topic);
        if (!topic_enum) return;
        for (const auto& h : hooks) {
            if (h.topic != *topic_enum) continue;
            WebhookDelivery d;
            d.topic = event.topic;
            d.shop_domain = shop_domain;
            d.api_version = std::string(kServedVersion);
            d.webhook_id = crypto::hex_encode(crypto::random_bytes(16));
            d.event_id = std::to_string(next_event.fetch_add(1));
            d.triggered_at = now;
            d.body = event.body;
            OutgoingWebhook out;
            out.url = h.callback_url;
            for (auto& [name, value] : webhook_headers(d, options.oauth.api_secret))
                out.headers.emplace_back(name, value);
            out.body = event.body;
            webhooks.send(std::move(out));
        }
    }

    // ---- OAuth ----------------------------------------------------------------------------------------------

    Response authorize(const Request& req, const std::string& shop) {
        const QueryParams params = parse_query(req.query);
        AuthorizeRequest a;
        a.shop = shop;
        a.client_id = param(params, "client_id");
        a.scope = param(params, "scope");
        a.redirect_uri = param(params, "redirect_uri");
        a.state = param(params, "state");
        for (const auto& [k, v] : params) {
            if (k == "grant_options[]" && !v.empty()) a.grant_options.push_back(v);
        }
        auto result = oauth.authorize(a);
        if (const auto* e = std::get_if<OAuthError>(&result)) return oauth_error(*e);
        // The merchant approves at once (there is nobody to click): the shop is installed again.
        const auto state = shops.get(shop);
        {
            const std::lock_guard lock(state->mutex);
            state->installed = true;
        }
        Response res;
        res.status = 302;
        res.headers.set("Location", std::get<std::string>(result));
        return res;
    }

    Response access_token(const Request& req, const std::string& shop) {
        QueryParams fields;
        const auto type = req.headers.get("Content-Type").value_or("");
        if (type.find("json") != std::string_view::npos) {
            boost::system::error_code ec;
            const json::value body = json::parse(req.body, ec);
            if (ec || !body.is_object())
                return oauth_error({400, "invalid_request", "The request body is not valid JSON"});
            for (const auto& [k, v] : body.get_object()) {
                if (v.is_string()) fields.emplace_back(std::string(k), std::string(v.get_string()));
            }
        } else {
            fields = parse_query(req.body);
            if (fields.empty()) fields = parse_query(req.query);
        }
        if (!param(fields, "grant_type").empty() && param(fields, "grant_type") != "authorization_code") {
            return oauth_error({400, "unsupported_grant_type", "Only the authorization code grant is simulated"});
        }
        auto result = oauth.exchange_code(shop, param(fields, "client_id"), param(fields, "client_secret"),
                                          param(fields, "code"));
        if (const auto* e = std::get_if<OAuthError>(&result)) return oauth_error(*e);
        const auto& grant = std::get<AccessTokenGrant>(result);
        return json_response(200, json::object{{"access_token", grant.access_token}, {"scope", grant.scope}});
    }

    std::optional<TokenInfo> token_for(const Request& req, const std::string& shop) const {
        const auto token = req.headers.get("X-Shopify-Access-Token");
        if (!token) return std::nullopt;
        auto info = oauth.find_token(*token);
        if (!info || info->shop != shop) return std::nullopt;
        return info;
    }

    Response access_scopes(const Request& req, const std::string& shop) {
        const auto token = token_for(req, shop);
        if (!token) return Response::json(401, std::string(kInvalidToken));
        json::array scopes;
        for (const auto& s : token->scopes) scopes.push_back(json::object{{"handle", s}});
        return json_response(200, json::object{{"access_scopes", std::move(scopes)}});
    }

    // ---- GraphQL --------------------------------------------------------------------------------------------

    std::variant<Id, BulkStartError> start_bulk(const std::shared_ptr<ShopState>& shop, const std::string& query,
                                                const std::vector<std::string>& scopes, Timestamp now) {
        // Called from the bulkOperationRunQuery resolver, with the shop's mutex held.
        for (const auto& op : shop->bulk_operations) {
            if (op.status == "CREATED" || op.status == "RUNNING") {
                return BulkStartError{"OPERATION_IN_PROGRESS",
                                      "A bulk query operation for this app and shop is already in progress: " +
                                          gid("BulkOperation", op.id) + "."};
            }
        }
        if (auto error = check_bulk_query(api, query)) return BulkStartError{"INVALID", *error};
        BulkOperationRecord op;
        op.id = shops.next_bulk_id();
        op.query = query;
        op.created_at = now;
        shop->bulk_operations.push_back(op);
        const Id id = op.id;
        const std::lock_guard lock(jobs_mutex);
        std::erase_if(jobs, [](std::jthread& t) { return !t.joinable(); });
        jobs.emplace_back(
            [this, shop, id, query, scopes](const std::stop_token& stop) { run_bulk(shop, id, query, scopes, stop); });
        return id;
    }

    void run_bulk(const std::shared_ptr<ShopState>& shop, Id id, const std::string& query,
                  const std::vector<std::string>& scopes, const std::stop_token& stop) {
        const auto started = std::chrono::steady_clock::now();
        const auto record = [&]() -> BulkOperationRecord* {
            for (auto& op : shop->bulk_operations) {
                if (op.id == id) return &op;
            }
            return nullptr;
        };
        Store snapshot;
        std::string domain;
        {
            const std::lock_guard lock(shop->mutex);
            BulkOperationRecord* op = record();
            if (op == nullptr || op->status != "CREATED") return;
            op->status = "RUNNING";
            snapshot = shop->store;
            domain = shop->store.shop.domain;
        }
        const auto path = data_dir / (std::to_string(id) + ".jsonl");
        BulkExportResult result;
        try {
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            BulkExportOptions o;
            o.shuffle_seed = id * 7919 + 17;
            o.scopes = scopes;
            o.now = wall_now();
            result = run_bulk_export(
                api, snapshot, query, o,
                [&](std::string_view chunk) { out.write(chunk.data(), static_cast<std::streamsize>(chunk.size())); },
                [&] {
                    if (stop.stop_requested() || stopping) return true;
                    const std::lock_guard lock(shop->mutex);
                    const BulkOperationRecord* op = record();
                    return op == nullptr || op->status == "CANCELED";
                });
            out.close();
            if (!out) result.error = "could not write the result file";
        } catch (const std::exception& e) {
            result.error = e.what();
        }
        std::vector<WebhookSubscriptionRecord> hooks;
        std::string payload;
        {
            const std::lock_guard lock(shop->mutex);
            BulkOperationRecord* op = record();
            if (op == nullptr || op->status == "CANCELED") return;
            op->completed_at = wall_now();
            if (result.error) {
                op->status = "FAILED";
                op->error_code = result.error->find("Access denied") != std::string::npos ? "ACCESS_DENIED"
                                                                                          : "INTERNAL_SERVER_ERROR";
            } else {
                op->status = "COMPLETED";
                op->object_count = result.object_count;
                op->root_object_count = result.root_object_count;
                op->file_size = result.file_size;
                op->url = base_url + "/bulk/" + std::to_string(id) + ".jsonl";
            }
            hooks = shop->webhooks;
            std::string status = op->status;
            for (char& c : status) c = static_cast<char>(c - 'A' + 'a');
            payload =
                json::serialize(json::object{{"admin_graphql_api_id", gid("BulkOperation", id)},
                                             {"completed_at", admin::format_time(*op->completed_at)},
                                             {"created_at", admin::format_time(op->created_at)},
                                             {"error_code", op->error_code ? json::value(*op->error_code) : nullptr},
                                             {"status", status},
                                             {"type", "query"}});
        }
        log.info("bulk operation finished", {{"shop", domain},
                                             {"id", id},
                                             {"objects", result.object_count},
                                             {"bytes", result.file_size},
                                             {"failed", result.error.has_value()},
                                             {"dur_ms", std::chrono::steady_clock::now() - started}});
        deliver(domain, hooks, WebhookEvent{"bulk_operations/finish", payload}, wall_now());
    }

    Response graphql_error_response(unsigned status, std::string_view message) {
        return json_response(status, json::object{{"errors", json::object{{"query", message}}}});
    }

    asio::awaitable<Response> graphql(const Request& req, RequestContext& ctx, const std::string& shop_name,
                                      std::string_view version) {
        if (req.method != "POST") {
            Response r = Response::json(405, R"({"errors":"Method Not Allowed"})");
            r.headers.set("Allow", "POST");
            co_return r;
        }
        const auto token = token_for(req, shop_name);
        if (!token) co_return Response::json(401, std::string(kInvalidToken));

        const FaultConfig fault_config = faults.config();
        if (fault_config.latency_ms > 0) co_await sleep_for(std::chrono::milliseconds(fault_config.latency_ms));
        const FaultKind fault = faults.roll();
        switch (fault) {
            case FaultKind::kError500:
                co_return Response::json(500, R"({"errors":"Internal Server Error"})");
            case FaultKind::kError502:
                co_return Response::text(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
            case FaultKind::kError503: {
                Response r = Response::json(503, R"({"errors":"Service Unavailable"})");
                r.headers.set("Retry-After", "1");
                co_return r;
            }
            case FaultKind::kTimeout:
                // Hang past any sensible client timeout; the client should give up first.
                co_await sleep_for(std::chrono::milliseconds(fault_config.timeout_ms));
                co_return Response::json(504, R"({"errors":"Gateway Timeout"})");
            default:
                break;
        }

        Response res = execute(req, ctx, shop_name, *token, fault_config);
        res.headers.set("X-Shopify-API-Version", version == "unstable" ? version : kServedVersion);
        if (fault == FaultKind::kMalformedJson) res.body.resize(res.body.size() / 2);
        co_return res;
    }

    Response execute(const Request& req, RequestContext& ctx, const std::string& shop_name, const TokenInfo& token,
                     const FaultConfig& fault_config) {
        // The body: {"query","variables","operationName"} as JSON, or the query itself as application/graphql.
        std::string query;
        json::object variables;
        std::optional<std::string> operation_name;
        const auto type = req.headers.get("Content-Type").value_or("application/json");
        if (type.find("application/graphql") != std::string_view::npos) {
            query = req.body;
        } else {
            boost::system::error_code ec;
            const json::value body = json::parse(req.body, ec);
            const json::value* q = !ec && body.is_object() ? body.get_object().if_contains("query") : nullptr;
            if (q == nullptr || !q->is_string())
                return graphql_error_response(400, "Required parameter missing or invalid");
            query = std::string(q->get_string());
            if (const auto* v = body.get_object().if_contains("variables"); v != nullptr && v->is_object()) {
                variables = v->get_object();
            }
            if (const auto* n = body.get_object().if_contains("operationName"); n != nullptr && n->is_string()) {
                operation_name = std::string(n->get_string());
            }
        }
        const std::shared_ptr<ShopState> shop = shops.get(shop_name);
        const std::string& app = options.oauth.api_key;
        const double now = monotonic_seconds();
        const auto with_cost = [&](json::object body, std::int64_t requested, std::optional<std::int64_t> actual,
                                   const ThrottleStatus& status) {
            body["extensions"] = json::object{{"cost", cost_extension(requested, actual, status)}};
            return body;
        };
        const auto current_status = [&] {
            const auto charge = buckets.charge(app, shop_name, options.bucket, 0, now);
            return charge.status;
        };

        const auto prepared = documents.get(query);
        if (!prepared->ok()) {
            json::array errors;
            for (const auto& e : prepared->errors) errors.push_back(e.to_json());
            return json_response(200, with_cost(json::object{{"errors", std::move(errors)}}, 0, 0, current_status()));
        }
        const auto selection = graphql::select_operation(*prepared->document, operation_name);
        if (selection.error) {
            return json_response(200, with_cost(json::object{{"errors", json::array{selection.error->to_json()}}}, 0, 0,
                                                current_status()));
        }
        const CostOperation cost = cost_operation(api.schema(), *prepared->document, *selection.operation, variables);
        const std::int64_t requested = requested_cost(cost);
        if (requested > kMaxSingleQueryCost)
            return json_response(200, max_cost_exceeded_response(requested, current_status()));
        if (fault_config.throttle_pressure > 0) {
            buckets.drain(app, shop_name, options.bucket,
                          options.bucket.maximum_available * (1.0 - fault_config.throttle_pressure), now);
        }
        const auto charge = buckets.charge(app, shop_name, options.bucket, static_cast<double>(requested), now);
        if (!charge.allowed) {
            const double wait = seconds_until_available(charge.status, static_cast<double>(requested));
            ctx.log.info("throttled", {{"shop", shop_name}, {"requested", requested}});
            if (options.throttle_mode == ThrottleMode::kHttp429) {
                Response r = json_response(429, throttled_response(requested, charge.status));
                r.headers.set("Retry-After", std::to_string(static_cast<long>(std::ceil(std::max(wait, 1.0)))));
                return r;
            }
            return json_response(200, throttled_response(requested, charge.status));
        }

        json::object response;
        ApiContext api_ctx;
        std::vector<WebhookSubscriptionRecord> hooks;
        {
            const std::lock_guard lock(shop->mutex);
            api_ctx.store = &shop->store;
            api_ctx.shop = shop.get();
            api_ctx.scopes = token.scopes;
            api_ctx.now = wall_now();
            api_ctx.start_bulk = [&](const std::string& bulk_query) {
                return start_bulk(shop, bulk_query, token.scopes, api_ctx.now);
            };
            graphql::ExecutionRequest request;
            request.document = prepared->document;
            request.operation_name = operation_name;
            request.variables = variables;
            request.context = &api_ctx;
            response = graphql::execute_sync(api.schema(), request);
            if (!api_ctx.events.empty()) hooks = shop->webhooks;
        }
        for (const auto& event : api_ctx.events) deliver(shop_name, hooks, event, api_ctx.now);

        std::optional<std::int64_t> actual;
        if (const auto* data = response.if_contains("data")) {
            actual = actual_cost(cost, *data);
        } else {
            actual = 0;
        }
        const ThrottleStatus status =
            buckets.refund(app, shop_name, static_cast<double>(requested - *actual), monotonic_seconds());
        return json_response(200, with_cost(std::move(response), requested, actual, status));
    }

    asio::awaitable<Response> shops_route(const Request& req, RequestContext& ctx) {
        // /shops/{shop}/admin/...
        const auto parts = split_path(req.path);
        if (parts.size() < 4 || parts[2] != "admin") co_return Response::json(404, R"({"errors":"Not Found"})");
        const auto shop = shop_domain(parts[1]);
        if (!shop) co_return Response::json(404, R"({"errors":"Not Found"})");
        if (parts.size() == 5 && parts[3] == "oauth") {
            if (parts[4] == "authorize" && req.method == "GET") co_return authorize(req, *shop);
            if (parts[4] == "access_token" && req.method == "POST") co_return access_token(req, *shop);
            if (parts[4] == "access_scopes.json" && req.method == "GET") co_return access_scopes(req, *shop);
        }
        if (parts.size() == 6 && parts[3] == "api" && parts[5] == "graphql.json") {
            if (!known_api_version(parts[4])) co_return Response::json(404, R"({"errors":"Not Found"})");
            co_return co_await graphql(req, ctx, *shop, parts[4]);
        }
        co_return Response::json(404, R"({"errors":"Not Found"})");
    }

    // ---- bulk files -----------------------------------------------------------------------------------------

    Response bulk_file(const Request& req) {
        const auto parts = split_path(req.path);
        if (parts.size() != 2 || !parts[1].ends_with(".jsonl")) return Response::json(404, R"({"errors":"Not Found"})");
        const std::string_view id = parts[1].substr(0, parts[1].size() - 6);
        if (id.empty() || id.find_first_not_of("0123456789") != std::string_view::npos) {
            return Response::json(404, R"({"errors":"Not Found"})");
        }
        std::ifstream in(data_dir / (std::string(id) + ".jsonl"), std::ios::binary);
        if (!in) return Response::json(404, R"({"errors":"Not Found"})");
        std::ostringstream body;
        body << in.rdbuf();
        return Response::text(200, std::move(body).str(), "application/jsonl");
    }

    // ---- simulator admin API --------------------------------------------------------------------------------

    Response faults_route(const Request& req) {
        if (req.method == "GET") return json_response(200, faults.config().to_json());
        boost::system::error_code ec;
        const json::value body = json::parse(req.body.empty() ? std::string("{}") : req.body, ec);
        if (ec || !body.is_object()) return json_response(400, json::object{{"error", "body must be a JSON object"}});
        FaultConfig config = faults.config();
        if (auto error = apply_fault_patch(config, body.get_object()))
            return json_response(400, json::object{{"error", *error}});
        json::object out;
        if (const auto* revoke = body.get_object().if_contains("revoke_token")) {
            const auto shop = revoke->is_string() ? shop_domain(revoke->get_string()) : std::nullopt;
            if (!shop) return json_response(400, json::object{{"error", "revoke_token needs a shop domain"}});
            out["revoked_tokens"] = oauth.revoke_shop(*shop);
        }
        faults.set(config);
        log.info("faults set", {{"faults", alatar::RawJson{json::serialize(config.to_json())}}});
        out["faults"] = config.to_json();
        return json_response(200, out);
    }

    Response sim_shop_route(const Request& req) {
        // /_sim/shops/{shop}/{uninstall|orders|tokens}
        const auto parts = split_path(req.path);
        if (parts.size() != 4 || req.method != "POST") return json_response(404, json::object{{"error", "not found"}});
        const auto domain = shop_domain(parts[2]);
        if (!domain) return json_response(400, json::object{{"error", "invalid shop domain"}});
        boost::system::error_code ec;
        const json::value body = json::parse(req.body.empty() ? std::string("{}") : req.body, ec);
        if (ec || !body.is_object()) return json_response(400, json::object{{"error", "body must be a JSON object"}});
        const auto shop = shops.get(*domain);
        const Timestamp now = wall_now();
        if (parts[3] == "uninstall") {
            const std::size_t revoked = oauth.revoke_shop(*domain);
            std::vector<WebhookSubscriptionRecord> hooks;
            std::string payload;
            {
                const std::lock_guard lock(shop->mutex);
                shop->installed = false;
                hooks = std::move(shop->webhooks);
                shop->webhooks.clear();  // Shopify removes an app's subscriptions when it is uninstalled
                payload = admin::shop_webhook_body(shop->store);
            }
            deliver(*domain, hooks, WebhookEvent{"app/uninstalled", payload}, now);
            log.info("shop uninstalled", {{"shop", *domain}, {"revoked_tokens", revoked}});
            return json_response(200, json::object{{"uninstalled", true}, {"revoked_tokens", revoked}});
        }
        if (parts[3] == "orders") {
            NewOrder order;
            const json::object& o = body.get_object();
            if (const auto* lines = o.if_contains("lineItems"); lines != nullptr && lines->is_array()) {
                for (const auto& l : lines->get_array()) {
                    const auto variant =
                        parse_gid(admin::member_string(&l, "variantId").value_or(""), "ProductVariant");
                    const auto* q = admin::member(&l, "quantity");
                    if (!variant)
                        return json_response(
                            400, json::object{{"error", "lineItems[].variantId must be a ProductVariant gid"}});
                    order.lines.push_back(
                        {*variant, q != nullptr && q->is_int64() ? static_cast<int>(q->get_int64()) : 1});
                }
            }
            if (const auto customer = admin::member_string(&body, "customerId")) {
                order.customer_id = parse_gid(*customer, "Customer");
                if (!order.customer_id)
                    return json_response(400, json::object{{"error", "customerId must be a Customer gid"}});
            }
            if (const auto* test = o.if_contains("test"); test != nullptr && test->is_bool())
                order.test = test->get_bool();
            std::vector<WebhookSubscriptionRecord> hooks;
            std::string payload;
            json::object created;
            {
                const std::lock_guard lock(shop->mutex);
                auto placed = place_order(shop->store, order, now);
                if (const auto* error = std::get_if<std::string>(&placed))
                    return json_response(400, json::object{{"error", *error}});
                const Order& o2 = shop->store.orders[std::get<std::size_t>(placed)];
                payload = admin::order_webhook_body(shop->store, o2);
                created = json::object{
                    {"id", gid("Order", o2.id)}, {"name", o2.name}, {"totalPrice", format_money(o2.total_price)}};
                hooks = shop->webhooks;
            }
            deliver(*domain, hooks, WebhookEvent{"orders/create", payload}, now);
            return json_response(201, json::object{{"order", std::move(created)}});
        }
        if (parts[3] == "tokens") {
            const auto scopes = split_scopes(admin::member_string(&body, "scopes")
                                                 .value_or("read_orders,read_products,write_products,read_customers,"
                                                           "read_inventory,write_inventory,read_locations,"
                                                           "read_discounts,write_discounts"));
            {
                const std::lock_guard lock(shop->mutex);
                shop->installed = true;
            }
            const auto grant = oauth.issue_token(*domain, scopes);
            return json_response(200, json::object{{"access_token", grant.access_token}, {"scope", grant.scope}});
        }
        return json_response(404, json::object{{"error", "not found"}});
    }

    // Checks a query string signed the way Shopify signs OAuth redirects (hex HMAC of the sorted parameters with
    // the app secret, timestamp within 90 s): lets client libraries cross-check their signing against ours.
    Response verify_hmac(const Request& req) {
        const QueryParams params = parse_query(req.query);
        const bool valid = verify_query_hmac(options.oauth.api_secret, params);
        const bool fresh = timestamp_fresh(params, wall_now());
        return json_response(valid && fresh ? 200 : 401, json::object{{"valid", valid}, {"fresh", fresh}});
    }

    Response healthz() {
        json::array domains;
        for (const auto& d : shops.domains()) domains.emplace_back(d);
        return json_response(200, json::object{{"status", "ok"}, {"shops", std::move(domains)}});
    }
};

SimServer::SimServer(SimOptions options, alatar::Logger log)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(log))) {}

SimServer::~SimServer() { stop(); }

void SimServer::start() {
    Impl& s = *impl_;
    if (s.options.data_dir.empty()) {
        std::string tmpl = (std::filesystem::temp_directory_path() / "alatar-sim-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::system_error(errno, std::generic_category(), "mkdtemp");
        s.data_dir = tmpl;
        s.owns_data_dir = true;
    } else {
        s.data_dir = s.options.data_dir;
        std::filesystem::create_directories(s.data_dir);
    }
    for (const auto& domain : s.options.precreate_shops) {
        const auto normalized = s.shop_domain(domain);
        if (!normalized) throw std::invalid_argument("invalid shop domain: " + domain);
        const auto started = std::chrono::steady_clock::now();
        const auto shop = s.shops.get(*normalized);
        s.log.info("shop generated", {{"shop", *normalized},
                                      {"orders", shop->store.orders.size()},
                                      {"products", shop->store.products.size()},
                                      {"dur_ms", std::chrono::steady_clock::now() - started}});
    }
    http::Router router;
    Impl* self = impl_.get();
    const http::RouteOptions unlimited{.rate_limited = false};
    router.add_prefix(
        "/shops/", [self](const Request& r, RequestContext& c) { return self->shops_route(r, c); }, unlimited);
    router.add_prefix(
        "/bulk/",
        [self](const Request& r, RequestContext&) -> asio::awaitable<Response> { co_return self->bulk_file(r); },
        unlimited);
    router.add(
        "/_sim/faults",
        [self](const Request& r, RequestContext&) -> asio::awaitable<Response> { co_return self->faults_route(r); },
        unlimited);
    router.add_prefix(
        "/_sim/shops/",
        [self](const Request& r, RequestContext&) -> asio::awaitable<Response> { co_return self->sim_shop_route(r); },
        unlimited);
    router.add(
        "/_sim/verify-hmac",
        [self](const Request& r, RequestContext&) -> asio::awaitable<Response> { co_return self->verify_hmac(r); },
        unlimited);
    router.add(
        "/_sim/healthz",
        [self](const Request&, RequestContext&) -> asio::awaitable<Response> { co_return self->healthz(); }, unlimited);
    http::ServerOptions so;
    so.host = s.options.host;
    so.port = s.options.port;
    so.io_threads = s.options.io_threads;
    so.handle_signals = s.options.handle_signals;
    so.rate_limit = false;  // the Admin API's own bucket does the limiting
    so.request_timeout = std::chrono::milliseconds(std::max(120'000, s.options.faults.timeout_ms + 10'000));
    so.body_limit = 8 * 1024 * 1024;
    s.server = std::make_unique<http::Server>(so, std::move(router), s.log.child("http"),
                                              std::make_shared<http::metrics::Registry>());
    s.server->start();
    s.base_url = "http://" + s.options.host + ":" + std::to_string(s.server->port());
    s.log.info("shopify simulator listening", {{"url", s.base_url}, {"data_dir", s.data_dir.string()}});
}

std::uint16_t SimServer::port() const { return impl_->server ? impl_->server->port() : 0; }
std::string SimServer::base_url() const { return impl_->base_url; }

void SimServer::stop() {
    Impl& s = *impl_;
    if (s.stopping.exchange(true)) return;
    if (s.server) s.server->stop();
    {
        const std::lock_guard lock(s.jobs_mutex);
        for (auto& job : s.jobs) job.request_stop();
        s.jobs.clear();  // joins
    }
    s.webhooks.stop();
    if (s.owns_data_dir) {
        std::error_code ec;
        std::filesystem::remove_all(s.data_dir, ec);
    }
}

void SimServer::wait() {
    if (impl_->server) impl_->server->wait();
}

OAuthService& SimServer::oauth() { return impl_->oauth; }
ShopRegistry& SimServer::shops() { return impl_->shops; }
FaultInjector& SimServer::faults() { return impl_->faults; }
WebhookSender& SimServer::webhooks() { return impl_->webhooks; }

}  // namespace alatar::shopify_sim
