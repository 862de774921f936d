// Protective rule (not in graphql-js): limits the number of aliased fields (fragments counted where spread) of each
// operation to ValidationOptions::max_aliases, reported at the operation.
#include <string>

#include "graphql/rules/operation_measure.hpp"
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class MaxAliases final : public Rule {
  public:
    explicit MaxAliases(Context& context) : Rule(context, on_enter(NodeKind::kOperation)), measurer_(context) {}

    bool enter_operation(const ast::Definition& operation) override {
        const std::size_t limit = context().options().max_aliases;
        const std::size_t found = measurer_.measure(operation).aliases;
        if (found > limit) {
            context().report(
                concat("Query alias limit of ", std::to_string(limit), " exceeded, found ", std::to_string(found), "."),
                {operation.offset});
        }
        return true;
    }

  private:
    OperationMeasurer measurer_;
};

}  // namespace

RulePtr make_max_aliases_rule(Context& context) { return std::make_unique<MaxAliases>(context); }

}  // namespace alatar::graphql::validation
