#pragma once
// The rows of one statement (an owned PGresult). Values are read as text and converted on access:
//
//     auto r = conn.exec("SELECT id, email, created_at FROM users WHERE id = $1", db::Params{id});
//     for (int row = 0; row < r.rows(); ++row) {
//         auto email = r.get<std::string>(row, "email");
//         auto when = r.get<db::Timestamp>(row, 2);
//     }
//
// get<T> accepts std::string, std::string_view (valid while the Result lives), std::int64_t,
// std::int32_t, double, bool, Timestamp, Json, Numeric, std::vector<std::string> (text[]) and
// std::optional of any of them (NULL -> nullopt). A NULL read as a non-optional type, a missing
// column or an unparsable value throws a kInternal DbError.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "db/params.hpp"

struct pg_result;  // libpq's PGresult

namespace alatar::db {

class Result {
  public:
    Result() = default;  // an empty result (no rows, no columns)
    explicit Result(pg_result* res) noexcept;

    int rows() const noexcept;
    int columns() const noexcept;
    bool empty() const noexcept { return rows() == 0; }
    // Rows touched by INSERT/UPDATE/DELETE (PQcmdTuples), 0 for other statements.
    std::int64_t affected_rows() const noexcept;

    // Index of a column by name; throws when there is none.
    int column(std::string_view name) const;
    std::string_view column_name(int col) const;

    bool is_null(int row, int col) const;
    bool is_null(int row, std::string_view name) const { return is_null(row, column(name)); }
    // Raw text of a value ("" for NULL).
    std::string_view text(int row, int col) const;

    template <class T>
    T get(int row, int col) const {
        if constexpr (is_optional<T>::value) {
            if (is_null(row, col)) return std::nullopt;
            return get<typename T::value_type>(row, col);
        } else {
            if (is_null(row, col)) throw_null(row, col);
            return convert(text(row, col), static_cast<T*>(nullptr), col);
        }
    }
    template <class T>
    T get(int row, std::string_view name) const {
        return get<T>(row, column(name));
    }

    // The only row's value in column 0: for `SELECT count(*) ...`-like statements.
    template <class T>
    T scalar() const {
        expect_one_row();
        return get<T>(0, 0);
    }

  private:
    template <class T>
    struct is_optional : std::false_type {};
    template <class T>
    struct is_optional<std::optional<T>> : std::true_type {};

    void check_cell(int row, int col) const;
    void expect_one_row() const;
    [[noreturn]] void throw_null(int row, int col) const;
    [[noreturn]] void throw_bad_value(int col, std::string_view type) const;

    std::string convert(std::string_view v, std::string*, int col) const;
    std::string_view convert(std::string_view v, std::string_view*, int col) const;
    std::int64_t convert(std::string_view v, std::int64_t*, int col) const;
    std::int32_t convert(std::string_view v, std::int32_t*, int col) const;
    double convert(std::string_view v, double*, int col) const;
    bool convert(std::string_view v, bool*, int col) const;
    Timestamp convert(std::string_view v, Timestamp*, int col) const;
    Json convert(std::string_view v, Json*, int col) const;
    Numeric convert(std::string_view v, Numeric*, int col) const;
    std::vector<std::string> convert(std::string_view v, std::vector<std::string>*, int col) const;

    struct Clear {
        void operator()(pg_result* res) const noexcept;
    };
    std::shared_ptr<pg_result> res_;  // shared: a Result is immutable and cheap to copy
};

}  // namespace alatar::db
