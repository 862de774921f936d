// graphql-js UniqueOperationNamesRule (https://spec.graphql.org/October2021/#sec-Operation-Name-Uniqueness).
#include <unordered_map>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class UniqueOperationNames final : public Rule {
  public:
    explicit UniqueOperationNames(Context& context)
        : Rule(context, on_enter(NodeKind::kOperation) | on_enter(NodeKind::kFragmentDefinition)) {}

    bool enter_operation(const ast::Definition& operation) override {
        if (operation.name) {
            auto [it, inserted] = known_.try_emplace(operation.name->value, operation.name->offset);
            if (!inserted) {
                context().report(concat("There can be only one operation named \"", operation.name->value, "\"."),
                                 {it->second, operation.name->offset});
            }
        }
        return false;
    }
    bool enter_fragment_definition(const ast::Definition& /*fragment*/) override { return false; }

  private:
    std::unordered_map<std::string_view, std::uint32_t> known_;
};

}  // namespace

RulePtr make_unique_operation_names_rule(Context& context) { return std::make_unique<UniqueOperationNames>(context); }

}  // namespace alatar::graphql::validation
