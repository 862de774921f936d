#pragma once
// Splits an SQL script into statements at top-level semicolons, aware of quotes ('...', E'...',
// "..."), comments (--, nested /* */) and dollar quoting ($$...$$, $tag$...$tag$), so function
// bodies stay whole. Used by the migrator to run and report one statement at a time.
// Not handled: SQL-standard function bodies (BEGIN ATOMIC ... END); use dollar quoting instead.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace alatar::db {

struct SqlStatement {
    std::string text;        // from its first token to (excluding) the terminating semicolon
    std::size_t offset = 0;  // byte offset of text in the script
    int line = 1;            // 1-based line of text's first character
    int index = 1;           // 1-based position of the statement in the script
};

std::vector<SqlStatement> split_sql(std::string_view script);

// The 1-based line in `stmt`'s script of a 1-based character position within stmt.text
// (PostgreSQL's PG_DIAG_STATEMENT_POSITION counts characters, not bytes).
int line_of_position(const SqlStatement& stmt, int char_position);

}  // namespace alatar::db
