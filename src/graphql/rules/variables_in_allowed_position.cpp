// graphql-js VariablesInAllowedPositionRule
// (https://spec.graphql.org/October2021/#sec-All-Variable-Usages-Are-Allowed), with the
// OneOf input object check of graphql-js 17.
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class VariablesInAllowedPosition final : public Rule {
  public:
    explicit VariablesInAllowedPosition(Context& context) : Rule(context, on_leave(NodeKind::kOperation)) {}

    void leave_operation(const ast::Definition& operation) override {
        const Schema& schema = context().schema();
        for (const VariableUsage& usage : context().recursive_variable_usages(operation)) {
            const ast::VariableDefinition* def = definition_of(operation, usage.node->text);
            if (def == nullptr || usage.type == nullptr || def->type == nullptr) {
                continue;
            }
            const Type* var_type = type_from_ast_ref(schema, *def->type);
            if (var_type == nullptr) {
                continue;
            }
            if (!allowed(*var_type, *def, *usage.type, usage.has_location_default)) {
                context().report(concat("Variable \"$", usage.node->text, "\" of type \"", var_type->to_string(),
                                        "\" used in position expecting type \"", usage.type->to_string(), "\"."),
                                 {def->offset, usage.node->offset});
            }
            const Type* parent = usage.parent_type;
            if (parent != nullptr && parent->kind == TypeKind::kInputObject && parent->one_of &&
                !var_type->is_non_null()) {
                context().report(
                    concat("Variable \"$", usage.node->text, "\" is of type \"", var_type->to_string(),
                           "\" but must be non-nullable to be used for OneOf Input Object \"", parent->name, "\"."),
                    {def->offset, usage.node->offset});
            }
        }
    }

  private:
    // The last definition of the name wins, as graphql-js's Map does.
    static const ast::VariableDefinition* definition_of(const ast::Definition& operation, std::string_view name) {
        const ast::VariableDefinition* found = nullptr;
        for (const ast::VariableDefinition* def : operation.variable_definitions) {
            if (def->variable.value == name) {
                found = def;
            }
        }
        return found;
    }

    bool allowed(const Type& var_type, const ast::VariableDefinition& def, const Type& location,
                 bool location_has_default) {
        const Schema& schema = context().schema();
        if (location.is_non_null() && !var_type.is_non_null()) {
            const bool var_has_default =
                def.default_value != nullptr && def.default_value->kind != ast::ValueKind::kNull;
            if (!var_has_default && !location_has_default) {
                return false;
            }
            return schema.is_type_sub_type_of(var_type, *location.of_type);
        }
        return schema.is_type_sub_type_of(var_type, location);
    }
};

}  // namespace

RulePtr make_variables_in_allowed_position_rule(Context& context) {
    return std::make_unique<VariablesInAllowedPosition>(context);
}

}  // namespace alatar::graphql::validation
