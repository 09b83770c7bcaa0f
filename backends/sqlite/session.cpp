// The SQLite Session: SOCI owns the connection (so strata/soci.hpp can hand it
// out); statements run through the sqlite3 C API on the same handle.
#include "errors.hpp"
#include "sqlite_dialect.hpp"
#include "strata/errors.hpp"
#include "strata/session.hpp"
#include "strata/url.hpp"

// soci-sqlite3.h includes <sqlite3.h> inside namespace sqlite_api (and its include
// guard then hides the global one): this file uses the API from there.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <filesystem>
#include <map>

namespace strata::sqlite {

namespace {

using namespace sqlite_api;

// Finalizes a prepared statement when it goes out of scope.
struct StatementGuard {
    sqlite3_stmt* stmt = nullptr;
    bool cached = false;
    ~StatementGuard()
    {
        if (!stmt)
            return;
        if (cached) {
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
        } else {
            sqlite3_finalize(stmt);
        }
    }
};

std::string quote_connect_value(const std::string& v)
{
    return "\"" + v + "\"";
}

class SqliteSession final : public Session {
public:
    SqliteSession(const Url& url, const ConnectOptions& options) : url_(url)
    {
        const bool absent = !url.memory && options.missing_file_is_empty && !std::filesystem::exists(url.path);
        std::string path = url.memory || absent ? ":memory:" : url.path;
        const bool read_only = (url.read_only() || options.read_only) && !absent;
        if (!url.memory && !absent && (read_only || url.param("mode") == "rw") && !std::filesystem::exists(path))
            throw DatabaseError(DatabaseErrorKind::connection,
                                "SQLite file '" + path + "' does not exist (the URL opens it " +
                                    (read_only ? "read-only" : "without creating it") + ")");
        std::string connect = "db=" + quote_connect_value(path);
        if (read_only)
            connect += " readonly=1";
        try {
            soci_ = std::make_unique<soci::session>(*soci::factory_sqlite3(), connect);
        } catch (const soci::soci_error& e) {
            throw DatabaseError(DatabaseErrorKind::connection,
                                "cannot open SQLite database '" + path + "': " + e.get_error_message());
        }
        db_ = static_cast<soci::sqlite3_session_backend*>(soci_->get_backend())->conn_;
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, static_cast<int>(options.busy_timeout.count()));
        // strata's connections enforce foreign keys; a rebuild turns them off around itself.
        execute("PRAGMA foreign_keys = ON");
    }

    ~SqliteSession() override
    {
        for (auto& [sql, stmt] : cache_)
            sqlite3_finalize(stmt);
        cache_.clear();
        if (db_ && !sqlite3_get_autocommit(db_))
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }

    const Dialect& dialect() const noexcept override { return instance(); }
    const Url& url() const noexcept override { return url_; }

    void execute(std::string_view sql) override
    {
        count_statement(sql);
        std::string text(sql);
        char* error = nullptr;
        int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
        sqlite3_free(error);
        if (rc != SQLITE_OK)
            throw_error(handle(), rc, sql);
    }

    std::int64_t execute(std::string_view sql, const std::vector<Value>& params) override
    {
        count_statement(sql);
        StatementGuard guard = prepare(sql, params);
        int rc;
        while ((rc = sqlite3_step(guard.stmt)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE)
            throw_error(handle(), rc, sql);
        return sqlite3_changes64(db_);
    }

    Rows query(std::string_view sql, const std::vector<Value>& params) override
    {
        count_statement(sql);
        StatementGuard guard = prepare(sql, params);
        Rows out;
        const int columns = sqlite3_column_count(guard.stmt);
        out.columns.reserve(static_cast<std::size_t>(columns));
        for (int i = 0; i < columns; ++i)
            out.columns.emplace_back(sqlite3_column_name(guard.stmt, i));
        int rc;
        while ((rc = sqlite3_step(guard.stmt)) == SQLITE_ROW) {
            std::vector<Value> row;
            row.reserve(static_cast<std::size_t>(columns));
            for (int i = 0; i < columns; ++i)
                row.push_back(column_value(guard.stmt, i));
            out.rows.push_back(std::move(row));
        }
        if (rc != SQLITE_DONE)
            throw_error(handle(), rc, sql);
        return out;
    }

    void begin(TransactionMode mode) override
    {
        execute(mode == TransactionMode::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
    }
    void commit() override { execute("COMMIT"); }
    void rollback() override
    {
        // After some errors SQLite has already rolled back; a second ROLLBACK would fail.
        if (!sqlite3_get_autocommit(db_))
            execute("ROLLBACK");
    }
    bool in_transaction() const noexcept override { return !sqlite3_get_autocommit(db_); }

    void* native_handle() noexcept override { return handle(); }
    void* soci_session() noexcept override { return soci_.get(); }

private:
    // The same C struct under the global name the rest of the backend uses.
    ::sqlite3* handle() const noexcept { return reinterpret_cast<::sqlite3*>(db_); }

    StatementGuard prepare(std::string_view sql, const std::vector<Value>& params)
    {
        StatementGuard guard;
        std::string key(sql);
        if (auto it = cache_.find(key); it != cache_.end()) {
            guard.stmt = it->second;
            guard.cached = true;
        } else {
            const char* tail = nullptr;
            int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT,
                                        &guard.stmt, &tail);
            if (rc != SQLITE_OK)
                throw_error(handle(), rc, sql);
            if (cache_.size() < 64) {
                cache_.emplace(std::move(key), guard.stmt);
                guard.cached = true;
            }
        }
        if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(guard.stmt))
            throw Error(ErrorCode::usage, "statement has " + std::to_string(sqlite3_bind_parameter_count(guard.stmt)) +
                                              " parameter(s) but " + std::to_string(params.size()) + " value(s) were given",
                        ErrorContext{.sql = std::string(sql)});
        for (std::size_t i = 0; i < params.size(); ++i)
            bind(guard.stmt, static_cast<int>(i + 1), params[i], sql);
        return guard;
    }

    void bind(sqlite3_stmt* stmt, int index, const Value& v, std::string_view sql)
    {
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::monostate>(v))
            rc = sqlite3_bind_null(stmt, index);
        else if (auto b = std::get_if<bool>(&v))
            rc = sqlite3_bind_int(stmt, index, *b ? 1 : 0);
        else if (auto i = std::get_if<std::int64_t>(&v))
            rc = sqlite3_bind_int64(stmt, index, *i);
        else if (auto d = std::get_if<double>(&v))
            rc = sqlite3_bind_double(stmt, index, *d);
        else if (auto s = std::get_if<std::string>(&v))
            rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        else if (auto blob = std::get_if<Blob>(&v))
            rc = sqlite3_bind_blob64(stmt, index, blob->data(), blob->size(), SQLITE_TRANSIENT);
        if (rc != SQLITE_OK)
            throw_error(handle(), rc, sql);
    }

    static Value column_value(sqlite3_stmt* stmt, int i)
    {
        switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(stmt, i));
        case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
        case SQLITE_TEXT:
            return std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, i)),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
        case SQLITE_BLOB: {
            const auto* data = static_cast<const std::byte*>(sqlite3_column_blob(stmt, i));
            return Blob(data, data + sqlite3_column_bytes(stmt, i));
        }
        default: return {};
        }
    }

    Url url_;
    std::unique_ptr<soci::session> soci_;
    sqlite3* db_ = nullptr;
    std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

}  // namespace

std::unique_ptr<Session> SqliteDialect::open(const Url& url, const ConnectOptions& options) const
{
    return std::make_unique<SqliteSession>(url, options);
}

}  // namespace strata::sqlite
