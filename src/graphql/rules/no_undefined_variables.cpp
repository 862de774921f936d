// graphql-js NoUndefinedVariablesRule (https://spec.graphql.org/October2021/#sec-All-Variable-Uses-Defined):
// one error per use, fragments reached from the operation included.
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class NoUndefinedVariables final : public Rule {
  public:
    explicit NoUndefinedVariables(Context& context) : Rule(context, on_enter(NodeKind::kOperation)) {}

    bool enter_operation(const ast::Definition& operation) override {
        for (const VariableUsage& usage : context().recursive_variable_usages(operation)) {
            const std::string_view name = usage.node->text;
            bool defined = false;
            for (const ast::VariableDefinition* def : operation.variable_definitions) {
                defined = defined || def->variable.value == name;
            }
            if (defined) {
                continue;
            }
            context().report(operation.name ? concat("Variable \"$", name, "\" is not defined by operation \"",
                                                     operation.name->value, "\".")
                                            : concat("Variable \"$", name, "\" is not defined."),
                             {usage.node->offset, operation.offset});
        }
        return true;
    }
};

}  // namespace

RulePtr make_no_undefined_variables_rule(Context& context) { return std::make_unique<NoUndefinedVariables>(context); }

}  // namespace alatar::graphql::validation
