// graphql-js ProvidedRequiredArgumentsRule
// (https://spec.graphql.org/October2021/#sec-Required-Arguments): reported when leaving the
// field or directive, after everything inside it.
#include <unordered_map>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

bool provided(const ast::List<ast::Argument>& args, std::string_view name) {
    for (const ast::Argument& arg : args) {
        if (arg.name.value == name) {
            return true;
        }
    }
    return false;
}

struct RequiredArg {
    std::string_view name;
    std::string type;
};

class ProvidedRequiredArguments final : public Rule {
  public:
    explicit ProvidedRequiredArguments(Context& context)
        : Rule(context, on_leave(NodeKind::kField) | on_leave(NodeKind::kDirective)) {
        for (const DirectiveDefinition& directive : context.schema().directives()) {
            auto& required = required_[directive.name];
            for (const InputValue& arg : directive.args) {
                if (is_required(arg)) {
                    required.push_back(RequiredArg{arg.name, arg.type->to_string()});
                }
            }
        }
        for (const ast::Definition* def : context.document().definitions()) {
            if (def->kind == ast::DefinitionKind::kDirective && def->name) {
                auto& required = required_[def->name->value];
                required.clear();
                for (const ast::InputValueDefinition* arg : def->input_fields) {
                    if (arg->type != nullptr && arg->type->kind == ast::TypeKind::kNonNull &&
                        arg->default_value == nullptr) {
                        required.push_back(RequiredArg{arg->name.value, print_type(*arg->type)});
                    }
                }
            }
        }
    }

    void leave_field(const ast::Selection& field) override {
        const FieldDefinition* def = context().type_info().field_def();
        if (def == nullptr) {
            return;
        }
        for (const InputValue& arg : def->args) {
            if (is_required(arg) && !provided(field.arguments, arg.name)) {
                context().report(
                    concat("Argument \"", context().field_coordinate(context().type_info().parent_type(), *def), "(",
                           arg.name, ":)\" of type \"", arg.type->to_string(),
                           "\" is required, but it was not provided."),
                    {field.offset});
            }
        }
    }

    void leave_directive(const ast::Directive& directive) override {
        auto it = required_.find(directive.name.value);
        if (it == required_.end()) {
            return;
        }
        for (const RequiredArg& arg : it->second) {
            if (!provided(directive.arguments, arg.name)) {
                context().report(concat("Argument \"@", directive.name.value, "(", arg.name, ":)\" of type \"",
                                        arg.type, "\" is required, but it was not provided."),
                                 {directive.offset});
            }
        }
    }

  private:
    std::unordered_map<std::string_view, std::vector<RequiredArg>> required_;
};

}  // namespace

RulePtr make_provided_required_arguments_rule(Context& context) {
    return std::make_unique<ProvidedRequiredArguments>(context);
}

}  // namespace alatar::graphql::validation
