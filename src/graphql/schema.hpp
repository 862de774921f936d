#pragma once
// The runtime type system (https://spec.graphql.org/October2021/#sec-Type-System), built from
// SDL at start-up by build_schema() and immutable afterwards except for attaching resolvers,
// type resolvers and scalar hooks before the schema is first used.
//
// Named types are owned by the Schema; wrapper types (list, non-null) are interned by the
// Schema too, so two equal type references are the same pointer. Every schema includes the
// built-in scalars, the built-in directives and the introspection types (__Schema, __Type, ...).
#include <boost/json/value.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"
#include "graphql/resolver.hpp"

namespace alatar::graphql {

enum class TypeKind : std::uint8_t { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject, kList, kNonNull };

struct InputValue {
    std::string name;
    std::optional<std::string> description;
    const Type* type = nullptr;
    const ast::Value* default_value_ast = nullptr;    // as written in the SDL (printing, introspection)
    std::optional<boost::json::value> default_value;  // coerced, when a default exists
    std::optional<std::string> deprecation_reason;
    const ast::InputValueDefinition* ast = nullptr;
};

struct FieldDefinition {
    std::string name;
    std::optional<std::string> description;
    std::vector<InputValue> args;
    const Type* type = nullptr;
    std::optional<std::string> deprecation_reason;
    FieldResolver resolver;
    const ast::FieldDefinition* ast = nullptr;

    const InputValue* arg(std::string_view arg_name) const;
};

struct EnumValue {
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> deprecation_reason;
};

class Type {
  public:
    TypeKind kind = TypeKind::kScalar;
    std::string name;  // empty for list and non-null wrappers
    std::optional<std::string> description;
    const Type* of_type = nullptr;  // wrapped type of list / non-null

    // kObject, kInterface: fields in definition order (extensions appended)
    std::vector<FieldDefinition> fields;
    std::vector<const Type*> interfaces;            // kObject, kInterface
    std::vector<const Type*> members;               // kUnion: member types
    std::vector<EnumValue> enum_values;             // kEnum
    std::vector<InputValue> input_fields;           // kInputObject
    bool one_of = false;                            // kInputObject with @oneOf
    std::optional<std::string> specified_by_url;    // kScalar
    ScalarHooks scalar;                             // kScalar
    TypeResolver resolve_type;                      // kInterface, kUnion (empty: "__typename")
    std::vector<const ast::Definition*> ast_nodes;  // definition then extensions, for printing

    const FieldDefinition* field(std::string_view field_name) const;
    FieldDefinition* mutable_field(std::string_view field_name);
    const InputValue* input_field(std::string_view field_name) const;
    const EnumValue* enum_value(std::string_view value_name) const;

    bool is_wrapper() const { return kind == TypeKind::kList || kind == TypeKind::kNonNull; }
    bool is_non_null() const { return kind == TypeKind::kNonNull; }
    bool is_list() const { return kind == TypeKind::kList; }
    bool is_abstract() const { return kind == TypeKind::kInterface || kind == TypeKind::kUnion; }
    bool is_composite() const { return kind == TypeKind::kObject || is_abstract(); }
    bool is_leaf() const { return kind == TypeKind::kScalar || kind == TypeKind::kEnum; }
    bool is_input() const;      // scalar, enum, input object (through wrappers)
    bool is_output() const;     // scalar, object, interface, union, enum (through wrappers)
    const Type& named() const;  // strips every wrapper
    const Type& nullable() const { return is_non_null() ? *of_type : *this; }
    std::string to_string() const;  // "[Int!]!" as in messages and introspection

  private:
    friend class Schema;
    std::unordered_map<std::string_view, std::size_t> field_index_;
};

struct DirectiveDefinition {
    std::string name;
    std::optional<std::string> description;
    std::vector<InputValue> args;
    bool repeatable = false;
    std::vector<std::string> locations;  // "QUERY", "FIELD", "FIELD_DEFINITION", ...
    const ast::Definition* ast = nullptr;
    bool is_builtin = false;
    std::optional<std::string> deprecation_reason;  // graphql-js 17 allows @deprecated on directives
};

class Schema {
  public:
    const Type* query_type() const { return query_; }
    const Type* mutation_type() const { return mutation_; }
    const Type* subscription_type() const { return subscription_; }
    const Type* root_type(ast::OperationType op) const;

    const Type* type(std::string_view name) const;                      // named types only; null if unknown
    std::span<const Type* const> types() const { return type_order_; }  // graphql-js typeMap order
    std::span<const DirectiveDefinition> directives() const { return directives_; }
    const DirectiveDefinition* directive(std::string_view name) const;
    std::optional<std::string_view> description() const;

    // Interned wrappers; thread-safe (validation and execution may ask for new ones concurrently).
    const Type* list_of(const Type* type) const;
    const Type* non_null_of(const Type* type) const;

    // Object types implementing an interface, or the members of a union (definition order).
    std::span<const Type* const> possible_types(const Type& abstract) const;
    bool is_possible_type(const Type& abstract, const Type& object) const;
    bool is_sub_type(const Type& abstract, const Type& maybe_sub) const;  // incl. interface-implements-interface
    // Type comparators of the spec's validation section.
    bool is_type_sub_type_of(const Type& maybe_sub, const Type& super) const;
    bool do_types_overlap(const Type& a, const Type& b) const;

    // Wiring before first use. Return false when the type/field does not exist.
    bool set_resolver(std::string_view type_name, std::string_view field_name, FieldResolver resolver);
    bool set_type_resolver(std::string_view type_name, TypeResolver resolver);
    bool set_scalar_hooks(std::string_view scalar_name, ScalarHooks hooks);

    // The meta fields __schema and __type of the query root, with their resolvers: filled by
    // install_introspection() (introspection.hpp), which build_schema calls last.
    FieldDefinition schema_meta_field;
    FieldDefinition type_meta_field;

    // The SDL document the schema was built from (keeps AST pointers valid).
    const DocumentPtr& document() const { return document_; }

    // Implementation detail for the builder.
    struct Builder;

  private:
    friend struct Builder;
    DocumentPtr document_;
    DocumentPtr builtin_document_;  // the built-in scalars, directives and introspection types
    std::vector<std::unique_ptr<Type>> owned_types_;
    mutable std::mutex wrappers_mutex_;
    mutable std::vector<std::unique_ptr<Type>> wrappers_;
    std::unordered_map<std::string_view, Type*> types_by_name_;
    std::vector<const Type*> type_order_;
    std::vector<DirectiveDefinition> directives_;
    const Type* query_ = nullptr;
    const Type* mutation_ = nullptr;
    const Type* subscription_ = nullptr;
    std::optional<std::string> description_;
    std::unordered_map<const Type*, std::vector<const Type*>> implementations_;
    mutable std::unordered_map<const Type*, const Type*> list_cache_;
    mutable std::unordered_map<const Type*, const Type*> non_null_cache_;
};

using SchemaPtr = std::shared_ptr<Schema>;

// Builds and validates a schema from SDL (type-system definitions and extensions). On failure
// returns every error with graphql-js's messages (syntax error, or type-system validation).
std::variant<SchemaPtr, Errors> build_schema(std::string sdl);

// Prints the schema as graphql-js's printSchema does.
std::string print_schema(const Schema& schema);

// graphql-js's print() of an AST value literal (`[1, 2]`, `{a: 1, b: "x"}`, `$var`, block
// strings re-printed, lists/objects wrapped past 80 columns as its printer does), and of an
// AST type reference (`[Int!]!`). Used in messages and for default values.
std::string print_value(const ast::Value& value);
std::string print_type(const ast::Type& type);

// graphql-js's printString (JSON-like quoting) and printBlockString, and whether a description
// prints as a block string (isPrintableAsBlockString).
std::string print_string(std::string_view value);
std::string print_block_string(std::string_view value);
bool is_printable_as_block_string(std::string_view value);

}  // namespace alatar::graphql
