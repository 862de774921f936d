// Resolvers of the introspection types (graphql-js 17's type/introspection.ts semantics).
// Introspection objects travel through the executor as tiny JSON objects carrying a pointer
// to the schema element they describe: {"$t": Type*}, {"$f": FieldDefinition*},
// {"$i": InputValue*}, {"$e": EnumValue*}, {"$d": DirectiveDefinition*}; the schema itself is
// captured by the resolvers.
#include "graphql/introspection.hpp"

#include <cstdint>

namespace alatar::graphql {
namespace {

namespace json = boost::json;

template <class T>
json::value handle(std::string_view tag, const T* pointer) {
    if (pointer == nullptr) return nullptr;
    json::object object;
    object.emplace(tag, static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(pointer)));
    return object;
}

template <class T>
const T& unwrap(const ResolveInfo& info) {
    return *reinterpret_cast<const T*>(
        static_cast<std::uintptr_t>(info.source.get_object().begin()->value().get_uint64()));
}

json::value optional_string(const std::optional<std::string>& text) {
    return text ? json::value(json::string(*text)) : json::value(nullptr);
}

bool include_deprecated(const ResolveInfo& info) {
    const json::value* flag = info.args.if_contains("includeDeprecated");
    return flag != nullptr && flag->is_bool() && flag->get_bool();
}

const char* kind_name(TypeKind kind) {
    switch (kind) {
        case TypeKind::kScalar:
            return "SCALAR";
        case TypeKind::kObject:
            return "OBJECT";
        case TypeKind::kInterface:
            return "INTERFACE";
        case TypeKind::kUnion:
            return "UNION";
        case TypeKind::kEnum:
            return "ENUM";
        case TypeKind::kInputObject:
            return "INPUT_OBJECT";
        case TypeKind::kList:
            return "LIST";
        case TypeKind::kNonNull:
            return "NON_NULL";
    }
    return "SCALAR";
}

json::value input_values(const std::vector<InputValue>& values, bool with_deprecated) {
    json::array out;
    for (const InputValue& value : values) {
        if (with_deprecated || !value.deprecation_reason) out.emplace_back(handle("$i", &value));
    }
    return out;
}

void on(Schema& schema, std::string_view type, std::string_view field, SyncResolver resolver) {
    schema.set_resolver(type, field, FieldResolver{std::move(resolver), {}});
}

void install_schema_resolvers(Schema& schema) {
    const Schema* s = &schema;
    on(schema, "__Schema", "description", [s](const ResolveInfo&) -> json::value {
        auto description = s->description();
        return description ? json::value(json::string(*description)) : json::value(nullptr);
    });
    on(schema, "__Schema", "types", [s](const ResolveInfo&) -> json::value {
        json::array out;
        out.reserve(s->types().size());
        for (const Type* type : s->types()) out.emplace_back(handle("$t", type));
        return out;
    });
    on(schema, "__Schema", "queryType", [s](const ResolveInfo&) { return handle("$t", s->query_type()); });
    on(schema, "__Schema", "mutationType", [s](const ResolveInfo&) { return handle("$t", s->mutation_type()); });
    on(schema, "__Schema", "subscriptionType",
       [s](const ResolveInfo&) { return handle("$t", s->subscription_type()); });
    on(schema, "__Schema", "directives", [s](const ResolveInfo&) -> json::value {
        json::array out;
        for (const DirectiveDefinition& directive : s->directives()) out.emplace_back(handle("$d", &directive));
        return out;
    });
}

void install_type_resolvers(Schema& schema) {
    const Schema* s = &schema;
    on(schema, "__Type", "kind",
       [](const ResolveInfo& info) -> json::value { return json::string(kind_name(unwrap<Type>(info).kind)); });
    on(schema, "__Type", "name", [](const ResolveInfo& info) -> json::value {
        const Type& type = unwrap<Type>(info);
        return type.is_wrapper() ? json::value(nullptr) : json::value(json::string(type.name));
    });
    on(schema, "__Type", "description",
       [](const ResolveInfo& info) { return optional_string(unwrap<Type>(info).description); });
    on(schema, "__Type", "specifiedByURL",
       [](const ResolveInfo& info) { return optional_string(unwrap<Type>(info).specified_by_url); });
    on(schema, "__Type", "fields", [](const ResolveInfo& info) -> json::value {
        const Type& type = unwrap<Type>(info);
        if (type.kind != TypeKind::kObject && type.kind != TypeKind::kInterface) return nullptr;
        const bool with_deprecated = include_deprecated(info);
        json::array out;
        for (const FieldDefinition& field : type.fields) {
            if (with_deprecated || !field.deprecation_reason) out.emplace_back(handle("$f", &field));
        }
        return out;
    });
    on(schema, "__Type", "interfaces", [](const ResolveInfo& info) -> json::value {
        const Type& type = unwrap<Type>(info);
        if (type.kind != TypeKind::kObject && type.kind != TypeKind::kInterface) return nullptr;
        json::array out;
        for (const Type* interface : type.interfaces) out.emplace_back(handle("$t", interface));
        return out;
    });
    on(schema, "__Type", "possibleTypes", [s](const ResolveInfo& info) -> json::value {
        const Type& type = unwrap<Type>(info);
        if (!type.is_abstract()) return nullptr;
        json::array out;
        for (const Type* possible : s->possible_types(type)) out.emplace_back(handle("$t", possible));
        return out;
    });
    on(schema, "__Type", "enumValues", [](const ResolveInfo& info) -> json::value {
        const Type& type = unwrap<Type>(info);
        if (type.kind != TypeKind::kEnum) return nullptr;
        const bool with_deprecated = include_deprecated(info);
        json::array out;
        for (const EnumValue& value : type.enum_values) {
            if (with_deprecated || !value.deprecation_reason) out.emplace_back(handle("$e", &value));
        }
        return out;
    });
    on(schema, "__Type", "inputFields", [](const ResolveInfo& info) -> json::value {
        const Type& type = unwrap<Type>(info);
        if (type.kind != TypeKind::kInputObject) return nullptr;
        return input_values(type.input_fields, include_deprecated(info));
    });
    on(schema, "__Type", "ofType", [](const ResolveInfo& info) { return handle("$t", unwrap<Type>(info).of_type); });
    on(schema, "__Type", "isOneOf", [](const ResolveInfo& info) -> json::value {
        const Type& type = unwrap<Type>(info);
        return type.kind == TypeKind::kInputObject ? json::value(type.one_of) : json::value(nullptr);
    });
}

void install_member_resolvers(Schema& schema) {
    on(schema, "__Field", "name",
       [](const ResolveInfo& info) -> json::value { return json::string(unwrap<FieldDefinition>(info).name); });
    on(schema, "__Field", "description",
       [](const ResolveInfo& info) { return optional_string(unwrap<FieldDefinition>(info).description); });
    on(schema, "__Field", "args", [](const ResolveInfo& info) {
        return input_values(unwrap<FieldDefinition>(info).args, include_deprecated(info));
    });
    on(schema, "__Field", "type",
       [](const ResolveInfo& info) { return handle("$t", unwrap<FieldDefinition>(info).type); });
    on(schema, "__Field", "isDeprecated", [](const ResolveInfo& info) -> json::value {
        return unwrap<FieldDefinition>(info).deprecation_reason.has_value();
    });
    on(schema, "__Field", "deprecationReason",
       [](const ResolveInfo& info) { return optional_string(unwrap<FieldDefinition>(info).deprecation_reason); });

    on(schema, "__InputValue", "name",
       [](const ResolveInfo& info) -> json::value { return json::string(unwrap<InputValue>(info).name); });
    on(schema, "__InputValue", "description",
       [](const ResolveInfo& info) { return optional_string(unwrap<InputValue>(info).description); });
    on(schema, "__InputValue", "type",
       [](const ResolveInfo& info) { return handle("$t", unwrap<InputValue>(info).type); });
    on(schema, "__InputValue", "defaultValue", [](const ResolveInfo& info) -> json::value {
        const InputValue& value = unwrap<InputValue>(info);
        if (value.default_value_ast == nullptr) return nullptr;
        return json::string(print_value(*value.default_value_ast));
    });
    on(schema, "__InputValue", "isDeprecated",
       [](const ResolveInfo& info) -> json::value { return unwrap<InputValue>(info).deprecation_reason.has_value(); });
    on(schema, "__InputValue", "deprecationReason",
       [](const ResolveInfo& info) { return optional_string(unwrap<InputValue>(info).deprecation_reason); });

    on(schema, "__EnumValue", "name",
       [](const ResolveInfo& info) -> json::value { return json::string(unwrap<EnumValue>(info).name); });
    on(schema, "__EnumValue", "description",
       [](const ResolveInfo& info) { return optional_string(unwrap<EnumValue>(info).description); });
    on(schema, "__EnumValue", "isDeprecated",
       [](const ResolveInfo& info) -> json::value { return unwrap<EnumValue>(info).deprecation_reason.has_value(); });
    on(schema, "__EnumValue", "deprecationReason",
       [](const ResolveInfo& info) { return optional_string(unwrap<EnumValue>(info).deprecation_reason); });

    on(schema, "__Directive", "name",
       [](const ResolveInfo& info) -> json::value { return json::string(unwrap<DirectiveDefinition>(info).name); });
    on(schema, "__Directive", "description",
       [](const ResolveInfo& info) { return optional_string(unwrap<DirectiveDefinition>(info).description); });
    on(schema, "__Directive", "isRepeatable",
       [](const ResolveInfo& info) -> json::value { return unwrap<DirectiveDefinition>(info).repeatable; });
    on(schema, "__Directive", "locations", [](const ResolveInfo& info) -> json::value {
        json::array out;
        for (const std::string& location : unwrap<DirectiveDefinition>(info).locations) {
            out.emplace_back(json::string(location));
        }
        return out;
    });
    on(schema, "__Directive", "args", [](const ResolveInfo& info) {
        return input_values(unwrap<DirectiveDefinition>(info).args, include_deprecated(info));
    });
    // Directive definitions cannot carry @deprecated in SDL.
    on(schema, "__Directive", "isDeprecated", [](const ResolveInfo&) -> json::value { return false; });
    on(schema, "__Directive", "deprecationReason", [](const ResolveInfo&) -> json::value { return nullptr; });
}

void install_meta_fields(Schema& schema) {
    const Schema* s = &schema;
    const Type* schema_type = schema.type("__Schema");
    const Type* type_type = schema.type("__Type");
    const Type* string_type = schema.type("String");
    if (schema_type == nullptr || type_type == nullptr) return;

    FieldDefinition& schema_field = schema.schema_meta_field;
    schema_field.name = "__schema";
    schema_field.description = "Access the current type schema of this server.";
    schema_field.type = schema.non_null_of(schema_type);
    schema_field.resolver.sync = [](const ResolveInfo&) -> json::value { return json::object{}; };

    FieldDefinition& type_field = schema.type_meta_field;
    type_field.name = "__type";
    type_field.description = "Request the type information of a single type.";
    type_field.type = type_type;
    if (string_type != nullptr) {
        InputValue name_arg;
        name_arg.name = "name";
        name_arg.type = schema.non_null_of(string_type);
        type_field.args.push_back(std::move(name_arg));
    }
    type_field.resolver.sync = [s](const ResolveInfo& info) -> json::value {
        const json::value* name = info.args.if_contains("name");
        if (name == nullptr || !name->is_string()) return nullptr;
        return handle("$t", s->type(std::string_view(name->get_string().data(), name->get_string().size())));
    };
}

}  // namespace

void install_introspection(Schema& schema) {
    install_meta_fields(schema);
    install_schema_resolvers(schema);
    install_type_resolvers(schema);
    install_member_resolvers(schema);
}

const FieldDefinition* introspection_meta_field(const Schema& schema, std::string_view name) {
    const FieldDefinition* field = nullptr;
    if (name == "__schema") field = &schema.schema_meta_field;
    if (name == "__type") field = &schema.type_meta_field;
    return field != nullptr && field->type != nullptr ? field : nullptr;
}

std::string_view introspection_query() {
    // graphql-js 17's getIntrospectionQuery() with default options, character for character.
    static constexpr std::string_view kQuery =
        "\n    query IntrospectionQuery {\n      __schema {\n        \n        queryType { name kind }\n"
        "        mutationType { name kind }\n        subscriptionType { name kind }\n        types {\n"
        "          ...FullType\n        }\n        directives {\n          name\n          description\n"
        "          \n          \n          \n          locations\n          args {\n            ...InputValue\n"
        "          }\n        }\n      }\n    }\n\n    fragment FullType on __Type {\n      kind\n      name\n"
        "      description\n      \n      \n      fields(includeDeprecated: true) {\n        name\n"
        "        description\n        args {\n          ...InputValue\n        }\n        type {\n"
        "          ...TypeRef\n        }\n        isDeprecated\n        deprecationReason\n      }\n"
        "      inputFields {\n        ...InputValue\n      }\n      interfaces {\n        ...TypeRef\n      }\n"
        "      enumValues(includeDeprecated: true) {\n        name\n        description\n        isDeprecated\n"
        "        deprecationReason\n      }\n      possibleTypes {\n        ...TypeRef\n      }\n    }\n\n"
        "    fragment InputValue on __InputValue {\n      name\n      description\n      type { ...TypeRef }\n"
        "      defaultValue\n      \n      \n    }\n\n    fragment TypeRef on __Type {\n      kind\n      name\n"
        "      ofType {\n        name\n        kind\n        ofType {\n          name\n          kind\n"
        "          ofType {\n            name\n            kind\n            ofType {\n              name\n"
        "              kind\n              ofType {\n                name\n                kind\n"
        "                ofType {\n                  name\n                  kind\n                  ofType {\n"
        "                    name\n                    kind\n                    ofType {\n"
        "                      name\n                      kind\n                      ofType {\n"
        "                        name\n                        kind\n                      }\n"
        "                    }\n                  }\n                }\n              }\n            }\n"
        "          }\n        }\n      }\n    }\n  ";
    return kQuery;
}

}  // namespace alatar::graphql
