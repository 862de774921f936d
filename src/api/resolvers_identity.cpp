// Linking stores with Shopify OAuth ("Log in with Shopify" included), unlinking them, and platform sign-in with
// an ID token. The OAuth checks themselves live in shopify/oauth_link; this module adds what the API owns: who
// may complete which state, sessions, the audit trail and the store's answer.
#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>
#include <optional>
#include <string>

#include "api/analysis_read.hpp"
#include "api/id_token.hpp"
#include "api/ids.hpp"
#include "api/oauth_services.hpp"
#include "api/oauth_state_check.hpp"
#include "api/oauth_store_ops.hpp"
#include "api/request_context.hpp"
#include "api/resolvers.hpp"
#include "api/sessions.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "db/pool_async.hpp"
#include "shopify/oauth_link.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::FieldResolver;
using graphql::ResolveInfo;

namespace {

IdentityServices& identity(RequestContext& ctx) {
    auto* id = ctx.services().identity.get();
    if (id == nullptr) throw Error(ErrorCode::kUpstreamUnavailable, "Store linking is not configured on this server.");
    return *id;
}

void require_shopify_app(const IdentityServices& id) {
    if (id.config.shopify_api_key.empty() || id.config.shopify_api_secret.empty()) {
        throw Error(ErrorCode::kUpstreamUnavailable,
                    "Shopify is not configured on this server (ALATAR_SHOPIFY_API_KEY/SECRET).");
    }
}

std::string query_arg(const ResolveInfo& info) {
    const auto& input = info.args.at("input").as_object();
    const auto* q = input.if_contains("query");
    std::string query = q != nullptr && q->is_string() ? std::string(q->get_string()) : std::string{};
    if (!query.empty() && query.front() == '?') query.erase(0, 1);
    return query;
}

json::object auth_payload(const IssuedSession& s, const db::Result& user) {
    json::object u;
    u["__typename"] = "User";
    u["id"] = encode_id(id_type::kUser, user.get<std::string>(0, "uuid"));
    u["email"] = user.is_null(0, "email") ? json::value(nullptr) : json::value(user.get<std::string>(0, "email"));
    u["createdAt"] = format_rfc3339(user.get<db::Timestamp>(0, "created_at"));
    u["_uuid"] = user.get<std::string>(0, "uuid");
    return json::object{{"token", s.token}, {"expiresAt", format_rfc3339(s.expires_at)}, {"user", std::move(u)}};
}

// A session for `user_id` and the AuthPayload that carries it; the request is signed in from here on.
asio::awaitable<json::value> sign_in(RequestContext& ctx, std::string user_id) {
    struct Signed {
        IssuedSession session;
        json::object payload;
    };
    auto create = [user_id, policy = ctx.services().sessions](db::Transaction& tx) {
        tx.exec("INSERT INTO user_preferences (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING",
                db::Params{user_id});
        const auto user =
            tx.exec("SELECT id::text AS uuid, email, created_at FROM users WHERE id = $1", db::Params{user_id});
        Signed s;
        s.session = create_session(tx, user_id, policy);
        s.payload = auth_payload(s.session, user);
        return std::optional<Signed>{std::move(s)};
    };
    auto signed_in = co_await db::transact(ctx.services().pool, std::move(create), {}, ctx.deadline());
    ctx.set_principal(Principal{user_id, signed_in->session.session_id});
    co_return std::move(signed_in->payload);
}

asio::awaitable<json::value> start_shopify_oauth(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    auto& id = identity(ctx);
    require_shopify_app(id);
    const auto principal = co_await ctx.principal();
    std::optional<std::string> user;
    if (principal) user = principal->user_id;
    const std::string shop(info.args.at("shop").as_string());
    auto start = [&id, user, shop](db::Transaction& tx) { return shopify::start_oauth(tx, user, shop, id.config); };
    const auto started = co_await db::transact(ctx.services().pool, std::move(start), {}, ctx.deadline());
    co_return json::object{{"authorizationUrl", started.authorization_url}, {"state", started.state}};
}

// Runs the checked round trip for a state of `purpose` (and, for a link, of `user`) off the I/O threads.
asio::awaitable<shopify::LinkedStore> complete(RequestContext& ctx, const std::string& query, StatePurpose purpose,
                                               const std::optional<std::string>& user) {
    auto& id = identity(ctx);
    require_shopify_app(id);
    const auto& keyring = id.require_keyring();
    auto run = [&id, &ctx, &keyring, query, purpose, user] {
        check_state_purpose(ctx.services().pool, query, purpose, user);
        return shopify::complete_oauth(ctx.services().pool, query, user, id.config, keyring, *id.http, ctx.log());
    };
    co_return co_await id.blocking->run(std::move(run));
}

asio::awaitable<json::value> complete_shopify_oauth(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto linked = co_await complete(ctx, query_arg(info), StatePurpose::kLink, p.user_id);
    auto record = [&linked](db::Transaction& tx) {
        audit(tx, "user:" + linked.user_id, linked.created ? "store.link" : "store.relink", "store:" + linked.store_id,
              linked.user_id);
        return 0;
    };
    co_await db::transact(ctx.services().pool, std::move(record), {}, ctx.deadline());
    auto store = co_await load_store(ctx, p.user_id, linked.store_id);
    if (!store) throw Error(ErrorCode::kNotFound, "The linked store was not found.");
    co_return std::move(*store);
}

asio::awaitable<json::value> login_with_shopify(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const auto linked = co_await complete(ctx, query_arg(info), StatePurpose::kLogin, std::nullopt);
    auto record = [&linked](db::Transaction& tx) {
        audit(tx, "user:" + linked.user_id, "login.shopify", "store:" + linked.store_id, linked.user_id);
        return 0;
    };
    co_await db::transact(ctx.services().pool, std::move(record), {}, ctx.deadline());
    co_return co_await sign_in(ctx, linked.user_id);
}

asio::awaitable<json::value> unlink_shopify_store(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto uuid = decode_id(id_type::kStore, info.args.at("id").as_string());
    if (!uuid) throw Error(ErrorCode::kNotFound, "Store not found.");
    auto unlink = [user = p.user_id, store = *uuid](db::Transaction& tx) { return unlink_store(tx, user, store); };
    const bool done = co_await db::transact(ctx.services().pool, std::move(unlink), {}, ctx.deadline());
    if (!done) throw Error(ErrorCode::kNotFound, "Store not found.");
    ctx.log().info("shopify store unlinked", {{"store_id", *uuid}});
    co_return true;
}

asio::awaitable<json::value> login_with_id_token(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    auto& id = identity(ctx);
    const std::string provider(info.args.at("provider").as_string());
    const std::string token(info.args.at("idToken").as_string());
    const auto signed_in = co_await ctx.principal();
    std::optional<std::string> current;
    if (signed_in) current = signed_in->user_id;
    auto run = [&id, &ctx, provider, token, current] {
        const IdTokenProvider settings = provider_settings(id.config, provider);
        const IdTokenClaims claims = verify_id_token(*id.jwks, settings, token);
        return ctx.services().pool.transact_blocking(
            [&](db::Transaction& tx) { return sign_in_or_link(tx, settings, claims, current); });
    };
    const std::string user = co_await id.blocking->run(std::move(run));
    co_return co_await sign_in(ctx, user);
}

FieldResolver async(graphql::AsyncResolver fn) {
    FieldResolver r;
    r.async = std::move(fn);
    return r;
}

}  // namespace

void install_identity_resolvers(graphql::Schema& schema) {
    using detail::set;
    set(schema, "Mutation", "startShopifyOAuth", async(&start_shopify_oauth));
    set(schema, "Mutation", "completeShopifyOAuth", async(&complete_shopify_oauth));
    set(schema, "Mutation", "loginWithShopify", async(&login_with_shopify));
    set(schema, "Mutation", "unlinkShopifyStore", async(&unlink_shopify_store));
    set(schema, "Mutation", "loginWithIdToken", async(&login_with_id_token));
}

}  // namespace alatar::api
