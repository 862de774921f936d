#pragma once
// Forward-only schema migrations: migrations/NNNN_name.sql, applied in version order, each once,
// each in its own transaction, recorded in schema_migrations(version, name, checksum, applied_at).
// Concurrent migrators serialize on a session advisory lock, so each file is applied exactly once.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"
#include "db/connection.hpp"

namespace alatar::db {

struct Migration {
    int version = 0;
    std::string name;  // file name, e.g. "0001_initial.sql"
    std::string sql;
    std::string checksum;  // SHA-256 hex of the file's bytes
};

struct AppliedMigration {
    int version = 0;
    std::string name;
    std::chrono::milliseconds duration{0};
};

// A migration problem for an operator (bad file name, changed file, failing statement). The
// message names the file and, for SQL errors, the line and statement; it is CLI output, never
// shown to API clients.
class MigrationError : public Error {
  public:
    explicit MigrationError(const std::string& message) : Error(ErrorCode::kInternal, message) {}
};

// The advisory-lock key all migrators share ("alatar.migrate").
inline constexpr long long kMigrationLockKey = 0x616c617461720001LL;

// Reads every NNNN_name.sql in `dir` (other files are ignored), sorted by version. Throws
// MigrationError for a malformed name (e.g. "12_x.sql", "0003 x.sql") or a duplicate version.
std::vector<Migration> load_migrations(const std::filesystem::path& dir);

// Applies the migrations not yet recorded, logging one line per applied file. Throws MigrationError
// when a recorded file's checksum changed or a statement fails (that file is rolled back; earlier
// ones stay applied). Database unavailability surfaces as DbError.
std::vector<AppliedMigration> apply_migrations(Connection& conn, const std::vector<Migration>& migrations,
                                               const Logger& log);

}  // namespace alatar::db
