#include "graphql/type_info.hpp"

#include <algorithm>

namespace alatar::graphql {
namespace {

FieldDefinition meta_field(std::string name, const Type* type) {
    FieldDefinition field;
    field.name = std::move(name);
    field.type = type;
    return field;
}

const Type* non_null_or_null(const Schema& schema, const Type* type) {
    return type == nullptr ? nullptr : schema.non_null_of(type);
}

bool is_output_type(const Type* type) { return type != nullptr && type->named().kind != TypeKind::kInputObject; }

bool is_input_type(const Type* type) {
    if (type == nullptr) {
        return false;
    }
    const TypeKind kind = type->named().kind;
    return kind == TypeKind::kScalar || kind == TypeKind::kEnum || kind == TypeKind::kInputObject;
}

}  // namespace

MetaFields::MetaFields(const Schema& schema)
    : schema_(meta_field("__schema", non_null_or_null(schema, schema.type("__Schema")))),
      type_(meta_field("__type", schema.type("__Type"))),
      typename_(meta_field("__typename", non_null_or_null(schema, schema.type("String")))) {
    InputValue name_arg;
    name_arg.name = "name";
    name_arg.type = non_null_or_null(schema, schema.type("String"));
    type_.args.push_back(std::move(name_arg));
}

const FieldDefinition* MetaFields::lookup(const Schema& schema, const Type& parent, std::string_view name) const {
    if (name.size() > 2 && name[0] == '_' && name[1] == '_') {
        if (name == "__typename") {
            return &typename_;
        }
        if (name == "__schema") {
            return schema.query_type() == &parent ? &schema_ : nullptr;
        }
        if (name == "__type") {
            return schema.query_type() == &parent ? &type_ : nullptr;
        }
    }
    if (parent.kind == TypeKind::kObject || parent.kind == TypeKind::kInterface) {
        return parent.field(name);
    }
    return nullptr;
}

const Type* output_type_named(const Schema& schema, std::string_view name) {
    const Type* type = schema.type(name);
    return is_output_type(type) ? type : nullptr;
}

const Type* type_from_ast_ref(const Schema& schema, const ast::Type& type) {
    switch (type.kind) {
        case ast::TypeKind::kNamed:
            return schema.type(type.name.value);
        case ast::TypeKind::kList: {
            const Type* inner = type.of == nullptr ? nullptr : type_from_ast_ref(schema, *type.of);
            return inner == nullptr ? nullptr : schema.list_of(inner);
        }
        case ast::TypeKind::kNonNull: {
            const Type* inner = type.of == nullptr ? nullptr : type_from_ast_ref(schema, *type.of);
            return inner == nullptr ? nullptr : schema.non_null_of(inner);
        }
    }
    return nullptr;
}

TypeInfo::TypeInfo(const Schema& schema, const MetaFields& meta) : schema_(schema), meta_(meta) {
    types_.reserve(32);
    parent_types_.reserve(32);
    input_types_.reserve(16);
    field_defs_.reserve(32);
    defaults_.reserve(16);
}

void TypeInfo::enter_operation(const ast::Definition& operation) {
    const Type* root = schema_.root_type(operation.operation);
    types_.push_back(root != nullptr && root->kind == TypeKind::kObject ? root : nullptr);
}

void TypeInfo::enter_fragment_definition(const ast::Definition& fragment) {
    types_.push_back(fragment.type_condition ? output_type_named(schema_, fragment.type_condition->value) : nullptr);
}

void TypeInfo::enter_inline_fragment(const ast::Selection& fragment) {
    if (fragment.type_condition) {
        types_.push_back(output_type_named(schema_, fragment.type_condition->value));
        return;
    }
    const Type* current = type();
    types_.push_back(current == nullptr ? nullptr : &current->named());
}

void TypeInfo::enter_variable_definition(const ast::VariableDefinition& definition) {
    const Type* type = definition.type == nullptr ? nullptr : type_from_ast_ref(schema_, *definition.type);
    input_types_.push_back(is_input_type(type) ? type : nullptr);
}

void TypeInfo::enter_selection_set() {
    const Type* current = type();
    const Type* named = current == nullptr ? nullptr : &current->named();
    parent_types_.push_back(named != nullptr && named->is_composite() ? named : nullptr);
}

void TypeInfo::enter_field(const ast::Selection& field) {
    const Type* parent = parent_type();
    const FieldDefinition* definition = parent == nullptr ? nullptr : meta_.lookup(schema_, *parent, field.name.value);
    field_defs_.push_back(definition);
    types_.push_back(definition != nullptr && is_output_type(definition->type) ? definition->type : nullptr);
}

void TypeInfo::enter_argument(const ast::Argument& argument) {
    // graphql-js falls back to the field when the directive is unknown.
    const std::vector<InputValue>* args = nullptr;
    if (directive_ != nullptr) {
        args = &directive_->args;
    } else if (const FieldDefinition* field = field_def()) {
        args = &field->args;
    }
    const InputValue* definition = nullptr;
    if (args != nullptr) {
        auto it = std::find_if(args->begin(), args->end(),
                               [&](const InputValue& arg) { return arg.name == argument.name.value; });
        definition = it == args->end() ? nullptr : &*it;
    }
    argument_ = definition;
    defaults_.push_back(definition != nullptr &&
                        (definition->default_value_ast != nullptr || definition->default_value.has_value()));
    input_types_.push_back(definition != nullptr && is_input_type(definition->type) ? definition->type : nullptr);
}

void TypeInfo::enter_list_value() {
    const Type* input = input_type();
    const Type* list = input == nullptr ? nullptr : &input->nullable();
    defaults_.push_back(false);
    input_types_.push_back(list != nullptr && list->is_list() ? list->of_type : nullptr);
}

void TypeInfo::enter_object_field(const ast::ObjectField& field) {
    const Type* input = input_type();
    const InputValue* definition = nullptr;
    if (input != nullptr && input->named().kind == TypeKind::kInputObject) {
        definition = input->named().input_field(field.name.value);
    }
    defaults_.push_back(definition != nullptr &&
                        (definition->default_value_ast != nullptr || definition->default_value.has_value()));
    input_types_.push_back(definition != nullptr && is_input_type(definition->type) ? definition->type : nullptr);
}

}  // namespace alatar::graphql
