#pragma once
// Small helpers several rules share.
#include <string>
#include <string_view>

#include "graphql/schema.hpp"

namespace alatar::graphql::validation {

inline bool has_default(const InputValue& value) {
    return value.default_value_ast != nullptr || value.default_value.has_value();
}

// graphql-js isRequiredArgument / isRequiredInputField.
inline bool is_required(const InputValue& value) {
    return value.type != nullptr && value.type->is_non_null() && !has_default(value);
}

// Concatenates pieces into one message without intermediate temporaries.
template <class... Parts>
std::string concat(const Parts&... parts) {
    std::string out;
    out.reserve((std::string_view(parts).size() + ...));
    (out.append(std::string_view(parts)), ...);
    return out;
}

}  // namespace alatar::graphql::validation
