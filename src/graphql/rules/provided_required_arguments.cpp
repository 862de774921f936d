// graphql-js ProvidedRequiredArgumentsRule
// (https://spec.graphql.org/October2021/#sec-Required-Arguments): reported when leaving the
// field or directive, after everything inside it.

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

class ProvidedRequiredArguments final : public Rule {
  public:
    explicit ProvidedRequiredArguments(Context& context)
        : Rule(context, on_leave(NodeKind::kField) | on_leave(NodeKind::kDirective)) {}

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
        if (const ast::Definition* local = context().document_directive(directive.name.value)) {
            for (const ast::InputValueDefinition* arg : local->input_fields) {
                if (arg->type != nullptr && arg->type->kind == ast::TypeKind::kNonNull &&
                    arg->default_value == nullptr && !provided(directive.arguments, arg->name.value)) {
                    report(directive, arg->name.value, print_type(*arg->type));
                }
            }
        } else if (const DirectiveDefinition* def = context().schema().directive(directive.name.value)) {
            for (const InputValue& arg : def->args) {
                if (is_required(arg) && !provided(directive.arguments, arg.name)) {
                    report(directive, arg.name, arg.type->to_string());
                }
            }
        }
    }

  private:
    void report(const ast::Directive& directive, std::string_view arg, const std::string& type) {
        context().report(concat("Argument \"@", directive.name.value, "(", arg, ":)\" of type \"", type,
                                "\" is required, but it was not provided."),
                         {directive.offset});
    }
};

}  // namespace

RulePtr make_provided_required_arguments_rule(Context& context) {
    return std::make_unique<ProvidedRequiredArguments>(context);
}

}  // namespace alatar::graphql::validation
