// graphql-js UniqueVariableNamesRule (https://spec.graphql.org/October2021/#sec-Variable-Uniqueness).
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class UniqueVariableNames final : public Rule {
  public:
    explicit UniqueVariableNames(Context& context) : Rule(context, on_enter(NodeKind::kOperation)) {}

    bool enter_operation(const ast::Definition& operation) override {
        const auto& defs = operation.variable_definitions;
        // Groups by name in order of first appearance; operations declare few variables.
        for (std::size_t i = 0; i < defs.size(); ++i) {
            const std::string_view name = defs[i]->variable.value;
            bool first = true;
            for (std::size_t j = 0; j < i && first; ++j) {
                first = defs[j]->variable.value != name;
            }
            if (!first) {
                continue;
            }
            std::vector<std::uint32_t> offsets;
            for (std::size_t j = i; j < defs.size(); ++j) {
                if (defs[j]->variable.value == name) {
                    offsets.push_back(defs[j]->variable.offset);
                }
            }
            if (offsets.size() > 1) {
                context().report(concat("There can be only one variable named \"$", name, "\"."), offsets);
            }
        }
        return true;
    }
};

}  // namespace

RulePtr make_unique_variable_names_rule(Context& context) { return std::make_unique<UniqueVariableNames>(context); }

}  // namespace alatar::graphql::validation
