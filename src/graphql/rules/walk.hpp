#pragma once
// Depth-first traversal of a document in graphql-js's visiting order (QueryDocumentKeys without
// descriptions). The visitor decides per node whether to descend (its enter_* returns false to
// skip the subtree; the matching leave_* is then not called). Visitor hooks mirror Rule's.
#include <string_view>

#include "graphql/ast.hpp"
#include "graphql/rules/rule.hpp"

namespace alatar::graphql::validation {

template <class Visitor>
class AstWalk {
  public:
    explicit AstWalk(Visitor& visitor) : v_(visitor) {}

    void document(const Document& document) {
        if (!v_.enter_document(document)) {
            return;
        }
        for (const ast::Definition* definition : document.definitions()) {
            this->definition(*definition);
        }
        v_.leave_document(document);
    }

    void definition(const ast::Definition& def) {
        switch (def.kind) {
            case ast::DefinitionKind::kOperation:
                operation(def);
                return;
            case ast::DefinitionKind::kFragment:
                fragment_definition(def);
                return;
            default:
                sdl_definition(def);
                return;
        }
    }

    void operation(const ast::Definition& def) {
        if (!v_.enter_operation(def)) {
            return;
        }
        for (const ast::VariableDefinition* variable : def.variable_definitions) {
            variable_definition(*variable);
        }
        directives(def.directives, operation_location(def.operation));
        if (def.selection_set != nullptr) {
            selection_set(*def.selection_set, nullptr);
        }
        v_.leave_operation(def);
    }

    void fragment_definition(const ast::Definition& def) {
        if (!v_.enter_fragment_definition(def)) {
            return;
        }
        if (def.type_condition) {
            v_.enter_named_type(*def.type_condition, false);
        }
        directives(def.directives, "FRAGMENT_DEFINITION");
        if (def.selection_set != nullptr) {
            selection_set(*def.selection_set, nullptr);
        }
        v_.leave_fragment_definition(def);
    }

    void variable_definition(const ast::VariableDefinition& def) {
        if (!v_.enter_variable_definition(def)) {
            return;
        }
        // The variable itself is a Variable node graphql-js visits too; no rule looks at it there.
        if (def.type != nullptr) {
            type_reference(*def.type, false);
        }
        if (def.default_value != nullptr) {
            value(*def.default_value);
        }
        directives(def.directives, "VARIABLE_DEFINITION");
        v_.leave_variable_definition(def);
    }

    void selection_set(const ast::SelectionSet& set, const ast::Selection* parent) {
        if (!v_.enter_selection_set(set, parent)) {
            return;
        }
        for (const ast::Selection* selection : set.selections) {
            this->selection(*selection);
        }
        v_.leave_selection_set(set);
    }

    void selection(const ast::Selection& sel) {
        switch (sel.kind) {
            case ast::SelectionKind::kField:
                if (!v_.enter_field(sel)) {
                    return;
                }
                for (const ast::Argument& arg : sel.arguments) {
                    argument(arg);
                }
                directives(sel.directives, "FIELD");
                if (sel.selection_set != nullptr) {
                    selection_set(*sel.selection_set, &sel);
                }
                v_.leave_field(sel);
                return;
            case ast::SelectionKind::kFragmentSpread:
                if (!v_.enter_fragment_spread(sel)) {
                    return;
                }
                directives(sel.directives, "FRAGMENT_SPREAD");
                v_.leave_fragment_spread(sel);
                return;
            case ast::SelectionKind::kInlineFragment:
                if (!v_.enter_inline_fragment(sel)) {
                    return;
                }
                if (sel.type_condition) {
                    v_.enter_named_type(*sel.type_condition, false);
                }
                directives(sel.directives, "INLINE_FRAGMENT");
                if (sel.selection_set != nullptr) {
                    selection_set(*sel.selection_set, &sel);
                }
                v_.leave_inline_fragment(sel);
                return;
        }
    }

    void directives(const ast::List<const ast::Directive*>& list, std::string_view location) {
        for (const ast::Directive* d : list) {
            if (!v_.enter_directive(*d, location)) {
                continue;
            }
            for (const ast::Argument& arg : d->arguments) {
                argument(arg);
            }
            v_.leave_directive(*d);
        }
    }

    void argument(const ast::Argument& arg) {
        if (!v_.enter_argument(arg)) {
            return;
        }
        if (arg.value != nullptr) {
            value(*arg.value);
        }
        v_.leave_argument(arg);
    }

    void value(const ast::Value& val) {
        if (!v_.enter_value(val)) {
            return;
        }
        if (val.kind == ast::ValueKind::kList) {
            for (const ast::Value* item : val.list) {
                value(*item);
            }
        } else if (val.kind == ast::ValueKind::kObject) {
            for (const ast::ObjectField& field : val.fields) {
                if (!v_.enter_object_field(field)) {
                    continue;
                }
                if (field.value != nullptr) {
                    value(*field.value);
                }
                v_.leave_object_field(field);
            }
        }
        v_.leave_value(val);
    }

    void type_reference(const ast::Type& type, bool in_sdl) {
        const ast::Type* t = &type;
        while (t->kind != ast::TypeKind::kNamed && t->of != nullptr) {
            t = t->of;
        }
        if (t->kind == ast::TypeKind::kNamed) {
            v_.enter_named_type(t->name, in_sdl);
        }
    }

    static std::string_view operation_location(ast::OperationType op) {
        switch (op) {
            case ast::OperationType::kQuery:
                return "QUERY";
            case ast::OperationType::kMutation:
                return "MUTATION";
            case ast::OperationType::kSubscription:
                return "SUBSCRIPTION";
        }
        return "QUERY";
    }

  private:
    // graphql-js enters a type-system node before its children; only the directive rules care.
    void sdl_node(const ast::List<const ast::Directive*>& list, const ast::Definition* owner) {
        v_.enter_sdl_node(SdlNode{owner, std::span<const ast::Directive* const>(list.data(), list.size())});
    }

    void input_value_definition(const ast::InputValueDefinition& input, std::string_view location) {
        sdl_node(input.directives, nullptr);
        if (input.type != nullptr) {
            type_reference(*input.type, true);
        }
        if (input.default_value != nullptr) {
            value(*input.default_value);
        }
        directives(input.directives, location);
    }

    // Type-system definitions are not executable, but graphql-js still visits them, so the
    // rules that look at directives and type names report on them too.
    void sdl_definition(const ast::Definition& def) {
        using K = ast::DefinitionKind;
        sdl_node(def.directives, &def);
        switch (def.kind) {
            case K::kSchema:
                directives(def.directives, "SCHEMA");
                for (const auto& root : def.root_operation_types) {
                    v_.enter_named_type(root.type, true);
                }
                return;
            case K::kScalarType:
                directives(def.directives, "SCALAR");
                return;
            case K::kObjectType:
            case K::kInterfaceType:
                for (const ast::Name& name : def.interfaces) {
                    v_.enter_named_type(name, true);
                }
                directives(def.directives, def.kind == K::kObjectType ? "OBJECT" : "INTERFACE");
                for (const ast::FieldDefinition* field : def.fields) {
                    sdl_node(field->directives, nullptr);
                    for (const ast::InputValueDefinition* arg : field->arguments) {
                        input_value_definition(*arg, "ARGUMENT_DEFINITION");
                    }
                    if (field->type != nullptr) {
                        type_reference(*field->type, true);
                    }
                    directives(field->directives, "FIELD_DEFINITION");
                }
                return;
            case K::kUnionType:
                directives(def.directives, "UNION");
                for (const ast::Name& name : def.union_members) {
                    v_.enter_named_type(name, true);
                }
                return;
            case K::kEnumType:
                directives(def.directives, "ENUM");
                for (const ast::EnumValueDefinition* value : def.enum_values) {
                    sdl_node(value->directives, nullptr);
                    directives(value->directives, "ENUM_VALUE");
                }
                return;
            case K::kInputObjectType:
                directives(def.directives, "INPUT_OBJECT");
                for (const ast::InputValueDefinition* field : def.input_fields) {
                    input_value_definition(*field, "INPUT_FIELD_DEFINITION");
                }
                return;
            case K::kDirective:
                for (const ast::InputValueDefinition* arg : def.input_fields) {
                    input_value_definition(*arg, "ARGUMENT_DEFINITION");
                }
                directives(def.directives, "DIRECTIVE_DEFINITION");
                return;
            case K::kOperation:
            case K::kFragment:
                return;
        }
    }

    Visitor& v_;
};

}  // namespace alatar::graphql::validation
