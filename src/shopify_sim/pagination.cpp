#include "shopify_sim/pagination.hpp"

#include <boost/json.hpp>

#include "common/crypto.hpp"

namespace alatar::shopify_sim {

bool cursor_less(const CursorKey& a, const CursorKey& b) {
    if (a.value != b.value) return a.value < b.value;
    return a.id < b.id;
}

std::string encode_cursor(const CursorKey& key) {
    boost::json::object obj;
    obj["last_id"] = key.id;
    if (const auto* i = std::get_if<std::int64_t>(&key.value)) {
        obj["last_value"] = *i;
    } else {
        obj["last_value"] = std::get<std::string>(key.value);
    }
    return crypto::base64_encode(boost::json::serialize(obj));
}

std::optional<CursorKey> decode_cursor(std::string_view cursor) {
    const auto raw = crypto::base64_decode(cursor);
    if (!raw) return std::nullopt;
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(*raw, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto& obj = v.get_object();
    const auto* id = obj.if_contains("last_id");
    const auto* value = obj.if_contains("last_value");
    if (id == nullptr || value == nullptr) return std::nullopt;
    CursorKey key;
    if (id->is_uint64()) {
        key.id = id->get_uint64();
    } else if (id->is_int64() && id->get_int64() >= 0) {
        key.id = static_cast<std::uint64_t>(id->get_int64());
    } else {
        return std::nullopt;
    }
    if (value->is_int64()) {
        key.value = value->get_int64();
    } else if (value->is_uint64()) {
        key.value = static_cast<std::int64_t>(value->get_uint64());
    } else if (value->is_string()) {
        key.value = std::string(value->get_string());
    } else {
        return std::nullopt;
    }
    return key;
}

std::optional<PageError> validate_page_request(const PageRequest& request) {
    if (!request.first && !request.last) return PageError{"you must provide one of first or last"};
    if (request.first && request.last) return PageError{"providing both first and last is not supported"};
    const std::int64_t n = request.first ? *request.first : *request.last;
    if (n < 0) return PageError{std::string(request.first ? "first" : "last") + " must be non-negative"};
    if (n > kMaxPageSize) {
        return PageError{"The page size exceeds the maximum of " + std::to_string(kMaxPageSize) + "."};
    }
    if (request.after && !decode_cursor(*request.after))
        return PageError{"Invalid cursor for current pagination sort."};
    if (request.before && !decode_cursor(*request.before))
        return PageError{"Invalid cursor for current pagination sort."};
    return std::nullopt;
}

}  // namespace alatar::shopify_sim
