#pragma once
// One libpq connection (RAII over PGconn). Blocking: use it on a pool thread or in CLI code, never
// on an I/O thread, except through the non-blocking start()/advance()/finish() steps that
// pool_async drives from the socket's readiness. Every failure is thrown as a typed DbError (see errors.hpp).
//
// Sessions are set up for predictable text: TimeZone UTC, DateStyle ISO, client_encoding UTF8.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/time.hpp"
#include "db/params.hpp"
#include "db/result.hpp"

struct pg_conn;  // libpq's PGconn

namespace alatar::db {

class Connection {
  public:
    // Connects to a libpq URI or key=value string. Throws ConnectionError when the server cannot be
    // reached before `deadline` (libpq's connect_timeout has a 2 s granularity).
    explicit Connection(const std::string& url, Deadline deadline = Deadline::after(std::chrono::seconds(10)));
    ~Connection();
    Connection(Connection&& other) noexcept;
    Connection& operator=(Connection&& other) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // One statement with $n parameters (extended protocol, text format).
    Result exec(std::string_view sql, const Params& params = {});
    // One or more statements without parameters (simple protocol): DDL scripts, BEGIN/COMMIT, SET.
    Result exec_script(std::string_view sql);

    // libpq believes the connection is usable.
    bool is_ok() const noexcept;
    // Inside a transaction block (or a failed one), i.e. not safe to hand to someone else.
    bool in_transaction() const noexcept;
    // For a connection that has been idle: false if the server has closed it or sent anything
    // (an idle session has nothing to say, so data means a FATAL message or EOF). No round trip.
    bool idle_and_healthy() const noexcept;
    // The server process id (for pg_terminate_backend and logs).
    int backend_pid() const noexcept;

    // Sets statement_timeout (0 = none) unless it already has that value.
    void set_statement_timeout(std::chrono::milliseconds timeout);
    std::chrono::milliseconds statement_timeout() const noexcept { return statement_timeout_; }

    // Non-blocking use from an event loop: start() sends one statement without waiting, advance()
    // moves it on whenever the socket is ready (it never blocks) and says what to wait for next,
    // finish() returns the result (or throws as exec() would) once advance() said kDone.
    enum class Progress { kWantRead, kWantWrite, kDone };
    int socket() const noexcept;
    void start(std::string_view sql, const Params& params);
    // SET statement_timeout without waiting; effective once finish() returned.
    void start_statement_timeout(std::chrono::milliseconds timeout);
    Progress advance();
    Result finish();

  private:
    Result check(pg_result* res);
    [[noreturn]] void throw_connection_failure(std::string message) const;

    struct Finish {
        void operator()(pg_conn* conn) const noexcept;
    };
    struct Clear {
        void operator()(pg_result* res) const noexcept;
    };
    void begin_nonblocking();
    std::unique_ptr<pg_conn, Finish> conn_;
    std::chrono::milliseconds statement_timeout_{0};
    std::unique_ptr<pg_result, Clear> pending_;      // the result an advance() collected
    std::chrono::milliseconds pending_timeout_{-1};  // a started SET statement_timeout
};

// `url` with its database name replaced (libpq URI form, e.g. postgresql://u@h:5432/db?x=y).
std::string url_with_database(std::string_view url, std::string_view database);

}  // namespace alatar::db
