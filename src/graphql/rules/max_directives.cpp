// Protective rule (not in graphql-js): limits the number of directive uses (fragments counted where spread) of each
// operation to ValidationOptions::max_directives, reported at the operation.
#include <string>

#include "graphql/rules/operation_measure.hpp"
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class MaxDirectives final : public Rule {
  public:
    explicit MaxDirectives(Context& context) : Rule(context, on_enter(NodeKind::kOperation)), measurer_(context) {}

    bool enter_operation(const ast::Definition& operation) override {
        const std::size_t limit = context().options().max_directives;
        const std::size_t found = measurer_.measure(operation).directives;
        if (found > limit) {
            context().report(concat("Query directive limit of ", std::to_string(limit), " exceeded, found ",
                                    std::to_string(found), "."),
                             {operation.offset});
        }
        return true;
    }

  private:
    OperationMeasurer measurer_;
};

}  // namespace

RulePtr make_max_directives_rule(Context& context) { return std::make_unique<MaxDirectives>(context); }

}  // namespace alatar::graphql::validation
