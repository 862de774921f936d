// graphql-js UniqueArgumentNamesRule (https://spec.graphql.org/October2021/#sec-Argument-Uniqueness).
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class UniqueArgumentNames final : public Rule {
  public:
    explicit UniqueArgumentNames(Context& context)
        : Rule(context, on_enter(NodeKind::kField) | on_enter(NodeKind::kDirective)) {}

    bool enter_field(const ast::Selection& field) override {
        check(field.arguments);
        return true;
    }
    bool enter_directive(const ast::Directive& directive, std::string_view /*location*/) override {
        check(directive.arguments);
        return true;
    }

  private:
    // Groups by name in order of first appearance (argument lists are short).
    void check(const ast::List<ast::Argument>& args) {
        for (std::size_t i = 0; i < args.size(); ++i) {
            const std::string_view name = args[i].name.value;
            bool first = true;
            for (std::size_t j = 0; j < i && first; ++j) {
                first = args[j].name.value != name;
            }
            if (!first) {
                continue;
            }
            std::vector<std::uint32_t> offsets;
            for (std::size_t j = i; j < args.size(); ++j) {
                if (args[j].name.value == name) {
                    offsets.push_back(args[j].name.offset);
                }
            }
            if (offsets.size() > 1) {
                context().report(concat("There can be only one argument named \"", name, "\"."), offsets);
            }
        }
    }
};

}  // namespace

RulePtr make_unique_argument_names_rule(Context& context) { return std::make_unique<UniqueArgumentNames>(context); }

}  // namespace alatar::graphql::validation
