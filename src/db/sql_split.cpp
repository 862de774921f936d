#include "db/sql_split.hpp"

#include <algorithm>

namespace alatar::db {

namespace {

bool is_ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_ident_char(char c) { return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$'; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

class Splitter {
  public:
    explicit Splitter(std::string_view s) : s_(s) {}

    std::vector<SqlStatement> run() {
        std::size_t start = npos;
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (is_space(c)) {
                ++pos_;
            } else if (starts_with("--")) {
                skip_line_comment();
            } else if (starts_with("/*")) {
                skip_block_comment();
            } else if (c == ';') {
                finish(start, pos_);
                start = npos;
                ++pos_;
            } else {
                if (start == npos) start = pos_;
                skip_token();
            }
        }
        finish(start, s_.size());
        return std::move(out_);
    }

  private:
    static constexpr std::size_t npos = std::string_view::npos;

    bool starts_with(std::string_view p) const { return s_.substr(pos_).starts_with(p); }

    void skip_line_comment() {
        const auto nl = s_.find('\n', pos_);
        pos_ = nl == npos ? s_.size() : nl + 1;
    }

    void skip_block_comment() {
        int depth = 0;
        while (pos_ < s_.size()) {
            if (starts_with("/*")) {
                ++depth;
                pos_ += 2;
            } else if (starts_with("*/")) {
                pos_ += 2;
                if (--depth == 0) return;
            } else {
                ++pos_;
            }
        }
    }

    // '...' with '' doubling; `backslash` for E'...' strings.
    void skip_quoted(char quote, bool backslash) {
        ++pos_;
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (backslash && c == '\\') {
                pos_ += 2;
            } else if (c == quote) {
                if (pos_ + 1 < s_.size() && s_[pos_ + 1] == quote) {
                    pos_ += 2;
                } else {
                    ++pos_;
                    return;
                }
            } else {
                ++pos_;
            }
        }
    }

    // At '$': a dollar quote if it reads $tag$ with tag empty or an identifier not starting with a digit.
    bool try_dollar_quote() {
        std::size_t end = pos_ + 1;
        if (end < s_.size() && s_[end] != '$') {
            if (!is_ident_start(s_[end])) return false;
            while (end < s_.size() && is_ident_char(s_[end]) && s_[end] != '$') ++end;
        }
        if (end >= s_.size() || s_[end] != '$') return false;
        const std::string_view tag = s_.substr(pos_, end - pos_ + 1);
        const auto close = s_.find(tag, end + 1);
        pos_ = close == npos ? s_.size() : close + tag.size();
        return true;
    }

    void skip_token() {
        const char c = s_[pos_];
        const bool after_ident = pos_ > 0 && is_ident_char(s_[pos_ - 1]);
        if (c == '\'') {
            const bool escape_string =
                pos_ > 0 && (s_[pos_ - 1] == 'E' || s_[pos_ - 1] == 'e') && (pos_ < 2 || !is_ident_char(s_[pos_ - 2]));
            skip_quoted('\'', escape_string);
        } else if (c == '"') {
            skip_quoted('"', false);
        } else if (c == '$' && !after_ident && try_dollar_quote()) {
            // skipped the whole dollar-quoted body
        } else {
            ++pos_;
        }
    }

    void finish(std::size_t start, std::size_t end) {
        if (start == npos) return;
        while (end > start && is_space(s_[end - 1])) --end;
        SqlStatement stmt;
        stmt.text = std::string{s_.substr(start, end - start)};
        stmt.offset = start;
        stmt.line = 1 + static_cast<int>(std::count(s_.begin(), s_.begin() + static_cast<std::ptrdiff_t>(start), '\n'));
        stmt.index = static_cast<int>(out_.size()) + 1;
        out_.push_back(std::move(stmt));
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::vector<SqlStatement> out_;
};

}  // namespace

std::vector<SqlStatement> split_sql(std::string_view script) { return Splitter{script}.run(); }

int line_of_position(const SqlStatement& stmt, int char_position) {
    int line = stmt.line;
    int chars = 0;
    for (const char c : stmt.text) {
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
            if (++chars >= char_position) break;
        }
        if (c == '\n') ++line;
    }
    return line;
}

}  // namespace alatar::db
