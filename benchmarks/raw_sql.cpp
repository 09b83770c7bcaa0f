#include "raw_sql.hpp"

#include "sql_tokenizer.hpp"
#include "strata/url.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <stdexcept>

namespace strata::bench {

RawSqlite::RawSqlite(const std::string& path)
{
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        throw std::runtime_error("cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
    exec("PRAGMA foreign_keys = ON");
}

RawSqlite::~RawSqlite()
{
    sqlite3_close(db_);
}

void RawSqlite::exec(const std::string& sql)
{
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string why = error ? error : "unknown error";
        sqlite3_free(error);
        throw std::runtime_error("baseline SQL failed: " + why + "\n" + sql);
    }
}

long long RawSqlite::scalar(const std::string& sql)
{
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
        throw std::runtime_error(std::string("baseline SQL failed: ") + sqlite3_errmsg(db_) + "\n" + sql);
    long long value = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    return value;
}

RawPg::RawPg(const std::string& url) : conn_(PQconnectdb(url.c_str()))
{
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string why = PQerrorMessage(conn_);
        PQfinish(conn_);
        throw std::runtime_error("cannot connect for the baseline: " + why);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

RawPg::~RawPg()
{
    PQfinish(conn_);
}

void RawPg::exec(const std::string& sql)
{
    PGresult* r = PQexec(conn_, sql.c_str());
    auto status = PQresultStatus(r);
    PQclear(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw std::runtime_error(std::string("baseline SQL failed: ") + PQerrorMessage(conn_) + "\n" + sql);
}

long long RawPg::scalar(const std::string& sql)
{
    PGresult* r = PQexec(conn_, sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        throw std::runtime_error(std::string("baseline SQL failed: ") + PQerrorMessage(conn_) + "\n" + sql);
    }
    long long value = PQntuples(r) > 0 ? std::stoll(PQgetvalue(r, 0, 0)) : -1;
    PQclear(r);
    return value;
}

std::vector<std::string> statements_of(const std::string& script)
{
    auto split = detail::split_statements(script);
    if (!split.error.empty())
        throw std::runtime_error("cannot split the script: " + split.error);
    std::vector<std::string> out;
    out.reserve(split.statements.size());
    for (auto& s : split.statements)
        out.push_back(std::move(s.sql));
    return out;
}

void run_statements(const std::string& url, const std::vector<std::string>& statements)
{
    auto u = Url::parse(url);
    if (u.scheme == "sqlite") {
        RawSqlite db(u.path);
        for (const auto& s : statements)
            db.exec(s);
    } else {
        RawPg db(url);
        for (const auto& s : statements)
            db.exec(s);
    }
}

}  // namespace strata::bench
