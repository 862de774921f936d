#include "http/types.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace alatar::http {

namespace {
char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
    for (const auto& h : items_) {
        if (iequals(h.name, name)) return std::string_view{h.value};
    }
    return std::nullopt;
}

void Headers::set(std::string_view name, std::string_view value) {
    remove(name);
    add(name, value);
}

void Headers::set_default(std::string_view name, std::string_view value) {
    if (!has(name)) add(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
    items_.push_back(Header{std::string{name}, std::string{value}});
}

void Headers::remove(std::string_view name) {
    std::erase_if(items_, [&](const Header& h) { return iequals(h.name, name); });
}

Response Response::text(unsigned status, std::string body, std::string_view content_type) {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", content_type);
    r.body = std::move(body);
    return r;
}

Response Response::json(unsigned status, std::string body, std::string_view content_type) {
    return text(status, std::move(body), content_type);
}

std::string error_body(std::string_view message, std::string_view code, std::string_view request_id) {
    boost::json::object ext;
    ext["code"] = code;
    if (!request_id.empty()) ext["requestId"] = request_id;
    boost::json::object err;
    err["message"] = message;
    err["extensions"] = std::move(ext);
    boost::json::object body;
    body["errors"] = boost::json::array{std::move(err)};
    return boost::json::serialize(body);
}

}  // namespace alatar::http
