// Input coercion and validation, following graphql-js 17's coerceInputValue.ts and
// validateInputValue.ts (https://spec.graphql.org/October2021/#sec-Input-Values).
#include "graphql/coercion.hpp"

#include <stdexcept>

#include "graphql/suggestions.hpp"

namespace alatar::graphql {
namespace {

namespace json = boost::json;

bool is_required(const InputValue& input) {
    return input.type->is_non_null() && input.default_value_ast == nullptr && !input.default_value;
}

std::string print_path(const json::array& path) {
    if (path.empty()) return {};
    std::string out = " at ";
    for (const auto& key : path) {
        if (key.is_string()) {
            out += '.';
            out.append(key.get_string().data(), key.get_string().size());
        } else {
            out += '[' + std::to_string(key.to_number<long long>()) + ']';
        }
    }
    return out;
}

std::vector<std::string> enum_names(const Type& type) {
    std::vector<std::string> names;
    names.reserve(type.enum_values.size());
    for (const auto& value : type.enum_values) names.push_back(value.name);
    return names;
}

std::string did_you_mean_enum_value(const Type& type, std::string_view unknown, bool hide_suggestions) {
    if (hide_suggestions) return {};
    const auto names = enum_names(type);
    const auto suggestions = suggestion_list(unknown, names);
    return did_you_mean("the enum value", suggestions);
}

std::string unknown_field_suffix(const Type& type, std::string_view field_name, bool hide_suggestions) {
    std::string suggestion;
    if (!hide_suggestions) {
        std::vector<std::string> names;
        for (const auto& field : type.input_fields) names.push_back(field.name);
        suggestion = did_you_mean(suggestion_list(field_name, names));
    }
    return suggestion.empty() ? std::string(", found") : "." + suggestion + " Found";
}

std::string one_of_message(const Type& type) {
    return "Within OneOf Input Object type \"" + type.name +
           "\", exactly one field must be specified, and the value for that field must be non-null.";
}

// A leaf (scalar or enum) from a runtime value. Throws std::invalid_argument (a message to
// report as is) or another exception (reported as "encountered error").
json::value coerce_leaf_value_or_throw(const json::value& input, const Type& type, bool hide_suggestions) {
    if (type.kind == TypeKind::kEnum) {
        if (!input.is_string()) {
            const std::string shown = inspect(input);
            throw std::invalid_argument("Enum \"" + type.name + "\" cannot represent non-string value: " + shown + "." +
                                        did_you_mean_enum_value(type, shown, hide_suggestions));
        }
        const std::string_view name(input.get_string().data(), input.get_string().size());
        if (type.enum_value(name) == nullptr) {
            throw std::invalid_argument("Value \"" + std::string(name) + "\" does not exist in \"" + type.name +
                                        "\" enum." + did_you_mean_enum_value(type, name, hide_suggestions));
        }
        return input;
    }
    if (type.scalar.parse_value) return type.scalar.parse_value(input);
    return input;
}

json::value coerce_leaf_literal_or_throw(const ast::Value& literal, const Type& type, const json::object* variables,
                                         bool hide_suggestions) {
    if (type.kind == TypeKind::kEnum) {
        if (literal.kind != ast::ValueKind::kEnum) {
            const std::string shown = print_value(literal);
            throw std::invalid_argument("Enum \"" + type.name + "\" cannot represent non-enum value: " + shown + "." +
                                        did_you_mean_enum_value(type, shown, hide_suggestions));
        }
        if (type.enum_value(literal.text) == nullptr) {
            const std::string shown = print_value(literal);
            throw std::invalid_argument("Value \"" + shown + "\" does not exist in \"" + type.name + "\" enum." +
                                        did_you_mean_enum_value(type, shown, hide_suggestions));
        }
        return json::string(literal.text);
    }
    if (type.scalar.parse_literal) return type.scalar.parse_literal(literal, variables);
    throw std::logic_error("scalar \"" + type.name + "\" has no parse_literal hook");
}

std::string caught_message(const std::exception& error) {
    std::string message = error.what();
    return message.empty() ? std::string("Error") : message;
}

// ---- validate_input_value -------------------------------------------------------------------

struct ValueValidator {
    const InputErrorFn& on_error;
    bool hide_suggestions;
    json::array path;

    void report(std::string message) {
        GraphQLError error;
        error.message = std::move(message);
        on_error(std::move(error), path);
    }

    void with_key(std::string_view key, const json::value* input, const Type& type) {
        path.emplace_back(json::string(key));
        validate(input, type);
        path.pop_back();
    }

    void validate(const json::value* input, const Type& type) {
        if (type.is_non_null()) {
            if (input == nullptr) {
                report("Expected a value of non-null type \"" + type.to_string() + "\" to be provided.");
                return;
            }
            if (input->is_null()) {
                report("Expected value of non-null type \"" + type.to_string() + "\" not to be null.");
                return;
            }
            validate(input, *type.of_type);
            return;
        }
        if (input == nullptr || input->is_null()) return;
        if (type.is_list()) {
            if (!input->is_array()) {
                validate(input, *type.of_type);
                return;
            }
            std::int64_t index = 0;
            for (const auto& item : input->get_array()) {
                path.emplace_back(index++);
                validate(&item, *type.of_type);
                path.pop_back();
            }
            return;
        }
        if (type.kind == TypeKind::kInputObject) {
            validate_object(*input, type);
            return;
        }
        validate_leaf(*input, type);
    }

    void validate_object(const json::value& input, const Type& type) {
        if (!input.is_object()) {
            report("Expected value of type \"" + type.name + "\" to be an object, found: " + inspect(input) + ".");
            return;
        }
        const auto& object = input.get_object();
        for (const auto& field : type.input_fields) {
            const json::value* value = object.if_contains(field.name);
            if (value == nullptr) {
                if (is_required(field)) {
                    report("Expected value of type \"" + type.name + "\" to include required field \"" + field.name +
                           "\", found: " + inspect(input) + ".");
                }
            } else {
                with_key(field.name, value, *field.type);
            }
        }
        std::vector<std::string_view> known;
        for (const auto& member : object) {
            const std::string_view name(member.key().data(), member.key().size());
            if (type.input_field(name) == nullptr) {
                report("Expected value of type \"" + type.name + "\" not to include unknown field \"" +
                       std::string(name) + "\"" + unknown_field_suffix(type, name, hide_suggestions) + ": " +
                       inspect(input) + ".");
                continue;
            }
            known.push_back(name);
        }
        if (type.one_of) {
            if (known.size() != 1) report(one_of_message(type));
            if (!known.empty() && object.at(known.front()).is_null()) {
                path.emplace_back(json::string(known.front()));
                report(one_of_message(type));
                path.pop_back();
            }
        }
    }

    void validate_leaf(const json::value& input, const Type& type) {
        try {
            (void)coerce_leaf_value_or_throw(input, type, hide_suggestions);
        } catch (const std::invalid_argument& error) {
            report(error.what());
        } catch (const FieldError& error) {
            report(error.what());
        } catch (const std::exception& error) {
            report("Expected value of type \"" + type.name + "\", but encountered error \"" + caught_message(error) +
                   "\"; found: " + inspect(input) + ".");
        }
    }
};

// ---- validate_input_literal -----------------------------------------------------------------

struct LiteralValidator {
    const Document& document;
    const InputErrorFn& on_error;
    const json::object* variables;
    bool hide_suggestions;
    json::array path;

    bool is_static() const { return variables == nullptr; }

    void report(std::string message, std::uint32_t offset) {
        GraphQLError error;
        error.message = std::move(message);
        error.locations.push_back(document.location(offset));
        on_error(std::move(error), path);
    }

    const json::value* variable_value(const ast::Value& node) const {
        return variables != nullptr ? variables->if_contains(node.text) : nullptr;
    }

    void validate(const ast::Value& node, const Type& type) {
        if (node.kind == ast::ValueKind::kVariable) {
            if (is_static()) return;
            if (type.is_non_null()) {
                const json::value* value = variable_value(node);
                if (value == nullptr) {
                    report("Expected variable \"$" + std::string(node.text) + "\" provided to type \"" +
                               type.to_string() + "\" to provide a runtime value.",
                           node.offset);
                } else if (value->is_null()) {
                    report("Expected variable \"$" + std::string(node.text) + "\" provided to non-null type \"" +
                               type.to_string() + "\" not to be null.",
                           node.offset);
                }
            }
            return;
        }
        if (type.is_non_null()) {
            if (node.kind == ast::ValueKind::kNull) {
                report("Expected value of non-null type \"" + type.to_string() + "\" not to be null.", node.offset);
                return;
            }
            validate(node, *type.of_type);
            return;
        }
        if (node.kind == ast::ValueKind::kNull) return;
        if (type.is_list()) {
            if (node.kind != ast::ValueKind::kList) {
                validate(node, *type.of_type);
                return;
            }
            std::int64_t index = 0;
            for (const ast::Value* item : node.list) {
                path.emplace_back(index++);
                validate(*item, *type.of_type);
                path.pop_back();
            }
            return;
        }
        if (type.kind == TypeKind::kInputObject) {
            validate_object(node, type);
            return;
        }
        validate_leaf(node, type);
    }

    const ast::ObjectField* find_field(const ast::Value& node, std::string_view name) const {
        // graphql-js keyMap keeps the last field of a name.
        const ast::ObjectField* found = nullptr;
        for (const auto& field : node.fields) {
            if (field.name.value == name) found = &field;
        }
        return found;
    }

    void validate_object(const ast::Value& node, const Type& type) {
        if (node.kind != ast::ValueKind::kObject) {
            report("Expected value of type \"" + type.name + "\" to be an object, found: " + print_value(node) + ".",
                   node.offset);
            return;
        }
        for (const auto& field : type.input_fields) {
            const ast::ObjectField* field_node = find_field(node, field.name);
            if (field_node == nullptr) {
                if (is_required(field)) {
                    report("Expected value of type \"" + type.name + "\" to include required field \"" + field.name +
                               "\", found: " + print_value(node) + ".",
                           node.offset);
                }
                continue;
            }
            const ast::Value& value_node = *field_node->value;
            if (value_node.kind == ast::ValueKind::kVariable && !is_static()) {
                const json::value* value = variable_value(value_node);
                if (type.one_of) {
                    if (value == nullptr) {
                        report("Expected variable \"$" + std::string(value_node.text) + "\" provided to field \"" +
                                   field.name + "\" for OneOf Input Object type \"" + type.name +
                                   "\" to provide a runtime value.",
                               node.offset);
                    } else if (value->is_null()) {
                        report("Expected variable \"$" + std::string(value_node.text) + "\" provided to field \"" +
                                   field.name + "\" for OneOf Input Object type \"" + type.name + "\" not to be null.",
                               node.offset);
                    }
                } else if (value == nullptr && !is_required(field)) {
                    continue;
                }
            }
            path.emplace_back(json::string(field.name));
            validate(value_node, *field.type);
            path.pop_back();
        }
        std::vector<const ast::ObjectField*> known;
        for (const auto& field_node : node.fields) {
            if (type.input_field(field_node.name.value) == nullptr) {
                report("Expected value of type \"" + type.name + "\" not to include unknown field \"" +
                           std::string(field_node.name.value) + "\"" +
                           unknown_field_suffix(type, field_node.name.value, hide_suggestions) + ": " +
                           print_value(node) + ".",
                       field_node.name.offset);
            } else {
                known.push_back(&field_node);
            }
        }
        if (type.one_of) {
            if (known.size() != 1) {
                report(one_of_message(type), node.offset);
                return;
            }
            if (known.front()->value->kind == ast::ValueKind::kNull) {
                path.emplace_back(json::string(known.front()->name.value));
                report(one_of_message(type), node.offset);
                path.pop_back();
            }
        }
    }

    void validate_leaf(const ast::Value& node, const Type& type) {
        try {
            (void)coerce_leaf_literal_or_throw(node, type, variables, hide_suggestions);
        } catch (const std::invalid_argument& error) {
            report(error.what(), node.offset);
        } catch (const FieldError& error) {
            report(error.what(), node.offset);
        } catch (const std::exception& error) {
            report("Expected value of type \"" + type.name + "\", but encountered error \"" + caught_message(error) +
                       "\"; found: " + print_value(node) + ".",
                   node.offset);
        }
    }
};

const json::value* coerced_variable(const ast::Value& node, const json::object* variables) {
    return variables != nullptr ? variables->if_contains(node.text) : nullptr;
}

}  // namespace

const Type* type_from_ast(const Schema& schema, const ast::Type& type) {
    switch (type.kind) {
        case ast::TypeKind::kNamed:
            return schema.type(type.name.value);
        case ast::TypeKind::kList: {
            const Type* inner = type_from_ast(schema, *type.of);
            return inner != nullptr ? schema.list_of(inner) : nullptr;
        }
        case ast::TypeKind::kNonNull: {
            const Type* inner = type_from_ast(schema, *type.of);
            return inner != nullptr ? schema.non_null_of(inner) : nullptr;
        }
    }
    return nullptr;
}

std::optional<json::value> coerce_input_value(const json::value* input, const Type& type) {
    if (type.is_non_null()) {
        if (input == nullptr || input->is_null()) return std::nullopt;
        return coerce_input_value(input, *type.of_type);
    }
    if (input == nullptr || input->is_null()) return json::value(nullptr);
    if (type.is_list()) {
        if (!input->is_array()) {
            auto item = coerce_input_value(input, *type.of_type);
            if (!item) return std::nullopt;
            json::array single;
            single.emplace_back(std::move(*item));
            return json::value(std::move(single));
        }
        json::array coerced;
        coerced.reserve(input->get_array().size());
        for (const auto& item : input->get_array()) {
            auto value = coerce_input_value(&item, *type.of_type);
            if (!value) return std::nullopt;
            coerced.emplace_back(std::move(*value));
        }
        return json::value(std::move(coerced));
    }
    if (type.kind == TypeKind::kInputObject) {
        if (!input->is_object()) return std::nullopt;
        const auto& object = input->get_object();
        for (const auto& member : object) {
            if (type.input_field(std::string_view(member.key().data(), member.key().size())) == nullptr) {
                return std::nullopt;
            }
        }
        json::object coerced;
        for (const auto& field : type.input_fields) {
            const json::value* value = object.if_contains(field.name);
            if (value == nullptr) {
                if (is_required(field)) return std::nullopt;
                if (auto default_value = coerce_default_value(field)) coerced[field.name] = std::move(*default_value);
                continue;
            }
            auto field_value = coerce_input_value(value, *field.type);
            if (!field_value) return std::nullopt;
            coerced[field.name] = std::move(*field_value);
        }
        if (type.one_of && (object.size() != 1 || coerced.size() != 1 || coerced.begin()->value().is_null())) {
            return std::nullopt;
        }
        return json::value(std::move(coerced));
    }
    try {
        return coerce_leaf_value_or_throw(*input, type, true);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void validate_input_value(const json::value* input, const Type& type, const InputErrorFn& on_error,
                          bool hide_suggestions) {
    ValueValidator validator{on_error, hide_suggestions, {}};
    validator.validate(input, type);
}

std::optional<json::value> coerce_input_literal(const ast::Value& literal, const Type& type,
                                                const json::object* variables) {
    if (literal.kind == ast::ValueKind::kVariable) {
        const json::value* value = coerced_variable(literal, variables);
        if (value == nullptr) return std::nullopt;  // JavaScript's undefined
        if (value->is_null() && type.is_non_null()) return std::nullopt;
        return *value;
    }
    if (type.is_non_null()) {
        if (literal.kind == ast::ValueKind::kNull) return std::nullopt;
        return coerce_input_literal(literal, *type.of_type, variables);
    }
    if (literal.kind == ast::ValueKind::kNull) return json::value(nullptr);
    if (type.is_list()) {
        if (literal.kind != ast::ValueKind::kList) {
            auto item = coerce_input_literal(literal, *type.of_type, variables);
            if (!item) return std::nullopt;
            json::array single;
            single.emplace_back(std::move(*item));
            return json::value(std::move(single));
        }
        json::array coerced;
        coerced.reserve(literal.list.size());
        for (const ast::Value* item_node : literal.list) {
            auto item = coerce_input_literal(*item_node, *type.of_type, variables);
            if (!item) {
                const json::value* variable =
                    item_node->kind == ast::ValueKind::kVariable ? coerced_variable(*item_node, variables) : nullptr;
                const bool missing_or_null = variable == nullptr || variable->is_null();
                if (item_node->kind == ast::ValueKind::kVariable && missing_or_null && !type.of_type->is_non_null()) {
                    item = json::value(nullptr);
                } else {
                    return std::nullopt;
                }
            }
            coerced.emplace_back(std::move(*item));
        }
        return json::value(std::move(coerced));
    }
    if (type.kind == TypeKind::kInputObject) {
        if (literal.kind != ast::ValueKind::kObject) return std::nullopt;
        for (const auto& field : literal.fields) {
            if (type.input_field(field.name.value) == nullptr) return std::nullopt;
        }
        json::object coerced;
        std::size_t distinct_fields = 0;
        for (const auto& field : type.input_fields) {
            const ast::ObjectField* field_node = nullptr;
            for (const auto& candidate : literal.fields) {
                if (candidate.name.value == field.name) field_node = &candidate;
            }
            if (field_node != nullptr) ++distinct_fields;
            const bool missing_variable = field_node != nullptr &&
                                          field_node->value->kind == ast::ValueKind::kVariable &&
                                          coerced_variable(*field_node->value, variables) == nullptr;
            if (field_node == nullptr || missing_variable) {
                if (is_required(field)) return std::nullopt;
                if (auto default_value = coerce_default_value(field)) coerced[field.name] = std::move(*default_value);
                continue;
            }
            auto value = coerce_input_literal(*field_node->value, *field.type, variables);
            if (!value) return std::nullopt;
            coerced[field.name] = std::move(*value);
        }
        if (type.one_of) {
            if (distinct_fields != 1 || coerced.size() != 1) return std::nullopt;
            if (coerced.begin()->value().is_null()) return std::nullopt;
            for (const auto& field : literal.fields) {
                if (field.value->kind == ast::ValueKind::kNull) return std::nullopt;
            }
        }
        return json::value(std::move(coerced));
    }
    try {
        return coerce_leaf_literal_or_throw(literal, type, variables, true);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void validate_input_literal(const ast::Value& literal, const Type& type, const Document& document,
                            const InputErrorFn& on_error, const json::object* variables, bool hide_suggestions) {
    LiteralValidator validator{document, on_error, variables, hide_suggestions, {}};
    validator.validate(literal, type);
}

std::optional<json::value> coerce_default_value(const InputValue& input_value) {
    if (input_value.default_value) return input_value.default_value;
    if (input_value.default_value_ast != nullptr) {
        return coerce_input_literal(*input_value.default_value_ast, *input_value.type, nullptr);
    }
    return std::nullopt;
}

VariableCoercion coerce_variable_values(const Schema& schema, const Document& document,
                                        const ast::Definition& operation, const json::object& inputs,
                                        bool hide_suggestions, std::size_t max_errors) {
    VariableCoercion result;
    // Thrown through the validators once the limit is reached, so that a huge wrong value is
    // not walked to its end (graphql-js throws from its onError the same way).
    struct ErrorLimitReached {};
    auto add_error = [&](std::string message, std::uint32_t offset) {
        if (result.errors.size() >= max_errors) {
            GraphQLError too_many;
            too_many.message = "Too many errors processing variables, error limit reached. Execution aborted.";
            result.errors.push_back(std::move(too_many));
            throw ErrorLimitReached{};
        }
        GraphQLError error;
        error.message = std::move(message);
        error.locations.push_back(document.location(offset));
        result.errors.push_back(std::move(error));
    };
    try {
        for (const ast::VariableDefinition* definition : operation.variable_definitions) {
            const std::string name(definition->variable.value);
            const Type* type = type_from_ast(schema, *definition->type);
            if (type == nullptr || !type->is_input()) {
                add_error("Variable \"$" + name + "\" expected value of type \"" + print_type(*definition->type) +
                              "\" which cannot be used as an input type.",
                          definition->type->offset);
                continue;
            }
            const json::value* value = inputs.if_contains(name);
            if (value == nullptr) {
                if (definition->default_value != nullptr) {
                    if (auto coerced = coerce_input_literal(*definition->default_value, *type, nullptr)) {
                        result.values[name] = std::move(*coerced);
                    } else {
                        validate_input_literal(
                            *definition->default_value, *type, document,
                            [&](const GraphQLError& error, const json::array& path) {
                                add_error("Variable \"$" + name + "\" has invalid default value" + print_path(path) +
                                              ": " + error.message,
                                          definition->offset);
                            },
                            nullptr, hide_suggestions);
                    }
                    continue;
                }
                if (!type->is_non_null()) continue;
            }
            if (auto coerced = coerce_input_value(value, *type)) {
                result.values[name] = std::move(*coerced);
                continue;
            }
            validate_input_value(
                value, *type,
                [&](const GraphQLError& error, const json::array& path) {
                    add_error("Variable \"$" + name + "\" has invalid value" + print_path(path) + ": " + error.message,
                              definition->offset);
                },
                hide_suggestions);
        }
    } catch (const ErrorLimitReached&) {
        // result.errors ends with the limit's error
    }
    return result;
}

ArgumentCoercion coerce_argument_values(std::string_view owner, const std::vector<InputValue>& definitions,
                                        const ast::List<ast::Argument>& arguments, std::uint32_t node_offset,
                                        const Document& document, const json::object& variables,
                                        bool hide_suggestions) {
    ArgumentCoercion result;
    auto fail = [&](std::string message, std::uint32_t offset) {
        GraphQLError error;
        error.message = std::move(message);
        error.locations.push_back(document.location(offset));
        result.error = std::move(error);
    };
    for (const InputValue& definition : definitions) {
        const ast::Argument* argument = nullptr;
        for (const auto& candidate : arguments) {
            if (candidate.name.value == definition.name) {
                argument = &candidate;
                break;
            }
        }
        const std::string label = "Argument \"" + std::string(owner) + "(" + definition.name + ":)\"";
        const bool required = is_required(definition);
        const bool use_default = argument == nullptr || (argument->value->kind == ast::ValueKind::kVariable &&
                                                         !variables.contains(argument->value->text) && !required);
        if (argument == nullptr && required) {
            fail(label + " of required type \"" + definition.type->to_string() + "\" was not provided.", node_offset);
            return result;
        }
        if (use_default) {
            if (auto default_value = coerce_default_value(definition)) {
                result.values[definition.name] = std::move(*default_value);
            }
            continue;
        }
        if (auto coerced = coerce_input_literal(*argument->value, *definition.type, &variables)) {
            result.values[definition.name] = std::move(*coerced);
            continue;
        }
        std::optional<GraphQLError> first;
        validate_input_literal(
            *argument->value, *definition.type, document,
            [&](GraphQLError error, const json::array& path) {
                if (first) return;
                error.message = label + " has invalid value" + print_path(path) + ": " + error.message;
                first = std::move(error);
            },
            &variables, hide_suggestions);
        if (!first) {
            fail(label + " has invalid value.", argument->value->offset);
        } else {
            result.error = std::move(first);
        }
        return result;
    }
    return result;
}

}  // namespace alatar::graphql
