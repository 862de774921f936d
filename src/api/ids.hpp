#pragma once
// Opaque global ids: base64url("<Type>:<uuid>"). Clients treat them as strings; the type tag keeps an id of one
// kind from being accepted where another kind is expected, and the API never shows raw database keys.
#include <optional>
#include <string>
#include <string_view>

namespace alatar::api {

// Type tags used in ids (the GraphQL type names).
namespace id_type {
inline constexpr std::string_view kUser = "User";
inline constexpr std::string_view kStore = "ShopifyStore";
inline constexpr std::string_view kAnalysisRequest = "AnalysisRequest";
inline constexpr std::string_view kActionProposal = "ActionProposal";
inline constexpr std::string_view kAgentTask = "AgentTask";
}  // namespace id_type

std::string encode_id(std::string_view type, std::string_view uuid);

// The uuid inside `id` when it is well-formed and tagged `type`; nullopt otherwise (callers answer NOT_FOUND,
// so a malformed id and someone else's id look the same).
std::optional<std::string> decode_id(std::string_view type, std::string_view id);

// The type tag of a well-formed id (for Query.node).
std::optional<std::string> id_type_of(std::string_view id);

// Canonical lower-case 8-4-4-4-12 hex.
bool is_uuid(std::string_view text) noexcept;

}  // namespace alatar::api
