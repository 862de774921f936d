// graphql-js KnownFragmentNamesRule (https://spec.graphql.org/October2021/#sec-Fragment-spread-target-defined).
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class KnownFragmentNames final : public Rule {
  public:
    explicit KnownFragmentNames(Context& context) : Rule(context, on_enter(NodeKind::kFragmentSpread)) {}

    bool enter_fragment_spread(const ast::Selection& spread) override {
        if (context().fragment(spread.name.value) == nullptr) {
            context().report(concat("Unknown fragment \"", spread.name.value, "\"."), {spread.name.offset});
        }
        return true;
    }
};

}  // namespace

RulePtr make_known_fragment_names_rule(Context& context) { return std::make_unique<KnownFragmentNames>(context); }

}  // namespace alatar::graphql::validation
