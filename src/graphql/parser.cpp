// Recursive-descent parser mirroring graphql-js 17's Parser method by method, so that every
// syntax error is reported with the same message at the same token.
#include "graphql/parser.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <limits>
#include <memory>
#include <memory_resource>
#include <string>
#include <vector>

#include "graphql/lexer.hpp"

namespace alatar::graphql {
namespace {

using lex::SyntaxError;
using lex::Token;
using lex::TokenKind;

// Recursion guard when no depth limit is set: deep enough for any real document, shallow
// enough that neither this parser nor the recursive passes over the AST exhaust the stack.
constexpr std::size_t kHardDepthLimit = 512;

// Stack space for the parser's scratch stacks: enough for typical documents without a heap allocation.
constexpr std::size_t kScratchBytes = 8192;

constexpr std::array<std::string_view, 21> kDirectiveLocations = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "FRAGMENT_VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
    "DIRECTIVE_DEFINITION",
};

// `value == literal` with the literal's length known at compile time, so that the comparison
// compiles to a length check and a few integer compares instead of a call to memcmp.
template <std::size_t N>
bool is_word(std::string_view value, const char (&literal)[N]) {
    return value.size() == N - 1 && std::memcmp(value.data(), literal, N - 1) == 0;
}

// The children of the nodes under construction, one stack per element type. A node records
// mark(), pushes its children (nested nodes push above and pop before it continues), then
// pop() copies them into the Document's arena as one exactly sized array.
template <class T>
class ScratchStack {
  public:
    explicit ScratchStack(std::pmr::memory_resource* memory) : items_(memory) {}
    std::size_t mark() const { return items_.size(); }
    void push(const T& item) { items_.push_back(item); }
    ast::List<T> pop(Document& document, std::size_t mark) {
        const ast::List<T> list = document.make_list(items_.data() + mark, items_.size() - mark);
        items_.resize(mark);
        return list;
    }

  private:
    std::pmr::vector<T> items_;
};

class Parser {
  public:
    // `scratch` holds the parser's stacks of children (see ScratchStack).
    Parser(Document& document, const ParseOptions& options, std::pmr::memory_resource* scratch)
        : document_(document),
          lexer_(document),
          options_(options),
          definitions_(scratch),
          variable_definitions_(scratch),
          selections_(scratch),
          arguments_(scratch),
          directives_(scratch),
          values_(scratch),
          object_fields_(scratch),
          root_operation_types_(scratch),
          names_(scratch),
          field_definitions_(scratch),
          input_values_(scratch),
          enum_values_(scratch) {
        max_depth_ = options.max_depth == 0 ? kHardDepthLimit : std::min(options.max_depth, kHardDepthLimit);
        token_limit_ = options.max_tokens == 0 ? std::numeric_limits<std::size_t>::max() : options.max_tokens;
    }

    void parse_document() {
        expect(TokenKind::kSof);
        const std::size_t mark = definitions_.mark();
        do {
            definitions_.push(parse_definition());
        } while (!expect_optional(TokenKind::kEof));
        document_.set_definitions(definitions_.pop(document_, mark));
    }

  private:
    // ---- token stream ------------------------------------------------------------------------

    void advance() {
        if (has_lookahead_) {
            token_ = lookahead_token_;
            has_lookahead_ = false;
        } else if (token_.kind != TokenKind::kEof) {
            lexer_.read(token_.end, token_);
        }
        if (token_.kind != TokenKind::kEof && ++token_count_ > token_limit_) too_many_tokens();
    }

    [[noreturn]] void too_many_tokens() const {
        throw SyntaxError(token_.start, "Document contains more than " + std::to_string(options_.max_tokens) +
                                            " tokens. Parsing aborted.");
    }

    const Token& lookahead() {
        if (token_.kind == TokenKind::kEof) return token_;
        if (!has_lookahead_) {
            lexer_.read(token_.end, lookahead_token_);
            has_lookahead_ = true;
        }
        return lookahead_token_;
    }

    bool peek(TokenKind kind) const { return token_.kind == kind; }

    void expect(TokenKind kind) {
        if (token_.kind != kind) unexpected_kind(kind);
        advance();
    }

    [[noreturn]] void unexpected_kind(TokenKind kind) const {
        throw SyntaxError(token_.start, "Expected " + std::string(lex::kind_description(kind)) + ", found " +
                                            lex::token_description(token_) + ".");
    }

    bool expect_optional(TokenKind kind) {
        if (token_.kind != kind) return false;
        advance();
        return true;
    }

    void expect_keyword(std::string_view value) {
        if (token_.kind != TokenKind::kName || token_.value() != value) {
            throw SyntaxError(token_.start,
                              "Expected \"" + std::string(value) + "\", found " + lex::token_description(token_) + ".");
        }
        advance();
    }

    bool expect_optional_keyword(std::string_view value) {
        if (token_.kind != TokenKind::kName || token_.value() != value) return false;
        advance();
        return true;
    }

    [[noreturn]] static void unexpected(const Token& token) {
        throw SyntaxError(token.start, "Unexpected " + lex::token_description(token) + ".");
    }

    // Entered for every selection set, list value, object value and list type.
    class DepthGuard {
      public:
        explicit DepthGuard(Parser& parser) : parser_(parser) {
            if (++parser_.depth_ > parser_.max_depth_) {
                throw SyntaxError(parser_.token_.start, "Document contains more than " +
                                                            std::to_string(parser_.max_depth_) +
                                                            " levels of nesting. Parsing aborted.");
            }
        }
        ~DepthGuard() { --parser_.depth_; }
        DepthGuard(const DepthGuard&) = delete;
        DepthGuard& operator=(const DepthGuard&) = delete;

      private:
        Parser& parser_;
    };

    template <class T>
    T* make() {
        return document_.make<T>();
    }

    ast::Name parse_name() {
        ast::Name name;
        parse_name_into(name);
        return name;
    }

    // Writes the name in place: returning it by value stalls store forwarding (see lex::Token).
    void parse_name_into(ast::Name& name) {
        if (token_.kind != TokenKind::kName) unexpected_kind(TokenKind::kName);
        name.value = token_.value();
        name.offset = token_.start;
        advance();
    }

    // ---- definitions -------------------------------------------------------------------------

    const ast::Definition* parse_definition() {
        if (peek(TokenKind::kBraceL)) return parse_operation_definition();
        const bool has_description = peek_description();
        const Token keyword = has_description ? lookahead() : token_;
        if (has_description && keyword.kind == TokenKind::kBraceL) {
            throw SyntaxError(token_.start,
                              "Unexpected description, descriptions are not supported on shorthand queries.");
        }
        if (keyword.kind == TokenKind::kName) {
            const std::string_view word = keyword.value();
            if (is_word(word, "schema")) return parse_schema_definition();
            if (is_word(word, "scalar")) return parse_scalar_definition();
            if (is_word(word, "type")) return parse_object_like_definition(ast::DefinitionKind::kObjectType, "type");
            if (is_word(word, "interface")) {
                return parse_object_like_definition(ast::DefinitionKind::kInterfaceType, "interface");
            }
            if (is_word(word, "union")) return parse_union_definition();
            if (is_word(word, "enum")) return parse_enum_definition();
            if (is_word(word, "input")) return parse_input_object_definition();
            if (is_word(word, "directive")) return parse_directive_definition();
            if (is_word(word, "query") || is_word(word, "mutation") || is_word(word, "subscription")) {
                return parse_operation_definition();
            }
            if (is_word(word, "fragment")) return parse_fragment_definition();
            if (has_description) {
                throw SyntaxError(token_.start,
                                  "Unexpected description, only GraphQL definitions support descriptions.");
            }
            if (is_word(word, "extend")) return parse_type_system_extension();
        }
        unexpected(keyword);
    }

    ast::Definition* new_definition(ast::DefinitionKind kind, std::uint32_t offset) {
        auto* definition = make<ast::Definition>();
        definition->kind = kind;
        definition->offset = offset;
        return definition;
    }

    const ast::Definition* parse_operation_definition() {
        auto* definition = new_definition(ast::DefinitionKind::kOperation, token_.start);
        if (peek(TokenKind::kBraceL)) {
            definition->shorthand = true;
            definition->selection_set = parse_selection_set();
            return definition;
        }
        definition->description = parse_description();
        definition->operation = parse_operation_type();
        if (peek(TokenKind::kName)) definition->name = parse_name();
        parse_variable_definitions(definition->variable_definitions);
        parse_directives(false, definition->directives);
        definition->selection_set = parse_selection_set();
        return definition;
    }

    ast::OperationType parse_operation_type() {
        if (token_.kind != TokenKind::kName) unexpected_kind(TokenKind::kName);
        const Token token = token_;
        advance();
        if (is_word(token.value(), "query")) return ast::OperationType::kQuery;
        if (is_word(token.value(), "mutation")) return ast::OperationType::kMutation;
        if (is_word(token.value(), "subscription")) return ast::OperationType::kSubscription;
        unexpected(token);
    }

    void parse_variable_definitions(ast::List<const ast::VariableDefinition*>& out) {
        if (!expect_optional(TokenKind::kParenL)) return;
        const std::size_t mark = variable_definitions_.mark();
        do {
            variable_definitions_.push(parse_variable_definition());
        } while (!expect_optional(TokenKind::kParenR));
        out = variable_definitions_.pop(document_, mark);
    }

    const ast::VariableDefinition* parse_variable_definition() {
        auto* variable = make<ast::VariableDefinition>();
        variable->offset = token_.start;
        variable->description = parse_description();
        expect(TokenKind::kDollar);
        parse_name_into(variable->variable);
        expect(TokenKind::kColon);
        variable->type = parse_type_reference();
        if (expect_optional(TokenKind::kEquals)) variable->default_value = parse_value_literal(true);
        parse_directives(true, variable->directives);
        return variable;
    }

    const ast::SelectionSet* parse_selection_set() {
        const DepthGuard guard(*this);
        auto* set = make<ast::SelectionSet>();
        set->offset = token_.start;
        // graphql-js 17 accepts an empty selection set unless told otherwise.
        expect(TokenKind::kBraceL);
        const std::size_t mark = selections_.mark();
        while (!expect_optional(TokenKind::kBraceR)) selections_.push(parse_selection());
        set->selections = selections_.pop(document_, mark);
        return set;
    }

    const ast::Selection* parse_selection() { return peek(TokenKind::kSpread) ? parse_fragment() : parse_field(); }

    const ast::Selection* parse_field() {
        auto* field = make<ast::Selection>();
        field->kind = ast::SelectionKind::kField;
        field->offset = token_.start;
        parse_name_into(field->name);
        if (expect_optional(TokenKind::kColon)) {
            field->alias = field->name;
            parse_name_into(field->name);
        }
        parse_arguments(false, field->arguments);
        parse_directives(false, field->directives);
        if (peek(TokenKind::kBraceL)) field->selection_set = parse_selection_set();
        return field;
    }

    void parse_arguments(bool is_const, ast::List<ast::Argument>& out) {
        if (!expect_optional(TokenKind::kParenL)) return;
        const std::size_t mark = arguments_.mark();
        do {
            ast::Argument argument;
            parse_name_into(argument.name);
            expect(TokenKind::kColon);
            argument.value = parse_value_literal(is_const);
            arguments_.push(argument);
        } while (!expect_optional(TokenKind::kParenR));
        out = arguments_.pop(document_, mark);
    }

    const ast::Selection* parse_fragment() {
        auto* selection = make<ast::Selection>();
        selection->offset = token_.start;
        expect(TokenKind::kSpread);
        const bool has_type_condition = expect_optional_keyword("on");
        if (!has_type_condition && peek(TokenKind::kName)) {
            selection->kind = ast::SelectionKind::kFragmentSpread;
            selection->name = parse_fragment_name();
            parse_directives(false, selection->directives);
            return selection;
        }
        selection->kind = ast::SelectionKind::kInlineFragment;
        if (has_type_condition) selection->type_condition = parse_name();
        parse_directives(false, selection->directives);
        selection->selection_set = parse_selection_set();
        return selection;
    }

    const ast::Definition* parse_fragment_definition() {
        auto* definition = new_definition(ast::DefinitionKind::kFragment, token_.start);
        definition->description = parse_description();
        expect_keyword("fragment");
        definition->name = parse_fragment_name();
        expect_keyword("on");
        definition->type_condition = parse_name();
        parse_directives(false, definition->directives);
        definition->selection_set = parse_selection_set();
        return definition;
    }

    ast::Name parse_fragment_name() {
        if (token_.kind == TokenKind::kName && is_word(token_.value(), "on")) unexpected(token_);
        return parse_name();
    }

    // ---- values ------------------------------------------------------------------------------

    ast::Value* new_value(ast::ValueKind kind, std::uint32_t offset) {
        auto* value = make<ast::Value>();
        value->kind = kind;
        value->offset = offset;
        return value;
    }

    const ast::Value* parse_value_literal(bool is_const) {
        // Fields copied one by one (see lex::Token).
        const TokenKind kind = token_.kind;
        const std::uint32_t start = token_.start;
        switch (kind) {
            case TokenKind::kBracketL: {
                const DepthGuard guard(*this);
                auto* list = new_value(ast::ValueKind::kList, start);
                advance();
                const std::size_t mark = values_.mark();
                while (!expect_optional(TokenKind::kBracketR)) values_.push(parse_value_literal(is_const));
                list->list = values_.pop(document_, mark);
                return list;
            }
            case TokenKind::kBraceL: {
                const DepthGuard guard(*this);
                auto* object = new_value(ast::ValueKind::kObject, start);
                advance();
                const std::size_t mark = object_fields_.mark();
                while (!expect_optional(TokenKind::kBraceR)) {
                    ast::ObjectField field;
                    parse_name_into(field.name);
                    expect(TokenKind::kColon);
                    field.value = parse_value_literal(is_const);
                    object_fields_.push(field);
                }
                object->fields = object_fields_.pop(document_, mark);
                return object;
            }
            case TokenKind::kInt:
            case TokenKind::kFloat: {
                const std::string_view text = token_.value();
                advance();
                auto* number =
                    new_value(kind == TokenKind::kInt ? ast::ValueKind::kInt : ast::ValueKind::kFloat, start);
                number->text = text;
                return number;
            }
            case TokenKind::kString:
            case TokenKind::kBlockString:
                return parse_string_literal();
            case TokenKind::kName: {
                const std::string_view text = token_.value();
                advance();
                if (is_word(text, "true") || is_word(text, "false")) {
                    auto* boolean = new_value(ast::ValueKind::kBoolean, start);
                    boolean->boolean = is_word(text, "true");
                    return boolean;
                }
                if (is_word(text, "null")) return new_value(ast::ValueKind::kNull, start);
                auto* enum_value = new_value(ast::ValueKind::kEnum, start);
                enum_value->text = text;
                return enum_value;
            }
            case TokenKind::kDollar: {
                if (is_const) {
                    const Token dollar = token_;
                    expect(TokenKind::kDollar);
                    if (token_.kind == TokenKind::kName) {
                        throw SyntaxError(
                            start, "Unexpected variable \"$" + std::string(token_.value()) + "\" in constant value.");
                    }
                    unexpected(dollar);
                }
                advance();
                auto* variable = new_value(ast::ValueKind::kVariable, start);
                ast::Name name;
                parse_name_into(name);
                variable->text = name.value;
                return variable;
            }
            default:
                unexpected(token_);
        }
    }

    const ast::Value* parse_string_literal() {
        const TokenKind kind = token_.kind;
        const std::uint32_t start = token_.start;
        const std::string_view text = token_.value();
        advance();
        auto* value = new_value(ast::ValueKind::kString, start);
        value->text = text;
        value->block_string = kind == TokenKind::kBlockString;
        return value;
    }

    void parse_directives(bool is_const, ast::List<const ast::Directive*>& out) {
        if (!peek(TokenKind::kAt)) return;
        const std::size_t mark = directives_.mark();
        while (peek(TokenKind::kAt)) {
            auto* directive = make<ast::Directive>();
            directive->offset = token_.start;
            advance();
            parse_name_into(directive->name);
            parse_arguments(is_const, directive->arguments);
            directives_.push(directive);
        }
        out = directives_.pop(document_, mark);
    }

    // ---- types -------------------------------------------------------------------------------

    const ast::Type* parse_type_reference() {
        const std::uint32_t start = token_.start;
        ast::Type* type = nullptr;
        if (peek(TokenKind::kBracketL)) {
            const DepthGuard guard(*this);
            advance();
            const ast::Type* inner = parse_type_reference();
            expect(TokenKind::kBracketR);
            type = document_.make<ast::Type>();
            type->kind = ast::TypeKind::kList;
            type->offset = start;
            type->of = inner;
        } else {
            type = document_.make<ast::Type>();
            type->kind = ast::TypeKind::kNamed;
            type->offset = start;
            parse_name_into(type->name);
        }
        if (expect_optional(TokenKind::kBang)) {
            auto* non_null = document_.make<ast::Type>();
            non_null->kind = ast::TypeKind::kNonNull;
            non_null->offset = start;
            non_null->of = type;
            return non_null;
        }
        return type;
    }

    // ---- type system -------------------------------------------------------------------------

    bool peek_description() const { return peek(TokenKind::kString) || peek(TokenKind::kBlockString); }

    std::optional<std::string_view> parse_description() {
        if (!peek_description()) return std::nullopt;
        const std::string_view value = token_.value();
        advance();
        return value;
    }

    const ast::Definition* parse_schema_definition() {
        auto* definition = new_definition(ast::DefinitionKind::kSchema, token_.start);
        definition->description = parse_description();
        expect_keyword("schema");
        parse_directives(true, definition->directives);
        expect(TokenKind::kBraceL);
        parse_root_operation_types(*definition);
        return definition;
    }

    // The operation types after a '{', up to the matching '}'.
    void parse_root_operation_types(ast::Definition& definition) {
        const std::size_t mark = root_operation_types_.mark();
        do {
            root_operation_types_.push(parse_operation_type_definition());
        } while (!expect_optional(TokenKind::kBraceR));
        definition.root_operation_types = root_operation_types_.pop(document_, mark);
    }

    ast::RootOperationTypeDefinition parse_operation_type_definition() {
        ast::RootOperationTypeDefinition root;
        root.offset = token_.start;
        root.operation = parse_operation_type();
        expect(TokenKind::kColon);
        root.type = parse_name();
        return root;
    }

    const ast::Definition* parse_scalar_definition() {
        auto* definition = new_definition(ast::DefinitionKind::kScalarType, token_.start);
        definition->description = parse_description();
        expect_keyword("scalar");
        definition->name = parse_name();
        parse_directives(true, definition->directives);
        return definition;
    }

    const ast::Definition* parse_object_like_definition(ast::DefinitionKind kind, std::string_view keyword) {
        auto* definition = new_definition(kind, token_.start);
        definition->description = parse_description();
        expect_keyword(keyword);
        definition->name = parse_name();
        parse_implements_interfaces(definition->interfaces);
        parse_directives(true, definition->directives);
        parse_fields_definition(definition->fields);
        return definition;
    }

    bool parse_implements_interfaces(ast::List<ast::Name>& out) {
        if (!expect_optional_keyword("implements")) return false;
        expect_optional(TokenKind::kAmp);
        const std::size_t mark = names_.mark();
        do {
            names_.push(parse_name());
        } while (expect_optional(TokenKind::kAmp));
        out = names_.pop(document_, mark);
        return true;
    }

    bool parse_fields_definition(ast::List<const ast::FieldDefinition*>& out) {
        if (!expect_optional(TokenKind::kBraceL)) return false;
        const std::size_t mark = field_definitions_.mark();
        do {
            field_definitions_.push(parse_field_definition());
        } while (!expect_optional(TokenKind::kBraceR));
        out = field_definitions_.pop(document_, mark);
        return true;
    }

    const ast::FieldDefinition* parse_field_definition() {
        auto* field = make<ast::FieldDefinition>();
        field->offset = token_.start;
        field->description = parse_description();
        parse_name_into(field->name);
        parse_argument_definitions(field->arguments);
        expect(TokenKind::kColon);
        field->type = parse_type_reference();
        parse_directives(true, field->directives);
        return field;
    }

    void parse_argument_definitions(ast::List<const ast::InputValueDefinition*>& out) {
        if (!expect_optional(TokenKind::kParenL)) return;
        const std::size_t mark = input_values_.mark();
        do {
            input_values_.push(parse_input_value_definition());
        } while (!expect_optional(TokenKind::kParenR));
        out = input_values_.pop(document_, mark);
    }

    const ast::InputValueDefinition* parse_input_value_definition() {
        auto* input = make<ast::InputValueDefinition>();
        input->offset = token_.start;
        input->description = parse_description();
        parse_name_into(input->name);
        expect(TokenKind::kColon);
        input->type = parse_type_reference();
        if (expect_optional(TokenKind::kEquals)) input->default_value = parse_value_literal(true);
        parse_directives(true, input->directives);
        return input;
    }

    const ast::Definition* parse_union_definition() {
        auto* definition = new_definition(ast::DefinitionKind::kUnionType, token_.start);
        definition->description = parse_description();
        expect_keyword("union");
        definition->name = parse_name();
        parse_directives(true, definition->directives);
        parse_union_members(definition->union_members);
        return definition;
    }

    bool parse_union_members(ast::List<ast::Name>& out) {
        if (!expect_optional(TokenKind::kEquals)) return false;
        expect_optional(TokenKind::kPipe);
        const std::size_t mark = names_.mark();
        do {
            names_.push(parse_name());
        } while (expect_optional(TokenKind::kPipe));
        out = names_.pop(document_, mark);
        return true;
    }

    const ast::Definition* parse_enum_definition() {
        auto* definition = new_definition(ast::DefinitionKind::kEnumType, token_.start);
        definition->description = parse_description();
        expect_keyword("enum");
        definition->name = parse_name();
        parse_directives(true, definition->directives);
        parse_enum_values(definition->enum_values);
        return definition;
    }

    bool parse_enum_values(ast::List<const ast::EnumValueDefinition*>& out) {
        if (!expect_optional(TokenKind::kBraceL)) return false;
        const std::size_t mark = enum_values_.mark();
        do {
            auto* value = make<ast::EnumValueDefinition>();
            value->offset = token_.start;
            value->description = parse_description();
            if (token_.kind == TokenKind::kName &&
                (is_word(token_.value(), "true") || is_word(token_.value(), "false") ||
                 is_word(token_.value(), "null"))) {
                throw SyntaxError(token_.start, lex::token_description(token_) +
                                                    " is reserved and cannot be used for an enum value.");
            }
            value->name = parse_name();
            parse_directives(true, value->directives);
            enum_values_.push(value);
        } while (!expect_optional(TokenKind::kBraceR));
        out = enum_values_.pop(document_, mark);
        return true;
    }

    const ast::Definition* parse_input_object_definition() {
        auto* definition = new_definition(ast::DefinitionKind::kInputObjectType, token_.start);
        definition->description = parse_description();
        expect_keyword("input");
        definition->name = parse_name();
        parse_directives(true, definition->directives);
        parse_input_fields(definition->input_fields);
        return definition;
    }

    bool parse_input_fields(ast::List<const ast::InputValueDefinition*>& out) {
        if (!expect_optional(TokenKind::kBraceL)) return false;
        const std::size_t mark = input_values_.mark();
        do {
            input_values_.push(parse_input_value_definition());
        } while (!expect_optional(TokenKind::kBraceR));
        out = input_values_.pop(document_, mark);
        return true;
    }

    const ast::Definition* parse_directive_definition() {
        auto* definition = new_definition(ast::DefinitionKind::kDirective, token_.start);
        definition->description = parse_description();
        expect_keyword("directive");
        expect(TokenKind::kAt);
        definition->name = parse_name();
        parse_argument_definitions(definition->input_fields);
        parse_directives(true, definition->directives);
        definition->repeatable = expect_optional_keyword("repeatable");
        expect_keyword("on");
        expect_optional(TokenKind::kPipe);
        const std::size_t mark = names_.mark();
        do {
            const Token start = token_;
            const ast::Name location = parse_name();
            bool known = false;
            for (const std::string_view candidate : kDirectiveLocations) known = known || candidate == location.value;
            if (!known) unexpected(start);
            names_.push(location);
        } while (expect_optional(TokenKind::kPipe));
        definition->directive_locations = names_.pop(document_, mark);
        return definition;
    }

    const ast::Definition* parse_type_system_extension() {
        const Token keyword = lookahead();
        if (keyword.kind != TokenKind::kName) unexpected(keyword);
        const std::string_view word = keyword.value();
        const std::uint32_t start = token_.start;
        ast::Definition* definition = nullptr;
        if (word == "schema") {
            definition = new_definition(ast::DefinitionKind::kSchema, start);
            expect_keyword("extend");
            expect_keyword("schema");
            parse_directives(true, definition->directives);
            bool has_operations = false;
            if (expect_optional(TokenKind::kBraceL)) {
                has_operations = true;
                parse_root_operation_types(*definition);
            }
            if (definition->directives.empty() && !has_operations) unexpected(token_);
        } else if (word == "scalar") {
            definition = new_definition(ast::DefinitionKind::kScalarType, start);
            extension_header("scalar", *definition);
            if (definition->directives.empty()) unexpected(token_);
        } else if (word == "type" || word == "interface") {
            definition = new_definition(
                word == "type" ? ast::DefinitionKind::kObjectType : ast::DefinitionKind::kInterfaceType, start);
            expect_keyword("extend");
            expect_keyword(word);
            definition->name = parse_name();
            const bool has_interfaces = parse_implements_interfaces(definition->interfaces);
            parse_directives(true, definition->directives);
            const bool has_fields = parse_fields_definition(definition->fields);
            if (!has_interfaces && definition->directives.empty() && !has_fields) unexpected(token_);
        } else if (word == "union") {
            definition = new_definition(ast::DefinitionKind::kUnionType, start);
            extension_header("union", *definition);
            const bool has_members = parse_union_members(definition->union_members);
            if (definition->directives.empty() && !has_members) unexpected(token_);
        } else if (word == "enum") {
            definition = new_definition(ast::DefinitionKind::kEnumType, start);
            extension_header("enum", *definition);
            const bool has_values = parse_enum_values(definition->enum_values);
            if (definition->directives.empty() && !has_values) unexpected(token_);
        } else if (word == "input") {
            definition = new_definition(ast::DefinitionKind::kInputObjectType, start);
            extension_header("input", *definition);
            const bool has_fields = parse_input_fields(definition->input_fields);
            if (definition->directives.empty() && !has_fields) unexpected(token_);
        } else if (word == "directive") {
            definition = new_definition(ast::DefinitionKind::kDirective, start);
            expect_keyword("extend");
            expect_keyword("directive");
            expect(TokenKind::kAt);
            definition->name = parse_name();
            parse_directives(true, definition->directives);
            if (definition->directives.empty()) unexpected(token_);
        } else {
            unexpected(keyword);
        }
        definition->is_extension = true;
        return definition;
    }

    // "extend <keyword> Name @directives" shared by scalar, union, enum and input extensions.
    void extension_header(std::string_view keyword, ast::Definition& definition) {
        expect_keyword("extend");
        expect_keyword(keyword);
        definition.name = parse_name();
        parse_directives(true, definition.directives);
    }

    Document& document_;
    lex::Lexer lexer_;
    const ParseOptions& options_;
    ScratchStack<const ast::Definition*> definitions_;
    ScratchStack<const ast::VariableDefinition*> variable_definitions_;
    ScratchStack<const ast::Selection*> selections_;
    ScratchStack<ast::Argument> arguments_;
    ScratchStack<const ast::Directive*> directives_;
    ScratchStack<const ast::Value*> values_;
    ScratchStack<ast::ObjectField> object_fields_;
    ScratchStack<ast::RootOperationTypeDefinition> root_operation_types_;
    ScratchStack<ast::Name> names_;
    ScratchStack<const ast::FieldDefinition*> field_definitions_;
    ScratchStack<const ast::InputValueDefinition*> input_values_;
    ScratchStack<const ast::EnumValueDefinition*> enum_values_;
    Token token_{};
    Token lookahead_token_{};
    bool has_lookahead_ = false;
    std::size_t token_count_ = 0;
    std::size_t token_limit_ = 0;
    std::size_t depth_ = 0;
    std::size_t max_depth_ = kHardDepthLimit;
};

}  // namespace

std::variant<DocumentPtr, GraphQLError> parse(std::string source, const ParseOptions& options) {
    auto document = std::make_shared<Document>(std::move(source));
    try {
        if (document->source().size() > std::numeric_limits<std::uint32_t>::max() - 16) {
            throw lex::SyntaxError(0, "Source is too large. Parsing aborted.");
        }
        if (options.max_bytes != 0 && document->source().size() > options.max_bytes) {
            throw lex::SyntaxError(
                static_cast<std::uint32_t>(options.max_bytes),
                "Source contains more than " + std::to_string(options.max_bytes) + " bytes. Parsing aborted.");
        }
        // The parser's scratch stacks start on this thread's stack; large documents spill to the heap.
        std::array<std::byte, kScratchBytes> scratch_buffer;  // NOLINT(cppcoreguidelines-pro-type-member-init)
        std::pmr::monotonic_buffer_resource scratch(scratch_buffer.data(), scratch_buffer.size());
        Parser parser(*document, options, &scratch);
        parser.parse_document();
    } catch (const lex::SyntaxError& error) {
        GraphQLError result;
        result.message = error.what();
        result.locations.push_back(document->location(error.offset()));
        return result;
    }
    return DocumentPtr(std::move(document));
}

}  // namespace alatar::graphql
