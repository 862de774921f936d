// graphql-js KnownOperationTypesRule: the schema must define a root type for the operation.
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

std::string_view operation_name(ast::OperationType op) {
    switch (op) {
        case ast::OperationType::kQuery:
            return "query";
        case ast::OperationType::kMutation:
            return "mutation";
        case ast::OperationType::kSubscription:
            return "subscription";
    }
    return "query";
}

class KnownOperationTypes final : public Rule {
  public:
    explicit KnownOperationTypes(Context& context) : Rule(context, on_enter(NodeKind::kOperation)) {}

    bool enter_operation(const ast::Definition& operation) override {
        if (context().schema().root_type(operation.operation) == nullptr) {
            context().report(
                concat("The ", operation_name(operation.operation), " operation is not supported by the schema."),
                {operation.offset});
        }
        return true;
    }
};

}  // namespace

RulePtr make_known_operation_types_rule(Context& context) { return std::make_unique<KnownOperationTypes>(context); }

}  // namespace alatar::graphql::validation
