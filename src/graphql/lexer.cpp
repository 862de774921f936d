#include "graphql/lexer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <vector>

namespace alatar::graphql::lex {
namespace {

bool is_digit(int c) { return c >= '0' && c <= '9'; }
bool is_letter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_name_start(int c) { return is_letter(c) || c == '_'; }
bool is_unicode_scalar(std::int64_t c) { return (c >= 0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0x10FFFF); }
bool is_leading_surrogate(std::int32_t c) { return c >= 0xD800 && c <= 0xDBFF; }
bool is_trailing_surrogate(std::int32_t c) { return c >= 0xDC00 && c <= 0xDFFF; }

// -1 for anything that is not a hex digit (graphql-js's readHexDigit).
std::int32_t hex_value(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// JavaScript's 32-bit `(a << 4) | b` on signed integers.
std::int32_t js_shift_or(std::int32_t a, int shift, std::int32_t b) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) << shift) | b;
}

}  // namespace

std::uint32_t decode_utf8(std::string_view text, std::uint32_t position, char32_t& code_point) {
    const auto size = text.size();
    const auto at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned lead = at(position);
    if (lead < 0x80) {
        code_point = lead;
        return 1;
    }
    std::uint32_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        value = lead & 0x1FU;
        minimum = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        value = lead & 0x0FU;
        minimum = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        value = lead & 0x07U;
        minimum = 0x10000;
    } else {
        return 0;
    }
    if (position + length > size) return 0;
    for (std::uint32_t i = 1; i < length; ++i) {
        const unsigned byte = at(position + i);
        if ((byte & 0xC0U) != 0x80U) return 0;
        value = (value << 6U) | (byte & 0x3FU);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    code_point = value;
    return length;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else {
        out.push_back(static_cast<char>(0xF0U | (cp >> 18U)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
        out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    }
}

std::string_view kind_description(TokenKind kind) {
    switch (kind) {
        case TokenKind::kSof:
            return "<SOF>";
        case TokenKind::kEof:
            return "<EOF>";
        case TokenKind::kBang:
            return "\"!\"";
        case TokenKind::kDollar:
            return "\"$\"";
        case TokenKind::kAmp:
            return "\"&\"";
        case TokenKind::kParenL:
            return "\"(\"";
        case TokenKind::kParenR:
            return "\")\"";
        case TokenKind::kSpread:
            return "\"...\"";
        case TokenKind::kColon:
            return "\":\"";
        case TokenKind::kEquals:
            return "\"=\"";
        case TokenKind::kAt:
            return "\"@\"";
        case TokenKind::kBracketL:
            return "\"[\"";
        case TokenKind::kBracketR:
            return "\"]\"";
        case TokenKind::kBraceL:
            return "\"{\"";
        case TokenKind::kPipe:
            return "\"|\"";
        case TokenKind::kBraceR:
            return "\"}\"";
        case TokenKind::kName:
            return "Name";
        case TokenKind::kInt:
            return "Int";
        case TokenKind::kFloat:
            return "Float";
        case TokenKind::kString:
            return "String";
        case TokenKind::kBlockString:
            return "BlockString";
    }
    return "";
}

std::string token_description(const Token& token) {
    std::string out(kind_description(token.kind));
    switch (token.kind) {
        case TokenKind::kName:
        case TokenKind::kInt:
        case TokenKind::kFloat:
        case TokenKind::kString:
        case TokenKind::kBlockString:
            out += " \"";
            out += token.value();
            out += '"';
            break;
        default:
            break;
    }
    return out;
}

void dedent_block_string(std::string_view raw, std::string& out) {
    // Split into lines (the caller already normalized every line terminator to '\n').
    struct Line {
        std::size_t begin;
        std::size_t end;
        std::size_t indent;
    };
    // Small documents dominate; one vector per block string is acceptable (not per token kind
    // hot path: descriptions only).
    std::vector<Line> lines;
    std::size_t begin = 0;
    for (;;) {
        std::size_t end = raw.find('\n', begin);
        if (end == std::string_view::npos) end = raw.size();
        std::size_t i = begin;
        while (i < end && (raw[i] == ' ' || raw[i] == '\t')) ++i;
        lines.push_back({begin, end, i - begin});
        if (end == raw.size()) break;
        begin = end + 1;
    }
    std::size_t common_indent = std::numeric_limits<std::size_t>::max();
    std::size_t first_non_empty = lines.size();
    std::size_t last_non_empty = 0;
    bool any_non_empty = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Line& line = lines[i];
        if (line.indent == line.end - line.begin) continue;  // blank line
        if (!any_non_empty) first_non_empty = i;
        any_non_empty = true;
        last_non_empty = i;
        if (i != 0 && line.indent < common_indent) common_indent = line.indent;
    }
    out.clear();
    if (!any_non_empty) return;
    for (std::size_t i = first_non_empty; i <= last_non_empty; ++i) {
        if (i != first_non_empty) out.push_back('\n');
        const Line& line = lines[i];
        std::size_t from = line.begin;
        if (i != 0) from = std::min(line.end, line.begin + common_indent);
        out.append(raw.substr(from, line.end - from));
    }
}

std::string Lexer::print_code_point_at(std::uint32_t position) const {
    if (position >= body_.size()) return "<EOF>";
    char32_t cp = 0;
    if (decode_utf8(body_, position, cp) == 0) cp = 0xFFFD;
    if (cp >= 0x20 && cp <= 0x7E) {
        if (cp == '"') return "'\"'";
        return std::string{'"', static_cast<char>(cp), '"'};
    }
    std::array<char, 16> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "U+%04X", static_cast<unsigned>(cp));
    return buffer.data();
}

std::uint32_t Lexer::advance_units(std::uint32_t position, std::uint32_t units) const {
    while (units > 0 && position < body_.size()) {
        char32_t cp = 0;
        const std::uint32_t length = decode_utf8(body_, position, cp);
        position += length == 0 ? 1 : length;
        units -= (length == 4 && units >= 2) ? 2 : 1;
    }
    return std::min<std::uint32_t>(position, static_cast<std::uint32_t>(body_.size()));
}

void Lexer::unexpected_character(std::uint32_t position) const {
    if (body_[position] == '\'') {
        throw SyntaxError(position, "Unexpected single quote character ('), did you mean to use a double quote (\")?");
    }
    // Invalid UTF-8 reads as U+FFFD, which is what a UTF-8 decoding reader hands graphql-js.
    throw SyntaxError(position, "Unexpected character: " + print_code_point_at(position) + ".");
}

Token Lexer::read_slow(std::uint32_t from) {
    std::uint32_t position = from;
    const auto size = static_cast<std::uint32_t>(body_.size());
    while (position < size) {
        const auto c = static_cast<unsigned char>(body_[position]);
        switch (c) {
            case '\t':
            case ' ':
            case ',':
            case '\n':
            case '\r':
                ++position;
                continue;
            case 0xEF:  // U+FEFF byte order mark, ignored like whitespace
                if (byte_at(position + 1) == 0xBB && byte_at(position + 2) == 0xBF) {
                    position += 3;
                    continue;
                }
                break;
            case '#':
                position = skip_comment(position);
                continue;
            case '!':
                return Token::make(TokenKind::kBang, position, position + 1);
            case '$':
                return Token::make(TokenKind::kDollar, position, position + 1);
            case '&':
                return Token::make(TokenKind::kAmp, position, position + 1);
            case '(':
                return Token::make(TokenKind::kParenL, position, position + 1);
            case ')':
                return Token::make(TokenKind::kParenR, position, position + 1);
            case '.': {
                const int next = byte_at(position + 1);
                if (next == '.' && byte_at(position + 2) == '.')
                    return Token::make(TokenKind::kSpread, position, position + 3);
                if (next == '.') throw SyntaxError(position, "Unexpected \"..\", did you mean \"...\"?");
                if (is_digit(next)) {
                    const std::uint32_t end = read_digits(position + 1);
                    throw SyntaxError(position, "Invalid number, expected digit before \".\", did you mean \"0." +
                                                    std::string(body_.substr(position + 1, end - position - 1)) +
                                                    "\"?");
                }
                break;
            }
            case ':':
                return Token::make(TokenKind::kColon, position, position + 1);
            case '=':
                return Token::make(TokenKind::kEquals, position, position + 1);
            case '@':
                return Token::make(TokenKind::kAt, position, position + 1);
            case '[':
                return Token::make(TokenKind::kBracketL, position, position + 1);
            case ']':
                return Token::make(TokenKind::kBracketR, position, position + 1);
            case '{':
                return Token::make(TokenKind::kBraceL, position, position + 1);
            case '|':
                return Token::make(TokenKind::kPipe, position, position + 1);
            case '}':
                return Token::make(TokenKind::kBraceR, position, position + 1);
            case '"':
                if (byte_at(position + 1) == '"' && byte_at(position + 2) == '"') return read_block_string(position);
                return read_string(position);
            default:
                break;
        }
        if (is_digit(c) || c == '-') return read_number(position);
        if (is_name_start(c)) return read_name(position);
        unexpected_character(position);
    }
    return Token::make(TokenKind::kEof, size, size);
}

std::uint32_t Lexer::skip_comment(std::uint32_t position) const {
    const auto size = static_cast<std::uint32_t>(body_.size());
    ++position;
    while (position < size) {
        const auto c = static_cast<unsigned char>(body_[position]);
        if (c == '\n' || c == '\r') break;
        if (c < 0x80) {
            ++position;
            continue;
        }
        char32_t cp = 0;
        const std::uint32_t length = decode_utf8(body_, position, cp);
        if (length == 0) break;  // the next token read reports it
        position += length;
    }
    return position;
}

std::uint32_t Lexer::read_digits(std::uint32_t start) const {
    if (!is_digit(byte_at(start))) {
        throw SyntaxError(start, "Invalid number, expected digit but got: " + print_code_point_at(start) + ".");
    }
    std::uint32_t position = start + 1;
    while (is_digit(byte_at(position))) ++position;
    return position;
}

Token Lexer::read_number(std::uint32_t start) {
    std::uint32_t position = start;
    int c = byte_at(position);
    bool is_float = false;
    if (c == '-') c = byte_at(++position);
    if (c == '0') {
        c = byte_at(++position);
        if (is_digit(c)) {
            throw SyntaxError(position,
                              "Invalid number, unexpected digit after 0: " + print_code_point_at(position) + ".");
        }
    } else {
        position = read_digits(position);
        c = byte_at(position);
    }
    if (c == '.') {
        is_float = true;
        position = read_digits(position + 1);
        c = byte_at(position);
    }
    if (c == 'E' || c == 'e') {
        is_float = true;
        c = byte_at(++position);
        if (c == '+' || c == '-') ++position;
        position = read_digits(position);
        c = byte_at(position);
    }
    if (c == '.' || is_name_start(c)) {
        throw SyntaxError(position, "Invalid number, expected digit but got: " + print_code_point_at(position) + ".");
    }
    return Token::make(is_float ? TokenKind::kFloat : TokenKind::kInt, start, position,
                       body_.substr(start, position - start));
}

std::uint32_t Lexer::read_escape(std::uint32_t position, std::string& out) const {
    const int next = byte_at(position + 1);
    switch (next) {
        case '"':
            out.push_back('"');
            return 2;
        case '\\':
            out.push_back('\\');
            return 2;
        case '/':
            out.push_back('/');
            return 2;
        case 'b':
            out.push_back('\b');
            return 2;
        case 'f':
            out.push_back('\f');
            return 2;
        case 'n':
            out.push_back('\n');
            return 2;
        case 'r':
            out.push_back('\r');
            return 2;
        case 't':
            out.push_back('\t');
            return 2;
        case 'u':
            break;
        default:
            throw SyntaxError(position, "Invalid character escape sequence: \"" +
                                            std::string(body_.substr(position, advance_units(position, 2) - position)) +
                                            "\".");
    }
    if (byte_at(position + 2) == '{') {
        // \u{...}: variable width (graphql-js reads at most 9 code units after "\u{").
        std::int32_t point = 0;
        std::uint32_t size = 3;
        while (size < 12) {
            const int c = byte_at(position + size++);
            if (c == '}') {
                if (size < 5 || !is_unicode_scalar(point)) break;
                append_utf8(out, static_cast<char32_t>(point));
                return size;
            }
            point = js_shift_or(point, 4, hex_value(c));
            if (point < 0) break;
        }
        // The slice is `size` code units long; a multi-byte character at its end counts as one unit.
        const std::uint32_t end = advance_units(position + size - 1, 1);
        throw SyntaxError(position, "Invalid Unicode escape sequence: \"" +
                                        std::string(body_.substr(position, end - position)) + "\".");
    }
    const auto read16 = [&](std::uint32_t at) {
        std::int32_t value = hex_value(byte_at(at));
        value = js_shift_or(value, 4, hex_value(byte_at(at + 1)));
        value = js_shift_or(value, 4, hex_value(byte_at(at + 2)));
        value = js_shift_or(value, 4, hex_value(byte_at(at + 3)));
        return value;
    };
    // JavaScript computes (a << 12) | (b << 8) | ...; any -1 makes it negative either way.
    const std::int32_t code = read16(position + 2);
    if (code >= 0 && is_unicode_scalar(code)) {
        append_utf8(out, static_cast<char32_t>(code));
        return 6;
    }
    if (code >= 0 && is_leading_surrogate(code) && byte_at(position + 6) == '\\' && byte_at(position + 7) == 'u') {
        const std::int32_t trailing = read16(position + 8);
        if (trailing >= 0 && is_trailing_surrogate(trailing)) {
            append_utf8(out, static_cast<char32_t>(0x10000 + ((code - 0xD800) << 10) + (trailing - 0xDC00)));
            return 12;
        }
    }
    throw SyntaxError(position, "Invalid Unicode escape sequence: \"" +
                                    std::string(body_.substr(position, advance_units(position, 6) - position)) + "\".");
}

Token Lexer::read_string(std::uint32_t start) {
    const auto size = static_cast<std::uint32_t>(body_.size());
    std::uint32_t position = start + 1;
    std::uint32_t chunk_start = position;
    bool decoded = false;
    while (position < size) {
        const auto c = static_cast<unsigned char>(body_[position]);
        if (c == '"') {
            std::string_view value;
            if (!decoded) {
                value = body_.substr(start + 1, position - start - 1);
            } else {
                scratch_.append(body_.substr(chunk_start, position - chunk_start));
                value = document_.store(scratch_);
            }
            return Token::make(TokenKind::kString, start, position + 1, value);
        }
        if (c == '\\') {
            if (!decoded) {
                scratch_.clear();
                decoded = true;
            }
            scratch_.append(body_.substr(chunk_start, position - chunk_start));
            position += read_escape(position, scratch_);
            chunk_start = position;
            continue;
        }
        if (c == '\n' || c == '\r') break;
        if (c < 0x80) {
            ++position;
            continue;
        }
        char32_t cp = 0;
        const std::uint32_t length = decode_utf8(body_, position, cp);
        if (length == 0) {
            throw SyntaxError(position, "Invalid character within String: " + print_code_point_at(position) + ".");
        }
        position += length;
    }
    throw SyntaxError(position, "Unterminated string.");
}

Token Lexer::read_block_string(std::uint32_t start) {
    const auto size = static_cast<std::uint32_t>(body_.size());
    std::uint32_t position = start + 3;
    std::uint32_t chunk_start = position;
    scratch_.clear();  // raw lines joined by '\n', escaped triple quotes resolved
    while (position < size) {
        const auto c = static_cast<unsigned char>(body_[position]);
        if (c == '"' && byte_at(position + 1) == '"' && byte_at(position + 2) == '"') {
            scratch_.append(body_.substr(chunk_start, position - chunk_start));
            std::string dedented;
            dedent_block_string(scratch_, dedented);
            return Token::make(TokenKind::kBlockString, start, position + 3, document_.store(dedented));
        }
        if (c == '\\' && byte_at(position + 1) == '"' && byte_at(position + 2) == '"' && byte_at(position + 3) == '"') {
            scratch_.append(body_.substr(chunk_start, position - chunk_start));
            chunk_start = position + 1;
            position += 4;
            continue;
        }
        if (c == '\n' || c == '\r') {
            scratch_.append(body_.substr(chunk_start, position - chunk_start));
            scratch_.push_back('\n');
            position += (c == '\r' && byte_at(position + 1) == '\n') ? 2 : 1;
            chunk_start = position;
            continue;
        }
        if (c < 0x80) {
            ++position;
            continue;
        }
        char32_t cp = 0;
        const std::uint32_t length = decode_utf8(body_, position, cp);
        if (length == 0) {
            throw SyntaxError(position, "Invalid character within String: " + print_code_point_at(position) + ".");
        }
        position += length;
    }
    throw SyntaxError(position, "Unterminated string.");
}

}  // namespace alatar::graphql::lex
