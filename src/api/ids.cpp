#include "api/ids.hpp"

#include <cctype>

#include "common/crypto.hpp"

namespace alatar::api {

bool is_uuid(std::string_view text) noexcept {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

std::string encode_id(std::string_view type, std::string_view uuid) {
    std::string raw;
    raw.reserve(type.size() + 1 + uuid.size());
    raw.append(type).append(":").append(uuid);
    return crypto::base64url_encode(raw);
}

namespace {
// "<Type>:<uuid>" split, or nullopt.
std::optional<std::pair<std::string, std::string>> split_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return std::nullopt;
    auto raw = crypto::base64url_decode(id);
    if (!raw) return std::nullopt;
    const auto colon = raw->find(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string uuid = raw->substr(colon + 1);
    if (!is_uuid(uuid)) return std::nullopt;
    return std::make_pair(raw->substr(0, colon), std::move(uuid));
}
}  // namespace

std::optional<std::string> decode_id(std::string_view type, std::string_view id) {
    auto parts = split_id(id);
    if (!parts || parts->first != type) return std::nullopt;
    return std::move(parts->second);
}

std::optional<std::string> id_type_of(std::string_view id) {
    auto parts = split_id(id);
    if (!parts) return std::nullopt;
    return std::move(parts->first);
}

}  // namespace alatar::api
