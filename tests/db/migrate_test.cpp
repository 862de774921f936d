// The migrator and `alatar migrate` against fresh databases (one per test).
#include "db/migrate.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "db/connection.hpp"
#include "db/errors.hpp"
#include "db/migrate_command.hpp"
#include "db/test_database.hpp"

namespace alatar::db {
namespace {

namespace fs = std::filesystem;
using testing::TestDatabase;

class MigrateTest : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = TestDatabase::create();
        ASSERT_NE(db_, nullptr) << testing::kMissingUrlMessage;
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("alatar-migrate-test-" + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    void write(const std::string& name, const std::string& sql) const { std::ofstream(dir_ / name) << sql; }

    std::vector<AppliedMigration> migrate(const fs::path& dir) const {
        Connection conn{db_->url()};
        return apply_migrations(conn, load_migrations(dir), logger());
    }

    static Logger logger() {
        return Logger{"migrate-test", LogLevel::kInfo, [](std::string_view line) { std::cerr << line << "\n"; }};
    }

    std::int64_t count(const std::string& sql) const {
        Connection conn{db_->url()};
        return conn.exec(sql).scalar<std::int64_t>();
    }

    bool table_exists(const std::string& name) const {
        Connection conn{db_->url()};
        return conn.exec("SELECT to_regclass($1) IS NOT NULL", Params{name}).scalar<bool>();
    }

    std::unique_ptr<TestDatabase> db_;
    fs::path dir_;
};

const fs::path kRepoMigrations = fs::path{ALATAR_SOURCE_DIR} / "migrations";

TEST_F(MigrateTest, RepositoryMigrationsApplyAndASecondRunIsANoop) {
    const auto files = load_migrations(kRepoMigrations);
    ASSERT_FALSE(files.empty());
    const auto first = migrate(kRepoMigrations);
    EXPECT_EQ(first.size(), files.size());
    EXPECT_EQ(first.front().name, "0001_initial.sql");
    const auto second = migrate(kRepoMigrations);
    EXPECT_TRUE(second.empty());
    EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), static_cast<std::int64_t>(files.size()));
    for (const char* table : {"users",
                              "identities",
                              "sessions",
                              "user_preferences",
                              "shopify_stores",
                              "oauth_states",
                              "store_sync_state",
                              "shop_orders",
                              "shop_order_line_items",
                              "shop_products",
                              "shop_product_variants",
                              "shop_customers",
                              "shop_inventory_levels",
                              "shop_locations",
                              "analysis_requests",
                              "analysis_results",
                              "agent_tasks",
                              "trace_spans",
                              "action_proposals",
                              "audit_log",
                              "outbox",
                              "processed_messages",
                              "webhook_deliveries",
                              "privacy_requests"}) {
        EXPECT_TRUE(table_exists(table)) << table;
    }
}

TEST_F(MigrateTest, InitialSchemaIndexesEveryForeignKey) {
    migrate(kRepoMigrations);
    // Foreign keys whose columns are not the leading columns of some index (slow cascades and joins).
    const auto unindexed = count(R"sql(
        SELECT count(*) FROM pg_constraint c
        WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
          AND NOT EXISTS (
            SELECT 1 FROM pg_index i
            WHERE i.indrelid = c.conrelid
              AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
              AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey))sql");
    EXPECT_EQ(unindexed, 0);
}

TEST_F(MigrateTest, InitialSchemaEnforcesItsRules) {
    migrate(kRepoMigrations);
    Connection conn{db_->url()};
    const auto user = conn.exec("INSERT INTO users (email) VALUES ($1) RETURNING id", Params{"merchant@example.com"})
                          .scalar<std::string>();
    EXPECT_THROW(conn.exec("INSERT INTO users (email) VALUES ($1)", Params{"merchant@example.com"}), ConflictError);
    EXPECT_THROW(conn.exec("INSERT INTO users (email) VALUES ($1)", Params{"Upper@Example.com"}), DbError);
    conn.exec("INSERT INTO shopify_stores (user_id, shop_domain, scopes) VALUES ($1, $2, $3)",
              Params{user, "demo.myshopify.test", std::vector<std::string>{"read_orders", "read_products"}});
    EXPECT_THROW(conn.exec("INSERT INTO shopify_stores (user_id, shop_domain) VALUES ($1, $2)",
                           Params{user, "demo.myshopify.test"}),
                 ConflictError);
    EXPECT_THROW(
        conn.exec("INSERT INTO analysis_requests (user_id, prompt, status) VALUES ($1, 'x', 'BOGUS')", Params{user}),
        DbError);
    // Money is exact.
    const auto store = conn.exec("SELECT id FROM shopify_stores").scalar<std::string>();
    conn.exec(
        "INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, currency, total_amount, expires_at) "
        "VALUES ($1, 'gid://shopify/Order/1', '#1001', now(), 'USD', $2, now() + interval '1 hour')",
        Params{store, Numeric{"0.1"}});
    conn.exec(
        "INSERT INTO shop_orders (store_id, shopify_gid, name, created_at, currency, total_amount, expires_at) "
        "VALUES ($1, 'gid://shopify/Order/2', '#1002', now(), 'USD', $2, now() + interval '1 hour')",
        Params{store, Numeric{"0.2"}});
    EXPECT_EQ(conn.exec("SELECT sum(total_amount) FROM shop_orders").scalar<Numeric>().text, "0.3000");
}

TEST_F(MigrateTest, AuditLogIsAppendOnly) {
    migrate(kRepoMigrations);
    Connection conn{db_->url()};
    conn.exec("INSERT INTO audit_log (actor, action, subject) VALUES ('system', 'test.insert', 'x')");
    EXPECT_THROW(conn.exec("UPDATE audit_log SET action = 'tampered'"), DbError);
    EXPECT_THROW(conn.exec("DELETE FROM audit_log"), DbError);
    EXPECT_THROW(conn.exec_script("TRUNCATE audit_log"), DbError);
    EXPECT_EQ(conn.exec("SELECT action FROM audit_log").scalar<std::string>(), "test.insert");
}

TEST_F(MigrateTest, ConcurrentMigratorsApplyEachMigrationOnce) {
    write("0001_a.sql", "CREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n");
    write("0002_b.sql", "CREATE TABLE b (id int);\nSELECT pg_sleep(0.2);\n");
    write("0003_c.sql", "INSERT INTO a VALUES (3);\n");
    constexpr int kMigrators = 4;
    std::atomic<int> applied{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kMigrators; ++i) {
        threads.emplace_back([&] {
            try {
                applied += static_cast<int>(migrate(dir_).size());
            } catch (const std::exception& e) {
                std::cerr << "migrator failed: " << e.what() << "\n";
                ++errors;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(applied.load(), 3);
    EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM a"), 2);  // 0001 and 0003 ran once each
}

TEST_F(MigrateTest, FailingMigrationRollsBackAndNamesFileLineAndStatement) {
    write("0001_ok.sql", "CREATE TABLE kept (id int);\n");
    write("0002_bad.sql",
          "-- second migration\n"
          "CREATE TABLE half_done (id int);\n"
          "\n"
          "INSERT INTO half_done VALUES (1);\n"
          "SELECT id\n"
          "  FROM no_such_table;\n"
          "CREATE TABLE never (id int);\n");
    write("0003_later.sql", "CREATE TABLE later (id int);\n");
    try {
        migrate(dir_);
        FAIL() << "no exception";
    } catch (const MigrationError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("0002_bad.sql"), std::string::npos) << msg;
        EXPECT_NE(msg.find("line 6"), std::string::npos) << msg;  // where no_such_table is
        EXPECT_NE(msg.find("statement 3"), std::string::npos) << msg;
        EXPECT_NE(msg.find("SELECT id"), std::string::npos) << msg;
        EXPECT_NE(msg.find("no_such_table"), std::string::npos) << msg;
    }
    EXPECT_TRUE(table_exists("kept"));
    EXPECT_FALSE(table_exists("half_done")) << "the failed migration is rolled back as a whole";
    EXPECT_FALSE(table_exists("later"));
    EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), 1);
}

TEST_F(MigrateTest, RuntimeErrorWithoutPositionNamesTheStatementLine) {
    write("0001_div.sql", "CREATE TABLE t (n int);\n\nINSERT INTO t\n  VALUES (1 / 0);\n");
    try {
        migrate(dir_);
        FAIL() << "no exception";
    } catch (const MigrationError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("0001_div.sql failed at line 3, statement 2"), std::string::npos) << msg;
        EXPECT_NE(msg.find("22012"), std::string::npos) << msg;
    }
    EXPECT_FALSE(table_exists("t"));
}

TEST_F(MigrateTest, ChangedAppliedMigrationIsAnError) {
    write("0001_a.sql", "CREATE TABLE a (id int);\n");
    ASSERT_EQ(migrate(dir_).size(), 1U);
    write("0001_a.sql", "CREATE TABLE a (id bigint);\n");
    write("0002_b.sql", "CREATE TABLE b (id int);\n");
    try {
        migrate(dir_);
        FAIL() << "no exception";
    } catch (const MigrationError& e) {
        EXPECT_NE(std::string{e.what()}.find("0001_a.sql was changed"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(table_exists("b")) << "nothing is applied after a checksum mismatch";
}

TEST_F(MigrateTest, MalformedOrDuplicateFileNamesAreRejected) {
    write("12_short.sql", "SELECT 1;");
    EXPECT_THROW(load_migrations(dir_), MigrationError);
    fs::remove(dir_ / "12_short.sql");
    write("0001_a.sql", "SELECT 1;");
    write("001_a.sql", "SELECT 1;");
    EXPECT_THROW(load_migrations(dir_), MigrationError);  // 001 is too short
    fs::remove(dir_ / "001_a.sql");
    write("00001_dup.sql", "SELECT 1;");
    EXPECT_THROW(load_migrations(dir_), MigrationError);  // version 1 twice
    fs::remove(dir_ / "00001_dup.sql");
    write("README.md", "not a migration");
    EXPECT_EQ(load_migrations(dir_).size(), 1U);
}

int run(std::vector<std::string> args) {
    const std::vector<std::string_view> views(args.begin(), args.end());
    return run_migrate(alatar::app::Args{views});
}

TEST_F(MigrateTest, CommandExitCodes) {
    write("0001_a.sql", "CREATE TABLE a (id int);\n");
    EXPECT_EQ(run({"--database-url", db_->url(), "--dir", dir_.string()}), 0);
    EXPECT_TRUE(table_exists("a"));
    EXPECT_EQ(run({"--database-url=" + db_->url(), "--dir=" + dir_.string()}), 0);
    EXPECT_EQ(run({"--database-url", db_->url(), "--bogus"}), 2);
    EXPECT_EQ(run({"--database-url"}), 2);
    EXPECT_EQ(run({"--help"}), 0);
    write("0002_bad.sql", "CREATE TABLE oops (;\n");
    EXPECT_EQ(run({"--database-url", db_->url(), "--dir", dir_.string()}), 1);
    EXPECT_EQ(run({"--database-url", "postgresql://postgres@127.0.0.1:1/none", "--dir", dir_.string()}), 1);
    EXPECT_EQ(run({"--database-url", db_->url(), "--dir", (dir_ / "missing").string()}), 1);
}

}  // namespace
}  // namespace alatar::db
