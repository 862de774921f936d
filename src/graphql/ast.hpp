#pragma once
// Typed AST for GraphQL documents: executable definitions and the type system language
// (https://spec.graphql.org/October2021/#sec-Appendix-Grammar-Summary).
//
// Ownership: a Document owns its source text and a monotonic arena; every node and every
// vector of children is allocated in that arena and lives exactly as long as the Document.
// Names are string_views into the source. Decoded string values (escapes, block strings)
// are string_views into arena storage. Nodes are immutable after parsing.
//
// Positions: every node records the byte offset of its first token; Document::location()
// turns an offset into a 1-based line and column counted as graphql-js counts them
// (columns in UTF-16 code units), which is what error `locations` report.
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::graphql {

struct SourceLocation {
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

namespace ast {

template <class T>
using List = std::pmr::vector<T>;

struct Name {
    std::string_view value;
    std::uint32_t offset = 0;
};

// ---- Values -------------------------------------------------------------------------------

enum class ValueKind : std::uint8_t { kVariable, kInt, kFloat, kString, kBoolean, kNull, kEnum, kList, kObject };

struct Value;

struct ObjectField {
    Name name;
    const Value* value = nullptr;
};

// One struct for every value kind (a tagged node keeps the parser and visitors simple and fast).
struct Value {
    ValueKind kind = ValueKind::kNull;
    std::uint32_t offset = 0;
    // kVariable: the variable name (without '$'); kInt/kFloat: the literal text; kEnum: the name;
    // kString: the decoded value. kBoolean uses `boolean`.
    std::string_view text;
    bool boolean = false;
    bool block_string = false;  // kString written as """..."""
    List<const Value*> list;    // kList
    List<ObjectField> fields;   // kObject, in source order

    explicit Value(std::pmr::memory_resource* arena) : list(arena), fields(arena) {}
};

// ---- Types --------------------------------------------------------------------------------

enum class TypeKind : std::uint8_t { kNamed, kList, kNonNull };

struct Type {
    TypeKind kind = TypeKind::kNamed;
    std::uint32_t offset = 0;
    Name name;                 // kNamed
    const Type* of = nullptr;  // kList, kNonNull
};

// ---- Directives and arguments ---------------------------------------------------------------

struct Argument {
    Name name;
    const Value* value = nullptr;
};

struct Directive {
    Name name;
    std::uint32_t offset = 0;  // of the '@'
    List<Argument> arguments;
    explicit Directive(std::pmr::memory_resource* arena) : arguments(arena) {}
};

// ---- Selections ---------------------------------------------------------------------------

enum class SelectionKind : std::uint8_t { kField, kFragmentSpread, kInlineFragment };

struct SelectionSet;

struct Selection {
    SelectionKind kind = SelectionKind::kField;
    std::uint32_t offset = 0;
    // kField
    std::optional<Name> alias;
    Name name;  // field name, or fragment name for kFragmentSpread
    List<Argument> arguments;
    // kInlineFragment
    std::optional<Name> type_condition;
    // all kinds
    List<const Directive*> directives;
    const SelectionSet* selection_set = nullptr;  // null for leaf fields and fragment spreads

    explicit Selection(std::pmr::memory_resource* arena) : arguments(arena), directives(arena) {}
    std::string_view response_key() const { return alias ? alias->value : name.value; }
};

struct SelectionSet {
    std::uint32_t offset = 0;  // of the '{'
    List<const Selection*> selections;
    explicit SelectionSet(std::pmr::memory_resource* arena) : selections(arena) {}
};

// ---- Definitions --------------------------------------------------------------------------

enum class OperationType : std::uint8_t { kQuery, kMutation, kSubscription };

struct VariableDefinition {
    std::uint32_t offset = 0;                     // of the '$', or of the description when there is one
    std::optional<std::string_view> description;  // graphql-js 17 accepts descriptions on variables
    Name variable;                                // without '$'
    const Type* type = nullptr;
    const Value* default_value = nullptr;
    List<const Directive*> directives;
    explicit VariableDefinition(std::pmr::memory_resource* arena) : directives(arena) {}
};

struct InputValueDefinition {
    std::uint32_t offset = 0;
    std::optional<std::string_view> description;
    Name name;
    const Type* type = nullptr;
    const Value* default_value = nullptr;
    List<const Directive*> directives;
    explicit InputValueDefinition(std::pmr::memory_resource* arena) : directives(arena) {}
};

struct FieldDefinition {
    std::uint32_t offset = 0;
    std::optional<std::string_view> description;
    Name name;
    List<const InputValueDefinition*> arguments;
    const Type* type = nullptr;
    List<const Directive*> directives;
    explicit FieldDefinition(std::pmr::memory_resource* arena) : arguments(arena), directives(arena) {}
};

struct EnumValueDefinition {
    std::uint32_t offset = 0;
    std::optional<std::string_view> description;
    Name name;
    List<const Directive*> directives;
    explicit EnumValueDefinition(std::pmr::memory_resource* arena) : directives(arena) {}
};

struct RootOperationTypeDefinition {
    OperationType operation = OperationType::kQuery;
    Name type;
    std::uint32_t offset = 0;  // of the operation keyword
};

enum class DefinitionKind : std::uint8_t {
    kOperation,
    kFragment,
    kSchema,
    kScalarType,
    kObjectType,
    kInterfaceType,
    kUnionType,
    kEnumType,
    kInputObjectType,
    kDirective,
};

// One struct for every definition kind; `is_extension` marks `extend schema` / `extend type ...`.
struct Definition {
    DefinitionKind kind = DefinitionKind::kOperation;
    std::uint32_t offset = 0;
    bool is_extension = false;
    std::optional<std::string_view> description;
    std::optional<Name> name;  // absent for anonymous operations and schema definitions

    // kOperation
    OperationType operation = OperationType::kQuery;
    bool shorthand = false;  // a bare `{ ... }` query
    List<const VariableDefinition*> variable_definitions;
    // kFragment
    std::optional<Name> type_condition;
    // kOperation, kFragment
    const SelectionSet* selection_set = nullptr;

    // every kind
    List<const Directive*> directives;

    // kSchema
    List<RootOperationTypeDefinition> root_operation_types;
    // kObjectType, kInterfaceType
    List<Name> interfaces;
    List<const FieldDefinition*> fields;
    // kUnionType
    List<Name> union_members;
    // kEnumType
    List<const EnumValueDefinition*> enum_values;
    // kInputObjectType: input_fields; kDirective: arguments
    List<const InputValueDefinition*> input_fields;
    // kDirective
    bool repeatable = false;
    List<Name> directive_locations;

    explicit Definition(std::pmr::memory_resource* arena)
        : variable_definitions(arena),
          directives(arena),
          root_operation_types(arena),
          interfaces(arena),
          fields(arena),
          union_members(arena),
          enum_values(arena),
          input_fields(arena),
          directive_locations(arena) {}

    bool is_executable() const { return kind == DefinitionKind::kOperation || kind == DefinitionKind::kFragment; }
};

}  // namespace ast

// A parsed document: owns the source text, the arena and every node.
class Document {
  public:
    explicit Document(std::string source);
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    std::string_view source() const { return source_; }
    std::span<const ast::Definition* const> definitions() const { return definitions_; }
    SourceLocation location(std::uint32_t offset) const;

    // For the parser: the arena every node is allocated in, and the top-level list.
    std::pmr::memory_resource* arena() { return &arena_; }
    std::pmr::vector<const ast::Definition*>& mutable_definitions() { return definitions_; }
    template <class T, class... Args>
    T* make(Args&&... args) {
        void* p = arena_.allocate(sizeof(T), alignof(T));
        return ::new (p) T(std::forward<Args>(args)...);
    }
    // Copies decoded text (string escapes, block strings) into the arena.
    std::string_view store(std::string_view text);

  private:
    std::string source_;
    std::pmr::monotonic_buffer_resource arena_;
    std::pmr::vector<const ast::Definition*> definitions_;
    std::vector<std::uint32_t> line_starts_;  // byte offsets of line starts, computed in the constructor
    // Empty for an ASCII source; otherwise the sum of UTF-16-units-minus-bytes before each
    // kUtf16Block-byte block (see location()).
    static constexpr std::size_t kUtf16Block = 64;
    std::vector<std::int32_t> utf16_block_deltas_;
    void index_utf16_columns();
    std::int64_t utf16_delta_before(std::uint32_t offset) const;
};

using DocumentPtr = std::shared_ptr<const Document>;

}  // namespace alatar::graphql
