// graphql-js SingleFieldSubscriptionsRule
// (https://spec.graphql.org/October2021/#sec-Single-root-field): a subscription selects exactly
// one root field (fragments expanded as execution collects fields), not an introspection
// field, and without @skip/@include at the top level.
#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

struct Group {
    std::string_view key;
    std::vector<const ast::Selection*> fields;
};

class SingleFieldSubscriptions final : public Rule {
  public:
    explicit SingleFieldSubscriptions(Context& context) : Rule(context, on_enter(NodeKind::kOperation)) {}

    bool enter_operation(const ast::Definition& operation) override {
        const Type* subscription = context().schema().subscription_type();
        if (operation.operation != ast::OperationType::kSubscription || subscription == nullptr ||
            operation.selection_set == nullptr) {
            return true;
        }
        runtime_type_ = subscription;
        groups_.clear();
        forbidden_.clear();
        visited_.clear();
        collect(*operation.selection_set, nullptr);

        const std::string subject =
            operation.name ? concat("Subscription \"", operation.name->value, "\"") : "Anonymous Subscription";
        if (!forbidden_.empty()) {
            std::vector<std::uint32_t> offsets;
            for (const ast::Directive* directive : forbidden_) {
                offsets.push_back(directive->offset);
            }
            context().report(
                concat(subject, " must not use `@skip` or `@include` directives in the top level selection."), offsets);
            return true;
        }
        if (groups_.empty()) {
            context().report(concat(subject, " must select one top level field."), {operation.selection_set->offset});
        } else if (groups_.size() > 1) {
            std::vector<std::uint32_t> offsets;
            for (std::size_t i = 1; i < groups_.size(); ++i) {
                for (const ast::Selection* field : groups_[i].fields) {
                    offsets.push_back(field->offset);
                }
            }
            context().report(concat(subject, " must select only one top level field."), offsets);
        }
        for (const Group& group : groups_) {
            if (group.fields.front()->name.value.starts_with("__")) {
                std::vector<std::uint32_t> offsets;
                for (const ast::Selection* field : group.fields) {
                    offsets.push_back(field->offset);
                }
                context().report(concat(subject, " must not select an introspection top level field."), offsets);
            }
        }
        return true;
    }

  private:
    static const ast::Directive* find_directive(const ast::Selection& selection, std::string_view name) {
        for (const ast::Directive* directive : selection.directives) {
            if (directive->name.value == name) {
                return directive;
            }
        }
        return nullptr;
    }

    // Top-level @skip/@include are forbidden: record them and leave the selection out.
    bool should_include(const ast::Selection& selection) {
        if (const ast::Directive* skip = find_directive(selection, "skip")) {
            forbidden_.push_back(skip);
            return false;
        }
        if (const ast::Directive* include = find_directive(selection, "include")) {
            forbidden_.push_back(include);
            return false;
        }
        return true;
    }

    bool condition_matches(const std::optional<ast::Name>& condition) const {
        if (!condition) {
            return true;
        }
        const Type* type = context_schema().type(condition->value);
        if (type == nullptr) {
            return false;
        }
        if (type == runtime_type_) {
            return true;
        }
        return type->is_abstract() && context_schema().is_sub_type(*type, *runtime_type_);
    }

    const Schema& context_schema() const { return schema_; }

    // A @defer without `if: false` starts a new deferred usage (variables default to true here).
    static const ast::Directive* defer_of(const ast::Selection& selection) {
        const ast::Directive* defer = find_directive(selection, "defer");
        if (defer == nullptr) {
            return nullptr;
        }
        for (const ast::Argument& arg : defer->arguments) {
            if (arg.name.value == "if" && arg.value != nullptr && arg.value->kind == ast::ValueKind::kBoolean &&
                !arg.value->boolean) {
                return nullptr;
            }
        }
        return defer;
    }

    void add_field(const ast::Selection& field) {
        const std::string_view key = field.response_key();
        for (Group& group : groups_) {
            if (group.key == key) {
                group.fields.push_back(&field);
                return;
            }
        }
        groups_.push_back(Group{key, {&field}});
    }

    void collect(const ast::SelectionSet& set, const ast::Directive* defer_usage) {
        context().spend_fragment_work(set.selections.size());
        for (const ast::Selection* selection : set.selections) {
            context().spend_fragment_work(selection->directives.size());
        }
        for (const ast::Selection* selection : set.selections) {
            switch (selection->kind) {
                case ast::SelectionKind::kField:
                    if (should_include(*selection)) {
                        add_field(*selection);
                    }
                    break;
                case ast::SelectionKind::kInlineFragment: {
                    if (!should_include(*selection) || !condition_matches(selection->type_condition) ||
                        selection->selection_set == nullptr) {
                        break;
                    }
                    const ast::Directive* defer = defer_of(*selection);
                    collect(*selection->selection_set, defer != nullptr ? defer : defer_usage);
                    break;
                }
                case ast::SelectionKind::kFragmentSpread: {
                    if (!should_include(*selection)) {
                        break;
                    }
                    const ast::Definition* fragment = context().fragment(selection->name.value);
                    if (fragment == nullptr || !condition_matches(fragment->type_condition) ||
                        fragment->selection_set == nullptr) {
                        break;
                    }
                    const ast::Directive* defer = defer_of(*selection);
                    const ast::Directive* usage = defer != nullptr ? defer : defer_usage;
                    auto& seen = visited_[selection->name.value];
                    const bool seen_plain = std::find(seen.begin(), seen.end(), nullptr) != seen.end();
                    if (seen_plain || (usage != nullptr && std::find(seen.begin(), seen.end(), usage) != seen.end())) {
                        break;
                    }
                    seen.push_back(usage);
                    collect(*fragment->selection_set, usage);
                    break;
                }
            }
        }
    }

    const Schema& schema_ = context().schema();
    const Type* runtime_type_ = nullptr;
    std::vector<Group> groups_;
    std::vector<const ast::Directive*> forbidden_;
    std::unordered_map<std::string_view, std::vector<const ast::Directive*>> visited_;
};

}  // namespace

RulePtr make_single_field_subscriptions_rule(Context& context) {
    return std::make_unique<SingleFieldSubscriptions>(context);
}

}  // namespace alatar::graphql::validation
