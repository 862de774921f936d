#include "shopify_sim/webhooks.hpp"

#include <array>

#include "common/crypto.hpp"

namespace alatar::shopify_sim {
namespace {

struct TopicName {
    std::string_view graphql_enum;
    std::string_view topic;
};

constexpr std::array<TopicName, 10> kTopics{{
    {"APP_UNINSTALLED", "app/uninstalled"},
    {"ORDERS_CREATE", "orders/create"},
    {"ORDERS_UPDATED", "orders/updated"},
    {"ORDERS_CANCELLED", "orders/cancelled"},
    {"PRODUCTS_CREATE", "products/create"},
    {"PRODUCTS_UPDATE", "products/update"},
    {"INVENTORY_LEVELS_UPDATE", "inventory_levels/update"},
    {"CUSTOMERS_CREATE", "customers/create"},
    {"REFUNDS_CREATE", "refunds/create"},
    {"BULK_OPERATIONS_FINISH", "bulk_operations/finish"},
}};

}  // namespace

std::string webhook_hmac(std::string_view secret, std::string_view raw_body) {
    return crypto::hmac_sha256_base64(secret, raw_body);
}

bool verify_webhook_hmac(std::string_view secret, std::string_view raw_body, std::string_view header_value) {
    if (raw_body.empty() || header_value.empty()) return false;
    return crypto::constant_time_equal(webhook_hmac(secret, raw_body), header_value);
}

std::optional<std::string_view> topic_from_enum(std::string_view graphql_enum) {
    for (const auto& t : kTopics) {
        if (t.graphql_enum == graphql_enum) return t.topic;
    }
    return std::nullopt;
}

std::optional<std::string_view> enum_from_topic(std::string_view topic) {
    for (const auto& t : kTopics) {
        if (t.topic == topic) return t.graphql_enum;
    }
    return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> webhook_headers(const WebhookDelivery& delivery,
                                                                 std::string_view secret) {
    return {
        {"Content-Type", "application/json"},
        {"X-Shopify-Topic", delivery.topic},
        {"X-Shopify-Hmac-Sha256", webhook_hmac(secret, delivery.body)},
        {"X-Shopify-Shop-Domain", delivery.shop_domain},
        {"X-Shopify-API-Version", delivery.api_version},
        {"X-Shopify-Webhook-Id", delivery.webhook_id},
        {"X-Shopify-Triggered-At", format_timestamp(delivery.triggered_at)},
        {"X-Shopify-Event-Id", delivery.event_id},
    };
}

}  // namespace alatar::shopify_sim
