#include "db/errors.hpp"

#include <utility>

namespace alatar::db {

FailureKind classify_sqlstate(std::string_view sqlstate) noexcept {
    if (sqlstate.empty()) return FailureKind::kConnectionLost;
    if (sqlstate == "23505") return FailureKind::kConflict;
    if (sqlstate == "40001" || sqlstate == "40P01") return FailureKind::kSerializationFailure;
    if (sqlstate.starts_with("08")) return FailureKind::kConnectionLost;
    // The server is going away or refuses new sessions: the connection is useless, a new one may work.
    if (sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03" || sqlstate == "53300") {
        return FailureKind::kConnectionLost;
    }
    if (sqlstate == "57014" || sqlstate == "55P03") return FailureKind::kTimeout;
    return FailureKind::kInternal;
}

ErrorCode error_code_for(FailureKind kind) noexcept {
    switch (kind) {
        case FailureKind::kConflict:
            return ErrorCode::kConflict;
        case FailureKind::kSerializationFailure:  // only seen by callers once retries are used up: try later
        case FailureKind::kConnectionLost:
            return ErrorCode::kUpstreamUnavailable;
        case FailureKind::kTimeout:
            return ErrorCode::kTimeout;
        case FailureKind::kInternal:
            return ErrorCode::kInternal;
    }
    return ErrorCode::kInternal;
}

std::string_view failure_kind_name(FailureKind kind) noexcept {
    switch (kind) {
        case FailureKind::kConflict:
            return "conflict";
        case FailureKind::kSerializationFailure:
            return "serialization_failure";
        case FailureKind::kConnectionLost:
            return "connection_lost";
        case FailureKind::kTimeout:
            return "timeout";
        case FailureKind::kInternal:
            return "internal";
    }
    return "internal";
}

std::string_view client_message_for(FailureKind kind) noexcept {
    switch (kind) {
        case FailureKind::kConflict:
            return "the record already exists";
        case FailureKind::kSerializationFailure:
            return "the database is busy, please retry";
        case FailureKind::kConnectionLost:
            return "the database is unavailable";
        case FailureKind::kTimeout:
            return "the database did not answer in time";
        case FailureKind::kInternal:
            return "internal database error";
    }
    return "internal database error";
}

DbError::DbError(FailureKind kind, ErrorInfo info)
    : Error(error_code_for(kind), std::string{client_message_for(kind)}), kind_(kind), info_(std::move(info)) {}

namespace {

template <class E>
[[noreturn]] void raise(FailureKind kind, ErrorInfo& info) {
    throw E(kind, std::move(info));
}

}  // namespace

void throw_db_error(FailureKind kind, ErrorInfo info) {
    switch (kind) {
        case FailureKind::kConflict:
            raise<ConflictError>(kind, info);
        case FailureKind::kSerializationFailure:
            raise<SerializationFailure>(kind, info);
        case FailureKind::kConnectionLost:
            raise<ConnectionError>(kind, info);
        case FailureKind::kTimeout:
            raise<TimeoutError>(kind, info);
        case FailureKind::kInternal:
            break;
    }
    raise<DbError>(kind, info);
}

void throw_db_error(ErrorInfo info) {
    const FailureKind kind = classify_sqlstate(info.sqlstate);
    throw_db_error(kind, std::move(info));
}

void throw_internal(std::string message) {
    throw_db_error(FailureKind::kInternal, ErrorInfo{.sqlstate = "XX000", .message = std::move(message)});
}

}  // namespace alatar::db
