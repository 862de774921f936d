// Router: exact routes, prefix routes and their precedence.
#include "http/router.hpp"

#include <gtest/gtest.h>

namespace alatar::http {
namespace {

Handler stub() {
    return [](const Request&, RequestContext&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

TEST(Router, ExactRoutesMatchWholePathsOnly) {
    Router router;
    router.add("/graphql", stub());
    ASSERT_NE(router.find("/graphql"), nullptr);
    EXPECT_EQ(router.find("/graphql")->path, "/graphql");
    EXPECT_EQ(router.find("/graphql/x"), nullptr);
    EXPECT_EQ(router.find("/graph"), nullptr);
}

TEST(Router, PrefixRoutesServeTheirSubtree) {
    Router router;
    router.add_prefix("/shops/", stub());
    ASSERT_NE(router.find("/shops/a.myshopify.test/admin/oauth/authorize"), nullptr);
    EXPECT_EQ(router.find("/shops/a/b")->path, "/shops/");
    EXPECT_EQ(router.find("/shop"), nullptr);
    EXPECT_EQ(router.find("/other/shops/"), nullptr);
}

TEST(Router, ExactBeatsPrefixAndLongestPrefixWins) {
    Router router;
    router.add_prefix("/a/", stub());
    router.add_prefix("/a/b/", stub(), RouteOptions{.rate_limited = false});
    router.add("/a/b/c", stub());
    EXPECT_EQ(router.find("/a/b/c")->path, "/a/b/c");
    EXPECT_EQ(router.find("/a/b/d")->path, "/a/b/");
    EXPECT_FALSE(router.find("/a/b/d")->options.rate_limited);
    EXPECT_EQ(router.find("/a/x")->path, "/a/");
}

}  // namespace
}  // namespace alatar::http
