// graphql-js VariablesAreInputTypesRule
// (https://spec.graphql.org/October2021/#sec-Variables-Are-Input-Types).
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class VariablesAreInputTypes final : public Rule {
  public:
    explicit VariablesAreInputTypes(Context& context) : Rule(context, on_enter(NodeKind::kVariableDefinition)) {}

    bool enter_variable_definition(const ast::VariableDefinition& definition) override {
        if (definition.type == nullptr) {
            return true;
        }
        const Type* type = type_from_ast_ref(context().schema(), *definition.type);
        if (type != nullptr && !type->is_input()) {
            context().report(concat("Variable \"$", definition.variable.value, "\" cannot be non-input type \"",
                                    print_type(*definition.type), "\"."),
                             {definition.type->offset});
        }
        return true;
    }
};

}  // namespace

RulePtr make_variables_are_input_types_rule(Context& context) {
    return std::make_unique<VariablesAreInputTypes>(context);
}

}  // namespace alatar::graphql::validation
