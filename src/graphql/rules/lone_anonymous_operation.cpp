// graphql-js LoneAnonymousOperationRule (https://spec.graphql.org/October2021/#sec-Lone-Anonymous-Operation).
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class LoneAnonymousOperation final : public Rule {
  public:
    explicit LoneAnonymousOperation(Context& context)
        : Rule(context, on_enter(NodeKind::kDocument) | on_enter(NodeKind::kOperation)) {}

    bool enter_document(const Document& document) override {
        operations_ = 0;
        for (const ast::Definition* def : document.definitions()) {
            operations_ += def->kind == ast::DefinitionKind::kOperation ? 1 : 0;
        }
        return true;
    }
    bool enter_operation(const ast::Definition& operation) override {
        if (!operation.name && operations_ > 1) {
            context().report("This anonymous operation must be the only defined operation.", {operation.offset});
        }
        return true;
    }

  private:
    std::size_t operations_ = 0;
};

}  // namespace

RulePtr make_lone_anonymous_operation_rule(Context& context) {
    return std::make_unique<LoneAnonymousOperation>(context);
}

}  // namespace alatar::graphql::validation
