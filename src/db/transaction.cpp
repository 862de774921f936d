#include "db/transaction.hpp"

#include <algorithm>

namespace alatar::db {

void Transaction::check_deadline() const {
    if (deadline_.expired()) {
        throw TimeoutError(FailureKind::kTimeout, ErrorInfo{.message = "transaction deadline passed"});
    }
}

}  // namespace alatar::db

namespace alatar::db::detail {

std::string_view begin_statement(const TxOptions& options) noexcept {
    switch (options.isolation) {
        case Isolation::kSerializable:
            return options.read_only ? "BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY"
                                     : "BEGIN ISOLATION LEVEL SERIALIZABLE";
        case Isolation::kRepeatableRead:
            return options.read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                     : "BEGIN ISOLATION LEVEL REPEATABLE READ";
        case Isolation::kReadCommitted:
            break;
    }
    return options.read_only ? "BEGIN READ ONLY" : "BEGIN";
}

void rollback_quietly(Connection& conn) noexcept {
    if (!conn.is_ok() || !conn.in_transaction()) return;
    try {
        conn.exec_script("ROLLBACK");
    } catch (...) {  // NOLINT(bugprone-empty-catch): the connection reports itself broken and is discarded
    }
}

std::chrono::microseconds retry_backoff(int attempt) {
    // Seeded per call: no shared generator, and colliding transactions pick different pauses.
    std::random_device seed;
    std::minstd_rand gen{seed()};
    const int ceiling_us = 1000 * (1 << std::min(attempt, 6));  // 2 ms, 4 ms, ... 64 ms
    std::uniform_int_distribution<int> pick(ceiling_us / 4, ceiling_us);
    return std::chrono::microseconds{pick(gen)};
}

}  // namespace alatar::db::detail
