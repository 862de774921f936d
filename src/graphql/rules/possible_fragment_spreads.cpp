// graphql-js PossibleFragmentSpreadsRule
// (https://spec.graphql.org/October2021/#sec-Fragment-spread-is-possible).
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class PossibleFragmentSpreads final : public Rule {
  public:
    explicit PossibleFragmentSpreads(Context& context)
        : Rule(context, on_enter(NodeKind::kInlineFragment) | on_enter(NodeKind::kFragmentSpread)) {}

    bool enter_inline_fragment(const ast::Selection& fragment) override {
        const Type* fragment_type = context().type_info().type();
        const Type* parent = context().type_info().parent_type();
        if (fragment_type != nullptr && fragment_type->is_composite() && parent != nullptr && parent->is_composite() &&
            !context().schema().do_types_overlap(*fragment_type, *parent)) {
            context().report(concat("Fragment cannot be spread here as objects of type \"", parent->to_string(),
                                    "\" can never be of type \"", fragment_type->to_string(), "\"."),
                             {fragment.offset});
        }
        return true;
    }

    bool enter_fragment_spread(const ast::Selection& spread) override {
        const Type* fragment_type = fragment_type_of(spread.name.value);
        const Type* parent = context().type_info().parent_type();
        if (fragment_type != nullptr && parent != nullptr &&
            !context().schema().do_types_overlap(*fragment_type, *parent)) {
            context().report(
                concat("Fragment \"", spread.name.value, "\" cannot be spread here as objects of type \"",
                       parent->to_string(), "\" can never be of type \"", fragment_type->to_string(), "\"."),
                {spread.offset});
        }
        return true;
    }

  private:
    const Type* fragment_type_of(std::string_view name) {
        const ast::Definition* fragment = context().fragment(name);
        if (fragment == nullptr || !fragment->type_condition) {
            return nullptr;
        }
        const Type* type = context().schema().type(fragment->type_condition->value);
        return type != nullptr && type->is_composite() ? type : nullptr;
    }
};

}  // namespace

RulePtr make_possible_fragment_spreads_rule(Context& context) {
    return std::make_unique<PossibleFragmentSpreads>(context);
}

}  // namespace alatar::graphql::validation
