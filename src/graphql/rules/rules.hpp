#pragma once
// Factories of the validation rules, one per file in src/graphql/rules/, named after
// graphql-js's rules (https://github.com/graphql/graphql-js/tree/main/src/validation/rules).
#include <memory>
#include <vector>

#include "graphql/rules/rule.hpp"

namespace alatar::graphql::validation {

using RulePtr = std::unique_ptr<Rule>;

// graphql-js 17 specifiedRules, in its order.
RulePtr make_executable_definitions_rule(Context& context);
RulePtr make_known_operation_types_rule(Context& context);
RulePtr make_unique_operation_names_rule(Context& context);
RulePtr make_lone_anonymous_operation_rule(Context& context);
RulePtr make_single_field_subscriptions_rule(Context& context);
RulePtr make_known_type_names_rule(Context& context);
RulePtr make_fragments_on_composite_types_rule(Context& context);
RulePtr make_variables_are_input_types_rule(Context& context);
RulePtr make_scalar_leafs_rule(Context& context);
RulePtr make_fields_on_correct_type_rule(Context& context);
RulePtr make_unique_fragment_names_rule(Context& context);
RulePtr make_known_fragment_names_rule(Context& context);
RulePtr make_no_unused_fragments_rule(Context& context);
RulePtr make_possible_fragment_spreads_rule(Context& context);
RulePtr make_no_fragment_cycles_rule(Context& context);
RulePtr make_unique_variable_names_rule(Context& context);
RulePtr make_no_undefined_variables_rule(Context& context);
RulePtr make_no_unused_variables_rule(Context& context);
RulePtr make_known_directives_rule(Context& context);
RulePtr make_unique_directives_per_location_rule(Context& context);
RulePtr make_defer_stream_directive_on_root_field_rule(Context& context);
RulePtr make_defer_stream_directive_on_valid_operations_rule(Context& context);
RulePtr make_defer_stream_directive_label_rule(Context& context);
RulePtr make_stream_directive_on_list_field_rule(Context& context);
RulePtr make_known_argument_names_rule(Context& context);
RulePtr make_unique_argument_names_rule(Context& context);
RulePtr make_values_of_correct_type_rule(Context& context);
RulePtr make_provided_required_arguments_rule(Context& context);
RulePtr make_variables_in_allowed_position_rule(Context& context);
RulePtr make_overlapping_fields_can_be_merged_rule(Context& context);
RulePtr make_unique_input_field_names_rule(Context& context);
RulePtr make_max_introspection_depth_rule(Context& context);

// Protective rules, each enabled by its ValidationOptions member.
RulePtr make_no_schema_introspection_rule(Context& context);
RulePtr make_max_depth_rule(Context& context);
RulePtr make_max_aliases_rule(Context& context);
RulePtr make_max_directives_rule(Context& context);
RulePtr make_max_cost_rule(Context& context);

}  // namespace alatar::graphql::validation
