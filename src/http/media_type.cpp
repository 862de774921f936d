#include "http/media_type.hpp"

#include <cstdlib>

#include "http/types.hpp"

namespace alatar::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out{s};
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

// Splits on `sep` outside double quotes.
std::vector<std::string_view> split_unquoted(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '"' && (i == 0 || s[i - 1] != '\\')) quoted = !quoted;
        if (s[i] == sep && !quoted) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

double quality(const MediaType& m) {
    const auto q = m.param("q");
    if (!q) return 1.0;
    const std::string text{*q};
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || v < 0 || v > 1) return 1.0;
    return v;
}

}  // namespace

std::optional<std::string_view> MediaType::param(std::string_view name) const {
    for (const auto& [k, v] : params) {
        if (iequals(k, name)) return std::string_view{v};
    }
    return std::nullopt;
}

bool MediaType::is(std::string_view t, std::string_view s) const { return iequals(type, t) && iequals(subtype, s); }

std::optional<MediaType> parse_media_type(std::string_view text) {
    auto parts = split_unquoted(text, ';');
    const auto full = trim(parts.front());
    const auto slash = full.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    MediaType m;
    const auto type = trim(full.substr(0, slash));
    const auto subtype = trim(full.substr(slash + 1));
    if (!is_token(type) || !is_token(subtype)) return std::nullopt;
    m.type = lower(type);
    m.subtype = lower(subtype);
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto p = trim(parts[i]);
        if (p.empty()) continue;
        const auto eq = p.find('=');
        if (eq == std::string_view::npos) return std::nullopt;
        const auto name = trim(p.substr(0, eq));
        auto value = trim(p.substr(eq + 1));
        if (!is_token(name)) return std::nullopt;
        std::string v;
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
            for (std::size_t j = 0; j < value.size(); ++j) {
                if (value[j] == '\\' && j + 1 < value.size()) ++j;
                v += value[j];
            }
        } else {
            v = std::string{value};
        }
        m.params.emplace_back(lower(name), std::move(v));
    }
    return m;
}

std::vector<MediaType> parse_accept(std::string_view text) {
    std::vector<MediaType> out;
    for (auto element : split_unquoted(text, ',')) {
        element = trim(element);
        if (element.empty()) continue;
        if (auto m = parse_media_type(element)) out.push_back(std::move(*m));
    }
    return out;
}

std::string_view content_type_of(GraphQLMediaType m) noexcept {
    return m == GraphQLMediaType::kGraphQLResponseJson ? kGraphQLResponseJson : kApplicationJson;
}

namespace {

struct Match {
    double q = -1;        // -1: not matched at all
    int specificity = 0;  // 2 exact, 1 type/*, 0 */*
};

// RFC 9110 §12.5.1: the most specific matching range decides the quality of a candidate.
Match match(const std::vector<MediaType>& ranges, std::string_view type, std::string_view subtype) {
    Match best;
    for (const auto& r : ranges) {
        int spec = -1;
        if (r.type == type && r.subtype == subtype) {
            spec = 2;
        } else if (r.type == type && r.subtype == "*") {
            spec = 1;
        } else if (r.type == "*" && r.subtype == "*") {
            spec = 0;
        }
        if (spec < 0) continue;
        if (best.q < 0 || spec > best.specificity) best = Match{quality(r), spec};
    }
    return best;
}

}  // namespace

std::optional<GraphQLMediaType> negotiate_graphql_response(std::optional<std::string_view> accept) {
    if (!accept || trim(*accept).empty()) return GraphQLMediaType::kJson;
    const auto ranges = parse_accept(*accept);
    const Match gql = match(ranges, "application", "graphql-response+json");
    const Match json = match(ranges, "application", "json");
    const bool gql_ok = gql.q > 0;
    const bool json_ok = json.q > 0;
    if (!gql_ok && !json_ok) return std::nullopt;
    if (gql_ok && !json_ok) return GraphQLMediaType::kGraphQLResponseJson;
    if (json_ok && !gql_ok) return GraphQLMediaType::kJson;
    if (gql.q != json.q) return gql.q > json.q ? GraphQLMediaType::kGraphQLResponseJson : GraphQLMediaType::kJson;
    if (gql.specificity != json.specificity) {
        return gql.specificity > json.specificity ? GraphQLMediaType::kGraphQLResponseJson : GraphQLMediaType::kJson;
    }
    return gql.specificity == 2 ? GraphQLMediaType::kGraphQLResponseJson : GraphQLMediaType::kJson;
}

bool accept_names_json(std::optional<std::string_view> accept) {
    if (!accept) return false;
    for (const auto& r : parse_accept(*accept)) {
        if ((r.is("application", "json") || r.is("application", "graphql-response+json")) && quality(r) > 0) {
            return true;
        }
    }
    return false;
}

}  // namespace alatar::http
