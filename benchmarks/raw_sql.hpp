// The plain-SQL side of the benchmarks: statements straight through the sqlite3
// and libpq C APIs, with no strata code on the timed path.
#pragma once

#include <string>
#include <vector>

struct sqlite3;
struct pg_conn;

namespace strata::bench {

class RawSqlite {
public:
    // Opens (creating) the file as strata's connections do: foreign keys enforced.
    explicit RawSqlite(const std::string& path);
    ~RawSqlite();
    RawSqlite(const RawSqlite&) = delete;
    RawSqlite& operator=(const RawSqlite&) = delete;
    void exec(const std::string& sql);
    long long scalar(const std::string& sql);

private:
    sqlite3* db_ = nullptr;
};

class RawPg {
public:
    explicit RawPg(const std::string& url);
    ~RawPg();
    RawPg(const RawPg&) = delete;
    RawPg& operator=(const RawPg&) = delete;
    void exec(const std::string& sql);
    long long scalar(const std::string& sql);

private:
    pg_conn* conn_ = nullptr;
};

// The statements of a SQL script (split before any timing starts).
std::vector<std::string> statements_of(const std::string& script);

// Runs statements on a fresh connection of the URL's engine, one call each.
void run_statements(const std::string& url, const std::vector<std::string>& statements);

}  // namespace strata::bench
