#include "api/oauth_callback_route.hpp"

#include <fstream>
#include <sstream>

#include "api/oauth_services.hpp"
#include "api/oauth_state_check.hpp"
#include "api/oauth_store_ops.hpp"
#include "common/error.hpp"
#include "db/pool.hpp"
#include "shopify/http_client.hpp"
#include "shopify/oauth_link.hpp"
#include "shopify/query_signature.hpp"

namespace alatar::api {

namespace asio = boost::asio;

namespace {

std::string dashboard_url(const IdentityServices& id, std::string_view path_and_query) {
    std::string base = id.config.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + std::string(path_and_query);
}

http::Response redirect(const std::string& location) {
    http::Response res = http::Response::text(303, "See " + location + "\n");
    res.headers.set("Location", location);
    res.headers.set("Cache-Control", "no-store");
    return res;
}

std::optional<std::string> read_index(const std::optional<std::filesystem::path>& dir) {
    if (!dir) return std::nullopt;
    std::ifstream in(*dir / "index.html", std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// What the blocking part decided: a redirect, or (login state) the dashboard page.
struct Outcome {
    bool login = false;
    std::string location;
};

Outcome finish(db::Pool& pool, const IdentityServices& id, const std::string& query, const Logger& log) {
    if (state_purpose(pool, query) == StatePurpose::kLogin) return Outcome{true, {}};
    try {
        if (id.config.shopify_api_key.empty() || id.config.shopify_api_secret.empty()) {
            throw Error(ErrorCode::kUpstreamUnavailable, "Shopify is not configured on this server");
        }
        const auto linked =
            shopify::complete_oauth(pool, query, std::nullopt, id.config, id.require_keyring(), *id.http, log);
        pool.transact_blocking([&](db::Transaction& tx) {
            audit(tx, "user:" + linked.user_id, linked.created ? "store.link" : "store.relink",
                  "store:" + linked.store_id, linked.user_id);
            return 0;
        });
        return Outcome{false, dashboard_url(id, "/stores?linked=" + shopify::url_encode_component(linked.shop_domain))};
    } catch (const Error& e) {
        log.warning("shopify callback refused", {{"reason", std::string(e.what())}});
        const std::string message = e.code() == ErrorCode::kInternal ? "internal error" : std::string(e.what());
        return Outcome{false, dashboard_url(id, "/stores?link_error=" + shopify::url_encode_component(message))};
    }
}

}  // namespace

http::Handler make_oauth_callback_handler(db::Pool& pool, std::shared_ptr<IdentityServices> identity,
                                          std::optional<std::filesystem::path> static_dir, Logger log) {
    return [&pool, identity = std::move(identity), static_dir = std::move(static_dir), log = std::move(log)](
               const http::Request& req, http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        if (req.method != "GET" && req.method != "HEAD") {
            auto res = http::Response::text(405, "Method not allowed\n");
            res.headers.set("Allow", "GET, HEAD");
            co_return res;
        }
        auto run = [&pool, id = identity.get(), query = req.query, log = ctx.log] {
            return finish(pool, *id, query, log);
        };
        const Outcome outcome = co_await identity->blocking->run(std::move(run));
        if (!outcome.login) co_return redirect(outcome.location);
        if (auto page = read_index(static_dir)) {
            auto res = http::Response::text(200, std::move(*page), "text/html; charset=utf-8");
            res.headers.set("Cache-Control", "no-store");
            co_return res;
        }
        co_return http::Response::text(400, "Open the dashboard to finish logging in with Shopify.\n");
    };
}

}  // namespace alatar::api
