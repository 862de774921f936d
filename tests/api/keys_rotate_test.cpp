// `alatar keys rotate`: every stored token re-encrypted under the newest key, in batches; an interrupted run
// resumes; old keys stay readable meanwhile; a row no configured key can read is reported and left untouched.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "app/keys_command.hpp"
#include "common/crypto.hpp"
#include "db/connection.hpp"
#include "db/migrate.hpp"
#include "db/pool.hpp"
#include "db/test_database.hpp"
#include "shopify/oauth_link.hpp"

namespace alatar::app {
namespace {

using crypto::Keyring;

std::string raw_key() { return *crypto::base64_decode(Keyring::generate_key_base64()); }

class KeysRotateTest : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = db::testing::TestDatabase::create();
        ASSERT_NE(database_, nullptr) << db::testing::kMissingUrlMessage;
        db::Connection conn{database_->url()};
        db::apply_migrations(conn, db::load_migrations(std::filesystem::path(ALATAR_SOURCE_DIR) / "migrations"),
                             Logger::null());
        pool_ = std::make_unique<db::Pool>(db::PoolOptions{.url = database_->url(), .size = 2}, Logger::null());
        user_ = pool_->query_blocking("INSERT INTO users (email) VALUES ('keys@example.com') RETURNING id::text")
                    .scalar<std::string>();
    }

    // A store whose token is sealed by `keyring` (its current key); returns the shop.
    std::string add_store(const Keyring& keyring, int n) {
        const std::string shop = "shop" + std::to_string(n) + ".myshopify.com";
        const std::string token = "shpat_" + std::to_string(n) + crypto::hex_encode(crypto::random_bytes(8));
        const auto sealed = keyring.encrypt(token, shopify::token_associated_data(shop));
        pool_->query_blocking(
            "INSERT INTO shopify_stores (user_id, shop_domain, access_token_ciphertext, key_id) "
            "VALUES ($1, $2, convert_to($3, 'UTF8'), $4)",
            db::Params{user_, shop, sealed, keyring.current_kid()});
        tokens_[shop] = token;
        return shop;
    }

    // shop -> (key id column, token read back with `keyring`, kid inside the sealed value).
    void expect_all_readable(const Keyring& keyring, const std::string& kid) {
        const auto r = pool_->query_blocking(
            "SELECT shop_domain, key_id, convert_from(access_token_ciphertext, 'UTF8') FROM shopify_stores "
            "WHERE access_token_ciphertext IS NOT NULL");
        for (int i = 0; i < r.rows(); ++i) {
            const auto shop = r.get<std::string>(i, 0);
            if (!tokens_.contains(shop)) continue;
            EXPECT_EQ(r.get<std::string>(i, 1), kid) << shop;
            EXPECT_EQ(Keyring::kid_of(r.get<std::string>(i, 2)), kid) << shop;
            EXPECT_EQ(keyring.decrypt(r.get<std::string>(i, 2), shopify::token_associated_data(shop)), tokens_[shop]);
        }
    }

    std::int64_t with_kid(const std::string& kid) {
        return pool_->query_blocking("SELECT count(*) FROM shopify_stores WHERE key_id = $1", db::Params{kid})
            .scalar<std::int64_t>();
    }

    std::unique_ptr<db::testing::TestDatabase> database_;
    std::unique_ptr<db::Pool> pool_;
    std::string user_;
    std::map<std::string, std::string> tokens_;
};

TEST_F(KeysRotateTest, RotatesEveryTokenInBatchesAndOnlyNewKeyIsNeededAfterwards) {
    const std::string k1 = raw_key();
    const std::string k2 = raw_key();
    const Keyring old_ring{"k1", {{"k1", k1}}};
    for (int i = 0; i < 23; ++i) add_store(old_ring, i);

    const Keyring rotating{"k2", {{"k2", k2}, {"k1", k1}}};
    const auto report = rotate_secrets(*pool_, rotating, 5, Logger::null());
    EXPECT_EQ(report.rotated, 23);
    EXPECT_EQ(report.failed, 0);
    EXPECT_EQ(with_kid("k1"), 0);
    expect_all_readable(Keyring{"k2", {{"k2", k2}}}, "k2");  // the old key can now be dropped

    // Nothing left to do: a second run is a no-op.
    EXPECT_EQ(rotate_secrets(*pool_, rotating, 5, Logger::null()).rotated, 0);
}

TEST_F(KeysRotateTest, InterruptedRotationResumesWhileBothGenerationsStayReadable) {
    const std::string k1 = raw_key();
    const std::string k2 = raw_key();
    const Keyring old_ring{"k1", {{"k1", k1}}};
    const Keyring rotating{"k2", {{"k2", k2}, {"k1", k1}}};
    for (int i = 0; i < 10; ++i) add_store(old_ring, i);
    // The state a killed run leaves: some rows already under k2 (committed batches), the rest still under k1.
    const auto r = pool_->query_blocking(
        "SELECT id::text, shop_domain, convert_from(access_token_ciphertext, 'UTF8') FROM shopify_stores "
        "ORDER BY id LIMIT 4");
    for (int i = 0; i < r.rows(); ++i) {
        const auto ad = shopify::token_associated_data(r.get<std::string>(i, 1));
        pool_->query_blocking(
            "UPDATE shopify_stores SET access_token_ciphertext = convert_to($2, 'UTF8'), key_id = 'k2' WHERE id = $1",
            db::Params{r.get<std::string>(i, 0), rotating.encrypt(rotating.decrypt(r.get<std::string>(i, 2), ad), ad)});
    }
    EXPECT_EQ(with_kid("k2"), 4);
    // Meanwhile the services, configured with both keys, read every token whichever key sealed it.
    const auto all =
        pool_->query_blocking("SELECT shop_domain, convert_from(access_token_ciphertext, 'UTF8') FROM shopify_stores");
    for (int i = 0; i < all.rows(); ++i) {
        const auto shop = all.get<std::string>(i, 0);
        EXPECT_EQ(rotating.decrypt(all.get<std::string>(i, 1), shopify::token_associated_data(shop)), tokens_[shop]);
    }

    const auto report = rotate_secrets(*pool_, rotating, 3, Logger::null());
    EXPECT_EQ(report.rotated, 6);  // only what was left
    EXPECT_EQ(report.failed, 0);
    expect_all_readable(Keyring{"k2", {{"k2", k2}}}, "k2");
}

TEST_F(KeysRotateTest, UnreadableSecretIsReportedAndLeftUntouched) {
    const std::string k1 = raw_key();
    const std::string k2 = raw_key();
    add_store(Keyring{"k1", {{"k1", k1}}}, 1);
    const auto lost = add_store(Keyring{"k9", {{"k9", raw_key()}}}, 2);  // a key nobody has any more
    const auto before = pool_->query_blocking(
        "SELECT access_token_ciphertext FROM shopify_stores WHERE shop_domain = $1", db::Params{lost});

    const Keyring rotating{"k2", {{"k2", k2}, {"k1", k1}}};
    const auto report = rotate_secrets(*pool_, rotating, 10, Logger::null());
    EXPECT_EQ(report.rotated, 1);
    EXPECT_EQ(report.failed, 1);
    const auto after = pool_->query_blocking(
        "SELECT access_token_ciphertext, key_id FROM shopify_stores WHERE shop_domain = $1", db::Params{lost});
    EXPECT_EQ(after.get<std::string>(0, 0), before.get<std::string>(0, 0));
    EXPECT_EQ(after.get<std::string>(0, 1), "k9");
    EXPECT_EQ(with_kid("k2"), 1);
}

}  // namespace
}  // namespace alatar::app
