// graphql-js NoFragmentCyclesRule (https://spec.graphql.org/October2021/#sec-Fragment-spreads-must-not-form-cycles):
// a depth-first search over spreads that reports each cycle once, with the spreads along it.
#include <span>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class NoFragmentCycles final : public Rule {
  public:
    explicit NoFragmentCycles(Context& context)
        : Rule(context, on_enter(NodeKind::kOperation) | on_enter(NodeKind::kFragmentDefinition)) {}

    bool enter_operation(const ast::Definition& /*operation*/) override { return false; }
    bool enter_fragment_definition(const ast::Definition& fragment) override {
        detect_cycles(fragment);
        return false;
    }

  private:
    // Iterative, with an explicit stack: a chain of thousands of fragments must not exhaust
    // the thread's stack (found by the hostile-input tests).
    struct Frame {
        std::string_view name;
        std::span<const ast::Selection* const> spreads;
        std::size_t next = 0;
    };

    // Pushes a frame for `fragment` unless it was visited or spreads nothing.
    void enter(const ast::Definition& fragment, std::vector<Frame>& stack) {
        if (!fragment.name || fragment.selection_set == nullptr) {
            return;
        }
        const std::string_view name = fragment.name->value;
        if (!visited_.insert(name).second) {
            return;
        }
        const auto spreads = context().fragment_spreads(*fragment.selection_set);
        if (spreads.empty()) {
            return;
        }
        path_index_[name] = path_.size();
        stack.push_back(Frame{name, spreads, 0});
    }

    void detect_cycles(const ast::Definition& fragment) {
        std::vector<Frame> stack;
        enter(fragment, stack);
        while (!stack.empty()) {
            Frame& top = stack.back();
            if (top.next == top.spreads.size()) {
                path_index_.erase(top.name);
                stack.pop_back();
                if (!stack.empty()) path_.pop_back();  // the spread that led into the finished fragment
                continue;
            }
            const ast::Selection* spread = top.spreads[top.next++];
            const std::string_view spread_name = spread->name.value;
            path_.push_back(spread);
            auto cycle = path_index_.find(spread_name);
            if (cycle == path_index_.end()) {
                if (const ast::Definition* target = context().fragment(spread_name)) {
                    const std::size_t depth = stack.size();
                    enter(*target, stack);
                    if (stack.size() > depth) continue;  // path_ is popped when that frame finishes
                }
            } else {
                report_cycle(spread_name, cycle->second);
            }
            path_.pop_back();
        }
    }

    void report_cycle(std::string_view spread_name, std::size_t from) {
        std::string via;
        std::vector<std::uint32_t> offsets;
        for (std::size_t i = from; i < path_.size(); ++i) {
            offsets.push_back(path_[i]->offset);
            if (i + 1 < path_.size()) {
                via.append(via.empty() ? "" : ", ").append("\"").append(path_[i]->name.value).append("\"");
            }
        }
        context().report(concat("Cannot spread fragment \"", spread_name, "\" within itself",
                                via.empty() ? std::string(".") : concat(" via ", via, ".")),
                         offsets);
    }

    std::unordered_set<std::string_view> visited_;
    std::vector<const ast::Selection*> path_;
    std::unordered_map<std::string_view, std::size_t> path_index_;
};

}  // namespace

RulePtr make_no_fragment_cycles_rule(Context& context) { return std::make_unique<NoFragmentCycles>(context); }

}  // namespace alatar::graphql::validation
