#pragma once
// GET /auth/shopify/callback, where Shopify sends the merchant's browser back. A "link" state names its user,
// so the round trip is completed here and the browser is redirected to the dashboard's store list
// (?linked=<shop>, or ?link_error=<message> when it was refused). A "login" state needs the dashboard to
// receive the session, so the dashboard page is served and finishes with loginWithShopify.
#include <filesystem>
#include <memory>
#include <optional>

#include "common/log.hpp"
#include "http/router.hpp"

namespace alatar::db {
class Pool;
}

namespace alatar::api {

struct IdentityServices;

http::Handler make_oauth_callback_handler(db::Pool& pool, std::shared_ptr<IdentityServices> identity,
                                          std::optional<std::filesystem::path> static_dir, Logger log);

}  // namespace alatar::api
