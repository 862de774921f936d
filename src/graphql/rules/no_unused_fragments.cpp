// graphql-js NoUnusedFragmentsRule (https://spec.graphql.org/October2021/#sec-Fragments-Must-Be-Used).
#include <unordered_set>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class NoUnusedFragments final : public Rule {
  public:
    explicit NoUnusedFragments(Context& context)
        : Rule(context, on_enter(NodeKind::kOperation) | on_enter(NodeKind::kFragmentDefinition) |
                            on_leave(NodeKind::kDocument)) {}

    bool enter_operation(const ast::Definition& operation) override {
        operations_.push_back(&operation);
        return false;
    }
    bool enter_fragment_definition(const ast::Definition& fragment) override {
        fragments_.push_back(&fragment);
        return false;
    }
    void leave_document(const Document& /*document*/) override {
        std::unordered_set<std::string_view> used;
        for (const ast::Definition* fragment : context().recursively_referenced_fragments(operations_)) {
            used.insert(fragment->name->value);
        }
        for (const ast::Definition* fragment : fragments_) {
            if (fragment->name && !used.contains(fragment->name->value)) {
                context().report(concat("Fragment \"", fragment->name->value, "\" is never used."), {fragment->offset});
            }
        }
    }

  private:
    std::vector<const ast::Definition*> operations_;
    std::vector<const ast::Definition*> fragments_;
};

}  // namespace

RulePtr make_no_unused_fragments_rule(Context& context) { return std::make_unique<NoUnusedFragments>(context); }

}  // namespace alatar::graphql::validation
