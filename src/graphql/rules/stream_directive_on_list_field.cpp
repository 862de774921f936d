// graphql-js StreamDirectiveOnListFieldRule: @stream only on fields returning a list.
#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class StreamDirectiveOnListField final : public Rule {
  public:
    explicit StreamDirectiveOnListField(Context& context) : Rule(context, on_enter(NodeKind::kDirective)) {}

    bool enter_directive(const ast::Directive& directive, std::string_view /*location*/) override {
        const FieldDefinition* field = context().type_info().field_def();
        const Type* parent = context().type_info().parent_type();
        if (field == nullptr || parent == nullptr || directive.name.value != "stream" || field->type == nullptr) {
            return true;
        }
        if (field->type->nullable().is_list()) {
            return true;
        }
        context().report(
            concat("Directive \"@stream\" cannot be used on non-list field \"", parent->name, ".", field->name, "\"."),
            {directive.offset});
        return true;
    }
};

}  // namespace

RulePtr make_stream_directive_on_list_field_rule(Context& context) {
    return std::make_unique<StreamDirectiveOnListField>(context);
}

}  // namespace alatar::graphql::validation
