// Protective rule (not in graphql-js): limits the static cost (see ValidationOptions::max_cost) of each
// operation to ValidationOptions::max_cost, reported at the operation.
#include <string>

#include "graphql/rules/operation_measure.hpp"
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class MaxCost final : public Rule {
  public:
    explicit MaxCost(Context& context) : Rule(context, on_enter(NodeKind::kOperation)), measurer_(context) {}

    bool enter_operation(const ast::Definition& operation) override {
        const std::size_t limit = context().options().max_cost;
        const std::size_t found = measurer_.measure(operation).cost;
        if (found > limit) {
            context().report(
                concat("Query cost limit of ", std::to_string(limit), " exceeded, found ", std::to_string(found), "."),
                {operation.offset});
        }
        return true;
    }

  private:
    OperationMeasurer measurer_;
};

}  // namespace

RulePtr make_max_cost_rule(Context& context) { return std::make_unique<MaxCost>(context); }

}  // namespace alatar::graphql::validation
