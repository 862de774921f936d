#include "shopify/cost_estimate.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

namespace alatar::shopify {
namespace {

constexpr std::int64_t kMutationFieldCost = 10;
constexpr int kMaxDepth = 64;

struct Unreadable : std::runtime_error {
    Unreadable() : std::runtime_error("unreadable document") {}
};

struct Field {
    std::string_view name;  // the field's name (not its alias)
    std::optional<std::int64_t> page_size;
    bool has_selection = false;
    std::vector<Field> children;
    std::vector<std::vector<Field>> alternatives;  // inline fragments directly in this field's selection
};

struct Selection {
    std::vector<Field> fields;
    std::vector<std::vector<Field>> alternatives;
};

// A small reader of the executable-document syntax: just enough structure for the cost rules.
class Reader {
  public:
    Reader(std::string_view text, const boost::json::object& variables) : text_(text), variables_(variables) {}

    // The root selection of the first operation, and whether it is a mutation.
    std::pair<Selection, bool> operation() {
        while (true) {
            skip_ignored();
            if (at_end()) throw Unreadable();
            if (peek() == '{') return {selection_set(0), false};
            const std::string_view keyword = name();
            if (keyword == "fragment") {
                skip_to_selection();
                (void)selection_set(0);
                continue;
            }
            if (keyword != "query" && keyword != "mutation" && keyword != "subscription") throw Unreadable();
            skip_to_selection();
            return {selection_set(0), keyword == "mutation"};
        }
    }

  private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }

    void skip_ignored() {
        while (!at_end()) {
            const char c = peek();
            if (c == '#') {
                while (!at_end() && peek() != '\n') ++pos_;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
                ++pos_;
            } else {
                return;
            }
        }
    }

    static bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

    std::string_view name() {
        skip_ignored();
        const std::size_t start = pos_;
        while (!at_end() && name_char(peek())) ++pos_;
        if (pos_ == start) throw Unreadable();
        return text_.substr(start, pos_ - start);
    }

    void expect(char c) {
        skip_ignored();
        if (at_end() || peek() != c) throw Unreadable();
        ++pos_;
    }

    bool accept(char c) {
        skip_ignored();
        if (at_end() || peek() != c) return false;
        ++pos_;
        return true;
    }

    // Skips a string, list, object or scalar value; returns an integer it names (a literal or a variable).
    std::optional<std::int64_t> value(int depth) {
        if (depth > kMaxDepth) throw Unreadable();
        skip_ignored();
        if (at_end()) throw Unreadable();
        const char c = peek();
        if (c == '"') {
            skip_string();
            return std::nullopt;
        }
        if (c == '[' || c == '{') {
            const char close = c == '[' ? ']' : '}';
            ++pos_;
            while (!accept(close)) {
                if (c == '{') {
                    (void)name();
                    expect(':');
                }
                (void)value(depth + 1);
            }
            return std::nullopt;
        }
        if (c == '$') {
            ++pos_;
            const auto* v = variables_.if_contains(name());
            if (v != nullptr && v->is_int64()) return v->get_int64();
            if (v != nullptr && v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
            return std::nullopt;
        }
        const std::size_t start = pos_;
        if (c == '-') ++pos_;
        while (!at_end() && (name_char(peek()) || peek() == '.')) ++pos_;
        if (pos_ == start) throw Unreadable();
        const std::string_view token = text_.substr(start, pos_ - start);
        std::int64_t n = 0;
        for (const char d : token) {
            if (d < '0' || d > '9') return std::nullopt;  // a name, enum, float or negative number
            n = n * 10 + (d - '0');
            if (n > 1'000'000) return std::nullopt;
        }
        return n;
    }

    void skip_string() {
        if (text_.substr(pos_, 3) == "\"\"\"") {
            const auto end = text_.find("\"\"\"", pos_ + 3);
            if (end == std::string_view::npos) throw Unreadable();
            pos_ = end + 3;
            return;
        }
        ++pos_;
        while (!at_end() && peek() != '"') pos_ += peek() == '\\' ? 2 : 1;
        if (at_end()) throw Unreadable();
        ++pos_;
    }

    // Arguments of a field; returns its `first` or `last`.
    std::optional<std::int64_t> arguments() {
        std::optional<std::int64_t> page_size;
        if (!accept('(')) return page_size;
        while (!accept(')')) {
            const std::string_view arg = name();
            expect(':');
            const auto v = value(0);
            if ((arg == "first" || arg == "last") && v) page_size = v;
        }
        return page_size;
    }

    void directives() {
        while (accept('@')) {
            (void)name();
            (void)arguments();
        }
    }

    // Variable definitions, directives and the like up to the operation's (or fragment's) selection set.
    void skip_to_selection() {
        int parens = 0;
        while (true) {
            skip_ignored();
            if (at_end()) throw Unreadable();
            const char c = peek();
            if (c == '{' && parens == 0) return;
            if (c == '"') {
                skip_string();
                continue;
            }
            if (c == '(') ++parens;
            if (c == ')') --parens;
            ++pos_;
        }
    }

    Selection selection_set(int depth) {
        if (depth > kMaxDepth) throw Unreadable();
        expect('{');
        Selection s;
        while (!accept('}')) {
            if (text_.substr(pos_, 3) == "...") {
                pos_ += 3;
                skip_ignored();
                if (!at_end() && peek() == '{') {
                    s.alternatives.push_back(selection_set(depth + 1).fields);
                    continue;
                }
                const std::string_view word = name();
                if (word == "on") {
                    (void)name();
                    directives();
                    Selection fragment = selection_set(depth + 1);
                    s.alternatives.push_back(std::move(fragment.fields));
                } else {
                    directives();  // a named spread: not followed (see the header)
                }
                continue;
            }
            Field f;
            f.name = name();
            if (accept(':')) f.name = name();  // the first name was an alias
            f.page_size = arguments();
            directives();
            skip_ignored();
            if (!at_end() && peek() == '{') {
                Selection child = selection_set(depth + 1);
                f.has_selection = true;
                f.children = std::move(child.fields);
                f.alternatives = std::move(child.alternatives);
            }
            s.fields.push_back(std::move(f));
        }
        return s;
    }

    std::string_view text_;
    const boost::json::object& variables_;
    std::size_t pos_ = 0;
};

std::int64_t cost_of(const Field& f);

std::int64_t cost_of(const std::vector<Field>& fields, const std::vector<std::vector<Field>>& alternatives) {
    std::int64_t sum = 0;
    for (const auto& f : fields) sum += cost_of(f);
    std::int64_t best = 0;
    for (const auto& a : alternatives) best = std::max(best, cost_of(a, {}));
    return sum + best;
}

// What a connection's nodes select, for one node (edges/node/nodes/pageInfo belong to the connection itself).
std::int64_t per_node(const std::vector<Field>& fields, const std::vector<std::vector<Field>>& alternatives) {
    std::int64_t sum = 0;
    for (const auto& f : fields) {
        if (f.name == "edges" || f.name == "node" || f.name == "nodes") {
            sum += per_node(f.children, f.alternatives);
        } else if (f.name != "pageInfo") {
            sum += cost_of(f);
        }
    }
    std::int64_t best = 0;
    for (const auto& a : alternatives) best = std::max(best, per_node(a, {}));
    return sum + best;
}

bool selects_nodes(const Field& f) {
    return std::any_of(f.children.begin(), f.children.end(),
                       [](const Field& c) { return c.name == "nodes" || c.name == "edges"; });
}

std::int64_t cost_of(const Field& f) {
    if (!f.has_selection) return 0;
    if (f.page_size && selects_nodes(f)) return 2 + *f.page_size + *f.page_size * per_node(f.children, f.alternatives);
    return 1 + cost_of(f.children, f.alternatives);
}

}  // namespace

std::optional<std::int64_t> estimate_requested_cost(std::string_view document, const boost::json::object& variables) {
    try {
        Reader reader(document, variables);
        const auto [root, mutation] = reader.operation();
        if (mutation) return kMutationFieldCost * static_cast<std::int64_t>(root.fields.size());
        return cost_of(root.fields, root.alternatives);
    } catch (const Unreadable&) {
        return std::nullopt;
    }
}

}  // namespace alatar::shopify
