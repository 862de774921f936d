// graphql-js MaxIntrospectionDepthRule: introspection queries may nest the list fields
// fields / interfaces / possibleTypes / inputFields at most three deep (fragments expanded).
#include <unordered_map>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

constexpr int kMaxListsDepth = 3;

using DepthByName = std::unordered_map<std::string_view, int>;

class MaxIntrospectionDepth final : public Rule {
  public:
    explicit MaxIntrospectionDepth(Context& context) : Rule(context, on_enter(NodeKind::kField)) {}

    bool enter_field(const ast::Selection& field) override {
        if (field.name.value != "__schema" && field.name.value != "__type") {
            return true;
        }
        DepthByName visited;
        if (exceeds(field, visited, 0)) {
            context().report("Maximum introspection depth exceeded", {field.offset});
            return false;
        }
        return true;
    }

  private:
    bool exceeds_in(const ast::SelectionSet* set, DepthByName& visited, int depth) {
        if (set == nullptr) {
            return false;
        }
        for (const ast::Selection* child : set->selections) {
            if (exceeds(*child, visited, depth)) {
                return true;
            }
        }
        return false;
    }

    bool exceeds(const ast::Selection& node, DepthByName& visited, int depth) {
        if (node.kind == ast::SelectionKind::kFragmentSpread) {
            const std::string_view name = node.name.value;
            if (auto it = exceeded_.find(name); it != exceeded_.end() && it->second <= depth) {
                return true;
            }
            if (auto it = visited.find(name); it != visited.end() && it->second >= depth) {
                return false;
            }
            if (auto it = checked_.find(name); it != checked_.end() && it->second >= depth) {
                return false;
            }
            const ast::Definition* fragment = context().fragment(name);
            if (fragment == nullptr) {
                return false;
            }
            visited[name] = depth;
            if (exceeds_in(fragment->selection_set, visited, depth)) {
                exceeded_[name] = depth;
                return true;
            }
            checked_[name] = depth;
            return false;
        }
        if (node.kind == ast::SelectionKind::kField) {
            const std::string_view name = node.name.value;
            if (name == "fields" || name == "interfaces" || name == "possibleTypes" || name == "inputFields") {
                if (++depth >= kMaxListsDepth) {
                    return true;
                }
            }
        }
        return exceeds_in(node.selection_set, visited, depth);
    }

    DepthByName checked_;
    DepthByName exceeded_;
};

}  // namespace

RulePtr make_max_introspection_depth_rule(Context& context) { return std::make_unique<MaxIntrospectionDepth>(context); }

}  // namespace alatar::graphql::validation
