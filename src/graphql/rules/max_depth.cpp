// Protective rule (not in graphql-js): limits the nesting of fields (fragments expanded) of each
// operation to ValidationOptions::max_depth, reported at the operation.
#include <string>

#include "graphql/rules/operation_measure.hpp"
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class MaxDepth final : public Rule {
  public:
    explicit MaxDepth(Context& context) : Rule(context, on_enter(NodeKind::kOperation)), measurer_(context) {}

    bool enter_operation(const ast::Definition& operation) override {
        const std::size_t limit = context().options().max_depth;
        const std::size_t found = measurer_.measure(operation).depth;
        if (found > limit) {
            context().report(
                concat("Query depth limit of ", std::to_string(limit), " exceeded, found ", std::to_string(found), "."),
                {operation.offset});
        }
        return true;
    }

  private:
    OperationMeasurer measurer_;
};

}  // namespace

RulePtr make_max_depth_rule(Context& context) { return std::make_unique<MaxDepth>(context); }

}  // namespace alatar::graphql::validation
