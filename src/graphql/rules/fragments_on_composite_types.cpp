// graphql-js FragmentsOnCompositeTypesRule
// (https://spec.graphql.org/October2021/#sec-Fragments-On-Composite-Types).
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class FragmentsOnCompositeTypes final : public Rule {
  public:
    explicit FragmentsOnCompositeTypes(Context& context)
        : Rule(context, on_enter(NodeKind::kInlineFragment) | on_enter(NodeKind::kFragmentDefinition)) {}

    bool enter_inline_fragment(const ast::Selection& fragment) override {
        if (fragment.type_condition && is_non_composite(fragment.type_condition->value)) {
            context().report(
                concat("Fragment cannot condition on non composite type \"", fragment.type_condition->value, "\"."),
                {fragment.type_condition->offset});
        }
        return true;
    }
    bool enter_fragment_definition(const ast::Definition& fragment) override {
        if (fragment.type_condition && is_non_composite(fragment.type_condition->value)) {
            context().report(
                concat("Fragment \"", fragment.name ? fragment.name->value : std::string_view(),
                       "\" cannot condition on non composite type \"", fragment.type_condition->value, "\"."),
                {fragment.type_condition->offset});
        }
        return true;
    }

  private:
    bool is_non_composite(std::string_view name) {
        const Type* type = context().schema().type(name);
        return type != nullptr && !type->is_composite();
    }
};

}  // namespace

RulePtr make_fragments_on_composite_types_rule(Context& context) {
    return std::make_unique<FragmentsOnCompositeTypes>(context);
}

}  // namespace alatar::graphql::validation
