// graphql-js ScalarLeafsRule (https://spec.graphql.org/October2021/#sec-Leaf-Field-Selections).
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class ScalarLeafs final : public Rule {
  public:
    explicit ScalarLeafs(Context& context) : Rule(context, on_enter(NodeKind::kField)) {}

    bool enter_field(const ast::Selection& field) override {
        const Type* type = context().type_info().type();
        if (type == nullptr) {
            return true;
        }
        if (type->named().is_leaf()) {
            if (field.selection_set != nullptr) {
                context().report(concat("Field \"", field.name.value, "\" must not have a selection since type \"",
                                        type->to_string(), "\" has no subfields."),
                                 {field.selection_set->offset});
            }
        } else if (field.selection_set == nullptr) {
            context().report(
                concat("Field \"", field.name.value, "\" of type \"", type->to_string(),
                       "\" must have a selection of subfields. Did you mean \"", field.name.value, " { ... }\"?"),
                {field.offset});
        }
        return true;
    }
};

}  // namespace

RulePtr make_scalar_leafs_rule(Context& context) { return std::make_unique<ScalarLeafs>(context); }

}  // namespace alatar::graphql::validation
