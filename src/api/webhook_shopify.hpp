#pragma once
// POST /webhooks/shopify: Shopify's event deliveries. The raw body's HMAC-SHA256 (base64, X-Shopify-Hmac-Sha256)
// is checked in constant time against the app secret and, during a secret rotation, the previous one; a bad or
// missing signature answers 401 before anything is read. Deliveries are deduplicated by X-Shopify-Webhook-Id
// (webhook_deliveries) and handled in one short transaction, so Shopify gets its 200 well within a second:
//   app/uninstalled                  every link to the shop UNINSTALLED, token dropped, pending work stopped
//   orders/create|updated, products/update   the cached row expires (refetched on next use, the fallback) and a
//                                    store.refresh job is queued through the outbox for each ACTIVE store of the
//                                    shop (coalesced: none while one is unsent); a worker syncs the changes
//   customers/data_request           an export of what is held about the customer, recorded in privacy_requests
//   customers/redact                 the customer's cached row deleted, their orders de-linked
//   shop/redact                      every link to the shop and all its cached data deleted
#include <functional>
#include <memory>
#include <string_view>

#include "common/config.hpp"
#include "common/log.hpp"
#include "http/router.hpp"

namespace alatar::db {
class Pool;
}

namespace alatar::api {

// True when `hmac_base64` is the body's signature under the app secret or the previous one (when set).
bool verify_webhook_signature(const Config& config, std::string_view body, std::string_view hmac_base64);

http::Handler make_shopify_webhook_handler(db::Pool& pool, const Config& config, Logger log);

}  // namespace alatar::api
