#include "shopify/shop_domain.hpp"

#include <gtest/gtest.h>

namespace alatar::shopify {
namespace {

TEST(ShopDomain, AcceptsAndNormalisesShopDomains) {
    EXPECT_EQ(normalize_shop_domain("my-shop.myshopify.com", ".myshopify.com"), "my-shop.myshopify.com");
    EXPECT_EQ(normalize_shop_domain("My-Shop.MyShopify.COM", ".myshopify.com"), "my-shop.myshopify.com");
    EXPECT_EQ(normalize_shop_domain("shop1.myshopify.test", ".myshopify.test"), "shop1.myshopify.test");
    EXPECT_EQ(normalize_shop_domain("9x.myshopify.test", "myshopify.test"), "9x.myshopify.test");
}

TEST(ShopDomain, RefusesEverythingElse) {
    for (const char* bad : {"evil.com",
                            "x.myshopify.com.evil.com",
                            "myshopify.com",
                            ".myshopify.com",
                            "-x.myshopify.com",
                            "x.y.myshopify.com",
                            "x.myshopify.com:443",
                            "x.myshopify.com/",
                            "x.myshopify.com/admin",
                            "user@x.myshopify.com",
                            "x@evil.com#.myshopify.com",
                            "x_y.myshopify.com",
                            "x y.myshopify.com",
                            "xmyshopify.com",
                            "x.myshopify.co",
                            "https://x.myshopify.com",
                            "x.myshopify.com.",
                            "x.MYSHOPIFY.COM.evil.com",
                            "\xc4\xb0x.myshopify.com",
                            "x%2e.myshopify.com",
                            ""}) {
        EXPECT_EQ(normalize_shop_domain(bad, ".myshopify.com"), std::nullopt) << bad;
    }
    EXPECT_EQ(normalize_shop_domain(std::string(64, 'a') + ".myshopify.com", ".myshopify.com"), std::nullopt);
    EXPECT_EQ(normalize_shop_domain("x.myshopify.com", ".myshopify.test"), std::nullopt);
}

TEST(ShopDomain, BaseUrlFromTemplate) {
    EXPECT_EQ(shop_base_url("https://{shop}", "a.myshopify.com"), "https://a.myshopify.com");
    EXPECT_EQ(shop_base_url("http://127.0.0.1:8090/shops/{shop}/", "a.myshopify.test"),
              "http://127.0.0.1:8090/shops/a.myshopify.test");
}

}  // namespace
}  // namespace alatar::shopify
