// redact(): masks secrets and personal data in log text. Hand-written scanners rather than std::regex:
// every log line passes through here, and libstdc++'s regex is slow and recursive on long input.
#include <array>
#include <string>
#include <string_view>

#include "common/log.hpp"

namespace alatar {

namespace {

constexpr std::string_view kMask = "***";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_word(char c) { return is_alnum(c) || c == '_'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// Characters of tokens/credentials: base64, base64url, hex, JWT dots.
bool is_token_char(char c) {
    return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
}
bool is_email_local(char c) { return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }
bool is_email_domain(char c) { return is_alnum(c) || c == '.' || c == '-'; }
bool is_key_char(char c) { return is_word(c) || c == '-' || c == '.'; }

bool starts_with_icase(std::string_view s, std::size_t pos, std::string_view prefix) {
    if (pos + prefix.size() > s.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (lower(s[pos + i]) != prefix[i]) return false;
    }
    return true;
}

// Replaces ranges of `s` by kMask; copies nothing until the first replacement, so text without secrets (the
// common case) costs one scan per pass and no allocation.
class Rewriter {
  public:
    explicit Rewriter(std::string& s) : s_(s) {}
    Rewriter(const Rewriter&) = delete;
    Rewriter& operator=(const Rewriter&) = delete;
    ~Rewriter() {
        if (!changed_) return;
        out_.append(std::string_view{s_}.substr(copied_));
        s_.swap(out_);
    }

    std::string_view text() const { return s_; }
    // Replaces s[from, to) by `with`.
    void mask(std::size_t from, std::size_t to, std::string_view with = kMask) {
        if (!changed_) out_.reserve(s_.size());
        changed_ = true;
        out_.append(std::string_view{s_}.substr(copied_, from - copied_));
        out_.append(with);
        copied_ = to;
    }

  private:
    std::string& s_;
    std::string out_;
    std::size_t copied_ = 0;
    bool changed_ = false;
};

// scheme://user:password@host -> scheme://user:***@host
void mask_url_passwords(std::string& str) {
    Rewriter rw{str};
    const std::string_view s = rw.text();
    std::size_t pos = 0;
    while ((pos = s.find("://", pos)) != std::string_view::npos) {
        const std::size_t start = pos + 3;
        std::size_t end = start;
        while (end < s.size()) {
            const char c = s[end];
            if (c == '/' || c == '?' || c == '#' || is_space(c) || c == '"' || c == '\'' || c == '<' || c == '>') break;
            ++end;
        }
        const std::string_view authority = s.substr(start, end - start);
        const std::size_t at = authority.rfind('@');
        if (at != std::string_view::npos) {
            const std::size_t colon = authority.substr(0, at).find(':');
            if (colon != std::string_view::npos && colon + 1 < at &&
                authority.substr(colon + 1, at - colon - 1) != kMask) {
                rw.mask(start + colon + 1, start + at);
            }
        }
        pos = end;
    }
}

// "Bearer <token>" (any case) and "Basic <base64>" -> "Bearer ***".
void mask_auth_schemes(std::string& str) {
    Rewriter rw{str};
    const std::string_view s = rw.text();
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if ((c != 'b' && c != 'B') || (i > 0 && is_word(s[i - 1]))) continue;
        std::size_t scheme_len = 0;
        if (starts_with_icase(s, i, "bearer")) {
            scheme_len = 6;
        } else if (s.substr(i, 5) == "Basic") {
            scheme_len = 5;
        } else {
            continue;
        }
        std::size_t j = i + scheme_len;
        const std::size_t after_scheme = j;
        while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
        std::size_t k = j;
        while (k < s.size() && is_token_char(s[k])) ++k;
        if (j > after_scheme && k - j >= 8 && s.substr(j, k - j) != kMask) {
            rw.mask(j, k);
            i = k - 1;
        }
    }
}

struct TokenPrefix {
    std::string_view prefix;
    std::size_t min_len;  // characters after the prefix needed to call it a token
};

// Shopify access/API tokens and "sk-" style API keys (OpenAI, OpenRouter, Anthropic, Stripe).
constexpr std::array<TokenPrefix, 7> kTokenPrefixes{{
    {"shpat_", 4},
    {"shpca_", 4},
    {"shppa_", 4},
    {"shpss_", 4},
    {"sk-", 8},
    {"sk_live_", 4},
    {"sk_test_", 4},
}};

void mask_prefixed_tokens(std::string& str) {
    Rewriter rw{str};
    const std::string_view s = rw.text();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((s[i] != 's' && s[i] != 'S') || (i > 0 && (is_alnum(s[i - 1]) || s[i - 1] == '_' || s[i - 1] == '-'))) {
            continue;
        }
        for (const auto& p : kTokenPrefixes) {
            if (!starts_with_icase(s, i, p.prefix)) continue;
            std::size_t k = i + p.prefix.size();
            while (k < s.size() && (is_alnum(s[k]) || s[k] == '_' || s[k] == '-')) ++k;
            if (k - i - p.prefix.size() >= p.min_len) {
                rw.mask(i + p.prefix.size(), k);
                i = k - 1;
            }
            break;
        }
    }
}

}  // namespace

bool is_secret_name(std::string_view name) {
    // The part after the last '.' (e.g. "shopify.api_secret") decides.
    if (const auto dot = name.rfind('.'); dot != std::string_view::npos) name.remove_prefix(dot + 1);
    // Compares case-insensitively with '-' read as '_'; `word` is lower case.
    auto same = [](std::string_view text, std::string_view word) {
        if (text.size() != word.size()) return false;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i] == '-' ? '_' : lower(text[i]);
            if (c != word[i]) return false;
        }
        return true;
    };
    static constexpr std::array<std::string_view, 4> kExact{"pass", "pw", "authorization", "cookie"};
    static constexpr std::array<std::string_view, 10> kSuffixes{
        "password", "passwd", "pwd", "secret", "token", "api_key", "apikey", "private_key", "access_key", "master_key"};
    for (auto e : kExact) {
        if (same(name, e)) return true;
    }
    for (auto suffix : kSuffixes) {
        if (name.size() >= suffix.size() && same(name.substr(name.size() - suffix.size()), suffix)) return true;
    }
    return false;
}

namespace {

// password=abc, token: abc, "client_secret":"abc", api_key='abc' -> value masked.
void mask_secret_pairs(std::string& str) {
    if (str.find_first_of("=:") == std::string::npos) return;
    Rewriter rw{str};
    const std::string_view s = rw.text();
    std::size_t i = 0;
    while (i < s.size()) {
        if (!is_key_char(s[i]) || (i > 0 && is_key_char(s[i - 1]))) {
            ++i;
            continue;
        }
        std::size_t name_end = i;
        while (name_end < s.size() && is_key_char(s[name_end])) ++name_end;
        const std::string_view name = s.substr(i, name_end - i);
        std::size_t j = name_end;
        if (j < s.size() && (s[j] == '"' || s[j] == '\'')) ++j;  // closing quote of a JSON key
        while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
        const bool separator = j < s.size() && (s[j] == '=' || (s[j] == ':' && s.substr(j, 3) != "://"));
        if (!separator || !is_secret_name(name)) {
            i = name_end;
            continue;
        }
        ++j;
        while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
        std::size_t value_start = j;
        std::size_t value_end = j;
        if (j < s.size() && (s[j] == '"' || s[j] == '\'')) {
            const char quote = s[j];
            value_start = j + 1;
            value_end = value_start;
            while (value_end < s.size() && s[value_end] != quote) {
                value_end += (s[value_end] == '\\' && value_end + 1 < s.size()) ? 2 : 1;
            }
            if (value_end > s.size()) value_end = s.size();
        } else {
            while (value_end < s.size()) {
                const char c = s[value_end];
                if (is_space(c) || c == '&' || c == ',' || c == ';' || c == ')' || c == '}' || c == ']' || c == '"' ||
                    c == '\'')
                    break;
                ++value_end;
            }
        }
        const std::string_view value = s.substr(value_start, value_end - value_start);
        if (!value.empty() && value != kMask) rw.mask(value_start, value_end);
        i = value_end > name_end ? value_end : name_end;
    }
}

// local@domain.tld -> ***@***
void mask_emails(std::string& str) {
    Rewriter rw{str};
    const std::string_view s = rw.text();
    std::size_t floor = 0;  // start of text not yet consumed by a replacement
    std::size_t pos = 0;
    while ((pos = s.find('@', pos)) != std::string_view::npos) {
        std::size_t left = pos;
        while (left > floor && is_email_local(s[left - 1])) --left;
        std::size_t right = pos + 1;
        while (right < s.size() && is_email_domain(s[right])) ++right;
        while (right > pos + 1 && (s[right - 1] == '.' || s[right - 1] == '-')) --right;  // sentence punctuation
        const std::string_view domain = s.substr(pos + 1, right - pos - 1);
        const std::size_t dot = domain.rfind('.');
        bool tld_ok = dot != std::string_view::npos && dot > 0 && domain.size() - dot - 1 >= 2;
        for (std::size_t k = dot + 1; tld_ok && k < domain.size(); ++k) {
            tld_ok = (domain[k] >= 'a' && domain[k] <= 'z') || (domain[k] >= 'A' && domain[k] <= 'Z');
        }
        if (left < pos && tld_ok) {
            rw.mask(left, right, "***@***");
            floor = right;
            pos = right;
        } else {
            ++pos;
        }
    }
}

}  // namespace

std::string redact(std::string_view text) {
    std::string s{text};
    mask_url_passwords(s);
    mask_auth_schemes(s);
    mask_prefixed_tokens(s);
    mask_secret_pairs(s);
    mask_emails(s);
    return s;
}

}  // namespace alatar
