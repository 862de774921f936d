#include "db/result.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <limits>
#include <string>

#include "db/errors.hpp"

namespace alatar::db {

void Result::Clear::operator()(pg_result* res) const noexcept { PQclear(res); }

Result::Result(pg_result* res) noexcept : res_(res, Clear{}) {}

int Result::rows() const noexcept { return res_ ? PQntuples(res_.get()) : 0; }

int Result::columns() const noexcept { return res_ ? PQnfields(res_.get()) : 0; }

std::int64_t Result::affected_rows() const noexcept {
    if (!res_) return 0;
    const char* n = PQcmdTuples(res_.get());
    if (n == nullptr || *n == '\0') return 0;
    return std::strtoll(n, nullptr, 10);
}

int Result::column(std::string_view name) const {
    for (int c = 0; c < columns(); ++c) {
        if (column_name(c) == name) return c;
    }
    throw_internal("result has no column '" + std::string{name} + "'");
}

std::string_view Result::column_name(int col) const {
    if (col < 0 || col >= columns()) throw_internal("column index " + std::to_string(col) + " out of range");
    return PQfname(res_.get(), col);
}

void Result::check_cell(int row, int col) const {
    if (row < 0 || row >= rows() || col < 0 || col >= columns()) {
        throw_internal("cell (" + std::to_string(row) + ", " + std::to_string(col) + ") out of range");
    }
}

void Result::expect_one_row() const {
    if (rows() != 1 || columns() < 1) {
        throw_internal("expected one row, got " + std::to_string(rows()));
    }
}

bool Result::is_null(int row, int col) const {
    check_cell(row, col);
    return PQgetisnull(res_.get(), row, col) != 0;
}

std::string_view Result::text(int row, int col) const {
    check_cell(row, col);
    return {PQgetvalue(res_.get(), row, col), static_cast<std::size_t>(PQgetlength(res_.get(), row, col))};
}

void Result::throw_null(int row, int col) const {
    throw_internal("unexpected NULL in column '" + std::string{column_name(col)} + "' row " + std::to_string(row));
}

void Result::throw_bad_value(int col, std::string_view type) const {
    throw_internal("column '" + std::string{column_name(col)} + "' is not a valid " + std::string{type});
}

std::string Result::convert(std::string_view v, std::string*, int) const { return std::string{v}; }

std::string_view Result::convert(std::string_view v, std::string_view*, int) const { return v; }

namespace {

template <class T>
bool parse_int(std::string_view v, T& out) {
    const auto res = std::from_chars(v.data(), v.data() + v.size(), out);
    return res.ec == std::errc{} && res.ptr == v.data() + v.size();
}

}  // namespace

std::int64_t Result::convert(std::string_view v, std::int64_t*, int col) const {
    std::int64_t out = 0;
    if (!parse_int(v, out)) throw_bad_value(col, "int64");
    return out;
}

std::int32_t Result::convert(std::string_view v, std::int32_t*, int col) const {
    std::int32_t out = 0;
    if (!parse_int(v, out)) throw_bad_value(col, "int32");
    return out;
}

double Result::convert(std::string_view v, double*, int col) const {
    if (v == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (v == "Infinity") return std::numeric_limits<double>::infinity();
    if (v == "-Infinity") return -std::numeric_limits<double>::infinity();
    double out = 0;
    const auto res = std::from_chars(v.data(), v.data() + v.size(), out);
    if (res.ec != std::errc{} || res.ptr != v.data() + v.size()) throw_bad_value(col, "double");
    return out;
}

bool Result::convert(std::string_view v, bool*, int col) const {
    if (v == "t") return true;
    if (v == "f") return false;
    throw_bad_value(col, "bool");
}

Timestamp Result::convert(std::string_view v, Timestamp*, int col) const {
    auto t = parse_timestamp(v);
    if (!t) throw_bad_value(col, "timestamp");
    return *t;
}

Json Result::convert(std::string_view v, Json*, int) const { return Json{std::string{v}}; }

Numeric Result::convert(std::string_view v, Numeric*, int) const { return Numeric{std::string{v}}; }

std::vector<std::string> Result::convert(std::string_view v, std::vector<std::string>*, int col) const {
    auto items = parse_text_array(v);
    if (!items) throw_bad_value(col, "text[]");
    std::vector<std::string> out;
    out.reserve(items->size());
    for (auto& item : *items) {
        if (!item) throw_bad_value(col, "text[] without NULLs");
        out.push_back(std::move(*item));
    }
    return out;
}

}  // namespace alatar::db
