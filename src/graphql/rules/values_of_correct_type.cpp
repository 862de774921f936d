// graphql-js ValuesOfCorrectTypeRule (https://spec.graphql.org/October2021/#sec-Values-of-Correct-Type):
// each argument value and variable default is checked as a whole, in graphql-js 17's static
// validateInputLiteral order (required fields, then unknown fields, then @oneOf), with its
// messages. Built-in scalars are checked here without building values (the fast path);
// custom scalars go through their parse_literal hook.
#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"
#include "graphql/suggestions.hpp"

namespace alatar::graphql::validation {
namespace {

// Int literals are decimal digits with an optional '-', as the lexer guarantees.
bool fits_int32(std::string_view text) {
    std::string digits(text);
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(digits.c_str(), &end, 10);
    return errno != ERANGE && value >= -2147483648LL && value <= 2147483647LL;
}

class LiteralChecker {
  public:
    explicit LiteralChecker(Context& context) : context_(context) {}

    void check(const ast::Value& value, const Type& type) {
        if (value.kind == ast::ValueKind::kVariable) {
            return;  // variables are unknown during validation
        }
        if (type.is_non_null()) {
            if (value.kind == ast::ValueKind::kNull) {
                report(concat("Expected value of non-null type \"", type.to_string(), "\" not to be null."), value);
                return;
            }
            check(value, *type.of_type);
            return;
        }
        if (value.kind == ast::ValueKind::kNull) {
            return;
        }
        switch (type.kind) {
            case TypeKind::kList:
                if (value.kind != ast::ValueKind::kList) {
                    check(value, *type.of_type);
                } else {
                    for (const ast::Value* item : value.list) {
                        check(*item, *type.of_type);
                    }
                }
                return;
            case TypeKind::kInputObject:
                check_object(value, type);
                return;
            case TypeKind::kEnum:
                check_enum(value, type);
                return;
            case TypeKind::kScalar:
                check_scalar(value, type);
                return;
            default:
                return;
        }
    }

  private:
    void report(std::string message, const ast::Value& at) { context_.report(std::move(message), {at.offset}); }

    static const ast::ObjectField* field_node(const ast::Value& object, std::string_view name) {
        const ast::ObjectField* found = nullptr;  // the last one wins, as graphql-js's keyMap
        for (const ast::ObjectField& field : object.fields) {
            if (field.name.value == name) {
                found = &field;
            }
        }
        return found;
    }

    void check_object(const ast::Value& value, const Type& type) {
        if (value.kind != ast::ValueKind::kObject) {
            report(
                concat("Expected value of type \"", type.name, "\" to be an object, found: ", print_value(value), "."),
                value);
            return;
        }
        for (const InputValue& field : type.input_fields) {
            const ast::ObjectField* node = field_node(value, field.name);
            if (node == nullptr) {
                if (is_required(field)) {
                    report(concat("Expected value of type \"", type.name, "\" to include required field \"", field.name,
                                  "\", found: ", print_value(value), "."),
                           value);
                }
            } else if (node->value != nullptr && field.type != nullptr) {
                check(*node->value, *field.type);
            }
        }
        std::vector<const ast::ObjectField*> known;
        for (const ast::ObjectField& node : value.fields) {
            if (type.input_field(node.name.value) != nullptr) {
                known.push_back(&node);
                continue;
            }
            std::string suggestion;
            if (!context_.hide_suggestions()) {
                std::vector<std::string_view> names;
                names.reserve(type.input_fields.size());
                for (const InputValue& field : type.input_fields) {
                    names.emplace_back(field.name);
                }
                suggestion = did_you_mean(suggestion_list(node.name.value, names));
            }
            context_.report(
                concat("Expected value of type \"", type.name, "\" not to include unknown field \"", node.name.value,
                       "\"", suggestion.empty() ? std::string(", found") : concat(".", suggestion, " Found"), ": ",
                       print_value(value), "."),
                {node.name.offset});
        }
        if (type.one_of) {
            const std::string message =
                concat("Within OneOf Input Object type \"", type.name,
                       "\", exactly one field must be specified, and the value for that field must be non-null.");
            if (known.size() != 1) {
                report(message, value);
                return;
            }
            if (known.front()->value != nullptr && known.front()->value->kind == ast::ValueKind::kNull) {
                report(message, value);
            }
        }
    }

    std::string enum_suggestion(const Type& type, std::string_view printed) {
        if (context_.hide_suggestions()) {
            return {};
        }
        std::vector<std::string_view> names;
        names.reserve(type.enum_values.size());
        for (const EnumValue& value : type.enum_values) {
            names.emplace_back(value.name);
        }
        return did_you_mean("the enum value", suggestion_list(printed, names));
    }

    void check_enum(const ast::Value& value, const Type& type) {
        if (value.kind != ast::ValueKind::kEnum) {
            const std::string printed = print_value(value);
            report(concat("Enum \"", type.name, "\" cannot represent non-enum value: ", printed, ".",
                          enum_suggestion(type, printed)),
                   value);
            return;
        }
        if (type.enum_value(value.text) == nullptr) {
            const std::string printed = print_value(value);
            report(concat("Value \"", printed, "\" does not exist in \"", type.name, "\" enum.",
                          enum_suggestion(type, printed)),
                   value);
        }
    }

    void check_scalar(const ast::Value& value, const Type& type) {
        using VK = ast::ValueKind;
        const std::string_view name = type.name;
        if (name == "Int") {
            if (value.kind != VK::kInt) {
                report(concat("Int cannot represent non-integer value: ", print_value(value)), value);
            } else if (!fits_int32(value.text)) {
                report(concat("Int cannot represent non 32-bit signed integer value: ", value.text), value);
            }
        } else if (name == "Float") {
            if (value.kind != VK::kFloat && value.kind != VK::kInt) {
                report(concat("Float cannot represent non numeric value: ", print_value(value)), value);
            }
        } else if (name == "String") {
            if (value.kind != VK::kString) {
                report(concat("String cannot represent a non string value: ", print_value(value)), value);
            }
        } else if (name == "Boolean") {
            if (value.kind != VK::kBoolean) {
                report(concat("Boolean cannot represent a non boolean value: ", print_value(value)), value);
            }
        } else if (name == "ID") {
            if (value.kind != VK::kString && value.kind != VK::kInt) {
                report(concat("ID cannot represent a non-string and non-integer value: ", print_value(value)), value);
            }
        } else if (type.scalar.parse_literal) {
            check_custom_scalar(value, type);
        }
    }

    // Hooks signal an invalid literal by throwing with the message to report (graphql-js
    // reports a GraphQLError from parseLiteral as is); anything else is wrapped as
    // graphql-js wraps unexpected errors.
    void check_custom_scalar(const ast::Value& value, const Type& type) {
        try {
            (void)type.scalar.parse_literal(value, nullptr);
        } catch (const std::invalid_argument& e) {
            report(e.what(), value);
        } catch (const FieldError& e) {
            report(e.what(), value);
        } catch (const std::exception& e) {
            report(concat("Expected value of type \"", type.name, "\", but encountered error \"", e.what(),
                          "\"; found: ", print_value(value), "."),
                   value);
        }
    }

    Context& context_;
};

class ValuesOfCorrectType final : public Rule {
  public:
    explicit ValuesOfCorrectType(Context& context) : Rule(context, on_enter(NodeKind::kValue)), checker_(context) {}

    // Only the outermost value of an argument or default is visited: returning false skips
    // the nested values, which the checker walks itself.
    bool enter_value(const ast::Value& value) override {
        if (value.kind == ast::ValueKind::kVariable) {
            return true;
        }
        const TypeInfo& info = context().type_info();
        // TypeInfo already entered a list's item type, so the list's own type is the parent.
        const Type* type = value.kind == ast::ValueKind::kList ? info.parent_input_type() : info.input_type();
        if (type != nullptr) {
            checker_.check(value, *type);
        }
        return false;
    }

  private:
    LiteralChecker checker_;
};

}  // namespace

RulePtr make_values_of_correct_type_rule(Context& context) { return std::make_unique<ValuesOfCorrectType>(context); }

}  // namespace alatar::graphql::validation
