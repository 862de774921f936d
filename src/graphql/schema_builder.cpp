// build_schema: SDL -> Schema, following graphql-js 17's buildASTSchema + extendSchemaImpl +
// GraphQLSchema constructor (type map order included), then validateSDL and validateSchema.
#include <algorithm>
#include <unordered_set>

#include "graphql/builtins.hpp"
#include "graphql/coercion.hpp"
#include "graphql/introspection.hpp"
#include "graphql/parser.hpp"
#include "graphql/schema.hpp"
#include "graphql/schema_validation.hpp"

namespace alatar::graphql {

struct Schema::Builder {
    Schema& schema;
    std::unordered_map<std::string_view, Type*> all;  // every named type, referenced or not
    std::unordered_map<std::string_view, std::vector<const ast::Definition*>> extensions;
    std::vector<const ast::Definition*> schema_nodes;  // schema definition and extensions

    explicit Builder(Schema& target) : schema(target) {}

    void adopt(DocumentPtr document, DocumentPtr builtin_document) {
        schema.document_ = std::move(document);
        schema.builtin_document_ = std::move(builtin_document);
    }

    static std::optional<std::string> to_optional(const std::optional<std::string_view>& text) {
        if (!text) return std::nullopt;
        return std::string(*text);
    }

    static const ast::Directive* find_directive(const ast::List<const ast::Directive*>& directives,
                                                std::string_view name) {
        for (const ast::Directive* directive : directives) {
            if (directive->name.value == name) return directive;
        }
        return nullptr;
    }

    static std::optional<std::string> string_argument(const ast::Directive& directive, std::string_view name) {
        for (const ast::Argument& argument : directive.arguments) {
            if (argument.name.value == name && argument.value->kind == ast::ValueKind::kString) {
                return std::string(argument.value->text);
            }
        }
        return std::nullopt;
    }

    // graphql-js's getDeprecationReason: the reason, the default one, or none.
    static std::optional<std::string> deprecation_reason(const ast::List<const ast::Directive*>& directives) {
        const ast::Directive* deprecated = find_directive(directives, "deprecated");
        if (deprecated == nullptr) return std::nullopt;
        for (const ast::Argument& argument : deprecated->arguments) {
            if (argument.name.value == "reason" && argument.value->kind == ast::ValueKind::kString) {
                return std::string(argument.value->text);
            }
        }
        return std::string("No longer supported");
    }

    Type* create(TypeKind kind, std::string_view name) {
        auto type = std::make_unique<Type>();
        type->kind = kind;
        type->name = std::string(name);
        Type* raw = type.get();
        schema.owned_types_.push_back(std::move(type));
        return raw;
    }

    static TypeKind kind_of(ast::DefinitionKind kind) {
        switch (kind) {
            case ast::DefinitionKind::kObjectType:
                return TypeKind::kObject;
            case ast::DefinitionKind::kInterfaceType:
                return TypeKind::kInterface;
            case ast::DefinitionKind::kUnionType:
                return TypeKind::kUnion;
            case ast::DefinitionKind::kEnumType:
                return TypeKind::kEnum;
            case ast::DefinitionKind::kInputObjectType:
                return TypeKind::kInputObject;
            default:
                return TypeKind::kScalar;
        }
    }

    static bool is_type_definition(const ast::Definition& definition) {
        switch (definition.kind) {
            case ast::DefinitionKind::kScalarType:
            case ast::DefinitionKind::kObjectType:
            case ast::DefinitionKind::kInterfaceType:
            case ast::DefinitionKind::kUnionType:
            case ast::DefinitionKind::kEnumType:
            case ast::DefinitionKind::kInputObjectType:
                return true;
            default:
                return false;
        }
    }

    // Creates the named types a document defines (the first definition of each name wins;
    // duplicates were reported by SDL validation). Returns them in document order.
    std::vector<Type*> declare_types(const Document& document, bool builtin) {
        std::vector<Type*> declared;
        for (const ast::Definition* definition : document.definitions()) {
            if (!is_type_definition(*definition)) continue;
            const std::string_view name = definition->name->value;
            if (definition->is_extension) {
                extensions[name].push_back(definition);
                continue;
            }
            if (!builtin) {
                // As extendSchemaImpl: a standard type name always means the standard type.
                if (builtins::is_specified_scalar(name) || builtins::is_introspection_type(name)) {
                    const auto it = all.find(name);
                    if (it != all.end()) declared.push_back(it->second);
                    continue;
                }
                if (all.contains(name)) continue;
            }
            Type* type = create(kind_of(definition->kind), name);
            type->ast_nodes.push_back(definition);
            all.emplace(type->name, type);
            declared.push_back(type);
        }
        return declared;
    }

    const Type* resolve(const ast::Type& reference) {
        switch (reference.kind) {
            case ast::TypeKind::kNamed: {
                const auto it = all.find(reference.name.value);
                return it == all.end() ? nullptr : it->second;
            }
            case ast::TypeKind::kList: {
                const Type* inner = resolve(*reference.of);
                return inner == nullptr ? nullptr : schema.list_of(inner);
            }
            case ast::TypeKind::kNonNull: {
                const Type* inner = resolve(*reference.of);
                return inner == nullptr ? nullptr : schema.non_null_of(inner);
            }
        }
        return nullptr;
    }

    const Type* resolve_name(const ast::Name& name) {
        const auto it = all.find(name.value);
        return it == all.end() ? nullptr : it->second;
    }

    InputValue build_input_value(const ast::InputValueDefinition& node) {
        InputValue value;
        value.name = std::string(node.name.value);
        value.description = to_optional(node.description);
        value.type = resolve(*node.type);
        value.default_value_ast = node.default_value;
        value.deprecation_reason = deprecation_reason(node.directives);
        value.ast = &node;
        return value;
    }

    // Fills a type from its definition and every extension, in document order.
    void fill(Type& type) {
        if (type.ast_nodes.empty()) return;
        const auto extension_nodes = extensions.find(type.name);
        if (extension_nodes != extensions.end()) {
            for (const ast::Definition* extension : extension_nodes->second) {
                // Extensions of another kind were reported by SDL validation.
                if (kind_of(extension->kind) == type.kind) type.ast_nodes.push_back(extension);
            }
        }
        type.description = to_optional(type.ast_nodes.front()->description);
        for (const ast::Definition* node : type.ast_nodes) {
            for (const ast::Name& name : node->interfaces) {
                if (const Type* resolved = resolve_name(name)) type.interfaces.push_back(resolved);
            }
            for (const ast::FieldDefinition* field_node : node->fields) {
                FieldDefinition field;
                field.name = std::string(field_node->name.value);
                field.description = to_optional(field_node->description);
                for (const ast::InputValueDefinition* arg : field_node->arguments) {
                    field.args.push_back(build_input_value(*arg));
                }
                field.type = resolve(*field_node->type);
                field.deprecation_reason = deprecation_reason(field_node->directives);
                field.ast = field_node;
                type.fields.push_back(std::move(field));
            }
            for (const ast::Name& name : node->union_members) {
                if (const Type* resolved = resolve_name(name)) type.members.push_back(resolved);
            }
            for (const ast::EnumValueDefinition* value_node : node->enum_values) {
                EnumValue value;
                value.name = std::string(value_node->name.value);
                value.description = to_optional(value_node->description);
                value.deprecation_reason = deprecation_reason(value_node->directives);
                type.enum_values.push_back(std::move(value));
            }
            for (const ast::InputValueDefinition* field_node : node->input_fields) {
                type.input_fields.push_back(build_input_value(*field_node));
            }
            if (type.kind == TypeKind::kScalar && !type.specified_by_url) {
                if (const ast::Directive* specified_by = find_directive(node->directives, "specifiedBy")) {
                    type.specified_by_url = string_argument(*specified_by, "url");
                }
            }
            if (type.kind == TypeKind::kInputObject && find_directive(node->directives, "oneOf") != nullptr) {
                type.one_of = true;
            }
        }
        // Fields with unknown types were reported; keep the schema consistent without them.
        std::erase_if(type.fields, [](const FieldDefinition& field) { return field.type == nullptr; });
        for (FieldDefinition& field : type.fields) {
            std::erase_if(field.args, [](const InputValue& arg) { return arg.type == nullptr; });
        }
        std::erase_if(type.input_fields, [](const InputValue& field) { return field.type == nullptr; });
    }

    DirectiveDefinition build_directive(const ast::Definition& node, bool builtin) {
        DirectiveDefinition directive;
        directive.name = std::string(node.name->value);
        directive.description = to_optional(node.description);
        for (const ast::InputValueDefinition* arg : node.input_fields) {
            InputValue value = build_input_value(*arg);
            if (value.type != nullptr) directive.args.push_back(std::move(value));
        }
        directive.repeatable = node.repeatable;
        for (const ast::Name& location : node.directive_locations) directive.locations.emplace_back(location.value);
        directive.ast = &node;
        directive.is_builtin = builtin;
        directive.deprecation_reason = deprecation_reason(node.directives);
        return directive;
    }

    // graphql-js's collectReferencedTypes: appends `type`'s named type and, depth first, every
    // type it references that is not known yet.
    void collect(const Type* type, std::unordered_set<const Type*>& known, std::vector<const Type*>& order) {
        const Type* named = &type->named();
        if (!known.insert(named).second) return;
        order.push_back(named);
        collect_references(named, known, order);
    }

    void collect_references(const Type* named, std::unordered_set<const Type*>& known,
                            std::vector<const Type*>& order) {
        if (named->kind == TypeKind::kUnion) {
            for (const Type* member : named->members) collect(member, known, order);
        } else if (named->kind == TypeKind::kObject || named->kind == TypeKind::kInterface) {
            for (const Type* interface : named->interfaces) collect(interface, known, order);
            for (const FieldDefinition& field : named->fields) {
                collect(field.type, known, order);
                for (const InputValue& arg : field.args) collect(arg.type, known, order);
            }
        } else if (named->kind == TypeKind::kInputObject) {
            for (const InputValue& field : named->input_fields) collect(field.type, known, order);
        }
    }

    void build(const Document& builtin_document, const Document& document) {
        // Built-in scalars and introspection types first, so the SDL's references resolve to them.
        const std::vector<Type*> builtin_types = declare_types(builtin_document, true);
        const std::vector<Type*> declared = declare_types(document, false);
        for (Type* type : builtin_types) {
            fill(*type);
            if (type->kind == TypeKind::kScalar) type->scalar = builtins::scalar_hooks(type->name);
        }
        for (Type* type : declared) {
            if (builtins::is_specified_scalar(type->name) || builtins::is_introspection_type(type->name)) continue;
            fill(*type);
            if (type->kind == TypeKind::kScalar) type->scalar = builtins::scalar_hooks(type->name);
        }

        // Directives: the document's, then the specified ones it does not redefine.
        for (const ast::Definition* definition : document.definitions()) {
            if (definition->kind == ast::DefinitionKind::kDirective && !definition->is_extension &&
                schema.directive(definition->name->value) == nullptr) {
                schema.directives_.push_back(build_directive(*definition, false));
            }
        }
        for (const ast::Definition* definition : builtin_document.definitions()) {
            if (definition->kind == ast::DefinitionKind::kDirective &&
                schema.directive(definition->name->value) == nullptr) {
                schema.directives_.push_back(build_directive(*definition, true));
            }
        }

        // Root operation types: from the schema definition and its extensions, else by name.
        bool has_schema_definition = false;
        for (const ast::Definition* definition : document.definitions()) {
            if (definition->kind != ast::DefinitionKind::kSchema) continue;
            schema_nodes.push_back(definition);
            if (!definition->is_extension) {
                has_schema_definition = true;
                schema.description_ = to_optional(definition->description);
            }
            for (const ast::RootOperationTypeDefinition& root : definition->root_operation_types) {
                const Type* type = resolve_name(root.type);
                switch (root.operation) {
                    case ast::OperationType::kQuery:
                        schema.query_ = type;
                        break;
                    case ast::OperationType::kMutation:
                        schema.mutation_ = type;
                        break;
                    case ast::OperationType::kSubscription:
                        schema.subscription_ = type;
                        break;
                }
            }
        }
        if (!has_schema_definition) {
            for (const Type* type : declared) {
                if (type->name == "Query") schema.query_ = type;
                if (type->name == "Mutation") schema.mutation_ = type;
                if (type->name == "Subscription") schema.subscription_ = type;
            }
        }

        // The type map, in the order graphql-js's GraphQLSchema constructor builds it.
        std::unordered_set<const Type*> known(declared.begin(), declared.end());
        std::vector<const Type*> order;
        for (const Type* type : declared) {
            // Each listed type moves to the end, followed by the built-ins it first references.
            order.push_back(type);
            collect_references(type, known, order);
        }
        for (const Type* root : {schema.query_, schema.mutation_, schema.subscription_}) {
            if (root != nullptr) collect(root, known, order);
        }
        for (const DirectiveDefinition& directive : schema.directives_) {
            for (const InputValue& arg : directive.args) collect(arg.type, known, order);
        }
        collect(all.at("__Schema"), known, order);
        schema.type_order_ = std::move(order);
        for (const Type* type : schema.type_order_) {
            Type* mutable_type = all.at(type->name);
            schema.types_by_name_.emplace(mutable_type->name, mutable_type);
            for (std::size_t i = 0; i < mutable_type->fields.size(); ++i) {
                mutable_type->field_index_.emplace(mutable_type->fields[i].name, i);
            }
            if (type->kind == TypeKind::kObject) {
                for (const Type* interface : type->interfaces) {
                    if (interface->kind == TypeKind::kInterface) schema.implementations_[interface].push_back(type);
                }
            }
        }
    }

    // Coerced default values, once every type is complete.
    void coerce_defaults() {
        const auto coerce = [](InputValue& value) {
            if (value.default_value_ast != nullptr && value.type != nullptr) {
                value.default_value = coerce_input_literal(*value.default_value_ast, *value.type, nullptr);
            }
        };
        for (const Type* type : schema.type_order_) {
            Type* mutable_type = all.at(type->name);
            for (FieldDefinition& field : mutable_type->fields) {
                for (InputValue& arg : field.args) coerce(arg);
            }
            for (InputValue& field : mutable_type->input_fields) coerce(field);
        }
        for (DirectiveDefinition& directive : schema.directives_) {
            for (InputValue& arg : directive.args) coerce(arg);
        }
    }
};

std::variant<SchemaPtr, Errors> build_schema(std::string sdl) {
    auto parsed = parse(std::move(sdl));
    if (auto* error = std::get_if<GraphQLError>(&parsed)) return Errors{std::move(*error)};
    DocumentPtr document = std::get<DocumentPtr>(std::move(parsed));

    Errors sdl_errors = validate_sdl(*document);
    if (!sdl_errors.empty()) return sdl_errors;

    auto builtin_parsed = parse(std::string(builtins::definitions_sdl()));
    DocumentPtr builtin_document = std::get<DocumentPtr>(std::move(builtin_parsed));

    auto schema = std::make_shared<Schema>();
    Schema::Builder builder(*schema);
    builder.adopt(document, builtin_document);
    builder.build(*builtin_document, *document);

    Errors errors = validate_schema(*schema, builder.schema_nodes);
    if (!errors.empty()) return errors;
    builder.coerce_defaults();
    install_introspection(*schema);
    return schema;
}

}  // namespace alatar::graphql
