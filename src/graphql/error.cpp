#include "graphql/error.hpp"

namespace alatar::graphql {

boost::json::object GraphQLError::to_json() const {
    // graphql-js's GraphQLError.toJSON(): message, then locations, path and extensions when present.
    boost::json::object out;
    out["message"] = message;
    if (!locations.empty()) {
        boost::json::array list;
        list.reserve(locations.size());
        for (const SourceLocation& location : locations) {
            list.push_back(boost::json::object{{"line", location.line}, {"column", location.column}});
        }
        out["locations"] = std::move(list);
    }
    if (!path.empty()) out["path"] = path;
    if (!extensions.empty()) out["extensions"] = extensions;
    return out;
}

}  // namespace alatar::graphql
