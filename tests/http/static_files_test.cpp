#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace alatar::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("alatar_static_" + std::to_string(::getpid()));
        fs::create_directories(root_ / "assets");
        write(root_ / "index.html", "<html>app</html>");
        write(root_ / "assets" / "app.3f9a1c2b.js", "console.log(1)");
        write(root_ / "robots.txt", "x");
        write(root_.parent_path() / ("alatar_secret_" + std::to_string(::getpid())), "secret");
    }
    void TearDown() override {
        fs::remove_all(root_);
        fs::remove(root_.parent_path() / ("alatar_secret_" + std::to_string(::getpid())));
    }
    static void write(const fs::path& p, const std::string& s) { std::ofstream{p} << s; }
    static Request get(std::string path) {
        Request r;
        r.method = "GET";
        r.path = std::move(path);
        return r;
    }
    fs::path root_;
};

TEST_F(StaticFilesTest, ServesIndexAndHashedAssetsWithCacheControl) {
    const StaticFiles files{root_};
    const auto index = files.serve(get("/"));
    EXPECT_EQ(index.status, 200u);
    EXPECT_EQ(index.body, "<html>app</html>");
    EXPECT_EQ(index.headers.get("Cache-Control"), "no-cache");
    EXPECT_EQ(index.headers.get("Content-Type"), "text/html; charset=utf-8");
    const auto asset = files.serve(get("/assets/app.3f9a1c2b.js"));
    EXPECT_EQ(asset.status, 200u);
    EXPECT_EQ(asset.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(files.serve(get("/robots.txt")).headers.get("Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, SpaFallbackForClientRoutesOnly) {
    const StaticFiles files{root_};
    const auto route = files.serve(get("/analyses/42"));
    EXPECT_EQ(route.status, 200u);
    EXPECT_EQ(route.body, "<html>app</html>");
    EXPECT_EQ(files.serve(get("/assets/missing.js")).status, 404u);
    const StaticFiles no_fallback{root_, "index.html", false};
    EXPECT_EQ(no_fallback.serve(get("/analyses/42")).status, 404u);
}

TEST_F(StaticFilesTest, NeverEscapesTheRoot) {
    const StaticFiles files{root_, "index.html", false};
    const auto secret = "alatar_secret_" + std::to_string(::getpid());
    EXPECT_EQ(files.serve(get("/../" + secret)).status, 404u);
    EXPECT_EQ(files.serve(get("/%2e%2e/" + secret)).status, 404u);
    EXPECT_EQ(files.serve(get("/assets/../../" + secret)).status, 404u);
}

TEST(StaticFilesNames, HashedAssetDetection) {
    EXPECT_TRUE(StaticFiles::is_hashed_asset("app.3f9a1c2b.js"));
    EXPECT_TRUE(StaticFiles::is_hashed_asset("index-BdX81kQz.css"));
    EXPECT_FALSE(StaticFiles::is_hashed_asset("index.html"));
    EXPECT_FALSE(StaticFiles::is_hashed_asset("vendor-bootstrap.js"));
    EXPECT_FALSE(StaticFiles::is_hashed_asset("a.b.js"));
}

}  // namespace
}  // namespace alatar::http
