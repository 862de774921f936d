// graphql-js 17's validateSDL (specifiedSDLRules) and validateSchema, with its messages and
// node locations. SDL rules run in one document-order walk that calls each rule where
// graphql-js's parallel visitor would, so errors come out in the same order.
#include "graphql/schema_validation.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "graphql/builtins.hpp"
#include "graphql/coercion.hpp"
#include "graphql/suggestions.hpp"

namespace alatar::graphql {
namespace {

GraphQLError make_error(const Document& document, std::string message, std::initializer_list<std::uint32_t> offsets) {
    GraphQLError error;
    error.message = std::move(message);
    for (const std::uint32_t offset : offsets) error.locations.push_back(document.location(offset));
    return error;
}

// Joins message parts in one allocation.
std::string cat(std::initializer_list<std::string_view> parts) {
    std::size_t size = 0;
    for (const std::string_view part : parts) size += part.size();
    std::string out;
    out.reserve(size);
    for (const std::string_view part : parts) out += part;
    return out;
}

bool is_type_definition_kind(ast::DefinitionKind kind) {
    switch (kind) {
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

std::string_view kind_word(ast::DefinitionKind kind) {
    switch (kind) {
        case ast::DefinitionKind::kScalarType:
            return "scalar";
        case ast::DefinitionKind::kObjectType:
            return "object";
        case ast::DefinitionKind::kInterfaceType:
            return "interface";
        case ast::DefinitionKind::kUnionType:
            return "union";
        case ast::DefinitionKind::kEnumType:
            return "enum";
        case ast::DefinitionKind::kInputObjectType:
            return "input object";
        default:
            return "";
    }
}

std::string_view location_of(ast::DefinitionKind kind) {
    switch (kind) {
        case ast::DefinitionKind::kSchema:
            return "SCHEMA";
        case ast::DefinitionKind::kScalarType:
            return "SCALAR";
        case ast::DefinitionKind::kObjectType:
            return "OBJECT";
        case ast::DefinitionKind::kInterfaceType:
            return "INTERFACE";
        case ast::DefinitionKind::kUnionType:
            return "UNION";
        case ast::DefinitionKind::kEnumType:
            return "ENUM";
        case ast::DefinitionKind::kInputObjectType:
            return "INPUT_OBJECT";
        case ast::DefinitionKind::kDirective:
            return "DIRECTIVE_DEFINITION";
        default:
            return "";
    }
}

std::string_view operation_word(ast::OperationType operation) {
    switch (operation) {
        case ast::OperationType::kQuery:
            return "query";
        case ast::OperationType::kMutation:
            return "mutation";
        case ast::OperationType::kSubscription:
            return "subscription";
    }
    return "";
}

// ---- validateSDL -----------------------------------------------------------------------------

class SdlValidator {
  public:
    explicit SdlValidator(const Document& document) : document_(document) {
        // What the specified directives accept, then what the document defines.
        add_directive("include", {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"}, {{"if", "Boolean!"}}, false);
        add_directive("skip", {"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"}, {{"if", "Boolean!"}}, false);
        add_directive(
            "deprecated",
            {"FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE", "DIRECTIVE_DEFINITION"},
            {{"reason", ""}}, false);
        add_directive("specifiedBy", {"SCALAR"}, {{"url", "String!"}}, false);
        add_directive("oneOf", {"INPUT_OBJECT"}, {}, false);
        for (const ast::Definition* definition : document.definitions()) {
            if (is_type_definition_kind(definition->kind) && !definition->is_extension) {
                defined_types_[definition->name->value] = definition;
                if (std::find(type_names_.begin(), type_names_.end(), definition->name->value) == type_names_.end()) {
                    type_names_.push_back(definition->name->value);
                }
            }
            if (definition->kind == ast::DefinitionKind::kDirective && !definition->is_extension) {
                DirectiveInfo info;
                for (const ast::Name& location : definition->directive_locations) info.locations.insert(location.value);
                for (const ast::InputValueDefinition* arg : definition->input_fields) {
                    const bool required = arg->type->kind == ast::TypeKind::kNonNull && arg->default_value == nullptr;
                    info.args.emplace_back(std::string(arg->name.value), required ? print_type(*arg->type) : "");
                }
                info.repeatable = definition->repeatable;
                directives_[std::string(definition->name->value)] = std::move(info);
            }
        }
    }

    Errors run() {
        for (const ast::Definition* definition : document_.definitions()) visit_definition(*definition);
        return std::move(errors_);
    }

  private:
    struct DirectiveInfo {
        std::unordered_set<std::string_view> locations;
        std::vector<std::pair<std::string, std::string>> args;  // name, type when required
        bool repeatable = false;
    };
    using SeenDirectives = std::unordered_map<std::string_view, const ast::Directive*>;

    void add_directive(std::string name, std::initializer_list<std::string_view> locations,
                       std::initializer_list<std::pair<std::string, std::string>> args, bool repeatable) {
        DirectiveInfo info;
        for (const std::string_view location : locations) info.locations.insert(location);
        info.args.assign(args.begin(), args.end());
        info.repeatable = repeatable;
        directives_[std::move(name)] = std::move(info);
    }

    void report(std::string message, std::initializer_list<std::uint32_t> offsets) {
        errors_.push_back(make_error(document_, std::move(message), offsets));
    }

    void visit_definition(const ast::Definition& definition) {
        switch (definition.kind) {
            case ast::DefinitionKind::kSchema:
                visit_schema(definition);
                return;
            case ast::DefinitionKind::kDirective:
                visit_directive_definition(definition);
                return;
            case ast::DefinitionKind::kOperation:
            case ast::DefinitionKind::kFragment:
                return;  // not part of a type system document's meaning
            default:
                visit_type(definition);
                return;
        }
    }

    void visit_schema(const ast::Definition& node) {
        if (!node.is_extension) {
            if (schema_definitions_ > 0) report("Must provide only one schema definition.", {node.offset});
            ++schema_definitions_;
        }
        for (const ast::RootOperationTypeDefinition& root : node.root_operation_types) {
            const auto [it, inserted] = operation_types_.try_emplace(root.operation, root.offset);
            if (!inserted) {
                report("There can be only one " + std::string(operation_word(root.operation)) + " type in schema.",
                       {it->second, root.offset});
            }
        }
        check_unique_directives(node.directives, schema_directives_);
        visit_directives(node.directives, "SCHEMA");
        for (const ast::RootOperationTypeDefinition& root : node.root_operation_types) visit_named_type(root.type);
    }

    void visit_type(const ast::Definition& node) {
        const std::string_view type_name = node.name->value;
        // UniqueTypeNames
        if (!node.is_extension) {
            const auto [it, inserted] = seen_type_names_.try_emplace(type_name, node.name->offset);
            if (!inserted) {
                report("There can be only one type named \"" + std::string(type_name) + "\".",
                       {it->second, node.name->offset});
            }
        }
        // UniqueEnumValueNames
        if (node.kind == ast::DefinitionKind::kEnumType) {
            auto& known = enum_values_[type_name];
            for (const ast::EnumValueDefinition* value : node.enum_values) {
                const auto [it, inserted] = known.try_emplace(value->name.value, value->name.offset);
                if (!inserted) {
                    report("Enum value \"" + std::string(type_name) + "." + std::string(value->name.value) +
                               "\" can only be defined once.",
                           {it->second, value->name.offset});
                }
            }
        }
        // UniqueFieldDefinitionNames
        if (node.kind == ast::DefinitionKind::kObjectType || node.kind == ast::DefinitionKind::kInterfaceType ||
            node.kind == ast::DefinitionKind::kInputObjectType) {
            auto& known = field_names_[type_name];
            const auto check = [&](const ast::Name& name) {
                const auto [it, inserted] = known.try_emplace(name.value, name.offset);
                if (!inserted) {
                    report("Field \"" + std::string(type_name) + "." + std::string(name.value) +
                               "\" can only be defined once.",
                           {it->second, name.offset});
                }
            };
            for (const ast::FieldDefinition* field : node.fields) check(field->name);
            for (const ast::InputValueDefinition* field : node.input_fields) check(field->name);
        }
        // UniqueArgumentDefinitionNames
        if (node.kind == ast::DefinitionKind::kObjectType || node.kind == ast::DefinitionKind::kInterfaceType) {
            for (const ast::FieldDefinition* field : node.fields) {
                check_unique_argument_definitions(std::string(type_name) + "." + std::string(field->name.value),
                                                  field->arguments);
            }
        }
        // UniqueDirectivesPerLocation
        check_unique_directives(node.directives, type_directives_[type_name]);
        // PossibleTypeExtensions
        if (node.is_extension) check_extension(node);

        // Children in graphql-js's visiting order.
        if (node.kind == ast::DefinitionKind::kObjectType || node.kind == ast::DefinitionKind::kInterfaceType) {
            for (const ast::Name& interface : node.interfaces) visit_named_type(interface);
        }
        visit_directives(node.directives, location_of(node.kind));
        for (const ast::FieldDefinition* field : node.fields) {
            SeenDirectives seen;
            check_unique_directives(field->directives, seen);
            for (const ast::InputValueDefinition* arg : field->arguments) {
                visit_input_value(*arg, "ARGUMENT_DEFINITION");
            }
            visit_type_reference(*field->type);
            visit_directives(field->directives, "FIELD_DEFINITION");
        }
        for (const ast::Name& member : node.union_members) visit_named_type(member);
        for (const ast::EnumValueDefinition* value : node.enum_values) {
            SeenDirectives seen;
            check_unique_directives(value->directives, seen);
            visit_directives(value->directives, "ENUM_VALUE");
        }
        for (const ast::InputValueDefinition* field : node.input_fields) {
            visit_input_value(*field, "INPUT_FIELD_DEFINITION");
        }
    }

    void visit_directive_definition(const ast::Definition& node) {
        const std::string_view name = node.name->value;
        if (!node.is_extension) {
            check_unique_argument_definitions("@" + std::string(name), node.input_fields);
            const auto [it, inserted] = seen_directive_names_.try_emplace(name, node.name->offset);
            if (!inserted) {
                report("There can be only one directive named \"@" + std::string(name) + "\".",
                       {it->second, node.name->offset});
            }
        }
        check_unique_directives(node.directives, directive_directives_[name]);
        for (const ast::InputValueDefinition* arg : node.input_fields) visit_input_value(*arg, "ARGUMENT_DEFINITION");
        visit_directives(node.directives, "DIRECTIVE_DEFINITION");
    }

    void visit_input_value(const ast::InputValueDefinition& node, std::string_view location) {
        SeenDirectives seen;
        check_unique_directives(node.directives, seen);
        visit_type_reference(*node.type);
        if (node.default_value != nullptr) visit_value(*node.default_value);
        visit_directives(node.directives, location);
    }

    void visit_type_reference(const ast::Type& type) {
        if (type.kind == ast::TypeKind::kNamed) {
            visit_named_type(type.name);
        } else {
            visit_type_reference(*type.of);
        }
    }

    // KnownTypeNames (every named type here sits in a type-system definition).
    void visit_named_type(const ast::Name& name) {
        if (defined_types_.contains(name.value)) return;
        if (builtins::is_specified_scalar(name.value) || builtins::is_introspection_type(name.value)) return;
        std::vector<std::string_view> options = {"String",    "Int",      "Float",        "Boolean",
                                                 "ID",        "__Schema", "__Directive",  "__DirectiveLocation",
                                                 "__Type",    "__Field",  "__InputValue", "__EnumValue",
                                                 "__TypeKind"};
        options.insert(options.end(), type_names_.begin(), type_names_.end());
        const auto suggestions = suggestion_list(name.value, options);
        report("Unknown type \"" + std::string(name.value) + "\"." + did_you_mean(suggestions), {name.offset});
    }

    void visit_directives(const ast::List<const ast::Directive*>& directives, std::string_view location) {
        for (const ast::Directive* directive : directives) visit_directive(*directive, location);
    }

    void visit_directive(const ast::Directive& node, std::string_view location) {
        const std::string name(node.name.value);
        const auto it = directives_.find(name);
        // KnownDirectives
        if (it == directives_.end()) {
            report("Unknown directive \"@" + name + "\".", {node.offset});
        } else if (!it->second.locations.contains(location)) {
            report("Directive \"@" + name + "\" may not be used on " + std::string(location) + ".", {node.offset});
        }
        // KnownArgumentNamesOnDirectives
        if (it != directives_.end()) {
            std::vector<std::string_view> known;
            for (const auto& arg : it->second.args) known.emplace_back(arg.first);
            for (const ast::Argument& argument : node.arguments) {
                if (std::find(known.begin(), known.end(), argument.name.value) != known.end()) continue;
                report("Unknown argument \"" + std::string(argument.name.value) + "\" on directive \"@" + name + "\"." +
                           did_you_mean(suggestion_list(argument.name.value, known)),
                       {argument.name.offset});
            }
        }
        // UniqueArgumentNames
        std::vector<std::string_view> order;
        std::map<std::string_view, std::vector<std::uint32_t>> groups;
        for (const ast::Argument& argument : node.arguments) {
            auto& offsets = groups[argument.name.value];
            if (offsets.empty()) order.push_back(argument.name.value);
            offsets.push_back(argument.name.offset);
        }
        for (const std::string_view arg_name : order) {
            const auto& offsets = groups[arg_name];
            if (offsets.size() < 2) continue;
            GraphQLError error;
            error.message = "There can be only one argument named \"" + std::string(arg_name) + "\".";
            for (const std::uint32_t offset : offsets) error.locations.push_back(document_.location(offset));
            errors_.push_back(std::move(error));
        }
        for (const ast::Argument& argument : node.arguments) visit_value(*argument.value);
        // ProvidedRequiredArgumentsOnDirectives (on leaving the directive)
        if (it != directives_.end()) {
            for (const auto& required : it->second.args) {
                if (required.second.empty()) continue;
                const std::string& arg_name = required.first;
                const bool provided = std::any_of(node.arguments.begin(), node.arguments.end(),
                                                  [&](const ast::Argument& a) { return a.name.value == arg_name; });
                if (!provided) {
                    report(cat({"Argument \"@", name, "(", arg_name, ":)\" of type \"", required.second,
                                "\" is required, but it was not provided."}),
                           {node.offset});
                }
            }
        }
    }

    // UniqueInputFieldNames inside constant values.
    void visit_value(const ast::Value& value) {
        if (value.kind == ast::ValueKind::kList) {
            for (const ast::Value* item : value.list) visit_value(*item);
        } else if (value.kind == ast::ValueKind::kObject) {
            std::unordered_map<std::string_view, std::uint32_t> known;
            for (const ast::ObjectField& field : value.fields) {
                const auto [it, inserted] = known.try_emplace(field.name.value, field.name.offset);
                if (!inserted) {
                    report("There can be only one input field named \"" + std::string(field.name.value) + "\".",
                           {it->second, field.name.offset});
                }
                visit_value(*field.value);
            }
        }
    }

    void check_unique_argument_definitions(const std::string& parent,
                                           const ast::List<const ast::InputValueDefinition*>& arguments) {
        std::vector<std::string_view> order;
        std::map<std::string_view, std::vector<std::uint32_t>> groups;
        for (const ast::InputValueDefinition* arg : arguments) {
            auto& offsets = groups[arg->name.value];
            if (offsets.empty()) order.push_back(arg->name.value);
            offsets.push_back(arg->name.offset);
        }
        for (const std::string_view arg_name : order) {
            const auto& offsets = groups[arg_name];
            if (offsets.size() < 2) continue;
            GraphQLError error;
            error.message = "Argument \"" + parent + "(" + std::string(arg_name) + ":)\" can only be defined once.";
            for (const std::uint32_t offset : offsets) error.locations.push_back(document_.location(offset));
            errors_.push_back(std::move(error));
        }
    }

    void check_unique_directives(const ast::List<const ast::Directive*>& directives, SeenDirectives& seen) {
        for (const ast::Directive* directive : directives) {
            const auto it = directives_.find(std::string(directive->name.value));
            if (it == directives_.end() || it->second.repeatable) continue;
            const auto [found, inserted] = seen.try_emplace(directive->name.value, directive);
            if (!inserted) {
                report("The directive \"@" + std::string(directive->name.value) +
                           "\" can only be used once at this location.",
                       {found->second->offset, directive->offset});
            }
        }
    }

    void check_extension(const ast::Definition& node) {
        const std::string_view name = node.name->value;
        const auto it = defined_types_.find(name);
        if (it == defined_types_.end()) {
            report("Cannot extend type \"" + std::string(name) + "\" because it is not defined." +
                       did_you_mean(suggestion_list(name, type_names_)),
                   {node.name->offset});
            return;
        }
        if (it->second->kind != node.kind) {
            report("Cannot extend non-" + std::string(kind_word(node.kind)) + " type \"" + std::string(name) + "\".",
                   {it->second->offset, node.offset});
        }
    }

    const Document& document_;
    Errors errors_;
    std::unordered_map<std::string_view, const ast::Definition*> defined_types_;
    std::vector<std::string_view> type_names_;
    std::unordered_map<std::string, DirectiveInfo> directives_;
    int schema_definitions_ = 0;
    std::map<ast::OperationType, std::uint32_t> operation_types_;
    std::unordered_map<std::string_view, std::uint32_t> seen_type_names_;
    std::unordered_map<std::string_view, std::uint32_t> seen_directive_names_;
    std::unordered_map<std::string_view, std::unordered_map<std::string_view, std::uint32_t>> enum_values_;
    std::unordered_map<std::string_view, std::unordered_map<std::string_view, std::uint32_t>> field_names_;
    SeenDirectives schema_directives_;
    std::unordered_map<std::string_view, SeenDirectives> type_directives_;
    std::unordered_map<std::string_view, SeenDirectives> directive_directives_;
};

// ---- validateSchema ------------------------------------------------------------------------

class SchemaValidator {
  public:
    SchemaValidator(const Schema& schema, const std::vector<const ast::Definition*>& schema_nodes)
        : schema_(schema), document_(*schema.document()), schema_nodes_(schema_nodes) {}

    Errors run() {
        validate_root_types();
        validate_directives();
        validate_types();
        return std::move(errors_);
    }

  private:
    using Offsets = std::vector<std::uint32_t>;

    void report(std::string message, const Offsets& offsets) {
        GraphQLError error;
        error.message = std::move(message);
        for (const std::uint32_t offset : offsets) error.locations.push_back(document_.location(offset));
        errors_.push_back(std::move(error));
    }

    // Offsets of nodes in the user's document only (built-in types have none there).
    static bool user_node(const Type& type) {
        return !type.ast_nodes.empty() && !builtins::is_introspection_type(type.name) &&
               !builtins::is_specified_scalar(type.name);
    }

    Offsets type_nodes(const Type& type) const {
        Offsets offsets;
        if (!user_node(type)) return offsets;
        for (const ast::Definition* node : type.ast_nodes) offsets.push_back(node->offset);
        return offsets;
    }

    std::optional<std::uint32_t> operation_type_node(ast::OperationType operation) const {
        for (const ast::Definition* node : schema_nodes_) {
            for (const ast::RootOperationTypeDefinition& root : node->root_operation_types) {
                if (root.operation == operation) return root.type.offset;
            }
        }
        return std::nullopt;
    }

    void validate_root_types() {
        if (schema_.query_type() == nullptr) {
            Offsets offsets;
            for (const ast::Definition* node : schema_nodes_) {
                if (!node->is_extension) offsets.push_back(node->offset);
            }
            report("Query root type must be provided.", offsets);
        }
        std::vector<std::pair<const Type*, std::vector<ast::OperationType>>> roots;
        for (const ast::OperationType operation :
             {ast::OperationType::kQuery, ast::OperationType::kMutation, ast::OperationType::kSubscription}) {
            const Type* root = schema_.root_type(operation);
            if (root == nullptr) continue;
            if (root->kind != TypeKind::kObject) {
                std::string word(operation_word(operation));
                word[0] = static_cast<char>(word[0] - 'a' + 'A');
                Offsets offsets;
                if (const auto offset = operation_type_node(operation)) {
                    offsets.push_back(*offset);
                } else if (user_node(*root)) {
                    offsets.push_back(root->ast_nodes.front()->offset);
                }
                report(operation == ast::OperationType::kQuery
                           ? word + " root type must be Object type, it cannot be " + root->name + "."
                           : word + " root type must be Object type if provided, it cannot be " + root->name + ".",
                       offsets);
                continue;
            }
            auto it = std::find_if(roots.begin(), roots.end(), [&](const auto& entry) { return entry.first == root; });
            if (it == roots.end()) {
                roots.emplace_back(root, std::vector<ast::OperationType>{operation});
            } else {
                it->second.push_back(operation);
            }
        }
        for (const auto& [root, operations] : roots) {
            if (operations.size() < 2) continue;
            std::vector<std::string> words;
            Offsets offsets;
            for (const ast::OperationType operation : operations) {
                words.emplace_back(operation_word(operation));
                if (const auto offset = operation_type_node(operation)) offsets.push_back(*offset);
            }
            report("All root types must be different, \"" + root->name + "\" type is used as " + and_list(words) +
                       " root types.",
                   offsets);
        }
    }

    void validate_name(const std::string& name, const Offsets& nodes) {
        if (name.starts_with("__")) {
            report("Name \"" + name + "\" must not begin with \"__\", which is reserved by GraphQL introspection.",
                   nodes);
        }
    }

    static std::optional<std::uint32_t> deprecated_node(const ast::List<const ast::Directive*>& directives) {
        for (const ast::Directive* directive : directives) {
            if (directive->name.value == "deprecated") return directive->offset;
        }
        return std::nullopt;
    }

    void validate_argument(const InputValue& arg, const std::string& label, bool user) {
        const ast::InputValueDefinition* node = user ? arg.ast : nullptr;
        validate_name(arg.name, node != nullptr ? Offsets{node->offset} : Offsets{});
        if (!arg.type->is_input()) {
            report("The type of " + label + " must be Input Type but got: " + arg.type->to_string() + ".",
                   node != nullptr ? Offsets{node->type->offset} : Offsets{});
        }
        if (arg.type->is_non_null() && arg.default_value_ast == nullptr && arg.deprecation_reason) {
            Offsets offsets;
            if (node != nullptr) {
                if (const auto deprecated = deprecated_node(node->directives)) offsets.push_back(*deprecated);
                offsets.push_back(node->type->offset);
            }
            report("Required argument " + label + " cannot be deprecated.", offsets);
        }
        validate_default_value(arg, label, node);
    }

    void validate_default_value(const InputValue& value, const std::string& label,
                                const ast::InputValueDefinition* node) {
        if (value.default_value_ast == nullptr || node == nullptr || !value.type->is_input()) return;
        validate_input_literal(
            *value.default_value_ast, *value.type, document_,
            [&](const GraphQLError& error, const boost::json::array& path) {
                std::string where;
                if (!path.empty()) {
                    where = " at ";
                    for (const boost::json::value& key : path) {
                        if (key.is_string()) {
                            where += ".";
                            where += key.get_string();
                        } else if (key.is_int64()) {
                            where += "[" + std::to_string(key.get_int64()) + "]";
                        }
                    }
                }
                GraphQLError reported;
                reported.message = label + " has invalid default value" + where + ": " + error.message;
                reported.locations = error.locations.empty()
                                         ? std::vector<SourceLocation>{document_.location(node->default_value->offset)}
                                         : error.locations;
                errors_.push_back(std::move(reported));
            },
            nullptr);
    }

    void validate_directives() {
        for (const DirectiveDefinition& directive : schema_.directives()) {
            const bool user = !directive.is_builtin;
            validate_name(directive.name,
                          user && directive.ast != nullptr ? Offsets{directive.ast->offset} : Offsets{});
            if (directive.locations.empty()) {
                report("Directive @" + directive.name + " must include 1 or more locations.",
                       user && directive.ast != nullptr ? Offsets{directive.ast->offset} : Offsets{});
            }
            for (const InputValue& arg : directive.args) {
                validate_argument(arg, "@" + directive.name + "(" + arg.name + ":)", user);
            }
        }
    }

    void validate_types() {
        for (const Type* type : schema_.types()) {
            const bool user = user_node(*type);
            if (!builtins::is_introspection_type(type->name)) validate_name(type->name, type_nodes(*type));
            switch (type->kind) {
                case TypeKind::kObject:
                case TypeKind::kInterface:
                    validate_fields(*type, user);
                    validate_interfaces(*type);
                    break;
                case TypeKind::kUnion:
                    validate_union(*type);
                    break;
                case TypeKind::kEnum:
                    validate_enum(*type);
                    break;
                case TypeKind::kInputObject:
                    validate_input_fields(*type, user);
                    input_objects_.push_back(type);
                    break;
                default:
                    break;
            }
        }
        detect_non_finite_input_objects();
    }

    void validate_fields(const Type& type, bool user) {
        if (type.fields.empty()) report("Type " + type.name + " must define one or more fields.", type_nodes(type));
        for (const FieldDefinition& field : type.fields) {
            const ast::FieldDefinition* node = user ? field.ast : nullptr;
            validate_name(field.name, node != nullptr ? Offsets{node->offset} : Offsets{});
            if (!field.type->is_output()) {
                report("The type of " + type.name + "." + field.name +
                           " must be Output Type but got: " + field.type->to_string() + ".",
                       node != nullptr ? Offsets{node->type->offset} : Offsets{});
            }
            for (const InputValue& arg : field.args) {
                validate_argument(arg, type.name + "." + field.name + "(" + arg.name + ":)", user);
            }
        }
    }

    Offsets implements_nodes(const Type& type, const Type& interface) const {
        Offsets offsets;
        if (!user_node(type)) return offsets;
        for (const ast::Definition* node : type.ast_nodes) {
            for (const ast::Name& name : node->interfaces) {
                if (name.value == interface.name) offsets.push_back(name.offset);
            }
        }
        return offsets;
    }

    void validate_interfaces(const Type& type) {
        std::unordered_set<std::string_view> seen;
        for (const Type* interface : type.interfaces) {
            if (interface->kind != TypeKind::kInterface) {
                report("Type " + type.name + " must only implement Interface types, it cannot implement " +
                           interface->name + ".",
                       implements_nodes(type, *interface));
                continue;
            }
            if (interface == &type) {
                report("Type " + type.name + " cannot implement itself because it would create a circular reference.",
                       implements_nodes(type, *interface));
                continue;
            }
            if (!seen.insert(interface->name).second) {
                report("Type " + type.name + " can only implement " + interface->name + " once.",
                       implements_nodes(type, *interface));
                continue;
            }
            validate_implements_ancestors(type, *interface);
            validate_implements_interface(type, *interface);
        }
    }

    void validate_implements_ancestors(const Type& type, const Type& interface) {
        for (const Type* transitive : interface.interfaces) {
            if (std::find(type.interfaces.begin(), type.interfaces.end(), transitive) != type.interfaces.end())
                continue;
            Offsets offsets = implements_nodes(interface, *transitive);
            const Offsets own = implements_nodes(type, interface);
            offsets.insert(offsets.end(), own.begin(), own.end());
            report(transitive == &type ? "Type " + type.name + " cannot implement " + interface.name +
                                             " because it would create a circular reference."
                                       : "Type " + type.name + " must implement " + transitive->name +
                                             " because it is implemented by " + interface.name + ".",
                   offsets);
        }
    }

    void validate_implements_interface(const Type& type, const Type& interface) {
        for (const FieldDefinition& interface_field : interface.fields) {
            const std::string interface_label = interface.name + "." + interface_field.name;
            const FieldDefinition* type_field = type.field(interface_field.name);
            if (type_field == nullptr) {
                Offsets offsets;
                if (interface_field.ast != nullptr) offsets.push_back(interface_field.ast->offset);
                const Offsets nodes = type_nodes(type);
                offsets.insert(offsets.end(), nodes.begin(), nodes.end());
                report("Interface field " + interface_label + " expected but " + type.name + " does not provide it.",
                       offsets);
                continue;
            }
            const std::string type_label = type.name + "." + type_field->name;
            if (!schema_.is_type_sub_type_of(*type_field->type, *interface_field.type)) {
                Offsets offsets;
                if (interface_field.ast != nullptr) offsets.push_back(interface_field.ast->type->offset);
                if (type_field->ast != nullptr) offsets.push_back(type_field->ast->type->offset);
                report(cat({"Interface field ", interface_label, " expects type ", interface_field.type->to_string(),
                            " but ", type_label, " is type ", type_field->type->to_string(), "."}),
                       offsets);
            }
            for (const InputValue& interface_arg : interface_field.args) {
                const InputValue* type_arg = type_field->arg(interface_arg.name);
                const std::string interface_arg_label = interface_label + "(" + interface_arg.name + ":)";
                if (type_arg == nullptr) {
                    Offsets offsets;
                    if (interface_arg.ast != nullptr) offsets.push_back(interface_arg.ast->offset);
                    if (type_field->ast != nullptr) offsets.push_back(type_field->ast->offset);
                    report(cat({"Interface field argument ", interface_arg_label, " expected but ", type_label,
                                " does not provide it."}),
                           offsets);
                    continue;
                }
                if (type_arg->type != interface_arg.type) {
                    Offsets offsets;
                    if (interface_arg.ast != nullptr) offsets.push_back(interface_arg.ast->type->offset);
                    if (type_arg->ast != nullptr) offsets.push_back(type_arg->ast->type->offset);
                    report(cat({"Interface field argument ", interface_arg_label, " expects type ",
                                interface_arg.type->to_string(), " but ", type_label, "(", type_arg->name,
                                ":) is type ", type_arg->type->to_string(), "."}),
                           offsets);
                }
            }
            for (const InputValue& type_arg : type_field->args) {
                const bool required = type_arg.type->is_non_null() && type_arg.default_value_ast == nullptr;
                if (required && interface_field.arg(type_arg.name) == nullptr) {
                    Offsets offsets;
                    if (type_arg.ast != nullptr) offsets.push_back(type_arg.ast->offset);
                    if (interface_field.ast != nullptr) offsets.push_back(interface_field.ast->offset);
                    report(cat({"Argument \"", type_label, "(", type_arg.name, ":)\" must not be required type \"",
                                type_arg.type->to_string(), "\" if not provided by the Interface field \"",
                                interface_label, "\"."}),
                           offsets);
                }
            }
            if (type_field->deprecation_reason && !interface_field.deprecation_reason) {
                Offsets offsets;
                if (type_field->ast != nullptr) {
                    if (const auto deprecated = deprecated_node(type_field->ast->directives))
                        offsets.push_back(*deprecated);
                    offsets.push_back(type_field->ast->type->offset);
                }
                report(cat({"Interface field ", interface_label, " is not deprecated, so implementation field ",
                            type_label, " must not be deprecated."}),
                       offsets);
            }
        }
    }

    Offsets member_nodes(const Type& union_type, std::string_view name) const {
        Offsets offsets;
        for (const ast::Definition* node : union_type.ast_nodes) {
            for (const ast::Name& member : node->union_members) {
                if (member.value == name) offsets.push_back(member.offset);
            }
        }
        return offsets;
    }

    void validate_union(const Type& type) {
        if (type.members.empty()) {
            report("Union type " + type.name + " must define one or more member types.", type_nodes(type));
        }
        std::unordered_set<std::string_view> seen;
        for (const Type* member : type.members) {
            if (!seen.insert(member->name).second) {
                report("Union type " + type.name + " can only include type " + member->name + " once.",
                       member_nodes(type, member->name));
                continue;
            }
            if (member->kind != TypeKind::kObject) {
                report("Union type " + type.name + " can only include Object types, it cannot include " + member->name +
                           ".",
                       member_nodes(type, member->name));
            }
        }
    }

    void validate_enum(const Type& type) {
        if (type.enum_values.empty()) {
            report("Enum type " + type.name + " must define one or more values.", type_nodes(type));
        }
        if (!user_node(type)) return;
        for (const EnumValue& value : type.enum_values) {
            Offsets offsets;
            for (const ast::Definition* node : type.ast_nodes) {
                for (const ast::EnumValueDefinition* value_node : node->enum_values) {
                    if (value_node->name.value == value.name && offsets.empty()) offsets.push_back(value_node->offset);
                }
            }
            validate_name(value.name, offsets);
        }
    }

    void validate_input_fields(const Type& type, bool user) {
        if (type.input_fields.empty()) {
            report("Input Object type " + type.name + " must define one or more fields.", type_nodes(type));
        }
        for (const InputValue& field : type.input_fields) {
            const ast::InputValueDefinition* node = user ? field.ast : nullptr;
            const std::string label = type.name + "." + field.name;
            validate_name(field.name, node != nullptr ? Offsets{node->offset} : Offsets{});
            if (!field.type->is_input()) {
                report("The type of " + label + " must be Input Type but got: " + field.type->to_string() + ".",
                       node != nullptr ? Offsets{node->type->offset} : Offsets{});
            }
            if (field.type->is_non_null() && field.default_value_ast == nullptr && field.deprecation_reason) {
                Offsets offsets;
                if (node != nullptr) {
                    if (const auto deprecated = deprecated_node(node->directives)) offsets.push_back(*deprecated);
                    offsets.push_back(node->type->offset);
                }
                report("Required input field " + label + " cannot be deprecated.", offsets);
            }
            validate_default_value(field, label, node);
            if (type.one_of) {
                if (field.type->is_non_null()) {
                    report("OneOf input field " + label + " must be nullable.",
                           node != nullptr ? Offsets{node->type->offset} : Offsets{});
                }
                if (field.default_value_ast != nullptr) {
                    report("OneOf input field " + label + " cannot have a default value.",
                           node != nullptr ? Offsets{node->offset} : Offsets{});
                }
            }
        }
    }

    // Input objects whose every value would have to contain itself (graphql-js's
    // detectInputObjectNonFiniteValues).
    struct FiniteState {
        const Type* type = nullptr;
        std::vector<std::pair<const InputValue*, const Type*>> targets;
        std::vector<std::size_t> dependents;
        std::size_t unresolved = 0;
        bool finite = false;
    };

    static const Type* finite_value_target(const Type& input_object, const Type& field_type) {
        if (input_object.one_of) return field_type.kind == TypeKind::kInputObject ? &field_type : nullptr;
        if (field_type.is_non_null() && field_type.of_type->kind == TypeKind::kInputObject) return field_type.of_type;
        return nullptr;
    }

    void detect_non_finite_input_objects() {
        std::vector<FiniteState> states(input_objects_.size());
        std::unordered_map<const Type*, std::size_t> index;
        for (std::size_t i = 0; i < input_objects_.size(); ++i) {
            states[i].type = input_objects_[i];
            index.emplace(input_objects_[i], i);
        }
        std::vector<std::size_t> finite_stack;
        const auto mark_finite = [&](std::size_t i) {
            if (!states[i].finite) {
                states[i].finite = true;
                finite_stack.push_back(i);
            }
        };
        for (std::size_t i = 0; i < states.size(); ++i) {
            FiniteState& state = states[i];
            for (const InputValue& field : state.type->input_fields) {
                const Type* target = finite_value_target(*state.type, *field.type);
                if (target == nullptr) continue;
                state.targets.emplace_back(&field, target);
                const auto found = index.find(target);
                if (found != index.end()) states[found->second].dependents.push_back(i);
            }
            if (state.type->one_of) {
                if (state.type->input_fields.empty() || state.targets.size() < state.type->input_fields.size()) {
                    mark_finite(i);
                }
            } else {
                state.unresolved = state.targets.size();
                if (state.targets.empty()) mark_finite(i);
            }
        }
        while (!finite_stack.empty()) {
            const std::size_t next = finite_stack.back();
            finite_stack.pop_back();
            for (const std::size_t dependent : states[next].dependents) {
                if (states[dependent].finite) continue;
                if (states[dependent].type->one_of) {
                    mark_finite(dependent);
                    continue;
                }
                if (--states[dependent].unresolved == 0) mark_finite(dependent);
            }
        }
        std::unordered_set<const Type*> visited;
        std::vector<std::pair<std::string, const InputValue*>> path;
        std::unordered_map<const Type*, std::size_t> path_index;
        std::function<void(std::size_t)> report_cycles = [&](std::size_t i) {
            const Type* type = states[i].type;
            if (!visited.insert(type).second) return;
            path_index[type] = path.size();
            for (const auto& [field, target] : states[i].targets) {
                const auto found = index.find(target);
                if (found == index.end() || states[found->second].finite) continue;
                path.emplace_back(type->name + "." + field->name, field);
                const auto cycle = path_index.find(target);
                if (cycle == path_index.end()) {
                    report_cycles(found->second);
                } else {
                    std::string fields;
                    Offsets offsets;
                    for (std::size_t k = cycle->second; k < path.size(); ++k) {
                        if (k != cycle->second) fields += ", ";
                        fields += path[k].first;
                        if (path[k].second->ast != nullptr) offsets.push_back(path[k].second->ast->offset);
                    }
                    report("Input Object " + target->name +
                               " cannot be provided a finite value because it references itself through fields: " +
                               fields + ".",
                           offsets);
                }
                path.pop_back();
            }
            path_index.erase(type);
        };
        for (std::size_t i = 0; i < states.size(); ++i) {
            if (!states[i].finite) report_cycles(i);
        }
    }

    const Schema& schema_;
    const Document& document_;
    const std::vector<const ast::Definition*>& schema_nodes_;
    Errors errors_;
    std::vector<const Type*> input_objects_;
};

}  // namespace

Errors validate_sdl(const Document& document) { return SdlValidator(document).run(); }

Errors validate_schema(const Schema& schema, const std::vector<const ast::Definition*>& schema_nodes) {
    return SchemaValidator(schema, schema_nodes).run();
}

}  // namespace alatar::graphql
