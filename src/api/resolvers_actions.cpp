// Deciding on proposals and the audit trail (issue 9): approveActionProposal, rejectActionProposal,
// undoActionProposal and auditLog. The decisions themselves live in alatar::actions (blocking, one transaction
// each); they run on the CPU pool so I/O threads never block. Another user's proposal answers NOT_FOUND.
#include <boost/json.hpp>
#include <string>

#include "actions/decisions.hpp"
#include "api/analysis_read.hpp"
#include "api/ids.hpp"
#include "api/offload.hpp"
#include "api/request_context.hpp"
#include "api/resolvers.hpp"
#include "api/services.hpp"
#include "common/error.hpp"
#include "db/pool_async.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::FieldResolver;
using graphql::ResolveInfo;

namespace {

constexpr std::int64_t kMaxAuditPage = 100;

std::string proposal_uuid(const ResolveInfo& info) {
    const auto& id = info.args.at("id");
    auto uuid = id.is_string() ? decode_id(id_type::kActionProposal, id.get_string()) : std::nullopt;
    if (!uuid) throw Error(ErrorCode::kNotFound, "No action proposal with this id.");
    return *uuid;
}

void throw_if_refused(const actions::DecisionResult& result) {
    switch (result.error) {
        case actions::DecisionError::kNone:
            return;
        case actions::DecisionError::kNotFound:
            throw Error(ErrorCode::kNotFound, "No action proposal with this id.");
        case actions::DecisionError::kWrongStatus:
        case actions::DecisionError::kExpired:
            throw Error(ErrorCode::kConflict, result.message);
        case actions::DecisionError::kInvalid:
            throw Error(ErrorCode::kBadUserInput, result.message);
        case actions::DecisionError::kMissingScope:
            throw Error(ErrorCode::kForbidden, result.message);
    }
    throw Error(ErrorCode::kInternal, "unknown decision result");
}

enum class Verb { kApprove, kReject, kUndo };

asio::awaitable<json::value> decide(const ResolveInfo& info, Verb verb) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const std::string uuid = proposal_uuid(info);
    const actions::Actor actor{.user_id = p.user_id, .trace_id = ctx.request_id()};
    std::optional<json::value> parameters;
    if (const auto* v = info.args.if_contains("parameters"); v != nullptr && !v->is_null()) parameters = *v;
    std::optional<std::string> reason;
    if (const auto* v = info.args.if_contains("reason"); v != nullptr && v->is_string()) {
        reason = std::string(v->get_string());
    }
    bool revise = false;
    if (const auto* v = info.args.if_contains("revise"); v != nullptr && v->is_bool()) revise = v->get_bool();
    db::Pool& pool = ctx.services().pool;
    auto work = [&pool, verb, actor, uuid, parameters, reason, revise]() {
        actions::Decisions decisions(pool);
        switch (verb) {
            case Verb::kApprove:
                return decisions.approve(actor, uuid, parameters);
            case Verb::kReject:
                return decisions.reject(actor, uuid, reason, revise);
            case Verb::kUndo:
                return decisions.undo(actor, uuid);
        }
        return actions::DecisionResult{};
    };
    const auto result = co_await ctx.services().cpu.run(std::move(work));
    throw_if_refused(result);
    if (ctx.services().outbox_written) ctx.services().outbox_written();
    auto proposal = co_await load_proposal(ctx, p.user_id, uuid);
    if (!proposal) throw Error(ErrorCode::kNotFound, "No action proposal with this id.");
    co_return std::move(*proposal);
}

asio::awaitable<json::value> approve(const ResolveInfo& info) { co_return co_await decide(info, Verb::kApprove); }
asio::awaitable<json::value> reject(const ResolveInfo& info) { co_return co_await decide(info, Verb::kReject); }
asio::awaitable<json::value> undo(const ResolveInfo& info) { co_return co_await decide(info, Verb::kUndo); }

// ActionProposal.revisedBy: the newest revision asked for by rejecting this proposal with feedback.
asio::awaitable<json::value> revised_by(const ResolveInfo& info) {
    const auto* parent = info.source.if_object();
    const auto* uuid = parent != nullptr ? parent->if_contains("_revisedByUuid") : nullptr;
    if (uuid == nullptr || !uuid->is_string()) co_return nullptr;
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    auto proposal = co_await load_proposal(ctx, p.user_id, std::string(uuid->get_string()));
    if (!proposal) co_return nullptr;
    co_return std::move(*proposal);
}

// Newest first; the cursor is the entry's id (entries are never removed, so a cursor stays valid).
asio::awaitable<json::value> audit_log(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    std::int64_t first = 20;
    if (const auto* v = info.args.if_contains("first"); v != nullptr && v->is_int64()) first = v->get_int64();
    if (first < 0 || first > kMaxAuditPage) {
        throw Error(ErrorCode::kBadUserInput, "first must be between 0 and " + std::to_string(kMaxAuditPage));
    }
    std::optional<std::int64_t> after;
    if (const auto* v = info.args.if_contains("after"); v != nullptr && v->is_string()) {
        try {
            std::size_t used = 0;
            after = std::stoll(std::string(v->get_string()), &used);
            if (used != v->get_string().size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            throw Error(ErrorCode::kBadUserInput, "after is not a cursor of this connection");
        }
    }
    static constexpr std::string_view kSql =
        "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at, actor, action, "
        "subject, request_id::text AS request_id, params_hash, details::text AS details FROM audit_log "
        "WHERE owner_id::text = $1 AND ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $3";
    const auto r = co_await db::query(ctx.services().pool, std::string(kSql), db::Params{p.user_id, after, first + 1},
                                      ctx.deadline());
    json::array edges;
    const int rows = std::min<int>(r.rows(), static_cast<int>(first));
    for (int i = 0; i < rows; ++i) {
        const auto id = std::to_string(r.get<std::int64_t>(i, "id"));
        json::object node{{"id", id},
                          {"at", r.get<std::string>(i, "at")},
                          {"actor", r.get<std::string>(i, "actor")},
                          {"action", r.get<std::string>(i, "action")},
                          {"targetType", nullptr},
                          {"targetId", nullptr},
                          {"requestId", nullptr},
                          {"parametersHash", nullptr},
                          {"details", json::parse(r.get<std::string>(i, "details"))}};
        if (const auto subject = r.get<std::optional<std::string>>(i, "subject")) {
            constexpr std::string_view kProposalPrefix = "action_proposal:";
            if (subject->starts_with(kProposalPrefix)) {
                node["targetType"] = id_type::kActionProposal;
                node["targetId"] = encode_id(id_type::kActionProposal, subject->substr(kProposalPrefix.size()));
            } else {
                node["targetType"] = subject->substr(0, subject->find(':'));
            }
        }
        if (const auto request = r.get<std::optional<std::string>>(i, "request_id")) {
            node["requestId"] = encode_id(id_type::kAnalysisRequest, *request);
        }
        if (const auto hash = r.get<std::optional<std::string>>(i, "params_hash")) node["parametersHash"] = *hash;
        edges.push_back(json::object{{"cursor", id}, {"node", std::move(node)}});
    }
    json::object page{{"hasNextPage", r.rows() > first},
                      {"hasPreviousPage", after.has_value()},
                      {"startCursor", edges.empty() ? json::value(nullptr) : edges.front().at("cursor")},
                      {"endCursor", edges.empty() ? json::value(nullptr) : edges.back().at("cursor")}};
    co_return json::object{{"edges", std::move(edges)}, {"pageInfo", std::move(page)}};
}

FieldResolver async(graphql::AsyncResolver fn) {
    FieldResolver r;
    r.async = std::move(fn);
    return r;
}

}  // namespace

void install_action_resolvers(graphql::Schema& schema) {
    detail::set(schema, "Mutation", "approveActionProposal", async(&approve));
    detail::set(schema, "Mutation", "rejectActionProposal", async(&reject));
    detail::set(schema, "Mutation", "undoActionProposal", async(&undo));
    detail::set(schema, "Query", "auditLog", async(&audit_log));
    detail::set(schema, "ActionProposal", "revisedBy", async(&revised_by));
}

}  // namespace alatar::api
