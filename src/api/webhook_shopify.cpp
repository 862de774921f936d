#include "api/webhook_shopify.hpp"

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "agents/store_refresh.hpp"
#include "api/oauth_store_ops.hpp"
#include "common/crypto.hpp"
#include "db/pool_async.hpp"
#include "shopify/shop_domain.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxWebhookBytes = 512 * 1024;

http::Response answer(unsigned status, std::string_view message) {
    return http::Response::json(status, json::serialize(json::object{{"message", message}}));
}

// "gid://shopify/<type>/<id>" of a payload object's id (REST-style payloads carry numeric ids).
std::optional<std::string> gid_of(const json::value* v, std::string_view type) {
    if (v == nullptr) return std::nullopt;
    if (v->is_string() && v->get_string().starts_with("gid://")) return std::string(v->get_string());
    std::string id;
    if (v->is_int64()) id = std::to_string(v->get_int64());
    if (v->is_uint64()) id = std::to_string(v->get_uint64());
    if (v->is_string()) id = std::string(v->get_string());
    if (id.empty()) return std::nullopt;
    return "gid://shopify/" + std::string(type) + "/" + id;
}

std::vector<std::string> gids_of(const json::object& payload, std::string_view key, std::string_view type) {
    std::vector<std::string> out;
    const auto* list = payload.if_contains(key);
    if (list == nullptr || !list->is_array()) return out;
    for (const auto& v : list->get_array()) {
        if (auto gid = gid_of(&v, type)) out.push_back(std::move(*gid));
    }
    return out;
}

std::optional<std::string> customer_gid(const json::object& payload) {
    const auto* customer = payload.if_contains("customer");
    if (customer == nullptr || !customer->is_object()) return std::nullopt;
    return gid_of(customer->get_object().if_contains("id"), "Customer");
}

std::string pg_text_array(const std::vector<std::string>& items) {
    json::array a;
    for (const auto& i : items) a.emplace_back(i);
    return json::serialize(a);
}

void expire_cached(db::Transaction& tx, std::string_view shop, std::string_view table, std::string_view type,
                   const json::object& payload) {
    auto gid = gid_of(payload.if_contains("admin_graphql_api_id"), type);
    if (!gid) gid = gid_of(payload.if_contains("id"), type);
    const std::string sql = "UPDATE " + std::string(table) +
                            " SET expires_at = now() WHERE store_id IN (SELECT id FROM shopify_stores WHERE "
                            "shop_domain = $1) AND ($2::text IS NULL OR shopify_gid = $2)";
    tx.exec(sql, db::Params{std::string(shop), gid});
}

// Everything held about one customer of one shop, as a JSON document (customers/data_request).
json::value customer_export(db::Transaction& tx, std::string_view shop, const std::optional<std::string>& customer,
                            const std::vector<std::string>& orders) {
    const auto r = tx.exec(
        "SELECT json_build_object("
        "'customers', COALESCE((SELECT json_agg(to_jsonb(c) - 'store_id') FROM shop_customers c "
        "  JOIN shopify_stores s ON s.id = c.store_id WHERE s.shop_domain = $1 AND c.shopify_gid = $2), '[]'), "
        "'orders', COALESCE((SELECT json_agg(to_jsonb(o) - 'store_id') FROM shop_orders o "
        "  JOIN shopify_stores s ON s.id = o.store_id WHERE s.shop_domain = $1 AND "
        "  (o.customer_gid = $2 OR o.shopify_gid = ANY(ARRAY(SELECT json_array_elements_text($3::json))))), "
        "'[]'))::text",
        db::Params{std::string(shop), customer, pg_text_array(orders)});
    return json::parse(r.get<std::string>(0, 0));
}

void record_privacy(db::Transaction& tx, std::string_view kind, std::string_view shop, std::string_view webhook_id,
                    const json::value& payload) {
    tx.exec(
        "INSERT INTO privacy_requests (kind, shop_domain, store_id, webhook_id, payload, status, completed_at) "
        "VALUES ($1, $2, (SELECT id FROM shopify_stores WHERE shop_domain = $2 ORDER BY linked_at LIMIT 1), $3, "
        "$4::jsonb, 'COMPLETED', now())",
        db::Params{std::string(kind), std::string(shop), std::string(webhook_id), json::serialize(payload)});
}

// The handling of one new delivery, inside the transaction that records it.
void handle_topic(db::Transaction& tx, std::string_view topic, std::string_view shop, std::string_view webhook_id,
                  const json::object& payload) {
    const std::string actor = "shopify:" + std::string(shop);
    if (topic == "app/uninstalled") {
        mark_shop_uninstalled(tx, shop);
    } else if (topic == "orders/create" || topic == "orders/updated") {
        expire_cached(tx, shop, "shop_orders", "Order", payload);
        agents::enqueue_store_refresh(tx, shop);
    } else if (topic == "products/update") {
        expire_cached(tx, shop, "shop_products", "Product", payload);
        agents::enqueue_store_refresh(tx, shop);
    } else if (topic == "customers/data_request") {
        const auto customer = customer_gid(payload);
        const auto exported = customer_export(tx, shop, customer, gids_of(payload, "orders_requested", "Order"));
        record_privacy(tx, topic, shop, webhook_id, json::object{{"request", payload}, {"export", exported}});
        audit(tx, actor, "privacy.data_request",
              customer ? std::optional<std::string>("customer:" + *customer) : std::nullopt, std::nullopt);
    } else if (topic == "customers/redact") {
        const auto customer = customer_gid(payload);
        const auto orders = pg_text_array(gids_of(payload, "orders_to_redact", "Order"));
        tx.exec(
            "DELETE FROM shop_customers WHERE shopify_gid = $2 AND store_id IN "
            "(SELECT id FROM shopify_stores WHERE shop_domain = $1)",
            db::Params{std::string(shop), customer});
        tx.exec(
            "UPDATE shop_orders SET customer_gid = NULL WHERE store_id IN (SELECT id FROM shopify_stores WHERE "
            "shop_domain = $1) AND (customer_gid = $2 OR shopify_gid = ANY(ARRAY(SELECT "
            "json_array_elements_text($3::json))))",
            db::Params{std::string(shop), customer, orders});
        record_privacy(tx, topic, shop, webhook_id, payload);
        audit(tx, actor, "privacy.customer_redact",
              customer ? std::optional<std::string>("customer:" + *customer) : std::nullopt, std::nullopt);
    } else if (topic == "shop/redact") {
        record_privacy(tx, topic, shop, webhook_id, payload);
        const auto stores =
            tx.exec("SELECT id::text FROM shopify_stores WHERE shop_domain = $1", db::Params{std::string(shop)});
        for (int i = 0; i < stores.rows(); ++i) stop_store_work(tx, stores.get<std::string>(i, 0));
        tx.exec("DELETE FROM shopify_stores WHERE shop_domain = $1", db::Params{std::string(shop)});
        audit(tx, actor, "privacy.shop_redact", "shop:" + std::string(shop), std::nullopt);
    }
}

}  // namespace

bool verify_webhook_signature(const Config& config, std::string_view body, std::string_view hmac_base64) {
    if (hmac_base64.empty()) return false;
    bool ok = !config.shopify_api_secret.empty() &&
              crypto::verify_hmac_sha256_base64(config.shopify_api_secret, body, hmac_base64);
    // Both are always checked so the time taken does not tell which secret matched.
    const bool previous = !config.shopify_api_secret_previous.empty() &&
                          crypto::verify_hmac_sha256_base64(config.shopify_api_secret_previous, body, hmac_base64);
    return ok || previous;
}

http::Handler make_shopify_webhook_handler(db::Pool& pool, const Config& config, Logger log) {
    return [&pool, config, log = std::move(log)](const http::Request& req,
                                                 http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        if (req.method != "POST") {
            auto res = answer(405, "method not allowed");
            res.headers.set("Allow", "POST");
            co_return res;
        }
        const auto hmac = req.headers.get("X-Shopify-Hmac-Sha256").value_or(std::string_view{});
        if (!verify_webhook_signature(config, req.body, hmac)) {
            log.warning("webhook refused: bad signature", {{"request_id", ctx.request_id}});
            co_return answer(401, "invalid signature");
        }
        const std::string topic(req.headers.get("X-Shopify-Topic").value_or(std::string_view{}));
        const std::string webhook_id(req.headers.get("X-Shopify-Webhook-Id").value_or(std::string_view{}));
        const auto shop = shopify::normalize_shop_domain(
            req.headers.get("X-Shopify-Shop-Domain").value_or(std::string_view{}), config.shopify_shop_suffix);
        if (topic.empty() || webhook_id.empty() || webhook_id.size() > 200 || !shop) {
            co_return answer(400, "missing or invalid X-Shopify-Topic, X-Shopify-Webhook-Id or X-Shopify-Shop-Domain");
        }
        if (req.body.size() > kMaxWebhookBytes) co_return answer(413, "payload too large");
        boost::system::error_code ec;
        json::value body = json::parse(req.body, ec);
        if (ec || !body.is_object()) co_return answer(400, "the payload is not a JSON object");

        auto handle = [topic, webhook_id, shop = *shop, payload = std::move(body.as_object())](db::Transaction& tx) {
            const auto inserted = tx.exec(
                "INSERT INTO webhook_deliveries (webhook_id, topic, shop) VALUES ($1, $2, $3) "
                "ON CONFLICT (webhook_id) DO NOTHING RETURNING 1",
                db::Params{webhook_id, topic, shop});
            if (inserted.empty()) return false;
            handle_topic(tx, topic, shop, webhook_id, payload);
            tx.exec("UPDATE webhook_deliveries SET processed_at = now() WHERE webhook_id = $1", db::Params{webhook_id});
            return true;
        };
        const bool fresh = co_await db::transact(pool, std::move(handle), {}, Deadline::after(std::chrono::seconds(5)));
        log.info("webhook received",
                 {{"request_id", ctx.request_id}, {"topic", topic}, {"shop", *shop}, {"duplicate", !fresh}});
        co_return answer(200, fresh ? "ok" : "duplicate");
    };
}

}  // namespace alatar::api
