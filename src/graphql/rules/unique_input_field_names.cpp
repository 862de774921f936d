// graphql-js UniqueInputFieldNamesRule (https://spec.graphql.org/October2021/#sec-Input-Object-Field-Uniqueness).
#include <vector>

#include "graphql/rules/rule_util.hpp"
#include "graphql/rules/rules.hpp"

namespace alatar::graphql::validation {
namespace {

class UniqueInputFieldNames final : public Rule {
  public:
    explicit UniqueInputFieldNames(Context& context)
        : Rule(context, on_enter(NodeKind::kValue) | on_leave(NodeKind::kValue) | on_enter(NodeKind::kObjectField)) {}

    bool enter_value(const ast::Value& value) override {
        if (value.kind == ast::ValueKind::kObject) {
            objects_.push_back(&value);
        }
        return true;
    }
    void leave_value(const ast::Value& value) override {
        if (value.kind == ast::ValueKind::kObject) {
            objects_.pop_back();
        }
    }
    // Reported when the duplicate is entered, so errors interleave with nested objects' errors
    // as in graphql-js.
    bool enter_object_field(const ast::ObjectField& field) override {
        if (objects_.empty()) {
            return true;
        }
        const auto& fields = objects_.back()->fields;
        const auto index = static_cast<std::size_t>(&field - fields.data());
        for (std::size_t j = 0; j < index && j < fields.size(); ++j) {
            if (fields[j].name.value == field.name.value) {
                context().report(concat("There can be only one input field named \"", field.name.value, "\"."),
                                 {fields[j].name.offset, field.name.offset});
                break;
            }
        }
        return true;
    }

  private:
    std::vector<const ast::Value*> objects_;
};

}  // namespace

RulePtr make_unique_input_field_names_rule(Context& context) {
    return std::make_unique<UniqueInputFieldNames>(context);
}

}  // namespace alatar::graphql::validation
