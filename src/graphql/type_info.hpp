#pragma once
// Tracks where a traversal of an executable document is in the schema, as graphql-js's
// TypeInfo does: the output type and parent composite type of the current selection, the
// field and directive definitions, the argument, and the expected input type (and whether
// the position has a default) inside argument values. The walker calls enter_* before and
// leave_* after the rules see a node, so rules read the state of the node being visited.
#include <string_view>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/schema.hpp"

namespace alatar::graphql {

// The introspection meta-fields (__schema, __type, __typename), which every selection can ask
// for but no type declares.
class MetaFields {
  public:
    explicit MetaFields(const Schema& schema);
    // The schema's field or meta-field named `name` on `parent`; null when there is none.
    const FieldDefinition* lookup(const Schema& schema, const Type& parent, std::string_view name) const;
    // True for the meta-field definitions (their owner prints as "<meta>", as in graphql-js).
    bool is_meta(const FieldDefinition* field) const {
        return field == &schema_ || field == &type_ || field == &typename_;
    }

  private:
    FieldDefinition schema_;
    FieldDefinition type_;
    FieldDefinition typename_;
};

// The named type an AST type condition names, when it is an output type (else null).
const Type* output_type_named(const Schema& schema, std::string_view name);
// The schema type an AST type reference denotes (wrappers interned); null if a name is unknown.
const Type* type_from_ast_ref(const Schema& schema, const ast::Type& type);

class TypeInfo {
  public:
    TypeInfo(const Schema& schema, const MetaFields& meta);

    const Type* type() const { return top(types_); }
    const Type* parent_type() const { return top(parent_types_); }
    const Type* input_type() const { return top(input_types_); }
    const Type* parent_input_type() const {
        return input_types_.size() >= 2 ? input_types_[input_types_.size() - 2] : nullptr;
    }
    const FieldDefinition* field_def() const { return top(field_defs_); }
    const DirectiveDefinition* directive() const { return directive_; }
    const InputValue* argument() const { return argument_; }
    // Whether the current input position (argument or input field) declares a default value.
    bool has_default_value() const { return !defaults_.empty() && defaults_.back(); }

    const Schema& schema() const { return schema_; }
    const MetaFields& meta() const { return meta_; }

    void enter_operation(const ast::Definition& operation);
    void leave_operation() { types_.pop_back(); }
    void enter_fragment_definition(const ast::Definition& fragment);
    void leave_fragment_definition() { types_.pop_back(); }
    void enter_inline_fragment(const ast::Selection& fragment);
    void leave_inline_fragment() { types_.pop_back(); }
    void enter_variable_definition(const ast::VariableDefinition& definition);
    void leave_variable_definition() { input_types_.pop_back(); }
    void enter_selection_set();
    void leave_selection_set() { parent_types_.pop_back(); }
    void enter_field(const ast::Selection& field);
    void leave_field() {
        field_defs_.pop_back();
        types_.pop_back();
    }
    void enter_directive(const ast::Directive& directive) { directive_ = schema_.directive(directive.name.value); }
    void leave_directive() { directive_ = nullptr; }
    void enter_argument(const ast::Argument& argument);
    void leave_argument() {
        argument_ = nullptr;
        defaults_.pop_back();
        input_types_.pop_back();
    }
    void enter_list_value();
    void enter_object_field(const ast::ObjectField& field);
    // Leaving a list value or an object field.
    void leave_input_position() {
        defaults_.pop_back();
        input_types_.pop_back();
    }

  private:
    template <class T>
    static T top(const std::vector<T>& stack) {
        return stack.empty() ? nullptr : stack.back();
    }

    const Schema& schema_;
    const MetaFields& meta_;
    std::vector<const Type*> types_;
    std::vector<const Type*> parent_types_;
    std::vector<const Type*> input_types_;
    std::vector<const FieldDefinition*> field_defs_;
    std::vector<bool> defaults_;
    const DirectiveDefinition* directive_ = nullptr;
    const InputValue* argument_ = nullptr;
};

}  // namespace alatar::graphql
