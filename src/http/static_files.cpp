#include "http/static_files.hpp"

#include <boost/url/decode_view.hpp>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace alatar::http {

namespace fs = std::filesystem;

namespace {

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::optional<std::string> read_file(const fs::path& p) {
    std::ifstream in{p, std::ios::binary};
    if (!in) return std::nullopt;
    return std::string{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

// A regular file strictly inside `root` (symlinks resolved), or nullopt.
std::optional<fs::path> inside(const fs::path& root, const fs::path& candidate) {
    std::error_code ec;
    const auto real = fs::weakly_canonical(candidate, ec);
    if (ec) return std::nullopt;
    const auto rel = real.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") return std::nullopt;
    if (!fs::is_regular_file(real, ec)) return std::nullopt;
    return real;
}

fs::path canonical_directory(const fs::path& root) {
    std::error_code ec;
    auto dir = fs::canonical(root, ec);
    if (ec || !fs::is_directory(dir)) throw std::invalid_argument("static files: not a directory: " + root.string());
    return dir;
}

}  // namespace

StaticFiles::StaticFiles(const fs::path& root, std::string index, bool spa_fallback)
    : root_(canonical_directory(root)), index_(std::move(index)), spa_fallback_(spa_fallback) {}

bool StaticFiles::is_hashed_asset(std::string_view file_name) {
    const auto dot = file_name.rfind('.');
    if (dot == std::string_view::npos || dot == 0) return false;
    const auto stem = file_name.substr(0, dot);
    const auto sep = stem.find_last_of(".-");
    if (sep == std::string_view::npos) return false;
    const auto hash = stem.substr(sep + 1);
    if (hash.size() < 8) return false;
    bool digit = false;
    for (char c : hash) {
        if (!is_alnum(c) && c != '_') return false;
        digit = digit || (c >= '0' && c <= '9');
    }
    return digit;
}

std::string_view StaticFiles::content_type_for(std::string_view ext) {
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
    if (ext == ".gif") return "image/gif";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".webp") return "image/webp";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".woff") return "font/woff";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    if (ext == ".wasm") return "application/wasm";
    return "application/octet-stream";
}

Response StaticFiles::serve(const Request& req) const {
    std::string decoded;
    try {
        const boost::urls::decode_view dv{req.path};
        decoded.assign(dv.begin(), dv.end());
    } catch (const std::exception&) {
        decoded.clear();
    }
    Response res;
    const bool bad = decoded.empty() || decoded.front() != '/' || decoded.find('\0') != std::string::npos;
    std::optional<fs::path> file;
    if (!bad) {
        auto rel = fs::path{decoded.substr(1)}.lexically_normal();
        if (rel.empty() || rel == ".") rel = index_;
        file = inside(root_, root_ / rel);
        // SPA fallback: client-side routes ("/analyses/42") have no extension and get the app shell.
        if (!file && spa_fallback_ && !rel.has_extension()) file = inside(root_, root_ / index_);
    }
    std::optional<std::string> body;
    if (file) body = read_file(*file);
    if (!body) {
        res = Response::text(404, "Not found\n");
        return res;
    }
    const auto name = file->filename().string();
    res.status = 200;
    res.headers.set("Content-Type", content_type_for(file->extension().string()));
    res.headers.set("Cache-Control", is_hashed_asset(name) ? "public, max-age=31536000, immutable" : "no-cache");
    if (req.method != "HEAD") res.body = std::move(*body);
    return res;
}

}  // namespace alatar::http
