#include "shopify_sim/search_query.hpp"

#include <cctype>
#include <charconv>

namespace alatar::shopify_sim {
namespace {

struct Token {
    enum class Kind { kTerm, kAnd, kOr, kNot, kOpen, kClose };
    Kind kind = Kind::kTerm;
    SearchTerm term;
    bool negated = false;  // "-term"
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Reads a value at `pos`: quoted ("..." / '...', backslash escapes) or bare up to whitespace or ')'.
std::optional<std::string> read_value(std::string_view q, std::size_t& pos, bool& quoted) {
    quoted = false;
    if (pos < q.size() && (q[pos] == '"' || q[pos] == '\'')) {
        const char quote = q[pos++];
        std::string out;
        while (pos < q.size() && q[pos] != quote) {
            if (q[pos] == '\\' && pos + 1 < q.size()) ++pos;
            out += q[pos++];
        }
        if (pos >= q.size()) return std::nullopt;
        ++pos;
        quoted = true;
        return out;
    }
    std::string out;
    while (pos < q.size() && !is_space(q[pos]) && q[pos] != ')' && q[pos] != '(') out += q[pos++];
    return out;
}

std::variant<std::vector<Token>, SearchSyntaxError> tokenize(std::string_view q) {
    std::vector<Token> tokens;
    std::size_t pos = 0;
    while (pos < q.size()) {
        if (is_space(q[pos])) {
            ++pos;
            continue;
        }
        if (q[pos] == '(' || q[pos] == ')') {
            tokens.push_back({q[pos] == '(' ? Token::Kind::kOpen : Token::Kind::kClose, {}, false});
            ++pos;
            continue;
        }
        Token t;
        if (q[pos] == '-' && pos + 1 < q.size() && !is_space(q[pos + 1])) {
            t.negated = true;
            ++pos;
        }
        // A field name runs up to ':' (letters, digits, '_' and '.').
        std::size_t end = pos;
        while (end < q.size() &&
               (std::isalnum(static_cast<unsigned char>(q[end])) != 0 || q[end] == '_' || q[end] == '.')) {
            ++end;
        }
        bool quoted = false;
        if (end < q.size() && q[end] == ':' && end > pos) {
            t.term.field = lower(q.substr(pos, end - pos));
            pos = end + 1;
            if (q.compare(pos, 2, ">=") == 0) {
                t.term.cmp = Comparator::kGe;
                pos += 2;
            } else if (q.compare(pos, 2, "<=") == 0) {
                t.term.cmp = Comparator::kLe;
                pos += 2;
            } else if (pos < q.size() && q[pos] == '>') {
                t.term.cmp = Comparator::kGt;
                ++pos;
            } else if (pos < q.size() && q[pos] == '<') {
                t.term.cmp = Comparator::kLt;
                ++pos;
            }
            auto value = read_value(q, pos, quoted);
            if (!value) return SearchSyntaxError{"unterminated quoted value"};
            t.term.value = std::move(*value);
        } else {
            auto value = read_value(q, pos, quoted);
            if (!value) return SearchSyntaxError{"unterminated quoted value"};
            if (!quoted && !t.negated && (*value == "AND" || *value == "OR" || *value == "NOT")) {
                tokens.push_back(
                    {*value == "AND" ? Token::Kind::kAnd : (*value == "OR" ? Token::Kind::kOr : Token::Kind::kNot),
                     {},
                     false});
                continue;
            }
            t.term.value = std::move(*value);
        }
        if (!quoted && t.term.value.size() > 1 && t.term.value.back() == '*') {
            t.term.value.pop_back();
            t.term.prefix = true;
        }
        tokens.push_back(std::move(t));
    }
    return tokens;
}

class Parser {
  public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    std::variant<SearchNode, SearchSyntaxError> parse() {
        SearchNode node = parse_or();
        if (error_) return SearchSyntaxError{*error_};
        if (pos_ < tokens_.size()) return SearchSyntaxError{"unexpected ')'"};
        return node;
    }

  private:
    const Token* peek() const { return pos_ < tokens_.size() ? &tokens_[pos_] : nullptr; }

    SearchNode parse_or() {
        SearchNode left = parse_and();
        while (peek() != nullptr && peek()->kind == Token::Kind::kOr) {
            ++pos_;
            SearchNode right = parse_and();
            if (left.kind != SearchNode::Kind::kOr) {
                SearchNode both{SearchNode::Kind::kOr, {}, {}};
                both.children.push_back(std::move(left));
                left = std::move(both);
            }
            left.children.push_back(std::move(right));
        }
        return left;
    }

    SearchNode parse_and() {
        SearchNode all{SearchNode::Kind::kAnd, {}, {}};
        while (const Token* t = peek()) {
            if (t->kind == Token::Kind::kOr || t->kind == Token::Kind::kClose) break;
            if (t->kind == Token::Kind::kAnd) {
                ++pos_;
                continue;
            }
            all.children.push_back(parse_unary());
            if (error_) break;
        }
        if (all.children.size() == 1) return std::move(all.children.front());
        return all;
    }

    SearchNode parse_unary() {
        const Token* t = peek();
        if (t == nullptr) {
            error_ = "expected a term";
            return {};
        }
        if (t->kind == Token::Kind::kNot) {
            ++pos_;
            SearchNode inner = parse_unary();
            SearchNode neg{SearchNode::Kind::kNot, {}, {}};
            neg.children.push_back(std::move(inner));
            return neg;
        }
        if (t->kind == Token::Kind::kOpen) {
            ++pos_;
            SearchNode inner = parse_or();
            if (peek() == nullptr || peek()->kind != Token::Kind::kClose) {
                error_ = "missing ')'";
                return inner;
            }
            ++pos_;
            return inner;
        }
        if (t->kind != Token::Kind::kTerm) {
            error_ = "unexpected operator";
            ++pos_;
            return {};
        }
        ++pos_;
        SearchNode term{SearchNode::Kind::kTerm, t->term, {}};
        if (!t->negated) return term;
        SearchNode neg{SearchNode::Kind::kNot, {}, {}};
        neg.children.push_back(std::move(term));
        return neg;
    }

    std::vector<Token> tokens_;
    std::size_t pos_ = 0;
    std::optional<std::string> error_;
};

template <class T>
bool compare(const T& actual, const T& wanted, Comparator cmp) {
    switch (cmp) {
        case Comparator::kEq:
            return actual == wanted;
        case Comparator::kGt:
            return actual > wanted;
        case Comparator::kGe:
            return actual >= wanted;
        case Comparator::kLt:
            return actual < wanted;
        case Comparator::kLe:
            return actual <= wanted;
    }
    return false;
}

std::vector<std::string_view> alternatives(const SearchTerm& term) {
    std::vector<std::string_view> values;
    std::string_view v = term.value;
    if (term.cmp != Comparator::kEq) return {v};
    while (true) {
        const auto comma = v.find(',');
        values.push_back(v.substr(0, comma));
        if (comma == std::string_view::npos) break;
        v.remove_prefix(comma + 1);
    }
    return values;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    if (text.starts_with("gid://")) text = text.substr(text.rfind('/') + 1);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace

std::variant<SearchNode, SearchSyntaxError> parse_search_query(std::string_view query) {
    auto tokens = tokenize(query);
    if (auto* err = std::get_if<SearchSyntaxError>(&tokens)) return *err;
    return Parser{std::get<std::vector<Token>>(std::move(tokens))}.parse();
}

bool search_matches(const SearchNode& node, const std::function<bool(const SearchTerm&)>& term_matches) {
    switch (node.kind) {
        case SearchNode::Kind::kTerm:
            return term_matches(node.term);
        case SearchNode::Kind::kNot:
            return node.children.empty() || !search_matches(node.children.front(), term_matches);
        case SearchNode::Kind::kAnd:
            for (const auto& c : node.children) {
                if (!search_matches(c, term_matches)) return false;
            }
            return true;
        case SearchNode::Kind::kOr:
            for (const auto& c : node.children) {
                if (search_matches(c, term_matches)) return true;
            }
            return false;
    }
    return false;
}

bool match_string(std::string_view actual, const SearchTerm& term) {
    const std::string a = lower(actual);
    for (const auto alt : alternatives(term)) {
        const std::string w = lower(alt);
        if (term.prefix ? a.starts_with(w) : compare(a, w, term.cmp)) return true;
    }
    return false;
}

bool match_integer(std::int64_t actual, const SearchTerm& term) {
    for (const auto alt : alternatives(term)) {
        const auto w = parse_integer(alt);
        if (w && compare(actual, *w, term.cmp)) return true;
    }
    return false;
}

bool match_bool(bool actual, const SearchTerm& term) {
    const std::string w = lower(term.value);
    if (w != "true" && w != "false") return false;
    return actual == (w == "true");
}

bool match_timestamp(Timestamp actual, const SearchTerm& term, int utc_offset_minutes) {
    const std::string_view v = term.value;
    if (v.size() == 10) {
        const auto date = parse_date(v);
        if (!date) return false;
        const Timestamp from = local_midnight(*date, utc_offset_minutes);
        const Timestamp to = from + kSecondsPerDay;  // exclusive
        switch (term.cmp) {
            case Comparator::kEq:
                return actual >= from && actual < to;
            case Comparator::kGt:
                return actual >= to;
            case Comparator::kGe:
                return actual >= from;
            case Comparator::kLt:
                return actual < from;
            case Comparator::kLe:
                return actual < to;
        }
        return false;
    }
    const auto wanted = parse_timestamp(v);
    return wanted && compare(actual, *wanted, term.cmp);
}

}  // namespace alatar::shopify_sim
