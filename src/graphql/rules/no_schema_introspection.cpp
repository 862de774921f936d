// Protective rule, after graphql-js's NoSchemaIntrospectionCustomRule: with introspection off,
// __schema and __type are refused (their subtree is not reported again); __typename stays.
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class NoSchemaIntrospection final : public Rule {
  public:
    explicit NoSchemaIntrospection(Context& context) : Rule(context, on_enter(NodeKind::kField)) {}

    bool enter_field(const ast::Selection& field) override {
        const std::string_view name = field.name.value;
        if (name != "__schema" && name != "__type") {
            return true;
        }
        context().report(
            concat("GraphQL introspection has been disabled, but the requested query contained the field \"", name,
                   "\"."),
            {field.offset});
        return false;
    }
};

}  // namespace

RulePtr make_no_schema_introspection_rule(Context& context) { return std::make_unique<NoSchemaIntrospection>(context); }

}  // namespace alatar::graphql::validation
