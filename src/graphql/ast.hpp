#pragma once
// Typed AST for GraphQL documents: executable definitions and the type system language
// (https://spec.graphql.org/October2021/#sec-Appendix-Grammar-Summary).
//
// Ownership: a Document owns its source text and a monotonic arena; every node and every
// array of children is allocated in that arena and lives exactly as long as the Document.
// Names are string_views into the source. Decoded string values (escapes, block strings)
// are string_views into arena storage. Nodes are immutable after parsing.
//
// Positions: every node records the byte offset of its first token; Document::location()
// turns an offset into a 1-based line and column counted as graphql-js counts them
// (columns in UTF-16 code units), which is what error `locations` report.
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <mutex>
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

// An immutable array of children in the Document's arena. The parser collects children on a
// scratch stack and copies them here once complete, so a node carries two words instead of a
// growable vector, and no list reallocates while parsing.
template <class T>
class List {
  public:
    using value_type = T;
    using size_type = std::size_t;
    using const_iterator = const T*;
    using iterator = const T*;

    List() = default;
    List(const T* data, std::size_t size) : data_(data), size_(size) {}

    const T* begin() const { return data_; }
    const T* end() const { return data_ + size_; }
    const T* data() const { return data_; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const T& operator[](std::size_t i) const {
        assert(i < size_);
        return data_[i];
    }
    const T& front() const { return (*this)[0]; }
    const T& back() const { return (*this)[size_ - 1]; }

  private:
    const T* data_ = nullptr;
    std::size_t size_ = 0;
};

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
    std::string_view response_key() const { return alias ? alias->value : name.value; }
};

struct SelectionSet {
    std::uint32_t offset = 0;  // of the '{'
    List<const Selection*> selections;
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
};

struct InputValueDefinition {
    std::uint32_t offset = 0;
    std::optional<std::string_view> description;
    Name name;
    const Type* type = nullptr;
    const Value* default_value = nullptr;
    List<const Directive*> directives;
};

struct FieldDefinition {
    std::uint32_t offset = 0;
    std::optional<std::string_view> description;
    Name name;
    List<const InputValueDefinition*> arguments;
    const Type* type = nullptr;
    List<const Directive*> directives;
};

struct EnumValueDefinition {
    std::uint32_t offset = 0;
    std::optional<std::string_view> description;
    Name name;
    List<const Directive*> directives;
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
    std::span<const ast::Definition* const> definitions() const { return {definitions_.data(), definitions_.size()}; }
    // Thread-safe; the line index it needs is built on the first call (most documents never
    // report a location, so parsing does not pay for it).
    SourceLocation location(std::uint32_t offset) const;

    // For the parser: nodes and arrays in the arena, and the top-level list.
    // Default-initialized, not value-initialized: every member has a default member initializer,
    // and `T()` would zero the whole node first (a `rep stos` per node, once the parser's costliest
    // instruction).
    template <class T>
    T* make() {
        return ::new (allocate(sizeof(T), alignof(T))) T;
    }
    template <class T>
    ast::List<T> make_list(const T* items, std::size_t count) {
        if (count == 0) return {};
        // T is often a node pointer: an array of pointers is meant.
        auto* p = static_cast<T*>(allocate(sizeof(T) * count, alignof(T)));  // NOLINT(bugprone-sizeof-expression)
        std::uninitialized_copy_n(items, count, p);
        return {p, count};
    }
    void set_definitions(ast::List<const ast::Definition*> definitions) { definitions_ = definitions; }
    // Copies decoded text (string escapes, block strings) into the arena.
    std::string_view store(std::string_view text);

  private:
    // Bump allocation in the current chunk, inline: a call into the monotonic resource per node
    // cost more than building the node. Chunks come from arena_, which frees them all at once.
    void* allocate(std::size_t bytes, std::size_t alignment) {
        const std::size_t at = (chunk_used_ + alignment - 1) & ~(alignment - 1);
        if (at + bytes > chunk_size_) return allocate_chunk(bytes, alignment);
        chunk_used_ = at + bytes;
        return chunk_ + at;
    }
    void* allocate_chunk(std::size_t bytes, std::size_t alignment);
    static constexpr std::size_t kChunkAlignment = alignof(std::max_align_t);

    std::string source_;
    std::pmr::monotonic_buffer_resource arena_;
    std::byte* chunk_ = nullptr;
    std::size_t chunk_used_ = 0;
    std::size_t chunk_size_ = 0;
    ast::List<const ast::Definition*> definitions_;

    // The location index, built once by build_location_index().
    mutable std::once_flag index_once_;
    mutable std::vector<std::uint32_t> line_starts_;  // byte offsets of line starts
    // Empty for an ASCII source; otherwise the sum of UTF-16-units-minus-bytes before each
    // kUtf16Block-byte block (see location()).
    static constexpr std::size_t kUtf16Block = 64;
    mutable std::vector<std::int32_t> utf16_block_deltas_;
    void build_location_index() const;
    void index_utf16_columns() const;
    std::int64_t utf16_delta_before(std::uint32_t offset) const;
};

using DocumentPtr = std::shared_ptr<const Document>;

}  // namespace alatar::graphql
