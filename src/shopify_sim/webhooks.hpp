#pragma once
// Webhook signing and headers as Shopify sends them (reference §3.4): X-Shopify-Hmac-Sha256 is the base64
// HMAC-SHA256 of the raw body keyed with the app secret.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shopify_sim/civil_time.hpp"

namespace alatar::shopify_sim {

std::string webhook_hmac(std::string_view secret, std::string_view raw_body);
// Constant-time; false for an empty body or a missing header value.
bool verify_webhook_hmac(std::string_view secret, std::string_view raw_body, std::string_view header_value);

// "ORDERS_CREATE" <-> "orders/create" for the topics the simulator emits or accepts.
std::optional<std::string_view> topic_from_enum(std::string_view graphql_enum);
std::optional<std::string_view> enum_from_topic(std::string_view topic);

struct WebhookDelivery {
    std::string topic;  // "orders/create"
    std::string shop_domain;
    std::string api_version;  // "2026-01"
    std::string webhook_id;   // unique per delivery attempt series; receivers de-duplicate on it
    std::string event_id;
    Timestamp triggered_at = 0;
    std::string body;  // the raw JSON payload
};

// Content-Type plus the X-Shopify-* headers, in a stable order.
std::vector<std::pair<std::string, std::string>> webhook_headers(const WebhookDelivery& delivery,
                                                                 std::string_view secret);

}  // namespace alatar::shopify_sim
