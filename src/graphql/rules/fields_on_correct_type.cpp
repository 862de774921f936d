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
        std::stable_sort(types.begin(), types.end(), [&](const Type* a, const Type* b) {
            const int diff = usage[b] - usage[a];
            if (diff != 0) {
                return diff < 0;
            }
            if (a->kind == TypeKind::kInterface && schema.is_sub_type(*a, *b)) {
                return true;
            }
            if (b->kind == TypeKind::kInterface && schema.is_sub_type(*b, *a)) {
                return false;
            }
            return natural_compare(a->name, b->name) < 0;
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
