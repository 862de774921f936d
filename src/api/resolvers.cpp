#include "api/resolvers.hpp"

#include <stdexcept>
#include <string>

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
    install_action_resolvers(schema);
}

}  // namespace alatar::api
