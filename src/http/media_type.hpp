#pragma once
// Media types (RFC 9110 §8.3.1) and Accept negotiation for GraphQL responses.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alatar::http {

struct MediaType {
    std::string type;                                         // lower case, e.g. "application" or "*"
    std::string subtype;                                      // lower case, e.g. "json" or "*"
    std::vector<std::pair<std::string, std::string>> params;  // names lower case, values unquoted

    std::optional<std::string_view> param(std::string_view name) const;
    bool is(std::string_view t, std::string_view s) const;
};

// Parses one media type ("application/json; charset=utf-8"). nullopt when malformed.
std::optional<MediaType> parse_media_type(std::string_view text);

// Parses an Accept header into its media ranges; malformed elements are skipped.
std::vector<MediaType> parse_accept(std::string_view text);

enum class GraphQLMediaType { kGraphQLResponseJson, kJson };

inline constexpr std::string_view kGraphQLResponseJson = "application/graphql-response+json; charset=utf-8";
inline constexpr std::string_view kApplicationJson = "application/json; charset=utf-8";

std::string_view content_type_of(GraphQLMediaType m) noexcept;

// GraphQL over HTTP response media type for an Accept header:
// - no Accept (or empty): application/json (the spec's legacy default, which the graphql-http audit expects);
// - the candidate with the higher q wins; on a tie an explicitly named type beats one matched by a wildcard, and
//   application/graphql-response+json beats application/json when both are named;
// - wildcards only (*/*, application/*): application/json, for legacy clients;
// - nothing acceptable: nullopt (the caller answers 406).
std::optional<GraphQLMediaType> negotiate_graphql_response(std::optional<std::string_view> accept);

// True when the Accept header explicitly names a JSON type (application/json or application/graphql-response+json)
// with q > 0. Browsers never send that for navigations, images or scripts, so it is part of the CSRF rule for GET.
bool accept_names_json(std::optional<std::string_view> accept);

}  // namespace alatar::http
