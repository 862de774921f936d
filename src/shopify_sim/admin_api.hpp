#pragma once
// The Admin GraphQL API (admin_schema.graphql) over a shop's Store: the schema built once with every resolver
// attached, and the per-request context the resolvers read. Resolvers are synchronous and assume the caller
// holds the shop's mutex for the whole execution (execute_sync under the lock).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "graphql/resolver.hpp"
#include "graphql/schema.hpp"
#include "shopify_sim/shop_registry.hpp"
#include "shopify_sim/store_model.hpp"

namespace alatar::shopify_sim {

// A change the API made that Shopify announces by webhook ("orders/create", "products/update").
struct WebhookEvent {
    std::string topic;
    std::string body;  // REST-shaped JSON payload
};

// What bulkOperationRunQuery asks the server to start: the new operation's id, or a user error.
struct BulkStartError {
    std::string code;  // BulkOperationUserErrorCode
    std::string message;
};
using BulkStarter = std::function<std::variant<Id, BulkStartError>(const std::string& query)>;

struct ApiContext final : graphql::ExecutionContext {
    Store* store = nullptr;     // the data resolvers read (the shop's store, or a bulk snapshot)
    ShopState* shop = nullptr;  // null during a bulk export (no webhooks, bulk records or mutations there)
    std::optional<std::vector<std::string>> scopes;  // granted scopes; nullopt allows everything
    Timestamp now = 0;
    bool bulk = false;  // connections need no first/last and return every node
    // Bulk exports run the query in windows: root connections return nodes [offset, offset + limit) only.
    struct BulkWindow {
        std::size_t offset = 0;
        std::size_t limit = 0;  // 0: no window
    } bulk_window;
    BulkStarter start_bulk;
    std::vector<WebhookEvent> events;  // filled by mutations, delivered by the caller after the response
};

class AdminApi {
  public:
    // Builds the schema from the embedded SDL; throws std::logic_error if the SDL does not build.
    AdminApi();
    const graphql::Schema& schema() const { return *schema_; }
    static std::string_view sdl();

  private:
    graphql::SchemaPtr schema_;
};

// gid://shopify/{type}/{id}
std::string gid(std::string_view type, Id id);
// The numeric id of a gid of `type` ("gid://shopify/Order/5" -> 5; query parameters after '?' ignored).
std::optional<Id> parse_gid(std::string_view gid, std::string_view type);
// The type name of a gid, empty when `gid` is not one.
std::string_view gid_type(std::string_view gid);

// The scope an Admin API field needs on the root types (nullopt: none).
std::optional<std::string_view> required_scope(std::string_view root_field);

}  // namespace alatar::shopify_sim
