#pragma once
// A transaction is one closure that runs on one connection from BEGIN to COMMIT:
//
//     auto id = db::run_transaction(conn, [&](db::Transaction& tx) {
//         auto r = tx.exec("INSERT INTO users(email) VALUES ($1) RETURNING id", db::Params{email});
//         tx.exec("INSERT INTO audit_log(actor, action) VALUES ($1, 'signup')", db::Params{email});
//         return r.get<std::string>(0, 0);
//     }, {.isolation = db::Isolation::kSerializable});
//
// Any exception rolls back. A serialization failure or deadlock (40001/40P01) re-runs the whole
// closure, up to TxOptions::max_attempts times, so the closure must not have effects outside the
// database (no network calls, no publishing: use the outbox table).
#include <chrono>
#include <random>
#include <string_view>
#include <thread>
#include <type_traits>

#include "common/time.hpp"
#include "db/connection.hpp"
#include "db/errors.hpp"

namespace alatar::db {

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct TxOptions {
    Isolation isolation = Isolation::kReadCommitted;
    bool read_only = false;
    int max_attempts = 5;                   // total runs of the closure on serialization failures
    Deadline deadline = Deadline::never();  // no statement starts after it (the pool sets it per call)
};

class Transaction {
  public:
    explicit Transaction(Connection& conn, Deadline deadline = Deadline::never()) noexcept
        : conn_(&conn), deadline_(deadline) {}

    // Each statement is bounded by the connection's statement_timeout; none starts past the deadline,
    // so a long closure cannot overrun its caller's budget by more than one statement.
    Result exec(std::string_view sql, const Params& params = {}) {
        check_deadline();
        return conn_->exec(sql, params);
    }
    Result exec_script(std::string_view sql) {
        check_deadline();
        return conn_->exec_script(sql);
    }
    // The attempt this run is (1 for the first), for logs and tests.
    int attempt() const noexcept { return attempt_; }

  private:
    template <class F>
    friend auto run_transaction(Connection& conn, F&& fn, const TxOptions& options)
        -> std::invoke_result_t<F&, Transaction&>;

    void check_deadline() const;

    Connection* conn_;
    Deadline deadline_;
    int attempt_ = 1;
};

namespace detail {
std::string_view begin_statement(const TxOptions& options) noexcept;
// Best effort: a ROLLBACK that fails leaves a connection the pool will discard.
void rollback_quietly(Connection& conn) noexcept;
// Short randomized pause before retrying, growing with the attempt number.
std::chrono::microseconds retry_backoff(int attempt);
}  // namespace detail

template <class F>
auto run_transaction(Connection& conn, F&& fn, const TxOptions& options) -> std::invoke_result_t<F&, Transaction&> {
    using R = std::invoke_result_t<F&, Transaction&>;
    Transaction tx{conn, options.deadline};
    for (int attempt = 1;; ++attempt) {
        tx.attempt_ = attempt;
        try {
            conn.exec_script(detail::begin_statement(options));
            if constexpr (std::is_void_v<R>) {
                fn(tx);
                conn.exec_script("COMMIT");
                return;
            } else {
                R result = fn(tx);
                conn.exec_script("COMMIT");
                return result;
            }
        } catch (const SerializationFailure&) {
            detail::rollback_quietly(conn);
            if (attempt >= options.max_attempts || !conn.is_ok()) throw;
            std::this_thread::sleep_for(detail::retry_backoff(attempt));
        } catch (...) {
            detail::rollback_quietly(conn);
            throw;
        }
    }
}

}  // namespace alatar::db
