#include "api/analysis_read.hpp"

#include <boost/json/parse.hpp>
#include <charconv>

#include "api/ids.hpp"
#include "api/request_context.hpp"
#include "common/crypto.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "db/pool_async.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::value timestamp(const db::Result& r, int row, std::string_view col) {
    const auto t = r.get<std::optional<db::Timestamp>>(row, col);
    if (!t) return nullptr;
    return json::value(format_rfc3339(*t));
}

json::value text_or_null(const db::Result& r, int row, std::string_view col) {
    const auto v = r.get<std::optional<std::string>>(row, col);
    if (!v) return nullptr;
    return json::value(*v);
}

json::value jsonb(const db::Result& r, int row, std::string_view col) {
    if (r.is_null(row, col)) return nullptr;
    boost::system::error_code ec;
    auto v = json::parse(r.text(row, r.column(col)), ec);
    if (ec) db::throw_internal("unparsable jsonb in column " + std::string(col));
    return v;
}

json::array strings(const db::Result& r, int row, std::string_view col) {
    json::array out;
    for (auto& s : r.get<std::vector<std::string>>(row, col)) out.emplace_back(s);
    return out;
}

constexpr std::string_view kRequestColumns =
    "id::text AS uuid, store_id::text AS store_uuid, prompt, status, progress, intent, error, created_at, "
    "updated_at, completed_at, event_seq, created_at::text AS cursor_ts";

json::object request_json(const db::Result& r, int row) {
    const auto uuid = r.get<std::string>(row, "uuid");
    json::object o;
    o["__typename"] = "AnalysisRequest";
    o["id"] = encode_id(id_type::kAnalysisRequest, uuid);
    o["prompt"] = r.get<std::string>(row, "prompt");
    o["status"] = r.get<std::string>(row, "status");
    o["progress"] = r.get<double>(row, "progress");
    o["intent"] = text_or_null(r, row, "intent");
    o["error"] = text_or_null(r, row, "error");
    o["createdAt"] = timestamp(r, row, "created_at");
    o["updatedAt"] = timestamp(r, row, "updated_at");
    o["completedAt"] = timestamp(r, row, "completed_at");
    o["_uuid"] = uuid;
    o["_storeUuid"] = text_or_null(r, row, "store_uuid");
    o["_eventSeq"] = r.get<std::int64_t>(row, "event_seq");
    o["_cursor"] = encode_cursor(r.get<std::string>(row, "cursor_ts"), uuid);
    return o;
}

void prime(RequestContext& ctx, const json::object& request) {
    const std::string uuid(request.at("_uuid").as_string());
    auto& l = ctx.loaders();
    l.tasks.prime(uuid);
    l.proposals.prime(uuid);
    l.trace.prime(uuid);
    l.results.prime(uuid);
    if (const auto& s = request.at("_storeUuid"); s.is_string()) l.stores.prime(std::string(s.get_string()));
}

constexpr std::string_view kStoreColumns =
    "id::text AS uuid, shop_domain, name, currency, scopes, status, linked_at, last_synced_at";

json::object store_json(const db::Result& r, int row) {
    json::object o;
    o["__typename"] = "ShopifyStore";
    o["id"] = encode_id(id_type::kStore, r.get<std::string>(row, "uuid"));
    o["shopDomain"] = r.get<std::string>(row, "shop_domain");
    o["name"] = text_or_null(r, row, "name");
    o["currency"] = text_or_null(r, row, "currency");
    o["scopes"] = strings(r, row, "scopes");
    o["status"] = r.get<std::string>(row, "status");
    o["linkedAt"] = timestamp(r, row, "linked_at");
    o["lastSyncedAt"] = timestamp(r, row, "last_synced_at");
    return o;
}

constexpr std::string_view kProposalColumns =
    "id::text AS uuid, request_id::text AS request_uuid, kind, status, title, description, parameters, preview, "
    "required_scopes, missing_scopes, created_at, decided_at, expires_at, decision_reason, recommendation_id, outcome, "
    "revision_of::text AS revision_of, (SELECT rv.id::text FROM action_proposals rv WHERE rv.revision_of = "
    "action_proposals.id ORDER BY rv.created_at DESC, rv.id LIMIT 1) AS revised_by";

json::object proposal_json(const db::Result& r, int row) {
    json::object o;
    o["__typename"] = "ActionProposal";
    o["id"] = encode_id(id_type::kActionProposal, r.get<std::string>(row, "uuid"));
    o["kind"] = r.get<std::string>(row, "kind");
    o["status"] = r.get<std::string>(row, "status");
    o["title"] = r.get<std::string>(row, "title");
    o["description"] = r.get<std::string>(row, "description");
    o["parameters"] = jsonb(r, row, "parameters");
    json::value preview = jsonb(r, row, "preview");
    o["preview"] = preview.is_array() ? preview : json::array{};
    o["requiredScopes"] = strings(r, row, "required_scopes");
    o["missingScopes"] = strings(r, row, "missing_scopes");
    o["createdAt"] = timestamp(r, row, "created_at");
    o["decidedAt"] = timestamp(r, row, "decided_at");
    o["expiresAt"] = timestamp(r, row, "expires_at");
    o["decisionReason"] = r.is_null(row, "decision_reason") ? json::value(nullptr)
                                                            : json::value(r.get<std::string>(row, "decision_reason"));
    o["analysisRequestId"] = encode_id(id_type::kAnalysisRequest, r.get<std::string>(row, "request_uuid"));
    o["recommendationId"] = r.is_null(row, "recommendation_id")
                                ? json::value(nullptr)
                                : json::value(r.get<std::string>(row, "recommendation_id"));
    json::value outcome = jsonb(r, row, "outcome");
    if (outcome.is_object()) {
        auto& oc = outcome.as_object();
        if (!oc.contains("shopifyUserErrors")) oc["shopifyUserErrors"] = json::array{};
    }
    o["outcome"] = outcome.is_object() ? outcome : json::value(nullptr);
    o["revisionOf"] = r.is_null(row, "revision_of")
                          ? json::value(nullptr)
                          : json::value(encode_id(id_type::kActionProposal, r.get<std::string>(row, "revision_of")));
    o["_revisedByUuid"] =
        r.is_null(row, "revised_by") ? json::value(nullptr) : json::value(r.get<std::string>(row, "revised_by"));
    return o;
}

json::object task_json(const db::Result& r, int row) {
    json::object o;
    o["id"] = encode_id(id_type::kAgentTask, r.get<std::string>(row, "uuid"));
    o["agentClass"] = r.get<std::string>(row, "agent_class");
    o["department"] = text_or_null(r, row, "department");
    o["name"] = r.get<std::string>(row, "name");
    o["status"] = r.get<std::string>(row, "status");
    o["attempts"] = r.get<std::int64_t>(row, "attempts");
    o["errorCount"] = r.get<std::int64_t>(row, "error_count");
    o["startedAt"] = timestamp(r, row, "started_at");
    o["finishedAt"] = timestamp(r, row, "finished_at");
    o["error"] = text_or_null(r, row, "error");
    return o;
}

json::object span_json(const db::Result& r, int row) {
    json::object o;
    o["id"] = r.get<std::string>(row, "span_id");
    o["parentId"] = text_or_null(r, row, "parent_id");
    o["name"] = r.get<std::string>(row, "name");
    o["kind"] = r.get<std::string>(row, "kind");
    o["startedAt"] = timestamp(r, row, "started_at");
    o["durationMs"] = r.get<double>(row, "duration_ms");
    o["attributes"] = jsonb(r, row, "attributes");
    o["error"] = text_or_null(r, row, "error");
    return o;
}

json::object result_json(const db::Result& r, int row) {
    json::object o;
    o["summary"] = r.get<std::string>(row, "summary");
    o["kpis"] = jsonb(r, row, "kpis");
    o["visualizations"] = jsonb(r, row, "visualizations");
    json::value recs = jsonb(r, row, "recommendations");
    if (recs.is_array()) {
        for (auto& rec : recs.as_array()) {
            if (rec.is_object() && !rec.as_object().contains("proposals")) rec.as_object()["proposals"] = json::array{};
        }
    }
    o["recommendations"] = std::move(recs);
    const auto from = timestamp(r, row, "data_window_from");
    const auto to = timestamp(r, row, "data_window_to");
    if (from.is_string() && to.is_string()) {
        o["dataWindow"] = json::object{{"from", from}, {"to", to}};
    } else {
        o["dataWindow"] = nullptr;
    }
    return o;
}

// Rows grouped into arrays per key column.
BatchLoader::Batch group(const db::Result& r, std::string_view key_col,
                         json::object (*to_json)(const db::Result&, int)) {
    BatchLoader::Batch out;
    for (int i = 0; i < r.rows(); ++i) {
        auto& slot = out[r.get<std::string>(i, key_col)];
        if (!slot.is_array()) slot = json::array{};
        slot.as_array().push_back(to_json(r, i));
    }
    return out;
}

BatchLoader::Batch by_key(const db::Result& r, std::string_view key_col,
                          json::object (*to_json)(const db::Result&, int)) {
    BatchLoader::Batch out;
    for (int i = 0; i < r.rows(); ++i) out[r.get<std::string>(i, key_col)] = to_json(r, i);
    return out;
}

std::string sql(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto p : parts) out += p;
    return out;
}

}  // namespace

std::string encode_cursor(std::string_view created_at, std::string_view uuid) {
    return crypto::base64url_encode("c1|" + std::string(created_at) + "|" + std::string(uuid));
}

std::optional<std::pair<std::string, std::string>> decode_cursor(std::string_view cursor) {
    if (cursor.size() > 200) return std::nullopt;
    auto raw = crypto::base64url_decode(cursor);
    if (!raw || !raw->starts_with("c1|")) return std::nullopt;
    const auto bar = raw->rfind('|');
    if (bar <= 3) return std::nullopt;
    std::string ts = raw->substr(3, bar - 3);
    std::string uuid = raw->substr(bar + 1);
    // PostgreSQL's timestamptz text ("2025-01-30 12:34:56.123456+00"): digits and separators only.
    const bool ts_ok =
        ts.size() >= 19 && ts.size() <= 40 && ts.find_first_not_of("0123456789-:. +") == std::string::npos;
    if (!is_uuid(uuid) || !ts_ok) return std::nullopt;
    return std::make_pair(std::move(ts), std::move(uuid));
}

asio::awaitable<std::optional<json::object>> load_analysis_request(RequestContext& ctx, std::string user_id,
                                                                   std::string request_uuid) {
    static const std::string kSql =
        sql({"SELECT ", kRequestColumns, " FROM analysis_requests WHERE id = $1 AND user_id = $2"});
    const auto r = co_await db::query(ctx.services().pool, kSql, db::Params{request_uuid, user_id}, ctx.deadline());
    if (r.empty()) co_return std::nullopt;
    auto o = request_json(r, 0);
    prime(ctx, o);
    co_return o;
}

void prime_request_loaders(RequestContext& ctx, const json::object& request) { prime(ctx, request); }

asio::awaitable<bool> has_actions_in_flight(RequestContext& ctx, std::string request_uuid) {
    static const std::string kSql =
        "SELECT EXISTS (SELECT 1 FROM action_proposals WHERE request_id = $1 "
        "AND status IN ('APPROVED', 'EXECUTING', 'UNDOING'))";
    const auto r = co_await db::query(ctx.services().pool, kSql, db::Params{request_uuid}, ctx.deadline());
    co_return r.scalar<bool>();
}

asio::awaitable<json::object> list_analysis_requests(RequestContext& ctx, std::string user_id, ListArgs args) {
    if (args.first < 0 || args.first > kMaxPageSize) {
        throw Error(ErrorCode::kBadUserInput, "`first` must be between 0 and " + std::to_string(kMaxPageSize) + ".");
    }
    std::optional<std::pair<std::string, std::string>> after;
    if (args.after) {
        after = decode_cursor(*args.after);
        if (!after) throw Error(ErrorCode::kBadUserInput, "`after` is not a valid cursor.");
    }
    // $1 user, $2 status or NULL, $3 store or NULL; $4/$5 cursor, $6 limit (one extra row tells hasNextPage).
    const std::string filter =
        "user_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR store_id = $3::uuid)";
    const std::string keyset =
        " AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))"
        " ORDER BY created_at DESC, id DESC LIMIT $6";
    const std::string page_sql = sql({"SELECT ", kRequestColumns, " FROM analysis_requests WHERE ", filter, keyset});
    std::optional<std::string> after_ts;
    std::optional<std::string> after_id;
    if (after) {
        after_ts = after->first;
        after_id = after->second;
    }
    db::Params page_params{user_id, args.status, args.store_uuid, after_ts, after_id, args.first + 1};
    const auto page = co_await db::query(ctx.services().pool, page_sql, std::move(page_params), ctx.deadline());
    const std::string count_sql = "SELECT count(*) FROM analysis_requests WHERE " + filter;
    db::Params count_params{user_id, args.status, args.store_uuid};
    const auto count = co_await db::query(ctx.services().pool, count_sql, std::move(count_params), ctx.deadline());

    json::array edges;
    const int shown = std::min<int>(page.rows(), static_cast<int>(args.first));
    for (int i = 0; i < shown; ++i) {
        auto node = request_json(page, i);
        prime(ctx, node);
        json::value cursor = node.at("_cursor");
        edges.push_back(json::object{{"cursor", std::move(cursor)}, {"node", std::move(node)}});
    }
    json::object page_info;
    page_info["hasNextPage"] = page.rows() > shown;
    page_info["hasPreviousPage"] = after.has_value();
    page_info["startCursor"] = edges.empty() ? json::value(nullptr) : edges.front().as_object().at("cursor");
    page_info["endCursor"] = edges.empty() ? json::value(nullptr) : edges.back().as_object().at("cursor");
    json::object out;
    out["edges"] = std::move(edges);
    out["pageInfo"] = std::move(page_info);
    out["totalCount"] = count.scalar<std::int64_t>();
    co_return out;
}

asio::awaitable<std::optional<json::object>> load_store(RequestContext& ctx, std::string user_id,
                                                        std::string store_uuid) {
    static const std::string kSql =
        sql({"SELECT ", kStoreColumns, " FROM shopify_stores WHERE id = $1 AND user_id = $2"});
    const auto r = co_await db::query(ctx.services().pool, kSql, db::Params{store_uuid, user_id}, ctx.deadline());
    if (r.empty()) co_return std::nullopt;
    co_return store_json(r, 0);
}

asio::awaitable<json::array> load_user_stores(RequestContext& ctx, std::string user_id) {
    static const std::string kSql =
        sql({"SELECT ", kStoreColumns, " FROM shopify_stores WHERE user_id = $1 ORDER BY linked_at, id"});
    const auto r = co_await db::query(ctx.services().pool, kSql, db::Params{user_id}, ctx.deadline());
    json::array out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(store_json(r, i));
    co_return out;
}

asio::awaitable<std::optional<json::object>> load_proposal(RequestContext& ctx, std::string user_id,
                                                           std::string proposal_uuid) {
    static const std::string kSql =
        sql({"SELECT ", kProposalColumns, " FROM action_proposals WHERE id = $1 AND user_id = $2"});
    const auto r = co_await db::query(ctx.services().pool, kSql, db::Params{proposal_uuid, user_id}, ctx.deadline());
    if (r.empty()) co_return std::nullopt;
    co_return proposal_json(r, 0);
}

BatchLoader::Fetch make_fetch(RequestContext& ctx, std::string_view name) {
    // Every key reaching a loader comes from a row already scoped to the caller; the queries are scoped again
    // through analysis_requests.user_id so a loader can never hand out someone else's rows.
    struct Spec {
        std::string sql;
        std::string_view key;
        json::object (*to_json)(const db::Result&, int);
        bool grouped;
    };
    Spec spec;
    if (name == "tasks") {
        spec = {
            "SELECT t.id::text AS uuid, t.request_id::text AS request_uuid, t.agent_class, t.department, t.name, "
            "t.status, t.attempts, t.error_count, t.started_at, t.finished_at, t.error FROM agent_tasks t "
            "JOIN analysis_requests a ON a.id = t.request_id "
            "WHERE t.request_id = ANY($1::text[]::uuid[]) AND a.user_id = $2 ORDER BY t.created_at, t.id",
            "request_uuid", &task_json, true};
    } else if (name == "proposals") {
        spec = {sql({"SELECT ", kProposalColumns,
                     " FROM action_proposals WHERE request_id = ANY($1::text[]::uuid[]) "
                     "AND user_id = $2 ORDER BY created_at, id"}),
                "request_uuid", &proposal_json, true};
    } else if (name == "trace") {
        spec = {
            "SELECT s.request_id::text AS request_uuid, s.span_id, s.parent_id, s.name, s.kind, s.started_at, "
            "s.duration_ms, s.attributes, s.error FROM trace_spans s JOIN analysis_requests a ON a.id = s.request_id "
            "WHERE s.request_id = ANY($1::text[]::uuid[]) AND a.user_id = $2 ORDER BY s.started_at, s.span_id",
            "request_uuid", &span_json, true};
    } else if (name == "results") {
        spec = {
            "SELECT r.request_id::text AS request_uuid, r.summary, r.kpis, r.visualizations, r.recommendations, "
            "r.data_window_from, r.data_window_to FROM analysis_results r "
            "JOIN analysis_requests a ON a.id = r.request_id "
            "WHERE r.request_id = ANY($1::text[]::uuid[]) AND a.user_id = $2",
            "request_uuid", &result_json, false};
    } else {
        spec = {
            sql({"SELECT ", kStoreColumns, " FROM shopify_stores WHERE id = ANY($1::text[]::uuid[]) AND user_id = $2"}),
            "uuid", &store_json, false};
    }
    return [&ctx, spec = std::move(spec),
            name = std::string(name)](std::vector<std::string> keys) -> asio::awaitable<BatchLoader::Batch> {
        const Principal principal = co_await ctx.require_principal();
        if (auto* fetches = ctx.services().loader_fetches) fetches->with({name}).inc();
        const auto r =
            co_await db::query(ctx.services().pool, spec.sql, db::Params{keys, principal.user_id}, ctx.deadline());
        co_return spec.grouped ? group(r, spec.key, spec.to_json) : by_key(r, spec.key, spec.to_json);
    };
}

}  // namespace alatar::api
