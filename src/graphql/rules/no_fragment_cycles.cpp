// graphql-js NoFragmentCyclesRule (https://spec.graphql.org/October2021/#sec-Fragment-spreads-must-not-form-cycles):
// a depth-first search over spreads that reports each cycle once, with the spreads along it.
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
    void detect_cycles(const ast::Definition& fragment) {
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
        for (const ast::Selection* spread : spreads) {
            const std::string_view spread_name = spread->name.value;
            path_.push_back(spread);
            auto cycle = path_index_.find(spread_name);
            if (cycle == path_index_.end()) {
                if (const ast::Definition* target = context().fragment(spread_name)) {
                    detect_cycles(*target);
                }
            } else {
                report_cycle(spread_name, cycle->second);
            }
            path_.pop_back();
        }
        path_index_.erase(name);
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
