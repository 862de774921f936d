#pragma once
// Builds query_cost.hpp's CostSelection tree from a parsed, validated operation: fields returning a *Connection
// type are connections sized by their first/last argument (literal or variable), other composite fields are
// objects, leaves are free, and fragments on another type than their parent become alternatives.
#include <boost/json/object.hpp>

#include "graphql/ast.hpp"
#include "graphql/schema.hpp"
#include "shopify_sim/query_cost.hpp"

namespace alatar::shopify_sim {

CostOperation cost_operation(const graphql::Schema& schema, const graphql::Document& document,
                             const graphql::ast::Definition& operation, const boost::json::object& variables);

// Depth of nested connections (a root connection is 1) and their number, for the bulk operation limits.
struct ConnectionShape {
    int connections = 0;
    int max_depth = 0;
    bool parents_select_id = true;    // every node with a nested connection selects `id`
    bool connection_in_list = false;  // a connection selected inside a list field
};
ConnectionShape connection_shape(const CostOperation& operation);

// What a connection's nodes select (under edges { node { ... } } or nodes { ... }).
const std::vector<CostSelection>* node_selections(const CostSelection& connection);

}  // namespace alatar::shopify_sim
