#pragma once
// Typed database failures. Every libpq failure becomes one of these, chosen by SQLSTATE
// (classify_sqlstate) so callers act on a handful of kinds, never on raw codes.
// what() is client-safe; the server's message and SQLSTATE are kept apart for logs.
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace alatar::db {

enum class FailureKind {
    kConflict,              // 23505 unique_violation
    kSerializationFailure,  // 40001, 40P01: transact() retries the whole closure
    kConnectionLost,        // class 08, admin/crash shutdown, cannot connect now, too many connections
    kTimeout,               // 57014 query_canceled (statement_timeout), 55P03 lock_not_available
    kInternal,              // everything else: a bug or a broken invariant
};

// The one SQLSTATE mapping. Pure: no database needed to test it. An empty state means libpq
// failed before the server answered (lost connection).
FailureKind classify_sqlstate(std::string_view sqlstate) noexcept;

ErrorCode error_code_for(FailureKind kind) noexcept;

std::string_view failure_kind_name(FailureKind kind) noexcept;

// The message a client may see for each kind (no SQL, no server text).
std::string_view client_message_for(FailureKind kind) noexcept;

// What the server (or libpq) said about a failure. For logs only: messages may quote data.
struct ErrorInfo {
    std::string sqlstate;    // empty when libpq failed before the server answered
    std::string message;     // primary message (libpq's when there is no server message)
    std::string detail;      // PG_DIAG_MESSAGE_DETAIL, e.g. "Key (email)=(...) already exists."
    std::string constraint;  // PG_DIAG_CONSTRAINT_NAME, e.g. which unique index was hit
    int position = 0;        // PG_DIAG_STATEMENT_POSITION: 1-based character offset, 0 if none
};

class DbError : public Error {
  public:
    DbError(FailureKind kind, ErrorInfo info);

    FailureKind kind() const noexcept { return kind_; }
    const ErrorInfo& info() const noexcept { return info_; }
    const std::string& sqlstate() const noexcept { return info_.sqlstate; }
    const std::string& server_message() const noexcept { return info_.message; }
    const std::string& constraint() const noexcept { return info_.constraint; }

  private:
    FailureKind kind_;
    ErrorInfo info_;
};

// Subclasses so callers can catch the kind they handle.
class ConflictError : public DbError {
  public:
    using DbError::DbError;
};
class SerializationFailure : public DbError {
  public:
    using DbError::DbError;
};
class ConnectionError : public DbError {
  public:
    using DbError::DbError;
};
class TimeoutError : public DbError {
  public:
    using DbError::DbError;
};

// Throws the subclass matching `kind`.
[[noreturn]] void throw_db_error(FailureKind kind, ErrorInfo info);
// Throws the subclass matching classify_sqlstate(info.sqlstate).
[[noreturn]] void throw_db_error(ErrorInfo info);
// A kInternal DbError for problems found on our side (bad row access, unparsable value).
[[noreturn]] void throw_internal(std::string message);

}  // namespace alatar::db
