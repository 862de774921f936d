// graphql-js KnownArgumentNamesRule (https://spec.graphql.org/October2021/#sec-Argument-Names):
// arguments of known directives and of known fields must be defined.
#include <unordered_map>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"
#include "graphql/suggestions.hpp"

namespace alatar::graphql::validation {
namespace {

class KnownArgumentNames final : public Rule {
  public:
    explicit KnownArgumentNames(Context& context)
        : Rule(context, on_enter(NodeKind::kDirective) | on_enter(NodeKind::kArgument)) {
        for (const DirectiveDefinition& directive : context.schema().directives()) {
            auto& names = directive_args_[directive.name];
            for (const InputValue& arg : directive.args) {
                names.emplace_back(arg.name);
            }
        }
        for (const ast::Definition* def : context.document().definitions()) {
            if (def->kind == ast::DefinitionKind::kDirective && def->name) {
                auto& names = directive_args_[def->name->value];
                names.clear();
                for (const ast::InputValueDefinition* arg : def->input_fields) {
                    names.push_back(arg->name.value);
                }
            }
        }
    }

    // Directive arguments are checked here; the walk then skips them (graphql-js returns false),
    // so arguments of unknown directives are not reported against the field.
    bool enter_directive(const ast::Directive& directive, std::string_view /*location*/) override {
        auto known = directive_args_.find(directive.name.value);
        if (known == directive_args_.end()) {
            return false;
        }
        for (const ast::Argument& arg : directive.arguments) {
            bool found = false;
            for (std::string_view name : known->second) {
                found = found || name == arg.name.value;
            }
            if (found) {
                continue;
            }
            std::vector<std::string_view> suggestions;
            if (!context().hide_suggestions()) {
                suggestions = suggestion_list(arg.name.value, known->second);
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
    std::unordered_map<std::string_view, std::vector<std::string_view>> directive_args_;
};

}  // namespace

RulePtr make_known_argument_names_rule(Context& context) { return std::make_unique<KnownArgumentNames>(context); }

}  // namespace alatar::graphql::validation
