#pragma once
// What validation rules share (graphql-js's ValidationContext): the schema, the document, the
// TypeInfo of the walk, error reporting with the error limit, and cached document facts
// (fragments by name, the spreads under a selection set, fragments reachable from operations,
// variable usages with their expected types).
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "graphql/ast.hpp"
#include "graphql/error.hpp"
#include "graphql/schema.hpp"
#include "graphql/type_info.hpp"
#include "graphql/validation.hpp"

namespace alatar::graphql::validation {

// A use of a variable inside an operation or fragment, with the input type expected there.
struct VariableUsage {
    const ast::Value* node = nullptr;   // the kVariable value
    const Type* type = nullptr;         // expected input type; null when unknown
    const Type* parent_type = nullptr;  // the enclosing input type (list or input object)
    bool has_location_default = false;  // the argument / input field declares a default
};

// Thrown to stop the walk: the error limit was reached or the fragment work budget spent.
struct ValidationAborted {
    bool too_many_errors = false;
};

class Context {
  public:
    Context(const Schema& schema, const Document& document, const ValidationOptions& options, const TypeInfo& type_info,
            Errors& errors);

    const Schema& schema() const { return schema_; }
    const Document& document() const { return document_; }
    const ValidationOptions& options() const { return options_; }
    const TypeInfo& type_info() const { return type_info_; }
    const MetaFields& meta() const { return type_info_.meta(); }
    bool hide_suggestions() const { return !options_.suggestions; }

    // Reports an error located at the given source offsets (in that order).
    void report(std::string message, std::initializer_list<std::uint32_t> offsets);
    void report(std::string message, std::span<const std::uint32_t> offsets);

    // The fragment definition named `name` (the last one when several share it); null if none.
    const ast::Definition* fragment(std::string_view name);
    // The fragment spreads inside a selection set, nested ones included, in graphql-js's order.
    std::span<const ast::Selection* const> fragment_spreads(const ast::SelectionSet& set);
    // The fragments reachable from the operations, breadth first, each once.
    std::vector<const ast::Definition*> recursively_referenced_fragments(
        std::span<const ast::Definition* const> operations);
    // Variable usages directly inside an operation or fragment, in document order.
    std::span<const VariableUsage> variable_usages(const ast::Definition& definition);
    // The operation's usages followed by those of every fragment it reaches.
    std::span<const VariableUsage> recursive_variable_usages(const ast::Definition& operation);

    // A directive defined in the document itself (it overrides the schema's, as graphql-js's
    // rules let it); null when the document defines none of that name.
    const ast::Definition* document_directive(std::string_view name);

    // graphql-js bounds the work spent expanding fragments (50,000 units) and aborts with
    // "Validation aborted." beyond it.
    void spend_fragment_work(std::size_t cost);

    // The field definition (or meta-field) `name` of `parent`.
    const FieldDefinition* field_definition(const Type& parent, std::string_view name) const {
        return meta().lookup(schema_, parent, name);
    }
    // "Parent.field" as graphql-js prints a field ("<meta>.__typename" for meta-fields).
    std::string field_coordinate(const Type* parent, const FieldDefinition& field) const;

  private:
    const Schema& schema_;
    const Document& document_;
    const ValidationOptions& options_;
    const TypeInfo& type_info_;
    Errors& errors_;
    std::ptrdiff_t remaining_fragment_work_ = 50'000;
    bool fragments_indexed_ = false;
    bool directives_indexed_ = false;
    std::vector<const ast::Definition*> document_directives_;
    std::unordered_map<std::string_view, const ast::Definition*> fragments_;
    std::unordered_map<const ast::SelectionSet*, std::vector<const ast::Selection*>> spreads_;
    std::unordered_map<const ast::Definition*, std::vector<VariableUsage>> usages_;
    std::unordered_map<const ast::Definition*, std::vector<VariableUsage>> recursive_usages_;
};

}  // namespace alatar::graphql::validation
