// graphql-js ExecutableDefinitionsRule: a document sent for execution holds only operations
// and fragments (https://spec.graphql.org/October2021/#sec-Executable-Definitions).
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class ExecutableDefinitions final : public Rule {
  public:
    explicit ExecutableDefinitions(Context& context) : Rule(context, on_enter(NodeKind::kDocument)) {}

    bool enter_document(const Document& document) override {
        for (const ast::Definition* def : document.definitions()) {
            if (def->is_executable()) {
                continue;
            }
            const bool is_schema = def->kind == ast::DefinitionKind::kSchema;
            const std::string name =
                is_schema || !def->name ? std::string("schema") : concat("\"", def->name->value, "\"");
            context().report(concat("The ", name, " definition is not executable."), {def->offset});
        }
        return false;
    }
};

}  // namespace

RulePtr make_executable_definitions_rule(Context& context) { return std::make_unique<ExecutableDefinitions>(context); }

}  // namespace alatar::graphql::validation
