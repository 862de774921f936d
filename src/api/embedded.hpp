#pragma once
// Files compiled into the binary so `alatar api` works from any directory.
#include <string_view>

namespace alatar::api::embedded {
extern const std::string_view kSchemaSdl;       // schema/alatar.graphql
extern const std::string_view kGraphiqlHtml;    // src/api/graphiql.html
extern const std::string_view kGraphiqlInitJs;  // src/api/graphiql_init.js
}  // namespace alatar::api::embedded
