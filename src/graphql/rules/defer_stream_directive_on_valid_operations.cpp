// graphql-js DeferStreamDirectiveOnValidOperationsRule: subscriptions may use @defer/@stream
// only when they can be disabled (`if: false` or a variable).
#include <unordered_set>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

const ast::Value* if_argument(const ast::Directive& directive) {
    for (const ast::Argument& arg : directive.arguments) {
        if (arg.name.value == "if") {
            return arg.value;
        }
    }
    return nullptr;
}

bool if_can_be_false(const ast::Directive& directive) {
    const ast::Value* value = if_argument(directive);
    if (value == nullptr) {
        return false;
    }
    if (value->kind == ast::ValueKind::kBoolean) {
        return !value->boolean;
    }
    return value->kind == ast::ValueKind::kVariable;
}

bool skippable_by_skip(const ast::Directive& skip) {
    const ast::Value* value = if_argument(skip);
    return value == nullptr || value->kind != ast::ValueKind::kBoolean || value->boolean;
}

bool skippable_by_include(const ast::Directive& include) {
    const ast::Value* value = if_argument(include);
    if (value == nullptr) {
        return false;
    }
    return value->kind != ast::ValueKind::kBoolean || !value->boolean;
}

const ast::Directive* find_directive(const ast::Selection& selection, std::string_view name) {
    for (const ast::Directive* directive : selection.directives) {
        if (directive->name.value == name) {
            return directive;
        }
    }
    return nullptr;
}

class DeferStreamDirectiveOnValidOperations final : public Rule {
  public:
    explicit DeferStreamDirectiveOnValidOperations(Context& context) : Rule(context, on_enter(NodeKind::kOperation)) {}

    bool enter_operation(const ast::Definition& operation) override {
        if (operation.operation != ast::OperationType::kSubscription || operation.selection_set == nullptr) {
            return true;
        }
        std::unordered_set<std::string_view> visited;
        parents_.clear();
        if (forbid(*operation.selection_set, visited)) {
            checked_.insert(visited.begin(), visited.end());
        }
        return true;
    }

  private:
    bool forbid(const ast::SelectionSet& set, std::unordered_set<std::string_view>& visited) {
        bool valid = true;
        for (const ast::Selection* selection : set.selections) {
            const ast::Directive* skip = find_directive(*selection, "skip");
            if (skip != nullptr && skippable_by_skip(*skip)) {
                continue;
            }
            const ast::Directive* include = find_directive(*selection, "include");
            if (include != nullptr && skippable_by_include(*include)) {
                continue;
            }
            for (const ast::Directive* directive : selection->directives) {
                const bool defer = directive->name.value == "defer";
                if ((defer || directive->name.value == "stream") && !if_can_be_false(*directive)) {
                    valid = false;
                    report(defer ? "Defer directive not supported on subscription operations. Disable `@defer` by "
                                   "setting the `if` argument to `false`."
                                 : "Stream directive not supported on subscription operations. Disable `@stream` "
                                   "by setting the `if` argument to `false`.",
                           *directive);
                }
            }
            if (selection->kind == ast::SelectionKind::kFragmentSpread) {
                const std::string_view name = selection->name.value;
                if (visited.contains(name) || checked_.contains(name)) {
                    continue;
                }
                visited.insert(name);
                const ast::Definition* fragment = context().fragment(name);
                if (fragment != nullptr && fragment->selection_set != nullptr) {
                    parents_.push_back(selection);
                    valid = forbid(*fragment->selection_set, visited) && valid;
                    parents_.pop_back();
                }
            } else if (selection->selection_set != nullptr) {
                valid = forbid(*selection->selection_set, visited) && valid;
            }
        }
        return valid;
    }

    void report(const char* message, const ast::Directive& directive) {
        std::vector<std::uint32_t> offsets{directive.offset};
        for (auto it = parents_.rbegin(); it != parents_.rend(); ++it) {
            offsets.push_back((*it)->offset);
        }
        context().report(message, offsets);
    }

    std::unordered_set<std::string_view> checked_;
    std::vector<const ast::Selection*> parents_;
};

}  // namespace

RulePtr make_defer_stream_directive_on_valid_operations_rule(Context& context) {
    return std::make_unique<DeferStreamDirectiveOnValidOperations>(context);
}

}  // namespace alatar::graphql::validation
