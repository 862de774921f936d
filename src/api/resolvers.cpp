#include "api/resolvers.hpp"

#include <stdexcept>
#include <string>

#include "api/errors.hpp"
#include "common/error.hpp"

namespace alatar::api {

namespace detail {
void set(graphql::Schema& schema, std::string_view type, std::string_view field, graphql::FieldResolver resolver) {
    if (!schema.set_resolver(type, field, std::move(resolver))) {
        throw std::logic_error("schema has no field " + std::string(type) + "." + std::string(field));
    }
}
}  // namespace detail

void install_resolvers(graphql::Schema& schema) {
    install_account_resolvers(schema);
    install_analysis_resolvers(schema);
    install_identity_resolvers(schema);
    // Deciding on proposals belongs to the actions area; until it installs its resolvers these fields answer
    // with an explicit error instead of a null in a non-null position.
    for (const auto* field : {"approveActionProposal", "rejectActionProposal"}) {
        graphql::FieldResolver r;
        r.sync = [name = std::string(field)](const graphql::ResolveInfo&) -> boost::json::value {
            throw Error(ErrorCode::kUpstreamUnavailable, name + " is not available on this server yet.");
        };
        detail::set(schema, "Mutation", field, std::move(r));
    }
}

}  // namespace alatar::api
