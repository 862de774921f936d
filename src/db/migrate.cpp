#include "db/migrate.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "common/crypto.hpp"
#include "db/errors.hpp"
#include "db/sql_split.hpp"
#include "db/transaction.hpp"

namespace alatar::db {

namespace {

constexpr std::string_view kCreateTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
))sql";

// "0001_initial.sql" -> 1; nullopt unless it is 4+ digits, '_', a name, ".sql".
std::optional<int> parse_version(const std::string& file) {
    if (!file.ends_with(".sql")) return std::nullopt;
    const auto underscore = file.find('_');
    if (underscore == std::string::npos || underscore < 4 || underscore + 1 >= file.size() - 4) return std::nullopt;
    int version = 0;
    for (std::size_t i = 0; i < underscore; ++i) {
        if (file[i] < '0' || file[i] > '9' || version > 99'999'999) return std::nullopt;
        version = version * 10 + (file[i] - '0');
    }
    for (std::size_t i = underscore + 1; i < file.size() - 4; ++i) {
        const char c = file[i];
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return std::nullopt;
    }
    return version;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw MigrationError("cannot read " + path.string());
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

// Holds the migrators' advisory lock for its lifetime (the session ending releases it too).
class AdvisoryLock {
  public:
    explicit AdvisoryLock(Connection& conn) : conn_(conn) {
        conn_.exec("SELECT pg_advisory_lock($1)", Params{kMigrationLockKey});
    }
    ~AdvisoryLock() {
        try {
            if (conn_.is_ok() && !conn_.in_transaction()) {
                conn_.exec("SELECT pg_advisory_unlock($1)", Params{kMigrationLockKey});
            }
        } catch (...) {  // NOLINT(bugprone-empty-catch): a lost session has released the lock already
        }
    }
    AdvisoryLock(const AdvisoryLock&) = delete;
    AdvisoryLock& operator=(const AdvisoryLock&) = delete;

  private:
    Connection& conn_;
};

std::string first_line(const std::string& text) {
    std::string line = text.substr(0, text.find('\n'));
    constexpr std::size_t kMax = 120;
    if (line.size() > kMax) {
        line.resize(kMax);
        line += "...";
    }
    return line;
}

void apply_one(Connection& conn, const Migration& m) {
    const auto statements = split_sql(m.sql);
    run_transaction(
        conn,
        [&](Transaction& tx) {
            for (const auto& stmt : statements) {
                try {
                    tx.exec_script(stmt.text);
                } catch (const DbError& e) {
                    if (e.kind() == FailureKind::kConnectionLost) throw;
                    const int line = e.info().position > 0 ? line_of_position(stmt, e.info().position) : stmt.line;
                    throw MigrationError("migration " + m.name + " failed at line " + std::to_string(line) +
                                         ", statement " + std::to_string(stmt.index) + " (" + first_line(stmt.text) +
                                         "): " + e.server_message() +
                                         (e.sqlstate().empty() ? "" : " [SQLSTATE " + e.sqlstate() + "]"));
                }
            }
            tx.exec("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    Params{m.version, m.name, m.checksum});
        },
        TxOptions{.max_attempts = 1});
}

}  // namespace

std::vector<Migration> load_migrations(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) throw MigrationError("no migrations directory " + dir.string());
    std::vector<Migration> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        const std::string file = entry.path().filename().string();
        if (!entry.is_regular_file() || !file.ends_with(".sql")) continue;
        const auto version = parse_version(file);
        if (!version) throw MigrationError("migration file name must look like NNNN_name.sql: " + file);
        Migration m;
        m.version = *version;
        m.name = file;
        m.sql = read_file(entry.path());
        m.checksum = crypto::sha256_hex(m.sql);
        out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(), [](const Migration& a, const Migration& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (out[i].version == out[i - 1].version) {
            throw MigrationError("duplicate migration version: " + out[i - 1].name + " and " + out[i].name);
        }
    }
    return out;
}

std::vector<AppliedMigration> apply_migrations(Connection& conn, const std::vector<Migration>& migrations,
                                               const Logger& log) {
    conn.set_statement_timeout(std::chrono::milliseconds{0});  // DDL on big tables may take long
    const AdvisoryLock lock{conn};
    conn.exec_script(kCreateTable);

    std::map<int, std::pair<std::string, std::string>> recorded;  // version -> (name, checksum)
    const auto rows = conn.exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
    for (int r = 0; r < rows.rows(); ++r) {
        recorded.emplace(rows.get<std::int32_t>(r, 0),
                         std::pair{rows.get<std::string>(r, 1), rows.get<std::string>(r, 2)});
    }
    for (const auto& m : migrations) {
        const auto it = recorded.find(m.version);
        if (it != recorded.end() && it->second.second != m.checksum) {
            throw MigrationError("migration " + m.name + " was changed after it was applied (recorded checksum " +
                                 it->second.second.substr(0, 12) + ", file " + m.checksum.substr(0, 12) +
                                 "); add a new migration instead");
        }
    }

    std::vector<AppliedMigration> applied;
    for (const auto& m : migrations) {
        if (recorded.contains(m.version)) continue;
        const auto started = std::chrono::steady_clock::now();
        apply_one(conn, m);
        const auto took =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        log.info("migration applied", {{"version", m.version}, {"name", m.name}, {"dur_ms", took}});
        applied.push_back(AppliedMigration{.version = m.version, .name = m.name, .duration = took});
    }
    return applied;
}

}  // namespace alatar::db
