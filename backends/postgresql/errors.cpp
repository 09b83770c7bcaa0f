// Translates PostgreSQL errors into strata errors: the only code that reads
// SQLSTATEs. Kinds follow what the caller can do, by SQLSTATE class.
#include "errors.hpp"

#include "strata/errors.hpp"

#include <libpq-fe.h>

#include <string>

namespace strata::postgresql {

namespace {

DatabaseErrorKind kind_of(const std::string& state)
{
    if (state.empty())
        return DatabaseErrorKind::connection;
    const std::string cls = state.substr(0, 2);
    if (state == "40001" || state == "40P01")
        return DatabaseErrorKind::retryable;
    if (state == "55P03")
        return DatabaseErrorKind::lock_timeout;
    if (state == "42501")
        return DatabaseErrorKind::permission;
    if (state == "57P01" || state == "57P02" || state == "57P03" || state == "3D000")
        return DatabaseErrorKind::connection;
    if (cls == "08" || cls == "28")
        return DatabaseErrorKind::connection;
    if (cls == "23")
        return DatabaseErrorKind::constraint;
    if (cls == "42" || cls == "0A" || cls == "22")
        return DatabaseErrorKind::schema;
    return DatabaseErrorKind::other;
}

std::string field(const PGresult* r, int code)
{
    const char* v = r ? PQresultErrorField(r, code) : nullptr;
    return v ? v : "";
}

std::string trimmed(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

}  // namespace

void throw_error(PGconn* conn, const PGresult* result, std::string_view sql, bool during_commit)
{
    std::string state = field(result, PG_DIAG_SQLSTATE);
    std::string primary = field(result, PG_DIAG_MESSAGE_PRIMARY);
    if (primary.empty())
        primary = trimmed(result ? PQresultErrorMessage(result) : "");
    if (primary.empty() && conn)
        primary = trimmed(PQerrorMessage(conn));
    const bool connection_lost = conn && PQstatus(conn) != CONNECTION_OK;
    // libpq's words for a dropped connection ("server closed the connection
    // unexpectedly") do not say that the session, its transaction and its locks are gone.
    std::string message = std::string("PostgreSQL: ") + (connection_lost ? "connection lost: " : "") + primary;
    if (auto detail = field(result, PG_DIAG_MESSAGE_DETAIL); !detail.empty())
        message += "\n  detail: " + detail;
    if (auto hint = field(result, PG_DIAG_MESSAGE_HINT); !hint.empty())
        message += "\n  hint: " + hint;
    auto kind = kind_of(state);
    if (connection_lost)
        kind = DatabaseErrorKind::connection;
    if (during_commit && kind == DatabaseErrorKind::connection) {
        kind = DatabaseErrorKind::in_doubt;
        message += "\n  the connection broke during COMMIT: whether it committed is unknown; read the version again";
    }
    ErrorContext context;
    context.sql = std::string(sql);
    context.sqlstate = state;
    throw DatabaseError(kind, message, std::move(context));
}

}  // namespace strata::postgresql
