// graphql-js UniqueDirectivesPerLocationRule
// (https://spec.graphql.org/October2021/#sec-Directives-Are-Unique-Per-Location): a
// non-repeatable directive appears once per node; a type and its extensions count as one node.
#include <span>
#include <unordered_map>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

using Seen = std::unordered_map<std::string_view, std::uint32_t>;

class UniqueDirectivesPerLocation final : public Rule {
  public:
    explicit UniqueDirectivesPerLocation(Context& context)
        : Rule(context, on_enter(NodeKind::kOperation) | on_enter(NodeKind::kFragmentDefinition) |
                            on_enter(NodeKind::kVariableDefinition) | on_enter(NodeKind::kField) |
                            on_enter(NodeKind::kFragmentSpread) | on_enter(NodeKind::kInlineFragment) |
                            on_enter(NodeKind::kSdlNode)) {}

    bool enter_operation(const ast::Definition& def) override { return check_local(def.directives); }
    bool enter_fragment_definition(const ast::Definition& def) override { return check_local(def.directives); }
    bool enter_variable_definition(const ast::VariableDefinition& def) override { return check_local(def.directives); }
    bool enter_field(const ast::Selection& sel) override { return check_local(sel.directives); }
    bool enter_fragment_spread(const ast::Selection& sel) override { return check_local(sel.directives); }
    bool enter_inline_fragment(const ast::Selection& sel) override { return check_local(sel.directives); }

    bool enter_sdl_node(const SdlNode& node) override {
        const ast::Definition* def = node.definition;
        if (def == nullptr) {
            Seen seen;
            check(node.directives, seen);
        } else if (def->kind == ast::DefinitionKind::kSchema) {
            check(node.directives, schema_seen_);
        } else if (def->kind == ast::DefinitionKind::kDirective) {
            check(node.directives, directive_seen_[def->name ? def->name->value : std::string_view()]);
        } else {
            check(node.directives, type_seen_[def->name ? def->name->value : std::string_view()]);
        }
        return true;
    }

  private:
    bool check_local(const ast::List<const ast::Directive*>& directives) {
        if (directives.size() > 1) {
            Seen seen;
            check(std::span<const ast::Directive* const>(directives.data(), directives.size()), seen);
        }
        return true;
    }

    // Known and not repeatable (a document's own definition overrides the schema's).
    bool is_unique(std::string_view name) {
        if (const ast::Definition* local = context().document_directive(name)) {
            return !local->repeatable;
        }
        const DirectiveDefinition* def = context().schema().directive(name);
        return def != nullptr && !def->repeatable;
    }

    void check(std::span<const ast::Directive* const> directives, Seen& seen) {
        for (const ast::Directive* directive : directives) {
            if (!is_unique(directive->name.value)) {
                continue;
            }
            auto [it, inserted] = seen.try_emplace(directive->name.value, directive->offset);
            if (!inserted) {
                context().report(
                    concat("The directive \"@", directive->name.value, "\" can only be used once at this location."),
                    {it->second, directive->offset});
            }
        }
    }

    Seen schema_seen_;
    std::unordered_map<std::string_view, Seen> type_seen_;
    std::unordered_map<std::string_view, Seen> directive_seen_;
};

}  // namespace

RulePtr make_unique_directives_per_location_rule(Context& context) {
    return std::make_unique<UniqueDirectivesPerLocation>(context);
}

}  // namespace alatar::graphql::validation
