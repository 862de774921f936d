// graphql-js NoUnusedVariablesRule (https://spec.graphql.org/October2021/#sec-All-Variables-Used).
#include <unordered_set>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class NoUnusedVariables final : public Rule {
  public:
    explicit NoUnusedVariables(Context& context) : Rule(context, on_enter(NodeKind::kOperation)) {}

    bool enter_operation(const ast::Definition& operation) override {
        if (operation.variable_definitions.empty()) {
            return true;
        }
        std::unordered_set<std::string_view> used;
        for (const VariableUsage& usage : context().recursive_variable_usages(operation)) {
            used.insert(usage.node->text);
        }
        for (const ast::VariableDefinition* def : operation.variable_definitions) {
            if (used.contains(def->variable.value)) {
                continue;
            }
            context().report(operation.name ? concat("Variable \"$", def->variable.value,
                                                     "\" is never used in operation \"", operation.name->value, "\".")
                                            : concat("Variable \"$", def->variable.value, "\" is never used."),
                             {def->offset});
        }
        return true;
    }
};

}  // namespace

RulePtr make_no_unused_variables_rule(Context& context) { return std::make_unique<NoUnusedVariables>(context); }

}  // namespace alatar::graphql::validation
