#include "api/preferences.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace alatar::api {

namespace {

struct KnownModel {
    std::string_view id;
    std::string_view name;
};

// Default offer. Free OpenRouter models first; ids change over time, so operators override the list with
// ALATAR_LLM_MODELS.
constexpr KnownModel kDefaultModels[] = {
    {"google/gemini-2.0-flash-exp:free", "Gemini 2.0 Flash (free)"},
    {"meta-llama/llama-3.3-70b-instruct:free", "Llama 3.3 70B Instruct (free)"},
    {"deepseek/deepseek-chat-v3-0324:free", "DeepSeek V3 (free)"},
    {"openai/gpt-4o-mini", "GPT-4o mini"},
};

std::string display_name(std::string_view id) {
    if (id == kOfflineModel) return "Offline reasoner (no LLM)";
    for (const auto& m : kDefaultModels) {
        if (m.id == id) return std::string(m.name);
    }
    return std::string(id);
}

bool all_of(std::string_view s, int (*pred)(int)) {
    return std::all_of(s.begin(), s.end(), [pred](char c) { return pred(static_cast<unsigned char>(c)) != 0; });
}
bool alpha(std::string_view s, std::size_t lo, std::size_t hi) {
    return s.size() >= lo && s.size() <= hi && all_of(s, &isalpha);
}
bool digits(std::string_view s, std::size_t n) { return s.size() == n && all_of(s, &isdigit); }
bool alnum(std::string_view s, std::size_t lo, std::size_t hi) {
    return s.size() >= lo && s.size() <= hi && all_of(s, &isalnum);
}
std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}
std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

std::vector<std::string_view> split(std::string_view tag) {
    std::vector<std::string_view> parts;
    while (true) {
        const auto dash = tag.find('-');
        parts.push_back(tag.substr(0, dash));
        if (dash == std::string_view::npos) break;
        tag.remove_prefix(dash + 1);
    }
    return parts;
}

}  // namespace

std::vector<LlmModel> available_models(const std::vector<std::string>& configured) {
    std::vector<LlmModel> out;
    auto add = [&](std::string_view id) {
        if (std::any_of(out.begin(), out.end(), [&](const LlmModel& m) { return m.id == id; })) return;
        out.push_back(LlmModel{std::string(id), display_name(id), id.ends_with(":free") || id == kOfflineModel});
    };
    if (configured.empty()) {
        for (const auto& m : kDefaultModels) add(m.id);
    } else {
        for (const auto& id : configured) add(id);
    }
    add(kOfflineModel);
    return out;
}

bool is_valid_timezone(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    try {
        return date::locate_zone(name) != nullptr;
    } catch (const std::runtime_error&) {
        return false;
    }
}

std::optional<std::string> normalize_language_tag(std::string_view tag) {
    if (tag.empty() || tag.size() > 64) return std::nullopt;
    const auto parts = split(tag);
    std::string out;
    auto append = [&](const std::string& s) {
        if (!out.empty()) out += '-';
        out += s;
    };
    std::size_t i = 0;
    auto private_use = [&]() -> bool {  // "x" 1*("-" (1*8alphanum))
        append("x");
        ++i;
        if (i == parts.size()) return false;
        for (; i < parts.size(); ++i) {
            if (!alnum(parts[i], 1, 8)) return false;
            append(lower(parts[i]));
        }
        return true;
    };
    if (lower(parts[0]) == "x") return private_use() ? std::optional{out} : std::nullopt;

    // language: 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA
    if (!alpha(parts[0], 2, 8)) return std::nullopt;
    append(lower(parts[0]));
    ++i;
    if (parts[0].size() <= 3) {
        for (int ext = 0; ext < 3 && i < parts.size() && alpha(parts[i], 3, 3); ++ext, ++i) append(lower(parts[i]));
    }
    if (i < parts.size() && alpha(parts[i], 4, 4)) {  // script, title case
        std::string script = lower(parts[i++]);
        script[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(script[0])));
        append(script);
    }
    if (i < parts.size() && (alpha(parts[i], 2, 2) || digits(parts[i], 3))) append(upper(parts[i++]));  // region
    while (i < parts.size()) {  // variants: 5*8alphanum / (DIGIT 3alphanum)
        const auto p = parts[i];
        const bool variant =
            alnum(p, 5, 8) || (p.size() == 4 && std::isdigit(static_cast<unsigned char>(p[0])) != 0 && alnum(p, 4, 4));
        if (!variant) break;
        append(lower(p));
        ++i;
    }
    while (i < parts.size() && parts[i].size() == 1 && lower(parts[i]) != "x") {  // extensions
        if (std::isalnum(static_cast<unsigned char>(parts[i][0])) == 0) return std::nullopt;
        append(lower(parts[i++]));
        std::size_t subtags = 0;
        for (; i < parts.size() && alnum(parts[i], 2, 8); ++i, ++subtags) append(lower(parts[i]));
        if (subtags == 0) return std::nullopt;
    }
    if (i < parts.size() && lower(parts[i]) == "x") return private_use() ? std::optional{out} : std::nullopt;
    if (i != parts.size()) return std::nullopt;
    return out;
}

}  // namespace alatar::api
