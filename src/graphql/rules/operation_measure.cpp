#include "graphql/rules/operation_measure.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

namespace alatar::graphql::validation {
namespace {

constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();

std::size_t add(std::size_t a, std::size_t b) { return a > kMax - b ? kMax : a + b; }
std::size_t mul(std::size_t a, std::size_t b) { return (a != 0 && b > kMax / a) ? kMax : a * b; }

// The list size a field announces with a literal `first` or `last` argument (the larger one).
std::size_t list_size(const ast::Selection& field) {
    std::size_t size = 0;
    bool found = false;
    for (const ast::Argument& arg : field.arguments) {
        if ((arg.name.value == "first" || arg.name.value == "last") && arg.value != nullptr &&
            arg.value->kind == ast::ValueKind::kInt) {
            long long value = 0;
            const std::string_view text = arg.value->text;
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            (void)ptr;
            const std::size_t n = ec == std::errc() && value > 0 ? static_cast<std::size_t>(value)
                                  : ec == std::errc::result_out_of_range && !text.starts_with('-') ? kMax
                                                                                                   : 0;
            size = found ? std::max(size, n) : n;
            found = true;
        }
    }
    return found ? size : kDefaultListSize;
}

}  // namespace

Measure OperationMeasurer::measure(const ast::Definition& operation) {
    if (operation.selection_set == nullptr) {
        return {};
    }
    Measure m = measure_set(*operation.selection_set, context_.schema().root_type(operation.operation));
    m.directives = add(m.directives, operation.directives.size());
    for (const ast::VariableDefinition* def : operation.variable_definitions) {
        m.directives = add(m.directives, def->directives.size());
    }
    return m;
}

Measure OperationMeasurer::measure_fragment(const ast::Definition& fragment) {
    if (auto it = fragments_.find(&fragment); it != fragments_.end()) {
        return it->second;
    }
    if (in_progress_[&fragment] || fragment.selection_set == nullptr) {
        return {};
    }
    in_progress_[&fragment] = true;
    const Type* type = fragment.type_condition ? context_.schema().type(fragment.type_condition->value) : nullptr;
    Measure m = measure_set(*fragment.selection_set, type);
    m.directives = add(m.directives, fragment.directives.size());
    in_progress_[&fragment] = false;
    fragments_[&fragment] = m;
    return m;
}

Measure OperationMeasurer::measure_set(const ast::SelectionSet& set, const Type* parent) {
    Measure total;
    for (const ast::Selection* selection : set.selections) {
        Measure m;
        switch (selection->kind) {
            case ast::SelectionKind::kField: {
                const FieldDefinition* def =
                    parent == nullptr ? nullptr : context_.field_definition(parent->named(), selection->name.value);
                const Type* type = def == nullptr ? nullptr : def->type;
                Measure inner;
                if (selection->selection_set != nullptr) {
                    inner = measure_set(*selection->selection_set, type == nullptr ? nullptr : &type->named());
                }
                const bool is_list = type != nullptr && type->nullable().is_list();
                m.depth = add(inner.depth, 1);
                m.aliases = add(inner.aliases, selection->alias ? 1 : 0);
                m.directives = inner.directives;
                m.cost = add(1, mul(is_list ? list_size(*selection) : 1, inner.cost));
                break;
            }
            case ast::SelectionKind::kInlineFragment: {
                const Type* type =
                    selection->type_condition ? context_.schema().type(selection->type_condition->value) : parent;
                if (selection->selection_set != nullptr) {
                    m = measure_set(*selection->selection_set, type);
                }
                break;
            }
            case ast::SelectionKind::kFragmentSpread:
                if (const ast::Definition* fragment = context_.fragment(selection->name.value)) {
                    m = measure_fragment(*fragment);
                }
                break;
        }
        total.depth = std::max(total.depth, m.depth);
        total.aliases = add(total.aliases, m.aliases);
        total.directives = add(add(total.directives, m.directives), selection->directives.size());
        total.cost = add(total.cost, m.cost);
    }
    return total;
}

}  // namespace alatar::graphql::validation
