#pragma once
// An estimate of a query's requested cost (reference §3.6) made before it is first sent, so the client can pace
// a document it has not seen yet instead of learning its cost from a THROTTLED answer. Once Shopify has answered
// the document, the client paces by the requested cost Shopify reported instead.
//
// The rules are Shopify's: scalars 0, objects 1, a connection 2 plus its page size with what its nodes select
// counted once per node, a mutation field 10, the most expensive alternative of inline fragments. Without the
// schema, a field is taken for a connection when it selects `nodes` or `edges` and has `first` or `last`; named
// fragment spreads are not followed (they count 0), so documents that use them are underestimated.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

namespace alatar::shopify {

// nullopt when the document cannot be read (the client then sends it unpaced, as before).
std::optional<std::int64_t> estimate_requested_cost(std::string_view document, const boost::json::object& variables);

}  // namespace alatar::shopify
