// graphql-js KnownDirectivesRule (https://spec.graphql.org/October2021/#sec-Directives-Are-Defined,
// #sec-Directives-Are-In-Valid-Locations): directives of the schema or defined in the document.
#include <algorithm>
#include <unordered_map>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class KnownDirectives final : public Rule {
  public:
    explicit KnownDirectives(Context& context) : Rule(context, on_enter(NodeKind::kDirective)) {
        for (const DirectiveDefinition& directive : context.schema().directives()) {
            auto& locations = locations_[directive.name];
            locations.assign(directive.locations.begin(), directive.locations.end());
        }
        for (const ast::Definition* def : context.document().definitions()) {
            if (def->kind == ast::DefinitionKind::kDirective && def->name) {
                auto& locations = locations_[def->name->value];
                locations.clear();
                for (const ast::Name& location : def->directive_locations) {
                    locations.push_back(location.value);
                }
            }
        }
    }

    bool enter_directive(const ast::Directive& directive, std::string_view location) override {
        auto it = locations_.find(directive.name.value);
        if (it == locations_.end()) {
            context().report(concat("Unknown directive \"@", directive.name.value, "\"."), {directive.offset});
            return true;
        }
        if (std::find(it->second.begin(), it->second.end(), location) == it->second.end()) {
            context().report(concat("Directive \"@", directive.name.value, "\" may not be used on ", location, "."),
                             {directive.offset});
        }
        return true;
    }

  private:
    std::unordered_map<std::string_view, std::vector<std::string_view>> locations_;
};

}  // namespace

RulePtr make_known_directives_rule(Context& context) { return std::make_unique<KnownDirectives>(context); }

}  // namespace alatar::graphql::validation
