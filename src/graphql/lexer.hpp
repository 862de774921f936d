#pragma once
// The GraphQL lexer (https://spec.graphql.org/October2021/#sec-Language.Source-Text), byte for
// byte compatible with graphql-js 17's: the same tokens, the same error messages at the same
// positions. The source is UTF-8; positions are byte offsets (Document::location() converts
// them to graphql-js's UTF-16 columns). Invalid UTF-8 is a syntax error.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "graphql/ast.hpp"

namespace alatar::graphql::lex {

enum class TokenKind : std::uint8_t {
    kSof,
    kEof,
    kBang,
    kDollar,
    kAmp,
    kParenL,
    kParenR,
    kSpread,
    kColon,
    kEquals,
    kAt,
    kBracketL,
    kBracketR,
    kBraceL,
    kPipe,
    kBraceR,
    kName,
    kInt,
    kFloat,
    kString,
    kBlockString,
};

struct Token {
    TokenKind kind = TokenKind::kSof;
    std::uint32_t start = 0;
    std::uint32_t end = 0;
    // kName, kInt, kFloat: the source text; kString, kBlockString: the decoded value
    // (a view into the source when nothing needed decoding, else into the Document's arena).
    // Kept as pointer and length rather than a string_view so that copies use the same widths
    // as the stores that filled them (no store-forwarding stalls).
    const char* data = nullptr;
    std::uint32_t length = 0;

    std::string_view value() const { return {data, length}; }
    static Token make(TokenKind kind, std::uint32_t start, std::uint32_t end, std::string_view value = {}) {
        Token token;
        token.kind = kind;
        token.start = start;
        token.end = end;
        token.data = value.data();
        token.length = static_cast<std::uint32_t>(value.size());
        return token;
    }
};

// graphql-js's description of a token kind in messages: "Name", "<EOF>", "\"{\"".
std::string_view kind_description(TokenKind kind);
// graphql-js's getTokenDesc: the kind, then the value in quotes for tokens that carry one.
std::string token_description(const Token& token);

// Thrown inside the lexer and parser only; parse() turns it into a GraphQLError.
class SyntaxError : public std::runtime_error {
  public:
    SyntaxError(std::uint32_t offset, const std::string& description)
        : std::runtime_error("Syntax Error: " + description), offset_(offset) {}
    std::uint32_t offset() const { return offset_; }

  private:
    std::uint32_t offset_;
};

class Lexer {
  public:
    // Decoded strings are stored in `document`'s arena.
    explicit Lexer(Document& document) : document_(document), body_(document.source()) {}

    // Reads the next non-comment token starting at byte offset `from` (the previous token's end)
    // into `out`. Punctuators and names after plain whitespace are lexed inline, everything else
    // out of line. Fields are stored one by one: a token assembled on the stack and copied whole
    // stalls store forwarding, which dominated parsing time.
    //
    // The body is a Document's std::string, so body_.data()[size] is readable and is '\0': the
    // loops here stop on it without a bounds check ('\0' is neither ignored, a punctuator nor
    // part of a name), and read_slow() turns the end into <EOF>.
    void read(std::uint32_t from, Token& out) {
        const char* data = body_.data();
        // Most tokens follow zero or one separator: skip one without a branch, so that the
        // loop below (a mispredicted exit per run) only sees line breaks and longer runs.
        std::uint32_t position = from + static_cast<std::uint32_t>(kIgnored[static_cast<unsigned char>(data[from])]);
        for (;;) {
            const auto c = static_cast<unsigned char>(data[position]);
            if (kIgnored[c]) {
                position = skip_spaces(position + 1);
                continue;
            }
            const TokenKind kind = kPunctuators[c];
            if (kind != TokenKind::kSof) {
                out.kind = kind;
                out.start = position;
                out.end = position + 1;
                out.data = nullptr;
                out.length = 0;
                return;
            }
            if (kNameContinue[c] && !(c >= '0' && c <= '9')) {
                std::uint32_t end = position + 1;
                while (kNameContinue[static_cast<unsigned char>(data[end])]) ++end;
                out.kind = TokenKind::kName;
                out.start = position;
                out.end = end;
                out.data = data + position;
                out.length = end - position;
                return;
            }
            break;
        }
        const Token token = read_slow(position);
        out.kind = token.kind;
        out.start = token.start;
        out.end = token.end;
        out.data = token.data;
        out.length = token.length;
    }

  private:
    // Skips a run of spaces (indentation, mostly) eight at a time: byte-by-byte skipping of
    // indentation was the lexer's costliest loop (a mispredicted branch per line).
    std::uint32_t skip_spaces(std::uint32_t position) const {
        const auto size = static_cast<std::uint32_t>(body_.size());
        if constexpr (std::endian::native == std::endian::little) {
            constexpr std::uint64_t kSpaces = 0x2020202020202020ULL;
            while (position + 8 <= size) {
                std::uint64_t word = 0;
                std::memcpy(&word, body_.data() + position, sizeof word);
                const std::uint64_t different = word ^ kSpaces;
                if (different != 0) return position + static_cast<std::uint32_t>(std::countr_zero(different) / 8);
                position += 8;
            }
        }
        return position;
    }

    // Single-character punctuators by byte; kSof marks "not a single-character punctuator".
    static constexpr auto kPunctuators = [] {
        std::array<TokenKind, 256> table{};
        table['!'] = TokenKind::kBang;
        table['$'] = TokenKind::kDollar;
        table['&'] = TokenKind::kAmp;
        table['('] = TokenKind::kParenL;
        table[')'] = TokenKind::kParenR;
        table[':'] = TokenKind::kColon;
        table['='] = TokenKind::kEquals;
        table['@'] = TokenKind::kAt;
        table['['] = TokenKind::kBracketL;
        table[']'] = TokenKind::kBracketR;
        table['{'] = TokenKind::kBraceL;
        table['|'] = TokenKind::kPipe;
        table['}'] = TokenKind::kBraceR;
        return table;
    }();

    // Bytes skipped like whitespace on the fast path (\r and the BOM take the slow path).
    static constexpr auto kIgnored = [] {
        std::array<bool, 256> table{};
        table[' '] = true;
        table['\n'] = true;
        table['\t'] = true;
        table[','] = true;
        return table;
    }();

    Token read_slow(std::uint32_t from);
    std::uint32_t skip_comment(std::uint32_t position) const;
    Token read_number(std::uint32_t start);
    std::uint32_t read_digits(std::uint32_t start) const;
    Token read_string(std::uint32_t start);
    Token read_block_string(std::uint32_t start);
    Token read_name(std::uint32_t start) const {
        std::uint32_t position = start + 1;
        const auto size = static_cast<std::uint32_t>(body_.size());
        while (position < size && kNameContinue[static_cast<unsigned char>(body_[position])]) ++position;
        return Token::make(TokenKind::kName, start, position, body_.substr(start, position - start));
    }
    static constexpr auto kNameContinue = [] {
        std::array<bool, 256> table{};
        for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = true;
        for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = true;
        for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = true;
        table['_'] = true;
        return table;
    }();
    // Appends the escape at `position` (a backslash) to `out`; returns its length in bytes.
    std::uint32_t read_escape(std::uint32_t position, std::string& out) const;
    [[noreturn]] void unexpected_character(std::uint32_t position) const;

    int byte_at(std::uint32_t position) const {
        return position < body_.size() ? static_cast<unsigned char>(body_[position]) : -1;
    }
    // graphql-js's printCodePointAt: "\"a\"", "'\"'", "U+00E9", "<EOF>".
    std::string print_code_point_at(std::uint32_t position) const;
    // Byte offset `units` UTF-16 code units after `position` (clamped to the end), for slices
    // graphql-js measures in code units.
    std::uint32_t advance_units(std::uint32_t position, std::uint32_t units) const;

    Document& document_;
    std::string_view body_;
    std::string scratch_;  // reused buffer for decoding strings
};

// Decodes one UTF-8 sequence at `position`. Returns its length (1-4) and sets `code_point`;
// returns 0 for an invalid sequence (bad lead, truncated, overlong, surrogate, > U+10FFFF).
std::uint32_t decode_utf8(std::string_view text, std::uint32_t position, char32_t& code_point);
void append_utf8(std::string& out, char32_t code_point);

// graphql-js's dedentBlockStringLines + join("\n") over the raw lines of a block string.
void dedent_block_string(std::string_view raw_with_newlines, std::string& out);

}  // namespace alatar::graphql::lex
