#pragma once
// The interface every validation rule implements. The walker (validation.cpp) visits the
// document once, updating TypeInfo, and calls each rule's hooks for the node kinds it declared,
// in graphql-js's rule order, so errors come out in graphql-js's order. An enter hook returning
// false skips the node's subtree for that rule only (graphql-js's `return false`), and then the
// rule's leave hook for that node is not called.
#include <cstdint>
#include <span>
#include <string_view>

#include "graphql/ast.hpp"
#include "graphql/rules/context.hpp"

namespace alatar::graphql::validation {

enum class NodeKind : std::uint8_t {
    kDocument,
    kOperation,
    kFragmentDefinition,
    kVariableDefinition,
    kSelectionSet,
    kField,
    kFragmentSpread,
    kInlineFragment,
    kDirective,
    kArgument,
    kValue,
    kObjectField,
    kNamedType,
    kSdlNode,
    kCount,
};

constexpr std::uint32_t on_enter(NodeKind kind) { return 1U << (2U * static_cast<unsigned>(kind)); }
constexpr std::uint32_t on_leave(NodeKind kind) { return 1U << (2U * static_cast<unsigned>(kind) + 1U); }

// A type-system node that carries directives (definitions, extensions, fields, arguments,
// enum values): `definition` is set for schema/type/directive definitions and extensions.
struct SdlNode {
    const ast::Definition* definition = nullptr;
    std::span<const ast::Directive* const> directives;
};

class Rule {
  public:
    Rule(Context& context, std::uint32_t hooks) : context_(context), hooks_(hooks) {}
    Rule(const Rule&) = delete;
    Rule& operator=(const Rule&) = delete;
    virtual ~Rule() = default;

    std::uint32_t hooks() const { return hooks_; }

    virtual bool enter_document(const Document& /*document*/) { return true; }
    virtual void leave_document(const Document& /*document*/) {}
    virtual bool enter_operation(const ast::Definition& /*operation*/) { return true; }
    virtual void leave_operation(const ast::Definition& /*operation*/) {}
    virtual bool enter_fragment_definition(const ast::Definition& /*fragment*/) { return true; }
    virtual void leave_fragment_definition(const ast::Definition& /*fragment*/) {}
    virtual bool enter_variable_definition(const ast::VariableDefinition& /*definition*/) { return true; }
    virtual void leave_variable_definition(const ast::VariableDefinition& /*definition*/) {}
    // `parent` is the field or inline fragment owning the set; null under an operation or fragment.
    virtual bool enter_selection_set(const ast::SelectionSet& /*set*/, const ast::Selection* /*parent*/) {
        return true;
    }
    virtual void leave_selection_set(const ast::SelectionSet& /*set*/) {}
    virtual bool enter_field(const ast::Selection& /*field*/) { return true; }
    virtual void leave_field(const ast::Selection& /*field*/) {}
    virtual bool enter_fragment_spread(const ast::Selection& /*spread*/) { return true; }
    virtual void leave_fragment_spread(const ast::Selection& /*spread*/) {}
    virtual bool enter_inline_fragment(const ast::Selection& /*fragment*/) { return true; }
    virtual void leave_inline_fragment(const ast::Selection& /*fragment*/) {}
    // `location` is the DirectiveLocation of the node the directive is applied to ("FIELD", ...).
    virtual bool enter_directive(const ast::Directive& /*directive*/, std::string_view /*location*/) { return true; }
    virtual void leave_directive(const ast::Directive& /*directive*/) {}
    virtual bool enter_argument(const ast::Argument& /*argument*/) { return true; }
    virtual void leave_argument(const ast::Argument& /*argument*/) {}
    // Every value node, nested ones included (after TypeInfo entered list items / object fields).
    virtual bool enter_value(const ast::Value& /*value*/) { return true; }
    virtual void leave_value(const ast::Value& /*value*/) {}
    virtual bool enter_object_field(const ast::ObjectField& /*field*/) { return true; }
    virtual void leave_object_field(const ast::ObjectField& /*field*/) {}
    // A named type reference (variable types, type conditions, SDL type references).
    virtual void enter_named_type(const ast::Name& /*name*/, bool /*in_sdl*/) {}
    virtual bool enter_sdl_node(const SdlNode& /*node*/) { return true; }

  protected:
    Context& context() { return context_; }

  private:
    friend class Walker;
    Context& context_;
    std::uint32_t hooks_;
    const void* skipping_ = nullptr;  // the node whose subtree this rule skips
};

}  // namespace alatar::graphql::validation
