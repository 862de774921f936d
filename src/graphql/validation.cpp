#include "graphql/validation.hpp"

#include <array>
#include <stdexcept>
#include <vector>

#include "graphql/rules/context.hpp"
#include "graphql/rules/operation_measure.hpp"
#include "graphql/rules/rules.hpp"
#include "graphql/rules/walk.hpp"
#include "graphql/type_info.hpp"

namespace alatar::graphql {
namespace validation {

// Drives the rules: one walk over the document, TypeInfo updated around each node, and each
// node dispatched only to the rules that declared a hook for its kind, in rule order.
class Walker {
  public:
    Walker(TypeInfo& type_info, std::vector<RulePtr>& rules) : type_info_(type_info) {
        for (RulePtr& rule : rules) {
            for (std::size_t k = 0; k < kKinds; ++k) {
                const auto kind = static_cast<NodeKind>(k);
                if ((rule->hooks() & on_enter(kind)) != 0U) {
                    enter_[k].push_back(rule.get());
                }
                if ((rule->hooks() & on_leave(kind)) != 0U) {
                    leave_[k].push_back(rule.get());
                }
            }
        }
    }

    // The rules hooked on one node kind, in rule order; fixed capacity so building the
    // dispatch table allocates nothing.
    class RuleList {
      public:
        static constexpr std::size_t kCapacity = 48;
        void push_back(Rule* rule) {
            if (size_ == kCapacity) {
                throw std::length_error("too many validation rules");
            }
            rules_[size_++] = rule;
        }
        Rule* const* begin() const { return rules_.data(); }
        Rule* const* end() const { return rules_.data() + size_; }

      private:
        std::array<Rule*, kCapacity> rules_{};
        std::size_t size_ = 0;
    };

    bool enter_document(const Document& d) {
        enter(NodeKind::kDocument, &d, [&](Rule& r) { return r.enter_document(d); });
        return true;
    }
    void leave_document(const Document& d) {
        leave(NodeKind::kDocument, &d, [&](Rule& r) { r.leave_document(d); });
    }
    bool enter_operation(const ast::Definition& def) {
        type_info_.enter_operation(def);
        enter(NodeKind::kOperation, &def, [&](Rule& r) { return r.enter_operation(def); });
        return true;
    }
    void leave_operation(const ast::Definition& def) {
        leave(NodeKind::kOperation, &def, [&](Rule& r) { r.leave_operation(def); });
        type_info_.leave_operation();
    }
    bool enter_fragment_definition(const ast::Definition& def) {
        type_info_.enter_fragment_definition(def);
        enter(NodeKind::kFragmentDefinition, &def, [&](Rule& r) { return r.enter_fragment_definition(def); });
        return true;
    }
    void leave_fragment_definition(const ast::Definition& def) {
        leave(NodeKind::kFragmentDefinition, &def, [&](Rule& r) { r.leave_fragment_definition(def); });
        type_info_.leave_fragment_definition();
    }
    bool enter_variable_definition(const ast::VariableDefinition& def) {
        type_info_.enter_variable_definition(def);
        enter(NodeKind::kVariableDefinition, &def, [&](Rule& r) { return r.enter_variable_definition(def); });
        return true;
    }
    void leave_variable_definition(const ast::VariableDefinition& def) {
        leave(NodeKind::kVariableDefinition, &def, [&](Rule& r) { r.leave_variable_definition(def); });
        type_info_.leave_variable_definition();
    }
    bool enter_selection_set(const ast::SelectionSet& set, const ast::Selection* parent) {
        type_info_.enter_selection_set();
        enter(NodeKind::kSelectionSet, &set, [&](Rule& r) { return r.enter_selection_set(set, parent); });
        return true;
    }
    void leave_selection_set(const ast::SelectionSet& set) {
        leave(NodeKind::kSelectionSet, &set, [&](Rule& r) { r.leave_selection_set(set); });
        type_info_.leave_selection_set();
    }
    bool enter_field(const ast::Selection& field) {
        type_info_.enter_field(field);
        enter(NodeKind::kField, &field, [&](Rule& r) { return r.enter_field(field); });
        return true;
    }
    void leave_field(const ast::Selection& field) {
        leave(NodeKind::kField, &field, [&](Rule& r) { r.leave_field(field); });
        type_info_.leave_field();
    }
    bool enter_fragment_spread(const ast::Selection& spread) {
        enter(NodeKind::kFragmentSpread, &spread, [&](Rule& r) { return r.enter_fragment_spread(spread); });
        return true;
    }
    void leave_fragment_spread(const ast::Selection& spread) {
        leave(NodeKind::kFragmentSpread, &spread, [&](Rule& r) { r.leave_fragment_spread(spread); });
    }
    bool enter_inline_fragment(const ast::Selection& fragment) {
        type_info_.enter_inline_fragment(fragment);
        enter(NodeKind::kInlineFragment, &fragment, [&](Rule& r) { return r.enter_inline_fragment(fragment); });
        return true;
    }
    void leave_inline_fragment(const ast::Selection& fragment) {
        leave(NodeKind::kInlineFragment, &fragment, [&](Rule& r) { r.leave_inline_fragment(fragment); });
        type_info_.leave_inline_fragment();
    }
    bool enter_directive(const ast::Directive& directive, std::string_view location) {
        type_info_.enter_directive(directive);
        enter(NodeKind::kDirective, &directive, [&](Rule& r) { return r.enter_directive(directive, location); });
        return true;
    }
    void leave_directive(const ast::Directive& directive) {
        leave(NodeKind::kDirective, &directive, [&](Rule& r) { r.leave_directive(directive); });
        type_info_.leave_directive();
    }
    bool enter_argument(const ast::Argument& arg) {
        type_info_.enter_argument(arg);
        enter(NodeKind::kArgument, &arg, [&](Rule& r) { return r.enter_argument(arg); });
        return true;
    }
    void leave_argument(const ast::Argument& arg) {
        leave(NodeKind::kArgument, &arg, [&](Rule& r) { r.leave_argument(arg); });
        type_info_.leave_argument();
    }
    bool enter_value(const ast::Value& value) {
        if (value.kind == ast::ValueKind::kList) {
            type_info_.enter_list_value();
        }
        enter(NodeKind::kValue, &value, [&](Rule& r) { return r.enter_value(value); });
        return true;
    }
    void leave_value(const ast::Value& value) {
        leave(NodeKind::kValue, &value, [&](Rule& r) { r.leave_value(value); });
        if (value.kind == ast::ValueKind::kList) {
            type_info_.leave_input_position();
        }
    }
    bool enter_object_field(const ast::ObjectField& field) {
        type_info_.enter_object_field(field);
        enter(NodeKind::kObjectField, &field, [&](Rule& r) { return r.enter_object_field(field); });
        return true;
    }
    void leave_object_field(const ast::ObjectField& field) {
        leave(NodeKind::kObjectField, &field, [&](Rule& r) { r.leave_object_field(field); });
        type_info_.leave_input_position();
    }
    void enter_named_type(const ast::Name& name, bool in_sdl) {
        for (Rule* rule : enter_[static_cast<std::size_t>(NodeKind::kNamedType)]) {
            if (rule->skipping_ == nullptr) {
                rule->enter_named_type(name, in_sdl);
            }
        }
    }
    bool enter_sdl_node(const SdlNode& node) {
        for (Rule* rule : enter_[static_cast<std::size_t>(NodeKind::kSdlNode)]) {
            if (rule->skipping_ == nullptr) {
                rule->enter_sdl_node(node);
            }
        }
        return true;
    }

  private:
    static constexpr std::size_t kKinds = static_cast<std::size_t>(NodeKind::kCount);

    template <class Call>
    void enter(NodeKind kind, const void* node, Call&& call) {
        for (Rule* rule : enter_[static_cast<std::size_t>(kind)]) {
            if (rule->skipping_ == nullptr && !call(*rule)) {
                rule->skipping_ = node;
            }
        }
    }

    // A rule that skipped this node gets no leave for it and resumes afterwards.
    template <class Call>
    void leave(NodeKind kind, const void* node, Call&& call) {
        for (Rule* rule : leave_[static_cast<std::size_t>(kind)]) {
            if (rule->skipping_ == nullptr) {
                call(*rule);
            }
        }
        for (Rule* rule : enter_[static_cast<std::size_t>(kind)]) {
            if (rule->skipping_ == node) {
                rule->skipping_ = nullptr;
            }
        }
    }

    TypeInfo& type_info_;
    std::array<RuleList, kKinds> enter_;
    std::array<RuleList, kKinds> leave_;
};

namespace {

std::vector<RulePtr> make_rules(Context& context, const ValidationOptions& options) {
    using Factory = RulePtr (*)(Context&);
    static constexpr Factory kSpecified[] = {
        make_executable_definitions_rule,
        make_known_operation_types_rule,
        make_unique_operation_names_rule,
        make_lone_anonymous_operation_rule,
        make_single_field_subscriptions_rule,
        make_known_type_names_rule,
        make_fragments_on_composite_types_rule,
        make_variables_are_input_types_rule,
        make_scalar_leafs_rule,
        make_fields_on_correct_type_rule,
        make_unique_fragment_names_rule,
        make_known_fragment_names_rule,
        make_no_unused_fragments_rule,
        make_possible_fragment_spreads_rule,
        make_no_fragment_cycles_rule,
        make_unique_variable_names_rule,
        make_no_undefined_variables_rule,
        make_no_unused_variables_rule,
        make_known_directives_rule,
        make_unique_directives_per_location_rule,
        make_defer_stream_directive_on_root_field_rule,
        make_defer_stream_directive_on_valid_operations_rule,
        make_defer_stream_directive_label_rule,
        make_stream_directive_on_list_field_rule,
        make_known_argument_names_rule,
        make_unique_argument_names_rule,
        make_values_of_correct_type_rule,
        make_provided_required_arguments_rule,
        make_variables_in_allowed_position_rule,
        make_overlapping_fields_can_be_merged_rule,
        make_unique_input_field_names_rule,
        make_max_introspection_depth_rule,
    };
    std::vector<RulePtr> rules;
    rules.reserve(std::size(kSpecified) + 5);
    for (Factory factory : kSpecified) {
        rules.push_back(factory(context));
    }
    if (!options.introspection) {
        rules.push_back(make_no_schema_introspection_rule(context));
    }
    if (options.max_depth != 0) {
        rules.push_back(make_max_depth_rule(context));
    }
    if (options.max_aliases != 0) {
        rules.push_back(make_max_aliases_rule(context));
    }
    if (options.max_directives != 0) {
        rules.push_back(make_max_directives_rule(context));
    }
    if (options.max_cost != 0) {
        rules.push_back(make_max_cost_rule(context));
    }
    return rules;
}

}  // namespace
}  // namespace validation

Errors validate(const Schema& schema, const Document& document, const ValidationOptions& options) {
    Errors errors;
    const MetaFields meta(schema);
    TypeInfo type_info(schema, meta);
    validation::Context context(schema, document, options, type_info, errors);
    auto rules = validation::make_rules(context, options);
    validation::Walker walker(type_info, rules);
    try {
        validation::AstWalk<validation::Walker>(walker).document(document);
    } catch (const validation::ValidationAborted& aborted) {
        GraphQLError error;
        error.message = aborted.too_many_errors ? "Too many validation errors, error limit reached. Validation aborted."
                                                : "Validation aborted.";
        errors.push_back(std::move(error));
    }
    return errors;
}

std::size_t operation_cost(const Schema& schema, const Document& document, const ast::Definition& operation) {
    Errors errors;
    const ValidationOptions options;
    const MetaFields meta(schema);
    TypeInfo type_info(schema, meta);
    validation::Context context(schema, document, options, type_info, errors);
    return validation::OperationMeasurer(context).measure(operation).cost;
}

}  // namespace alatar::graphql
