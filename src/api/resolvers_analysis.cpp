// Analyses: read side (analysisRequest, listAnalysisRequests, actionProposal, node and the AnalysisRequest
// children through per-request loaders), submit/cancel through the agents area, and the
// analysisRequestUpdates subscription.
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "agents/submission.hpp"
#include "api/analysis_read.hpp"
#include "api/errors.hpp"
#include "api/event_hub.hpp"
#include "api/ids.hpp"
#include "api/request_context.hpp"
#include "api/resolvers.hpp"
#include "api/services.hpp"
#include "api/shared_request_reads.hpp"
#include "common/error.hpp"
#include "db/pool_async.hpp"

namespace alatar::api {

namespace asio = boost::asio;
namespace json = boost::json;
using graphql::FieldResolver;
using graphql::ResolveInfo;

namespace {

std::string require_id(std::string_view type, const json::value& id, std::string_view what) {
    auto uuid = id.is_string() ? decode_id(type, id.get_string()) : std::nullopt;
    if (!uuid) throw Error(ErrorCode::kNotFound, "No " + std::string(what) + " with this id.");
    return *uuid;
}

std::optional<std::string> opt_string(const json::object& args, std::string_view key) {
    const auto* v = args.if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->get_string());
}

std::string private_member(const json::value& source, std::string_view key) {
    const auto& v = source.as_object().at(key);
    return v.is_string() ? std::string(v.get_string()) : std::string{};
}

asio::awaitable<json::object> owned_request(RequestContext& ctx, const std::string& user_id, const std::string& uuid) {
    auto request = co_await load_analysis_request(ctx, user_id, uuid);
    if (!request) throw Error(ErrorCode::kNotFound, "No analysis request with this id.");
    co_return std::move(*request);
}

asio::awaitable<json::value> analysis_request(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto uuid = require_id(id_type::kAnalysisRequest, info.args.at("id"), "analysis request");
    co_return co_await owned_request(ctx, p.user_id, uuid);
}

asio::awaitable<json::value> list_requests(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    ListArgs args;
    if (const auto* first = info.args.if_contains("first"); first != nullptr && first->is_int64()) {
        args.first = first->get_int64();
    }
    args.after = opt_string(info.args, "after");
    args.status = opt_string(info.args, "status");
    if (const auto* store = info.args.if_contains("storeId"); store != nullptr && !store->is_null()) {
        const auto uuid = require_id(id_type::kStore, *store, "store");
        if (!co_await load_store(ctx, p.user_id, uuid)) throw Error(ErrorCode::kNotFound, "No store with this id.");
        args.store_uuid = uuid;
    }
    co_return co_await list_analysis_requests(ctx, p.user_id, std::move(args));
}

asio::awaitable<json::value> action_proposal(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto uuid = require_id(id_type::kActionProposal, info.args.at("id"), "action proposal");
    auto proposal = co_await load_proposal(ctx, p.user_id, uuid);
    if (!proposal) throw Error(ErrorCode::kNotFound, "No action proposal with this id.");
    co_return std::move(*proposal);
}

asio::awaitable<json::value> node(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto& id = info.args.at("id");
    const auto type = id.is_string() ? id_type_of(id.get_string()) : std::nullopt;
    const auto not_found = [] { return Error(ErrorCode::kNotFound, "No object with this id."); };
    if (!type) throw not_found();
    if (*type == id_type::kAnalysisRequest) {
        co_return co_await owned_request(ctx, p.user_id, *decode_id(*type, id.get_string()));
    }
    if (*type == id_type::kActionProposal) {
        auto proposal = co_await load_proposal(ctx, p.user_id, *decode_id(*type, id.get_string()));
        if (!proposal) throw not_found();
        co_return std::move(*proposal);
    }
    if (*type == id_type::kStore) {
        auto store = co_await load_store(ctx, p.user_id, *decode_id(*type, id.get_string()));
        if (!store) throw not_found();
        co_return std::move(*store);
    }
    if (*type == id_type::kUser && *decode_id(*type, id.get_string()) == p.user_id) {
        const auto r =
            co_await db::query(ctx.services().pool, "SELECT id::text, email, created_at FROM users WHERE id = $1",
                               db::Params{p.user_id}, ctx.deadline());
        if (r.empty()) throw not_found();
        co_return json::object{
            {"__typename", "User"},
            {"id", id},
            {"email", r.is_null(0, 1) ? json::value(nullptr) : json::value(r.get<std::string>(0, 1))},
            {"createdAt", format_rfc3339(r.get<db::Timestamp>(0, 2))},
            {"_uuid", p.user_id}};
    }
    throw not_found();
}

FieldResolver from_loader(BatchLoader Loaders::*loader, std::string_view key) {
    FieldResolver r;
    r.async = [loader, key](const ResolveInfo& info) -> asio::awaitable<json::value> {
        auto& ctx = request_context(info);
        const std::string k = private_member(info.source, key);
        if (k.empty()) co_return nullptr;
        co_return co_await (ctx.loaders().*loader).load(k);
    };
    return r;
}

asio::awaitable<json::value> submit(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const std::string prompt(info.args.at("prompt").as_string());
    std::optional<std::string> store;
    if (const auto* s = info.args.if_contains("storeId"); s != nullptr && !s->is_null()) {
        store = require_id(id_type::kStore, *s, "store");
    }
    auto write = [user = p.user_id, store, prompt, trace = ctx.request_id()](db::Transaction& tx) {
        return agents::submit_analysis_request(tx, user, store, prompt, trace);
    };
    const std::string uuid = co_await db::transact(ctx.services().pool, std::move(write), {}, ctx.deadline());
    if (ctx.services().outbox_written) ctx.services().outbox_written();
    ctx.log().info("analysis submitted", {{"analysis_id", uuid}, {"user_id", p.user_id}});
    co_return co_await owned_request(ctx, p.user_id, uuid);
}

asio::awaitable<json::value> cancel(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto uuid = require_id(id_type::kAnalysisRequest, info.args.at("id"), "analysis request");
    auto write = [user = p.user_id, uuid](db::Transaction& tx) {
        return agents::cancel_analysis_request(tx, user, uuid);
    };
    (void)co_await db::transact(ctx.services().pool, std::move(write), {}, ctx.deadline());
    if (ctx.services().outbox_written) ctx.services().outbox_written();
    co_return co_await owned_request(ctx, p.user_id, uuid);
}

bool is_terminal(std::string_view status) {
    return status == "COMPLETED" || status == "FAILED" || status == "CANCELLED";
}

// The source stream of analysisRequestUpdates: the current state first, then one update per newer event, until
// the request is finished and none of its approved actions is still being carried out, or the client leaves.
class UpdateStream final : public graphql::SourceStream {
  public:
    UpdateStream(RequestContext& ctx, std::string user_id, std::string uuid, std::shared_ptr<EventQueue> queue,
                 json::object snapshot)
        : ctx_(ctx),
          user_id_(std::move(user_id)),
          uuid_(std::move(uuid)),
          queue_(std::move(queue)),
          snapshot_(std::move(snapshot)) {}

    asio::awaitable<std::optional<json::value>> next() override {
        if (done_) co_return std::nullopt;
        ctx_.reset_loaders();
        if (snapshot_) {
            json::object request = std::move(*snapshot_);
            snapshot_.reset();
            last_seq_ = request.at("_eventSeq").to_number<std::int64_t>();
            done_ = co_await is_last_update(request);
            co_return update(std::move(request), "SNAPSHOT", nullptr);
        }
        while (true) {
            auto event = co_await queue_->pop();
            if (!event) co_return std::nullopt;
            const auto* seq = event->if_contains("seq");
            const std::int64_t n = seq != nullptr && seq->is_number() ? seq->to_number<std::int64_t>() : last_seq_ + 1;
            if (n <= last_seq_) continue;  // already reflected in what the subscriber has seen
            last_seq_ = n;
            auto state = co_await read_state(n);
            if (!state) co_return std::nullopt;  // deleted meanwhile
            done_ = is_terminal(state->request.at("status").as_string()) && !state->actions_in_flight;
            auto* request = &state->request;
            const auto* name = event->if_contains("event");
            const auto* message = event->if_contains("message");
            co_return update(std::move(*request),
                             name != nullptr && name->is_string() ? std::string(name->get_string()) : "STATUS_CHANGED",
                             message != nullptr && message->is_string() ? json::value(*message) : json::value(nullptr));
        }
    }

    void close() override {
        done_ = true;
        queue_->close();
    }

  private:
    // The request as of event `seq`: one read shared with every other stream of the request in this process.
    asio::awaitable<std::optional<RequestState>> read_state(std::int64_t seq) {
        auto fetch = [this]() -> asio::awaitable<std::optional<RequestState>> {
            auto request = co_await load_analysis_request(ctx_, user_id_, uuid_);
            if (!request) co_return std::nullopt;
            RequestState state{std::move(*request)};
            if (is_terminal(state.request.at("status").as_string())) {
                state.actions_in_flight = co_await has_actions_in_flight(ctx_, uuid_);
            }
            co_return state;
        };
        if (SharedRequestReads* shared = ctx_.services().request_reads; shared != nullptr) {
            auto state = co_await shared->read(uuid_, user_id_, seq, fetch);
            if (state) prime_request_loaders(ctx_, state->request);
            co_return state;
        }
        co_return co_await fetch();
    }

    // The stream ends after this update when the request is finished and no approved action of it is still running.
    asio::awaitable<bool> is_last_update(const json::object& request) {
        if (!is_terminal(request.at("status").as_string())) co_return false;
        const bool in_flight = co_await has_actions_in_flight(ctx_, uuid_);
        co_return !in_flight;
    }

    json::value update(json::object request, std::string event, json::value message) {
        // The event is the root value; the root field's default resolver reads its own name from it.
        return json::object{{"analysisRequestUpdates", json::object{{"request", std::move(request)},
                                                                    {"event", std::move(event)},
                                                                    {"message", std::move(message)}}}};
    }

    RequestContext& ctx_;
    std::string user_id_;
    std::string uuid_;
    std::shared_ptr<EventQueue> queue_;
    std::optional<json::object> snapshot_;
    std::int64_t last_seq_ = 0;
    bool done_ = false;
};

asio::awaitable<std::unique_ptr<graphql::SourceStream>> subscribe_updates(const ResolveInfo& info) {
    auto& ctx = request_context(info);
    const Principal p = co_await ctx.require_principal();
    const auto uuid = require_id(id_type::kAnalysisRequest, info.args.at("requestId"), "analysis request");
    // Listen before reading the snapshot, so nothing committed in between is missed (seq filters duplicates).
    auto queue = ctx.services().events.subscribe(uuid, co_await asio::this_coro::executor);
    if (ctx.control) ctx.control->attach(queue);
    auto snapshot = co_await owned_request(ctx, p.user_id, uuid);
    co_return std::make_unique<UpdateStream>(ctx, p.user_id, uuid, std::move(queue), std::move(snapshot));
}

FieldResolver async(graphql::AsyncResolver fn) {
    FieldResolver r;
    r.async = std::move(fn);
    return r;
}

}  // namespace

void install_analysis_resolvers(graphql::Schema& schema) {
    using detail::set;
    set(schema, "Query", "analysisRequest", async(&analysis_request));
    set(schema, "Query", "listAnalysisRequests", async(&list_requests));
    set(schema, "Query", "actionProposal", async(&action_proposal));
    set(schema, "Query", "node", async(&node));
    set(schema, "Mutation", "submitAnalysisRequest", async(&submit));
    set(schema, "Mutation", "cancelAnalysisRequest", async(&cancel));
    set(schema, "AnalysisRequest", "tasks", from_loader(&Loaders::tasks, "_uuid"));
    set(schema, "AnalysisRequest", "proposals", from_loader(&Loaders::proposals, "_uuid"));
    set(schema, "AnalysisRequest", "trace", from_loader(&Loaders::trace, "_uuid"));
    set(schema, "AnalysisRequest", "result", from_loader(&Loaders::results, "_uuid"));
    set(schema, "AnalysisRequest", "store", from_loader(&Loaders::stores, "_storeUuid"));
    FieldResolver updates;
    updates.subscribe = &subscribe_updates;
    set(schema, "Subscription", "analysisRequestUpdates", std::move(updates));
}

}  // namespace alatar::api
