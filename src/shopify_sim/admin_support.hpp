#pragma once
// Shared pieces of the Admin API resolvers (admin_api.cpp, admin_mutations.cpp): entity JSON, money, scope
// checks, argument access. Internal to the simulator.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "graphql/error.hpp"
#include "graphql/resolver.hpp"
#include "graphql/schema.hpp"
#include "shopify_sim/admin_api.hpp"

namespace alatar::shopify_sim::admin {

namespace json = boost::json;

ApiContext& context(const graphql::ResolveInfo& info);
// Throws the ACCESS_DENIED field error unless the request's token grants `scope`.
void require_scope(const graphql::ResolveInfo& info, std::string_view scope);

// Argument access (absent and null are the same).
const json::value* arg(const graphql::ResolveInfo& info, std::string_view name);
std::optional<std::string> arg_string(const graphql::ResolveInfo& info, std::string_view name);
std::optional<std::int64_t> arg_int(const graphql::ResolveInfo& info, std::string_view name);
bool arg_bool(const graphql::ResolveInfo& info, std::string_view name, bool fallback);
// A member of an input object (absent and null are the same).
const json::value* member(const json::value* object, std::string_view name);
std::optional<std::string> member_string(const json::value* object, std::string_view name);
// A number given as a JSON number or a decimal string.
std::optional<double> as_double(const json::value* value);

// The "_i" index an entity JSON carries.
std::size_t source_index(const graphql::ResolveInfo& info, std::string_view key = "_i");

json::object money_v2(Cents cents, std::string_view currency);
json::object money_bag(Cents cents, std::string_view currency);

std::string format_time(Timestamp ts);
json::value optional_time(const std::optional<Timestamp>& ts);
json::array string_array(const std::vector<std::string>& items);

// Entity JSON: scalar fields eagerly, "__typename", and "_i" (and more "_" keys) for the resolvers of nested
// and computed fields.
json::object shop_json(const Store& store);
json::object order_json(const Store& store, std::size_t index);
json::object line_item_json(const Store& store, std::size_t order_index, std::size_t line_index);
json::object product_json(const Store& store, std::size_t index);
json::object variant_json(const Store& store, std::size_t index);
json::object inventory_item_json(const Store& store, std::size_t variant_index);
json::object inventory_level_json(const Store& store, std::size_t level_index);
json::object location_json(const Store& store, std::size_t index);
json::object customer_json(const Store& store, std::size_t index);
json::object discount_node_json(const Store& store, std::size_t index, Timestamp now);
json::object bulk_operation_json(const BulkOperationRecord& op);
json::object webhook_json(const WebhookSubscriptionRecord& hook);

// Index lookups by id (nullopt when absent).
std::optional<std::size_t> order_index(const Store& store, Id id);
std::optional<std::size_t> product_index(const Store& store, Id id);
std::optional<std::size_t> variant_index(const Store& store, Id id);
std::optional<std::size_t> variant_index_by_item(const Store& store, Id inventory_item_id);
std::optional<std::size_t> customer_index(const Store& store, Id id);
std::optional<std::size_t> location_index(const Store& store, Id id);
std::optional<std::size_t> discount_index(const Store& store, Id id);
std::optional<std::size_t> level_index(const Store& store, Id inventory_item_id, Id location_id);

// Sum of available units over the variant's inventory levels.
int variant_available(const Store& store, const Variant& variant);

// userErrors entries.
json::object user_error(std::initializer_list<std::string_view> field, std::string_view message);
json::object coded_user_error(std::initializer_list<std::string_view> field, std::string_view code,
                              std::string_view message);
json::object coded_user_error(const std::vector<std::string>& field, std::string_view code, std::string_view message);

// Webhook payloads (REST shapes, as Shopify sends them).
std::string order_webhook_body(const Store& store, const Order& order);
std::string product_webhook_body(const Store& store, const Product& product);
std::string shop_webhook_body(const Store& store);

void install_mutations(graphql::Schema& schema);

}  // namespace alatar::shopify_sim::admin
