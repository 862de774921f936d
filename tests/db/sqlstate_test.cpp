// The SQLSTATE -> typed error mapping, without a database.
#include <gtest/gtest.h>

#include <string>

#include "db/errors.hpp"

namespace alatar::db {
namespace {

struct Case {
    const char* sqlstate;
    FailureKind kind;
    ErrorCode code;
};

class SqlstateMapping : public ::testing::TestWithParam<Case> {};

TEST_P(SqlstateMapping, ClassifiesAndMapsToErrorCode) {
    const Case& c = GetParam();
    EXPECT_EQ(classify_sqlstate(c.sqlstate), c.kind) << "SQLSTATE '" << c.sqlstate << "'";
    EXPECT_EQ(error_code_for(classify_sqlstate(c.sqlstate)), c.code) << "SQLSTATE '" << c.sqlstate << "'";
}

INSTANTIATE_TEST_SUITE_P(
    Table, SqlstateMapping,
    ::testing::Values(Case{"23505", FailureKind::kConflict, ErrorCode::kConflict},  // unique_violation
                      Case{"40001", FailureKind::kSerializationFailure, ErrorCode::kUpstreamUnavailable},
                      Case{"40P01", FailureKind::kSerializationFailure, ErrorCode::kUpstreamUnavailable},
                      Case{"08000", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},
                      Case{"08003", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},
                      Case{"08006", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},
                      Case{"08P01", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},
                      Case{"57P01", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},  // admin shutdown
                      Case{"57P02", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},
                      Case{"57P03", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},
                      Case{"53300", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},
                      Case{"", FailureKind::kConnectionLost, ErrorCode::kUpstreamUnavailable},  // no answer
                      Case{"57014", FailureKind::kTimeout, ErrorCode::kTimeout},                // statement_timeout
                      Case{"55P03", FailureKind::kTimeout, ErrorCode::kTimeout},                // lock_timeout
                      Case{"23503", FailureKind::kInternal, ErrorCode::kInternal},              // foreign key
                      Case{"23502", FailureKind::kInternal, ErrorCode::kInternal},              // not null
                      Case{"23514", FailureKind::kInternal, ErrorCode::kInternal},              // check
                      Case{"42601", FailureKind::kInternal, ErrorCode::kInternal},              // syntax error
                      Case{"42P01", FailureKind::kInternal, ErrorCode::kInternal},              // undefined table
                      Case{"22012", FailureKind::kInternal, ErrorCode::kInternal},              // division by zero
                      Case{"XX000", FailureKind::kInternal, ErrorCode::kInternal},
                      Case{"40002", FailureKind::kInternal, ErrorCode::kInternal}));  // not a retryable 40xxx

TEST(ThrowDbError, ThrowsTheSubclassOfTheKind) {
    EXPECT_THROW(throw_db_error(ErrorInfo{.sqlstate = "23505"}), ConflictError);
    EXPECT_THROW(throw_db_error(ErrorInfo{.sqlstate = "40001"}), SerializationFailure);
    EXPECT_THROW(throw_db_error(ErrorInfo{.sqlstate = "08006"}), ConnectionError);
    EXPECT_THROW(throw_db_error(ErrorInfo{.sqlstate = "57014"}), TimeoutError);
    try {
        throw_db_error(ErrorInfo{.sqlstate = "42601", .message = "syntax error at or near \"SELEC\""});
        FAIL() << "no exception";
    } catch (const ConflictError&) {
        FAIL() << "internal errors are not conflicts";
    } catch (const DbError& e) {
        EXPECT_EQ(e.kind(), FailureKind::kInternal);
        EXPECT_EQ(e.code(), ErrorCode::kInternal);
        EXPECT_EQ(e.sqlstate(), "42601");
    }
}

TEST(ThrowDbError, ClientMessageNeverCarriesServerText) {
    const std::string server_text = "duplicate key value violates unique constraint \"users_email_key\"";
    try {
        throw_db_error(ErrorInfo{.sqlstate = "23505", .message = server_text, .constraint = "users_email_key"});
        FAIL() << "no exception";
    } catch (const Error& e) {  // what a resolver would catch
        EXPECT_EQ(e.code(), ErrorCode::kConflict);
        EXPECT_EQ(std::string{e.what()}.find("users_email_key"), std::string::npos);
        const auto& db = dynamic_cast<const DbError&>(e);
        EXPECT_EQ(db.server_message(), server_text);
        EXPECT_EQ(db.constraint(), "users_email_key");
    }
}

TEST(ThrowDbError, ExplicitKindWins) {
    // A session the server ended is lost whatever SQLSTATE it said goodbye with.
    EXPECT_THROW(throw_db_error(FailureKind::kConnectionLost, ErrorInfo{.sqlstate = "42601"}), ConnectionError);
}

}  // namespace
}  // namespace alatar::db
