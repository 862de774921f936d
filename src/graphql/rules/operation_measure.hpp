#pragma once
// Static measures of an operation for the protective rules: depth, aliases, directive uses
// and cost, with fragments counted wherever they are spread (each fragment measured once and
// reused; cyclic spreads count as empty, NoFragmentCycles reports them). Saturating counts.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "graphql/ast.hpp"
#include "graphql/rules/context.hpp"

namespace alatar::graphql::validation {

struct Measure {
    std::size_t depth = 0;       // deepest field nesting (top-level fields are depth 1)
    std::size_t aliases = 0;     // fields with an alias
    std::size_t directives = 0;  // directive uses (the operation's own included by the caller)
    std::size_t cost = 0;        // see ValidationOptions::max_cost
};

// Default list size when a list field has no literal `first` / `last` argument.
inline constexpr std::size_t kDefaultListSize = 10;

class OperationMeasurer {
  public:
    explicit OperationMeasurer(Context& context) : context_(context) {}

    Measure measure(const ast::Definition& operation);

  private:
    Measure measure_set(const ast::SelectionSet& set, const Type* parent);
    Measure measure_fragment(const ast::Definition& fragment);

    Context& context_;
    std::unordered_map<const ast::Definition*, Measure> fragments_;
    std::unordered_map<const ast::Definition*, bool> in_progress_;
};

}  // namespace alatar::graphql::validation
