// graphql-js KnownArgumentNamesRule (https://spec.graphql.org/October2021/#sec-Argument-Names):
// arguments of known directives and of known fields must be defined.
#include <algorithm>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"
#include "graphql/suggestions.hpp"

namespace alatar::graphql::validation {
namespace {

class KnownArgumentNames final : public Rule {
  public:
    explicit KnownArgumentNames(Context& context)
        : Rule(context, on_enter(NodeKind::kDirective) | on_enter(NodeKind::kArgument)) {}

    // Directive arguments are checked here; the walk then skips them (graphql-js returns false),
    // so arguments of unknown directives are not reported against the field.
    bool enter_directive(const ast::Directive& directive, std::string_view /*location*/) override {
        if (directive.arguments.empty()) {
            return false;
        }
        known_.clear();
        if (const ast::Definition* local = context().document_directive(directive.name.value)) {
            for (const ast::InputValueDefinition* arg : local->input_fields) {
                known_.push_back(arg->name.value);
            }
        } else if (const DirectiveDefinition* def = context().schema().directive(directive.name.value)) {
            for (const InputValue& arg : def->args) {
                known_.emplace_back(arg.name);
            }
        } else {
            return false;
        }
        for (const ast::Argument& arg : directive.arguments) {
            if (std::find(known_.begin(), known_.end(), arg.name.value) != known_.end()) {
                continue;
            }
            std::vector<std::string_view> suggestions;
            if (!context().hide_suggestions()) {
                suggestions = suggestion_list(arg.name.value, known_);
            }
            context().report(concat("Unknown argument \"", arg.name.value, "\" on directive \"@", directive.name.value,
                                    "\".", did_you_mean(suggestions)),
                             {arg.name.offset});
        }
        return false;
    }

    bool enter_argument(const ast::Argument& arg) override {
        const FieldDefinition* field = context().type_info().field_def();
        if (context().type_info().argument() != nullptr || field == nullptr) {
            return true;
        }
        std::vector<std::string_view> suggestions;
        if (!context().hide_suggestions()) {
            std::vector<std::string_view> names;
            names.reserve(field->args.size());
            for (const InputValue& def : field->args) {
                names.emplace_back(def.name);
            }
            suggestions = suggestion_list(arg.name.value, names);
        }
        context().report(concat("Unknown argument \"", arg.name.value, "\" on field \"",
                                context().field_coordinate(context().type_info().parent_type(), *field), "\".",
                                did_you_mean(suggestions)),
                         {arg.name.offset});
        return true;
    }

  private:
    std::vector<std::string_view> known_;  // reused between directives
};

}  // namespace

RulePtr make_known_argument_names_rule(Context& context) { return std::make_unique<KnownArgumentNames>(context); }

}  // namespace alatar::graphql::validation
