#pragma once
// Static files from one directory (the built dashboard), with a single-page-app fallback to index.html.
// Hashed asset names ("app.3f9a1c2b.js", "index-BdX81kQz.css") get a one-year immutable Cache-Control;
// index.html and other files are revalidated on every load ("no-cache").
//
// Files are read on the calling thread; the dashboard is small and the page cache keeps it in memory.
#include <filesystem>
#include <string>
#include <string_view>

#include "http/types.hpp"

namespace alatar::http {

class StaticFiles {
  public:
    // `root` must exist; it is canonicalised once.
    explicit StaticFiles(const std::filesystem::path& root, std::string index = "index.html", bool spa_fallback = true);

    // Serves GET/HEAD for `path` (already without query). 404 when nothing matches and there is no fallback.
    Response serve(const Request& req) const;

    // True when the file name carries a content hash (8+ alphanumerics after the last '.' or '-' of the stem).
    static bool is_hashed_asset(std::string_view file_name);
    static std::string_view content_type_for(std::string_view extension);

  private:
    std::filesystem::path root_;
    std::string index_;
    bool spa_fallback_;
};

}  // namespace alatar::http
