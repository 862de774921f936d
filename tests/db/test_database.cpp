#include "db/test_database.hpp"

#include <cstdlib>
#include <iostream>
#include <random>

#include "db/connection.hpp"
#include "db/errors.hpp"

namespace alatar::db::testing {

std::string admin_url() {
    const char* url = std::getenv("ALATAR_TEST_DATABASE_URL");  // NOLINT(concurrency-mt-unsafe)
    return url == nullptr ? std::string{} : std::string{url};
}

std::unique_ptr<TestDatabase> TestDatabase::create() {
    std::string admin = admin_url();
    if (admin.empty()) return nullptr;
    std::random_device rd;
    std::string name = "alatar_test_";
    constexpr std::string_view kHex = "0123456789abcdef";
    for (int i = 0; i < 12; ++i) name += kHex[rd() % 16];
    return std::unique_ptr<TestDatabase>(new TestDatabase(std::move(admin), std::move(name)));
}

TestDatabase::TestDatabase(std::string admin, std::string name)
    : admin_(std::move(admin)), name_(std::move(name)), url_(url_with_database(admin_, name_)) {
    Connection conn{admin_};
    conn.exec_script("CREATE DATABASE " + name_);
}

TestDatabase::~TestDatabase() {
    try {
        Connection conn{admin_};
        conn.exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception& e) {
        std::cerr << "could not drop test database " << name_ << ": " << e.what() << "\n";
    }
}

void SuiteDatabase::open() {
    try {
        db_ = TestDatabase::create();
        if (!db_) error_ = kMissingUrlMessage;
    } catch (const DbError& e) {
        error_ = std::string{"cannot create the test database: "} + e.what() + ": " + e.server_message();
    } catch (const std::exception& e) {
        error_ = std::string{"cannot create the test database: "} + e.what();
    }
}

}  // namespace alatar::db::testing
