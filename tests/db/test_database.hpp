#pragma once
// A fresh, uniquely named database on the test cluster, dropped on destruction.
#include <memory>
#include <string>

namespace alatar::db::testing {

inline constexpr const char* kMissingUrlMessage =
    "ALATAR_TEST_DATABASE_URL is not set: run `eval \"$(scripts/services --profile test env)\"` after "
    "`scripts/services --profile test start`";

// The URL from ALATAR_TEST_DATABASE_URL, or "" when unset.
std::string admin_url();

class TestDatabase {
  public:
    // nullptr when ALATAR_TEST_DATABASE_URL is unset (tests then fail with kMissingUrlMessage).
    static std::unique_ptr<TestDatabase> create();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& name() const noexcept { return name_; }
    const std::string& url() const noexcept { return url_; }

  private:
    TestDatabase(std::string admin, std::string name);
    std::string admin_;
    std::string name_;
    std::string url_;
};

// A TestDatabase shared by a fixture's tests. open() never throws: gtest turns an exception in
// SetUpTestSuite into skipped tests, so the error is kept and each test's SetUp fails with it.
class SuiteDatabase {
  public:
    void open();
    void close() { db_.reset(); }
    // Null when open() failed; why() says what went wrong.
    const TestDatabase* get() const noexcept { return db_.get(); }
    const std::string& why() const noexcept { return error_; }
    const std::string& url() const { return db_->url(); }

  private:
    std::unique_ptr<TestDatabase> db_;
    std::string error_;
};

}  // namespace alatar::db::testing
