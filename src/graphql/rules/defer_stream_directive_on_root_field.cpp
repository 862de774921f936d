// graphql-js DeferStreamDirectiveOnRootFieldRule: @defer and @stream are not allowed on the
// root fields of mutations and subscriptions.
#include <unordered_set>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

const ast::Directive* find_directive(const ast::Selection& selection, std::string_view name) {
    for (const ast::Directive* directive : selection.directives) {
        if (directive->name.value == name) {
            return directive;
        }
    }
    return nullptr;
}

class DeferStreamDirectiveOnRootField final : public Rule {
  public:
    explicit DeferStreamDirectiveOnRootField(Context& context) : Rule(context, on_enter(NodeKind::kOperation)) {}

    bool enter_operation(const ast::Definition& operation) override {
        if (operation.operation == ast::OperationType::kQuery || operation.selection_set == nullptr) {
            return true;
        }
        const Type* root = context().schema().root_type(operation.operation);
        if (root == nullptr) {
            return true;
        }
        op_name_ = operation.operation == ast::OperationType::kMutation ? "mutation" : "subscription";
        root_ = root;
        std::unordered_set<std::string_view> visited;
        if (forbid(*operation.selection_set, visited)) {
            checked_.insert(visited.begin(), visited.end());
        }
        return true;
    }

  private:
    bool forbid(const ast::SelectionSet& set, std::unordered_set<std::string_view>& visited) {
        bool valid = true;
        for (const ast::Selection* selection : set.selections) {
            switch (selection->kind) {
                case ast::SelectionKind::kField:
                    if (const ast::Directive* stream = find_directive(*selection, "stream")) {
                        valid = false;
                        report("Stream", *stream);
                    }
                    break;
                case ast::SelectionKind::kFragmentSpread: {
                    const std::string_view name = selection->name.value;
                    if (!visited.insert(name).second) {
                        continue;
                    }
                    const ast::Definition* fragment = context().fragment(name);
                    if (fragment == nullptr) {
                        break;
                    }
                    if (const ast::Directive* defer = find_directive(*selection, "defer")) {
                        valid = false;
                        report("Defer", *defer);
                    }
                    if (!checked_.contains(name) && fragment->selection_set != nullptr) {
                        valid = forbid(*fragment->selection_set, visited) && valid;
                    }
                    break;
                }
                case ast::SelectionKind::kInlineFragment:
                    if (const ast::Directive* defer = find_directive(*selection, "defer")) {
                        valid = false;
                        report("Defer", *defer);
                    }
                    if (selection->selection_set != nullptr) {
                        valid = forbid(*selection->selection_set, visited) && valid;
                    }
                    break;
            }
        }
        return valid;
    }

    void report(std::string_view what, const ast::Directive& directive) {
        context().report(concat(what, " directive cannot be used on root ", op_name_, " type \"", root_->name, "\"."),
                         {directive.offset});
    }

    std::unordered_set<std::string_view> checked_;
    std::string_view op_name_;
    const Type* root_ = nullptr;
};

}  // namespace

RulePtr make_defer_stream_directive_on_root_field_rule(Context& context) {
    return std::make_unique<DeferStreamDirectiveOnRootField>(context);
}

}  // namespace alatar::graphql::validation
