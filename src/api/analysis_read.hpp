#pragma once
// The read side of analyses (rows the workers write) as GraphQL-shaped JSON: AnalysisRequest, AgentTask,
// TraceSpan, ActionProposal, AnalysisResult, ShopifyStore. Every query is scoped to the caller's user id.
//
// Objects carry their GraphQL fields plus private members the resolvers use ("_uuid", "_storeUuid",
// "_eventSeq"); those never reach clients because no schema field names them.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/loaders.hpp"

namespace alatar::api {

class RequestContext;

// The request if it exists and belongs to `user_id`; nullopt otherwise.
boost::asio::awaitable<std::optional<boost::json::object>> load_analysis_request(RequestContext& ctx,
                                                                                 std::string user_id,
                                                                                 std::string request_uuid);

// Primes the request's per-request loaders (tasks, proposals, trace, result, store) with its ids, as
// load_analysis_request does, for a request object read elsewhere (a shared read).
void prime_request_loaders(RequestContext& ctx, const boost::json::object& request);

// Whether an approved action of the request is still being carried out (APPROVED, EXECUTING or UNDOING): its
// update stream stays open until those settle, so every transition reaches the subscribers.
boost::asio::awaitable<bool> has_actions_in_flight(RequestContext& ctx, std::string request_uuid);

struct ListArgs {
    std::int64_t first = 20;
    std::optional<std::string> after;   // cursor
    std::optional<std::string> status;  // AnalysisStatus
    std::optional<std::string> store_uuid;
};
inline constexpr std::int64_t kMaxPageSize = 100;

// AnalysisRequestConnection {edges, pageInfo, totalCount}, newest first. Throws BAD_USER_INPUT for a bad cursor or
// page size. Primes the loaders with the page's request ids.
boost::asio::awaitable<boost::json::object> list_analysis_requests(RequestContext& ctx, std::string user_id,
                                                                   ListArgs args);

// ShopifyStore if it belongs to `user_id`.
boost::asio::awaitable<std::optional<boost::json::object>> load_store(RequestContext& ctx, std::string user_id,
                                                                      std::string store_uuid);
// The user's stores, oldest link first.
boost::asio::awaitable<boost::json::array> load_user_stores(RequestContext& ctx, std::string user_id);

// ActionProposal if it belongs to `user_id`.
boost::asio::awaitable<std::optional<boost::json::object>> load_proposal(RequestContext& ctx, std::string user_id,
                                                                         std::string proposal_uuid);

// The loaders' fetch functions ("tasks", "proposals", "trace", "results", "stores").
BatchLoader::Fetch make_fetch(RequestContext& ctx, std::string_view name);

// Cursor encoding (exposed for tests): opaque base64url of the row's created_at text and uuid.
std::string encode_cursor(std::string_view created_at, std::string_view uuid);
std::optional<std::pair<std::string, std::string>> decode_cursor(std::string_view cursor);

}  // namespace alatar::api
