#pragma once
// User preferences: the LLM model (one of the configured models), an IANA time zone and a BCP 47 language tag.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::api {

struct LlmModel {
    std::string id;
    std::string name;
    bool free = false;
};

// The id of the built-in offline reasoner (no LLM call); always available.
inline constexpr std::string_view kOfflineModel = "offline";

// The models offered to users: config llm_models when set, otherwise the default list (a free Gemini model on
// OpenRouter first). The offline reasoner is appended when missing. The first entry is a new user's default.
std::vector<LlmModel> available_models(const std::vector<std::string>& configured);

// True for a zone name the time-zone database knows ("Europe/Berlin", "UTC").
bool is_valid_timezone(std::string_view name);

// The tag in canonical case ("en", "pt-BR", "zh-Hant-TW", "sr-Latn") when it is a well-formed BCP 47 language tag
// (RFC 5646 langtag or private use; grandfathered tags are refused); nullopt otherwise.
std::optional<std::string> normalize_language_tag(std::string_view tag);

}  // namespace alatar::api
