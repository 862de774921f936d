// graphql-js KnownDirectivesRule (https://spec.graphql.org/October2021/#sec-Directives-Are-Defined,
// #sec-Directives-Are-In-Valid-Locations): directives of the schema or defined in the document.
#include <algorithm>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class KnownDirectives final : public Rule {
  public:
    explicit KnownDirectives(Context& context) : Rule(context, on_enter(NodeKind::kDirective)) {}

    bool enter_directive(const ast::Directive& directive, std::string_view location) override {
        bool known = false;
        bool allowed = false;
        if (const ast::Definition* local = context().document_directive(directive.name.value)) {
            known = true;
            allowed = std::any_of(local->directive_locations.begin(), local->directive_locations.end(),
                                  [&](const ast::Name& name) { return name.value == location; });
        } else if (const DirectiveDefinition* def = context().schema().directive(directive.name.value)) {
            known = true;
            allowed = std::find(def->locations.begin(), def->locations.end(), location) != def->locations.end();
        }
        if (!known) {
            context().report(concat("Unknown directive \"@", directive.name.value, "\"."), {directive.offset});
        } else if (!allowed) {
            context().report(concat("Directive \"@", directive.name.value, "\" may not be used on ", location, "."),
                             {directive.offset});
        }
        return true;
    }
};

}  // namespace

RulePtr make_known_directives_rule(Context& context) { return std::make_unique<KnownDirectives>(context); }

}  // namespace alatar::graphql::validation
