// The PostgreSQL backend's one translation of SQLSTATEs into strata errors.
#pragma once

#include <string_view>

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace strata::postgresql {

// Throws the error a failed result (or, with result == nullptr, a failed
// connection) stands for. `during_commit` marks an outcome in doubt.
[[noreturn]] void throw_error(PGconn* conn, const PGresult* result, std::string_view sql, bool during_commit = false);

}  // namespace strata::postgresql
