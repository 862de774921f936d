// Accounts: register, login, logout, me, preferences, available models.
#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include "api/accounts.hpp"
#include "api/analysis_read.hpp"
#include "api/errors.hpp"
#include "api/ids.hpp"
#include "api/offload.hpp"
#include "api/preferences.hpp"
#include "api/request_context.hpp"
#include "api/resolvers.hpp"
#include "common/crypto.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "db/pool_async.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::FieldResolver;
using graphql::ResolveInfo;

namespace {

constexpr std::string_view kBadLogin = "Invalid e-mail or password.";

std::string arg_string(const json::object& obj, std::string_view key) {
    const auto* v = obj.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

std::optional<std::string> opt_string(const json::object& obj, std::string_view key) {
    const auto* v = obj.if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->get_string());
}

json::object user_json(const db::Result& r, int row) {
    const auto uuid = r.get<std::string>(row, "uuid");
    json::object o;
    o["__typename"] = "User";
    o["id"] = encode_id(id_type::kUser, uuid);
    o["email"] = r.is_null(row, "email") ? json::value(nullptr) : json::value(r.get<std::string>(row, "email"));
    o["createdAt"] = format_rfc3339(r.get<db::Timestamp>(row, "created_at"));
    o["_uuid"] = uuid;
    return o;
}

json::object auth_payload(const IssuedSession& s, json::object user) {
    json::object o;
    o["token"] = s.token;
    o["expiresAt"] = format_rfc3339(s.expires_at);
    o["user"] = std::move(user);
    return o;
}

std::optional<std::string> user_agent_of(const RequestContext&) { return std::nullopt; }

asio::awaitable<json::value> register_user(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    auto& services = ctx.services();
    const auto& input = info.args.at("input").as_object();
    const auto email = normalize_email(arg_string(input, "email"));
    if (!email) throw Error(ErrorCode::kBadUserInput, "Enter a valid e-mail address.");
    std::string password = arg_string(input, "password");
    if (auto problem = password_problem(password, *email)) throw Error(ErrorCode::kBadUserInput, *problem);

    auto hash_it = [password = std::move(password)] { return crypto::hash_password(password); };
    const std::string hash = co_await services.cpu.run(std::move(hash_it));

    struct Created {
        json::object user;
        IssuedSession session;
    };
    auto create = [&, email = *email, hash, default_model = services.models.front().id,
                   policy = services.sessions](db::Transaction& tx) {
        const auto r = tx.exec(
            "INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id::text AS uuid, email, created_at",
            db::Params{email, hash});
        Created c;
        c.user = user_json(r, 0);
        const std::string uuid(c.user.at("_uuid").as_string());
        tx.exec("INSERT INTO user_preferences (user_id, llm_model) VALUES ($1, $2)", db::Params{uuid, default_model});
        c.session = create_session(tx, uuid, policy, user_agent_of(ctx));
        return std::optional<Created>{std::move(c)};
    };
    std::optional<Created> created;
    try {
        created = co_await db::transact(services.pool, std::move(create), {}, ctx.deadline());
    } catch (const db::ConflictError&) {
        throw Error(ErrorCode::kConflict, "An account with this e-mail address already exists.");
    }
    ctx.set_principal(Principal{std::string(created->user.at("_uuid").as_string()), created->session.session_id});
    const std::string user_uuid(created->user.at("_uuid").as_string());
    ctx.log().info("account registered", {{"user_id", user_uuid}});
    co_return auth_payload(created->session, std::move(created->user));
}

asio::awaitable<json::value> login(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    auto& services = ctx.services();
    const auto& input = info.args.at("input").as_object();
    const auto raw_email = arg_string(input, "email");
    const auto email = normalize_email(raw_email);
    const std::string account = email.value_or(raw_email.substr(0, kMaxEmailBytes));
    std::string password = arg_string(input, "password");

    if (const auto wait = services.throttle.wait_time(account, ctx.client_address()); wait.count() > 0) {
        throw RateLimitedError("Too many failed sign-in attempts. Try again in " + std::to_string(wait.count()) + " s.",
                               wait);
    }

    std::optional<std::string> user_uuid;
    std::string stored_hash;
    if (email) {
        const auto r = co_await db::query(services.pool, "SELECT id::text, password_hash FROM users WHERE email = $1",
                                          db::Params{*email}, ctx.deadline());
        if (!r.empty() && !r.is_null(0, 1)) {
            user_uuid = r.get<std::string>(0, 0);
            stored_hash = r.get<std::string>(0, 1);
        }
    }
    // Unknown accounts verify against a dummy hash: same work, same time, same answer.
    const bool known = user_uuid.has_value();
    auto verify = [hash = known ? stored_hash : services.dummy_password_hash, password] {
        return crypto::verify_password(hash, password) ? 1 : 0;
    };
    const bool ok = (co_await services.cpu.run(std::move(verify))) == 1 && known;
    if (!ok) {
        services.throttle.record_failure(account, ctx.client_address());
        throw Error(ErrorCode::kUnauthenticated, std::string(kBadLogin));
    }
    services.throttle.record_success(account);

    std::optional<std::string> new_hash;
    if (crypto::password_needs_rehash(stored_hash)) {
        auto rehash = [password] { return crypto::hash_password(password); };
        new_hash = co_await services.cpu.run(std::move(rehash));
    }
    struct Signed {
        json::object user;
        IssuedSession session;
    };
    auto sign_in = [&, uuid = *user_uuid, new_hash, policy = services.sessions](db::Transaction& tx) {
        if (new_hash) tx.exec("UPDATE users SET password_hash = $2 WHERE id = $1", db::Params{uuid, *new_hash});
        const auto r = tx.exec("SELECT id::text AS uuid, email, created_at FROM users WHERE id = $1", db::Params{uuid});
        Signed s;
        s.user = user_json(r, 0);
        s.session = create_session(tx, uuid, policy, user_agent_of(ctx));
        return std::optional<Signed>{std::move(s)};
    };
    auto signed_in = co_await db::transact(services.pool, std::move(sign_in), {}, ctx.deadline());
    ctx.set_principal(Principal{*user_uuid, signed_in->session.session_id});
    co_return auth_payload(signed_in->session, std::move(signed_in->user));
}

asio::awaitable<json::value> logout(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    auto revoke = [session = p.session_id](db::Transaction& tx) { return revoke_session(tx, session); };
    co_return co_await db::transact(ctx.services().pool, std::move(revoke), {}, ctx.deadline());
}

asio::awaitable<json::value> me(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const auto p = co_await ctx.principal();
    if (!p) co_return nullptr;
    const auto r =
        co_await db::query(ctx.services().pool, "SELECT id::text AS uuid, email, created_at FROM users WHERE id = $1",
                           db::Params{p->user_id}, ctx.deadline());
    if (r.empty()) co_return nullptr;
    co_return user_json(r, 0);
}

json::object preferences_json(const db::Result& r) {
    if (r.empty()) return json::object{{"llmModel", kOfflineModel}, {"timezone", "UTC"}, {"language", "en"}};
    return json::object{{"llmModel", r.get<std::string>(0, 0)},
                        {"timezone", r.get<std::string>(0, 1)},
                        {"language", r.get<std::string>(0, 2)}};
}

asio::awaitable<json::value> user_preferences(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto r = co_await db::query(ctx.services().pool,
                                      "SELECT llm_model, timezone, language FROM user_preferences WHERE user_id = $1",
                                      db::Params{p.user_id}, ctx.deadline());
    co_return preferences_json(r);
}

asio::awaitable<json::value> user_stores(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    co_return co_await load_user_stores(ctx, p.user_id);
}

asio::awaitable<json::value> update_preferences(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto& input = info.args.at("input").as_object();
    auto model = opt_string(input, "llmModel");
    auto timezone = opt_string(input, "timezone");
    auto language = opt_string(input, "language");
    const auto& models = ctx.services().models;
    if (model && std::none_of(models.begin(), models.end(), [&](const LlmModel& m) { return m.id == *model; })) {
        throw Error(ErrorCode::kBadUserInput, "Unknown model; pick one of availableModels.");
    }
    if (timezone && !is_valid_timezone(*timezone)) {
        throw Error(ErrorCode::kBadUserInput, "Unknown time zone; use an IANA name such as Europe/Berlin.");
    }
    if (language) {
        language = normalize_language_tag(*language);
        if (!language) throw Error(ErrorCode::kBadUserInput, "Invalid language; use a BCP 47 tag such as en or pt-BR.");
    }
    const auto r = co_await db::query(
        ctx.services().pool,
        "INSERT INTO user_preferences (user_id, llm_model, timezone, language) "
        "VALUES ($1, COALESCE($2, $5), COALESCE($3, 'UTC'), COALESCE($4, 'en')) "
        "ON CONFLICT (user_id) DO UPDATE SET llm_model = COALESCE($2, user_preferences.llm_model), "
        "timezone = COALESCE($3, user_preferences.timezone), language = COALESCE($4, user_preferences.language) "
        "RETURNING llm_model, timezone, language",
        db::Params{p.user_id, model, timezone, language, models.front().id}, ctx.deadline());
    co_return preferences_json(r);
}

json::value models_field(const ResolveInfo& info) {
    json::array out;
    for (const auto& m : request_context(info).services().models) {
        out.push_back(json::object{{"id", m.id}, {"name", m.name}, {"free", m.free}});
    }
    return out;
}

FieldResolver async(graphql::AsyncResolver fn) {
    FieldResolver r;
    r.async = std::move(fn);
    return r;
}

}  // namespace

void install_account_resolvers(graphql::Schema& schema) {
    using detail::set;
    set(schema, "Mutation", "register", async(&register_user));
    set(schema, "Mutation", "login", async(&login));
    set(schema, "Mutation", "logout", async(&logout));
    set(schema, "Mutation", "updatePreferences", async(&update_preferences));
    set(schema, "Query", "me", async(&me));
    FieldResolver models;
    models.sync = &models_field;
    set(schema, "Query", "availableModels", std::move(models));
    set(schema, "User", "preferences", async(&user_preferences));
    set(schema, "User", "stores", async(&user_stores));
}

}  // namespace alatar::api
