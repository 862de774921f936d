// graphql-js FieldsOnCorrectTypeRule (https://spec.graphql.org/October2021/#sec-Field-Selections),
// with its suggestions: first the types an inline fragment could select the field on (the
// most used first), otherwise similarly named fields.
#include <algorithm>
#include <unordered_map>
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"
#include "graphql/suggestions.hpp"

namespace alatar::graphql::validation {
namespace {

// graphql-js sorts the suggested types with a comparator that is not a total order, so the
// result depends on the sort algorithm: this replays V8's Array.prototype.sort for arrays
// shorter than its minimum run (64): take the leading run (reversed when descending), then
// binary insertion. Longer arrays fall back to a stable sort.
template <class T, class Compare>
void js_sort(std::vector<T>& items, Compare compare) {
    const std::size_t n = items.size();
    if (n < 2) {
        return;
    }
    if (n >= 64) {
        std::stable_sort(items.begin(), items.end(), [&](const T& a, const T& b) { return compare(a, b) < 0; });
        return;
    }
    std::size_t run = 2;
    const bool descending = compare(items[1], items[0]) < 0;
    for (std::size_t i = 2; i < n; ++i) {
        const int order = compare(items[i], items[i - 1]);
        if (descending ? order >= 0 : order < 0) {
            break;
        }
        ++run;
    }
    if (descending) {
        std::reverse(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(run));
    }
    for (std::size_t start = run; start < n; ++start) {
        T pivot = items[start];
        std::size_t left = 0;
        std::size_t right = start;
        while (left < right) {
            const std::size_t mid = left + ((right - left) >> 1U);
            if (compare(pivot, items[mid]) < 0) {
                right = mid;
            } else {
                left = mid + 1;
            }
        }
        for (std::size_t i = start; i > left; --i) {
            items[i] = items[i - 1];
        }
        items[left] = pivot;
    }
}

class FieldsOnCorrectType final : public Rule {
  public:
    explicit FieldsOnCorrectType(Context& context) : Rule(context, on_enter(NodeKind::kField)) {}

    bool enter_field(const ast::Selection& field) override {
        const Type* parent = context().type_info().parent_type();
        if (parent == nullptr || context().type_info().field_def() != nullptr) {
            return true;
        }
        std::string suggestion;
        if (!context().hide_suggestions()) {
            const auto types = suggested_type_names(*parent, field.name.value);
            suggestion = did_you_mean("to use an inline fragment on", types);
            if (suggestion.empty()) {
                suggestion = did_you_mean(suggested_field_names(*parent, field.name.value));
            }
        }
        context().report(
            concat("Cannot query field \"", field.name.value, "\" on type \"", parent->name, "\".", suggestion),
            {field.offset});
        return true;
    }

  private:
    std::vector<std::string_view> suggested_type_names(const Type& parent, std::string_view field_name) {
        if (!parent.is_abstract()) {
            return {};
        }
        const Schema& schema = context().schema();
        std::vector<const Type*> types;
        std::unordered_map<const Type*, int> usage;
        for (const Type* possible : schema.possible_types(parent)) {
            if (possible->field(field_name) == nullptr) {
                continue;
            }
            if (usage.find(possible) == usage.end()) {
                types.push_back(possible);
            }
            usage[possible] = 1;
            for (const Type* interface : possible->interfaces) {
                if (interface->field(field_name) == nullptr) {
                    continue;
                }
                if (usage.find(interface) == usage.end()) {
                    types.push_back(interface);
                }
                ++usage[interface];
            }
        }
        js_sort(types, [&](const Type* a, const Type* b) {
            const int diff = usage[b] - usage[a];
            if (diff != 0) {
                return diff;
            }
            if (a->kind == TypeKind::kInterface && schema.is_sub_type(*a, *b)) {
                return -1;
            }
            if (b->kind == TypeKind::kInterface && schema.is_sub_type(*b, *a)) {
                return 1;
            }
            return natural_compare(a->name, b->name);
        });
        std::vector<std::string_view> names;
        names.reserve(types.size());
        for (const Type* type : types) {
            names.emplace_back(type->name);
        }
        return names;
    }

    static std::vector<std::string_view> suggested_field_names(const Type& parent, std::string_view field_name) {
        if (parent.kind != TypeKind::kObject && parent.kind != TypeKind::kInterface) {
            return {};
        }
        std::vector<std::string_view> names;
        names.reserve(parent.fields.size());
        for (const FieldDefinition& field : parent.fields) {
            names.emplace_back(field.name);
        }
        return suggestion_list(field_name, names);
    }
};

}  // namespace

RulePtr make_fields_on_correct_type_rule(Context& context) { return std::make_unique<FieldsOnCorrectType>(context); }

}  // namespace alatar::graphql::validation
