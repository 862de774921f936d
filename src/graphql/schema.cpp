// The runtime type system: lookups, interned wrapper types and the type comparators of
// https://spec.graphql.org/October2021/#sec-Validation (graphql-js's typeComparators).
#include "graphql/schema.hpp"

#include <algorithm>

namespace alatar::graphql {

// ---- member lookups ---------------------------------------------------------------------------

const InputValue* FieldDefinition::arg(std::string_view arg_name) const {
    for (const InputValue& value : args) {
        if (value.name == arg_name) return &value;
    }
    return nullptr;
}

const FieldDefinition* Type::field(std::string_view field_name) const {
    if (!field_index_.empty()) {
        const auto it = field_index_.find(field_name);
        return it == field_index_.end() ? nullptr : &fields[it->second];
    }
    for (const FieldDefinition& definition : fields) {
        if (definition.name == field_name) return &definition;
    }
    return nullptr;
}

FieldDefinition* Type::mutable_field(std::string_view field_name) {
    return const_cast<FieldDefinition*>(static_cast<const Type*>(this)->field(field_name));
}

const InputValue* Type::input_field(std::string_view field_name) const {
    for (const InputValue& value : input_fields) {
        if (value.name == field_name) return &value;
    }
    return nullptr;
}

const EnumValue* Type::enum_value(std::string_view value_name) const {
    for (const EnumValue& value : enum_values) {
        if (value.name == value_name) return &value;
    }
    return nullptr;
}

bool Type::is_input() const {
    const Type& base = named();
    return base.kind == TypeKind::kScalar || base.kind == TypeKind::kEnum || base.kind == TypeKind::kInputObject;
}

bool Type::is_output() const {
    const Type& base = named();
    return base.kind == TypeKind::kScalar || base.kind == TypeKind::kObject || base.kind == TypeKind::kInterface ||
           base.kind == TypeKind::kUnion || base.kind == TypeKind::kEnum;
}

const Type& Type::named() const {
    const Type* type = this;
    while (type->of_type != nullptr) type = type->of_type;
    return *type;
}

std::string Type::to_string() const {
    switch (kind) {
        case TypeKind::kList:
            return "[" + of_type->to_string() + "]";
        case TypeKind::kNonNull:
            return of_type->to_string() + "!";
        default:
            return name;
    }
}

// ---- schema -----------------------------------------------------------------------------------

const Type* Schema::root_type(ast::OperationType op) const {
    switch (op) {
        case ast::OperationType::kQuery:
            return query_;
        case ast::OperationType::kMutation:
            return mutation_;
        case ast::OperationType::kSubscription:
            return subscription_;
    }
    return nullptr;
}

const Type* Schema::type(std::string_view name) const {
    const auto it = types_by_name_.find(name);
    return it == types_by_name_.end() ? nullptr : it->second;
}

const DirectiveDefinition* Schema::directive(std::string_view name) const {
    for (const DirectiveDefinition& definition : directives_) {
        if (definition.name == name) return &definition;
    }
    return nullptr;
}

std::optional<std::string_view> Schema::description() const {
    if (!description_) return std::nullopt;
    return std::string_view(*description_);
}

const Type* Schema::list_of(const Type* type) const {
    const std::lock_guard<std::mutex> lock(wrappers_mutex_);
    auto [it, inserted] = list_cache_.try_emplace(type, nullptr);
    if (inserted) {
        auto wrapper = std::make_unique<Type>();
        wrapper->kind = TypeKind::kList;
        wrapper->of_type = type;
        it->second = wrapper.get();
        wrappers_.push_back(std::move(wrapper));
    }
    return it->second;
}

const Type* Schema::non_null_of(const Type* type) const {
    if (type->is_non_null()) return type;
    const std::lock_guard<std::mutex> lock(wrappers_mutex_);
    auto [it, inserted] = non_null_cache_.try_emplace(type, nullptr);
    if (inserted) {
        auto wrapper = std::make_unique<Type>();
        wrapper->kind = TypeKind::kNonNull;
        wrapper->of_type = type;
        it->second = wrapper.get();
        wrappers_.push_back(std::move(wrapper));
    }
    return it->second;
}

std::span<const Type* const> Schema::possible_types(const Type& abstract) const {
    if (abstract.kind == TypeKind::kUnion) return abstract.members;
    const auto it = implementations_.find(&abstract);
    if (it == implementations_.end()) return {};
    return it->second;
}

bool Schema::is_possible_type(const Type& abstract, const Type& object) const {
    const auto types = possible_types(abstract);
    return std::find(types.begin(), types.end(), &object) != types.end();
}

bool Schema::is_sub_type(const Type& abstract, const Type& maybe_sub) const {
    if (abstract.kind == TypeKind::kUnion) {
        return std::find(abstract.members.begin(), abstract.members.end(), &maybe_sub) != abstract.members.end();
    }
    if (abstract.kind != TypeKind::kInterface) return false;
    if (maybe_sub.kind == TypeKind::kObject) return is_possible_type(abstract, maybe_sub);
    if (maybe_sub.kind == TypeKind::kInterface) {
        // graphql-js's implementations.interfaces: interfaces declaring `implements abstract`.
        return std::find(maybe_sub.interfaces.begin(), maybe_sub.interfaces.end(), &abstract) !=
               maybe_sub.interfaces.end();
    }
    return false;
}

bool Schema::is_type_sub_type_of(const Type& maybe_sub, const Type& super) const {
    if (&maybe_sub == &super) return true;
    if (super.is_non_null()) {
        return maybe_sub.is_non_null() && is_type_sub_type_of(*maybe_sub.of_type, *super.of_type);
    }
    if (maybe_sub.is_non_null()) return is_type_sub_type_of(*maybe_sub.of_type, super);
    if (super.is_list()) return maybe_sub.is_list() && is_type_sub_type_of(*maybe_sub.of_type, *super.of_type);
    if (maybe_sub.is_list()) return false;
    return super.is_abstract() && (maybe_sub.kind == TypeKind::kInterface || maybe_sub.kind == TypeKind::kObject) &&
           is_sub_type(super, maybe_sub);
}

bool Schema::do_types_overlap(const Type& a, const Type& b) const {
    if (&a == &b) return true;
    if (a.is_abstract()) {
        if (b.is_abstract()) {
            for (const Type* type : possible_types(a)) {
                if (is_sub_type(b, *type)) return true;
            }
            return false;
        }
        return is_sub_type(a, b);
    }
    if (b.is_abstract()) return is_sub_type(b, a);
    return false;
}

bool Schema::set_resolver(std::string_view type_name, std::string_view field_name, FieldResolver resolver) {
    const auto it = types_by_name_.find(type_name);
    if (it == types_by_name_.end()) return false;
    FieldDefinition* definition = it->second->mutable_field(field_name);
    if (definition == nullptr) return false;
    definition->resolver = std::move(resolver);
    return true;
}

bool Schema::set_type_resolver(std::string_view type_name, TypeResolver resolver) {
    const auto it = types_by_name_.find(type_name);
    if (it == types_by_name_.end() || !it->second->is_abstract()) return false;
    it->second->resolve_type = std::move(resolver);
    return true;
}

bool Schema::set_scalar_hooks(std::string_view scalar_name, ScalarHooks hooks) {
    const auto it = types_by_name_.find(scalar_name);
    if (it == types_by_name_.end() || it->second->kind != TypeKind::kScalar) return false;
    ScalarHooks& target = it->second->scalar;
    // Hooks left empty keep what the scalar had (built-in behaviour or pass-through).
    if (hooks.serialize) target.serialize = std::move(hooks.serialize);
    if (hooks.parse_value) target.parse_value = std::move(hooks.parse_value);
    if (hooks.parse_literal) target.parse_literal = std::move(hooks.parse_literal);
    return true;
}

}  // namespace alatar::graphql
