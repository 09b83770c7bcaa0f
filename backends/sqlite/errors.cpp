// Translates SQLite result codes into strata errors: the only place that reads them.
#include "errors.hpp"

#include "strata/errors.hpp"

#include <sqlite3.h>

#include <string>

namespace strata::sqlite {

namespace {

DatabaseErrorKind kind_of(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return DatabaseErrorKind::lock_timeout;
    case SQLITE_CONSTRAINT: return DatabaseErrorKind::constraint;
    case SQLITE_ERROR:
    case SQLITE_SCHEMA:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH: return DatabaseErrorKind::schema;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB: return DatabaseErrorKind::connection;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return DatabaseErrorKind::permission;
    default: return DatabaseErrorKind::other;
    }
}

}  // namespace

void throw_error(sqlite3* db, int rc, std::string_view sql, std::string_view what)
{
    const int extended = db ? sqlite3_extended_errcode(db) : rc;
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    std::string text = what.empty() ? "SQLite: " + message : std::string(what) + ": " + message;
    if ((rc & 0xff) == SQLITE_BUSY && sql == "COMMIT")
        text += " (another connection is reading: without WAL, a commit waits until every read transaction has "
                "ended, and the wait timed out; end the long read, or use PRAGMA journal_mode = WAL)";
    else if ((rc & 0xff) == SQLITE_BUSY)
        text += " (another connection holds the database's write lock; the wait timed out)";
    else if ((rc & 0xff) == SQLITE_FULL || extended == SQLITE_IOERR_WRITE)
        text += " (the disk or the file system's size limit is reached: free space and run again)";
    ErrorContext context;
    context.sql = std::string(sql);
    context.engine_code = extended ? extended : rc;
    throw DatabaseError(kind_of(rc), text, std::move(context));
}

}  // namespace strata::sqlite
