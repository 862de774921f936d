#include "db/connection.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "db/errors.hpp"

namespace alatar::db {

namespace {

constexpr std::chrono::milliseconds kUnknownTimeout{-1};

std::string trimmed(const char* message) {
    std::string out = message == nullptr ? std::string{} : std::string{message};
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

std::string field(const PGresult* res, int code) {
    const char* value = PQresultErrorField(res, code);
    return value == nullptr ? std::string{} : std::string{value};
}

}  // namespace

void Connection::Finish::operator()(pg_conn* conn) const noexcept { PQfinish(conn); }
void Connection::Clear::operator()(pg_result* res) const noexcept { PQclear(res); }

Connection::Connection(const std::string& url, Deadline deadline) : statement_timeout_(kUnknownTimeout) {
    std::string connect_timeout;
    if (!deadline.is_never()) {
        const auto secs = std::chrono::ceil<std::chrono::seconds>(deadline.remaining()).count();
        connect_timeout = std::to_string(std::max<long long>(2, secs));  // libpq treats 1 as 2 anyway
    }
    // Defaults first so that the URL (expanded from dbname) can override them; the deadline last.
    std::array<const char*, 9> keys{"fallback_application_name",
                                    "keepalives",
                                    "keepalives_idle",
                                    "keepalives_interval",
                                    "keepalives_count",
                                    "client_encoding",
                                    "dbname",
                                    connect_timeout.empty() ? nullptr : "connect_timeout",
                                    nullptr};
    std::array<const char*, 9> values{
        "alatar", "1",    "30",        "10",
        "3",      "UTF8", url.c_str(), connect_timeout.empty() ? nullptr : connect_timeout.c_str(),
        nullptr};
    conn_.reset(PQconnectdbParams(keys.data(), values.data(), 1));
    if (!conn_) throw_connection_failure("out of memory while connecting");
    if (PQstatus(conn_.get()) != CONNECTION_OK) throw_connection_failure(trimmed(PQerrorMessage(conn_.get())));
    // Fixed session settings so that timestamps always come back in one parseable form.
    exec_script("SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'");
}

Connection::~Connection() = default;
Connection::Connection(Connection&& other) noexcept = default;
Connection& Connection::operator=(Connection&& other) noexcept = default;

void Connection::throw_connection_failure(std::string message) const {
    throw_db_error(FailureKind::kConnectionLost, ErrorInfo{.sqlstate = {}, .message = std::move(message)});
}

Result Connection::exec(std::string_view sql, const Params& params) {
    if (!conn_) throw_connection_failure("connection was moved from");
    const std::string text{sql};
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        values[i] = params.is_null(i) ? nullptr : params.text(i).c_str();
    }
    static_assert(sizeof(Oid) == sizeof(std::uint32_t));
    return check(PQexecParams(conn_.get(), text.c_str(), static_cast<int>(params.size()),
                              reinterpret_cast<const Oid*>(params.types().data()), values.data(), nullptr, nullptr, 0));
}

Result Connection::exec_script(std::string_view sql) {
    if (!conn_) throw_connection_failure("connection was moved from");
    const std::string text{sql};
    return check(PQexec(conn_.get(), text.c_str()));
}

Result Connection::check(pg_result* raw) {
    Result owned{raw};  // cleared on every path
    if (raw == nullptr) {
        throw_db_error(is_ok() ? FailureKind::kInternal : FailureKind::kConnectionLost,
                       ErrorInfo{.sqlstate = {}, .message = trimmed(PQerrorMessage(conn_.get()))});
    }
    switch (PQresultStatus(raw)) {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
        case PGRES_EMPTY_QUERY:
            return owned;
        case PGRES_FATAL_ERROR:
        case PGRES_NONFATAL_ERROR: {
            ErrorInfo info{.sqlstate = field(raw, PG_DIAG_SQLSTATE),
                           .message = field(raw, PG_DIAG_MESSAGE_PRIMARY),
                           .detail = field(raw, PG_DIAG_MESSAGE_DETAIL),
                           .constraint = field(raw, PG_DIAG_CONSTRAINT_NAME)};
            if (info.message.empty()) info.message = trimmed(PQresultErrorMessage(raw));
            if (const auto pos = field(raw, PG_DIAG_STATEMENT_POSITION); !pos.empty()) {
                info.position = std::atoi(pos.c_str());
            }
            // A session the server ended is lost whatever SQLSTATE came with the goodbye.
            const FailureKind kind = is_ok() ? classify_sqlstate(info.sqlstate) : FailureKind::kConnectionLost;
            throw_db_error(kind, std::move(info));
        }
        case PGRES_BAD_RESPONSE:
            throw_connection_failure("bad response from server: " + trimmed(PQresultErrorMessage(raw)));
        default:
            throw_internal(std::string{"unsupported result status "} + PQresStatus(PQresultStatus(raw)));
    }
}

bool Connection::is_ok() const noexcept { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }

bool Connection::in_transaction() const noexcept { return conn_ && PQtransactionStatus(conn_.get()) != PQTRANS_IDLE; }

bool Connection::idle_and_healthy() const noexcept {
    if (!is_ok() || in_transaction()) return false;
    pollfd pfd{.fd = PQsocket(conn_.get()), .events = POLLIN, .revents = 0};
    if (pfd.fd < 0) return false;
    return ::poll(&pfd, 1, 0) == 0;
}

int Connection::backend_pid() const noexcept { return conn_ ? PQbackendPID(conn_.get()) : 0; }

void Connection::set_statement_timeout(std::chrono::milliseconds timeout) {
    if (timeout == statement_timeout_) return;
    statement_timeout_ = kUnknownTimeout;  // unknown until the server confirms
    exec_script("SET statement_timeout = " + std::to_string(timeout.count()));
    statement_timeout_ = timeout;
}

int Connection::socket() const noexcept { return conn_ ? PQsocket(conn_.get()) : -1; }

void Connection::begin_nonblocking() {
    if (!conn_) throw_connection_failure("connection was moved from");
    pending_.reset();
    pending_timeout_ = kUnknownTimeout;
    if (PQsetnonblocking(conn_.get(), 1) != 0) throw_connection_failure(trimmed(PQerrorMessage(conn_.get())));
}

void Connection::start(std::string_view sql, const Params& params) {
    begin_nonblocking();
    const std::string text{sql};
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        values[i] = params.is_null(i) ? nullptr : params.text(i).c_str();
    }
    // libpq copies the statement and the values into its output buffer before returning.
    if (PQsendQueryParams(conn_.get(), text.c_str(), static_cast<int>(params.size()),
                          reinterpret_cast<const Oid*>(params.types().data()), values.data(), nullptr, nullptr,
                          0) != 1) {
        (void)check(nullptr);  // throws
    }
}

void Connection::start_statement_timeout(std::chrono::milliseconds timeout) {
    begin_nonblocking();
    statement_timeout_ = kUnknownTimeout;  // unknown until the server confirms
    const std::string text = "SET statement_timeout = " + std::to_string(timeout.count());
    if (PQsendQuery(conn_.get(), text.c_str()) != 1) (void)check(nullptr);  // throws
    pending_timeout_ = timeout;
}

Connection::Progress Connection::advance() {
    PGconn* c = conn_.get();
    const int flushed = PQflush(c);
    if (flushed < 0) throw_connection_failure(trimmed(PQerrorMessage(c)));
    if (PQconsumeInput(c) != 1) throw_connection_failure(trimmed(PQerrorMessage(c)));
    if (flushed == 1) return Progress::kWantWrite;
    while (PQisBusy(c) == 0) {
        PGresult* res = PQgetResult(c);
        if (res == nullptr) return Progress::kDone;
        // As PQexec: the last result, unless an earlier one was an error.
        const bool keep_earlier = pending_ && PQresultStatus(pending_.get()) == PGRES_FATAL_ERROR;
        if (keep_earlier) {
            PQclear(res);
        } else {
            pending_.reset(res);
        }
    }
    return Progress::kWantRead;
}

Result Connection::finish() {
    if (conn_) PQsetnonblocking(conn_.get(), 0);  // nothing is left to flush after kDone
    Result out = check(pending_.release());
    if (pending_timeout_ != kUnknownTimeout) statement_timeout_ = pending_timeout_;
    pending_timeout_ = kUnknownTimeout;
    return out;
}

std::string url_with_database(std::string_view url, std::string_view database) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::string{url} + " dbname=" + std::string{database};  // key=value form: the last one wins
    }
    const auto authority_start = scheme_end + 3;
    const auto path_start = url.find_first_of("/?", authority_start);
    if (path_start == std::string_view::npos) return std::string{url} + "/" + std::string{database};
    const auto query_start = url.find('?', path_start);
    std::string out{url.substr(0, path_start)};
    out += '/';
    out += database;
    if (query_start != std::string_view::npos) out += url.substr(query_start);
    return out;
}

}  // namespace alatar::db
