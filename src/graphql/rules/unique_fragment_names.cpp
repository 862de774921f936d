// graphql-js UniqueFragmentNamesRule (https://spec.graphql.org/October2021/#sec-Fragment-Name-Uniqueness).
#include <unordered_map>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class UniqueFragmentNames final : public Rule {
  public:
    explicit UniqueFragmentNames(Context& context)
        : Rule(context, on_enter(NodeKind::kOperation) | on_enter(NodeKind::kFragmentDefinition)) {}

    bool enter_operation(const ast::Definition& /*operation*/) override { return false; }
    bool enter_fragment_definition(const ast::Definition& fragment) override {
        if (fragment.name) {
            auto [it, inserted] = known_.try_emplace(fragment.name->value, fragment.name->offset);
            if (!inserted) {
                context().report(concat("There can be only one fragment named \"", fragment.name->value, "\"."),
                                 {it->second, fragment.name->offset});
            }
        }
        return false;
    }

  private:
    std::unordered_map<std::string_view, std::uint32_t> known_;
};

}  // namespace

RulePtr make_unique_fragment_names_rule(Context& context) { return std::make_unique<UniqueFragmentNames>(context); }

}  // namespace alatar::graphql::validation
