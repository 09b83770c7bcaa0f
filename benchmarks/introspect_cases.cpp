// introspect1000 and diff1000: reading a 1,000-table schema on a fresh connection,
// against reading sqlite_schema whole (SQLite) and, on PostgreSQL, the same
// catalog queries sent through libpq on a fresh connection with the rows
// discarded; pg_dump --schema-only is noted beside it for reference.
#include "bench.hpp"

#include "../backends/postgresql/postgresql_dialect.hpp"
#include "raw_sql.hpp"

#include "strata/compare.hpp"
#include "strata/database.hpp"
#include "strata/inspect.hpp"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <future>
#include <stdexcept>

namespace strata::bench {

Schema wide_schema(int n, const std::string& schema_name)
{
    Schema s(schema_name);
    for (int i = 0; i < n; ++i) {
        auto name = "t" + std::to_string(i);
        auto t = s.table(name);
        t.column<std::int64_t>("id").primary_key()
            .column<std::optional<std::int64_t>>("parent_id")
            .column<std::string>("name").varchar(120)
            .column<std::optional<std::string>>("email").varchar(255)
            .column<std::int32_t>("score").default_value(0)
            .column<bool>("active").default_value(Value{true})
            .column<std::optional<double>>("ratio")
            .column("price", Type::numeric(12, 2)).nullable()
            .column<Timestamp>("created_at").default_now()
            .column<std::optional<std::string>>("note")
            .index("ix_" + name + "_name", {"name"})
            .index("ix_" + name + "_score", {desc("score"), "active"})
            .unique_index("ux_" + name + "_email", {"email"});
        if (i > 0)
            t.foreign_key({"parent_id"}, "t" + std::to_string(i - 1), {"id"}, FkAction::cascade);
    }
    return s;
}

namespace {

// The databases are made from a model that is gone before measuring starts:
// peak RSS then counts what strata holds, not the benchmark's own model.
void create(const std::string& url, int tables)
{
    const Schema schema = wide_schema(tables);
    auto db = connect(url);
    Transaction tx(db.session());
    for (const auto& s : db.dialect().create_all(schema))
        db.session().execute(s.sql);
    tx.commit();
}

// The physical limit on SQLite: a fresh connection reads sqlite_schema whole
// (which makes SQLite parse its own schema, as any first statement does).
void read_sqlite_schema(const std::string& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
        throw std::runtime_error("cannot open " + path);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema", -1, &stmt, nullptr);
    std::size_t bytes = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW)
        bytes += static_cast<std::size_t>(sqlite3_column_bytes(stmt, 3));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    if (bytes == 0)
        throw std::runtime_error("empty schema in " + path);
}

void pg_dump_schema(const std::string& url)
{
    if (run(pg_program("pg_dump"), {"--schema-only", "--no-owner", "-d", url}) != 0)
        throw std::runtime_error("pg_dump failed");
}

// The limit on PostgreSQL: strata's catalog queries, nothing decoded.
void read_pg_catalogs(const std::string& url)
{
    RawPg pg(url);
    pg.exec(postgresql::catalog_read_sql());
    pg.exec("ROLLBACK");
}

std::string pg_dump_note(const Options& o, double strata_ms, const std::function<void()>& dump)
{
    const double ms = median_ms(o.runs(), dump);
    char text[96];
    std::snprintf(text, sizeof text, "pg_dump --schema-only %.1f ms (ratio %.3f)", ms, strata_ms / ms);
    return text;
}

std::size_t inspect_tables(const std::string& url)
{
    auto db = connect(url);
    return db.inspect().tables.size();
}

std::size_t diff_count(const std::string& a, const std::string& b)
{
    auto da = connect(a);
    auto db = connect(b);
    bool same_engine = da.dialect().name() == db.dialect().name();
    auto schemas = inspect_all({&da.session(), &db.session()});  // as `strata diff` does
    return compare(schemas[0], schemas[1], {.object_definitions = same_engine}).size();
}

// Introspection of 100, 1,000 and 5,000 tables: the cost should grow linearly.
void introspection_series(const Options& o, Report& report)
{
    if (!o.wants("introspect1000"))
        return;
    Series series{"introspect", "sqlite", {}};
    for (int size : o.quick ? std::vector<int>{10, 50} : std::vector<int>{100, 1000, 5000}) {
        auto path = o.work_dir + "/series_" + std::to_string(size) + ".db";
        create("sqlite:///" + path, size);
        auto m = measure(o.runs(), [&] { read_sqlite_schema(path); }, [&] { (void)inspect_tables("sqlite:///" + path); });
        series.points.push_back({size, m.strata_ms, m.baseline_ms});
        std::filesystem::remove(path);
    }
    report.series.push_back(std::move(series));
}

}  // namespace

void introspection_cases(const Options& o, Report& report)
{
    if (o.series_pass) {
        introspection_series(o, report);
        return;
    }
    const int n = o.quick ? 50 : 1000;
    const std::string path_a = o.work_dir + "/introspect_a.db";
    const std::string path_b = o.work_dir + "/introspect_b.db";
    const std::string url_a = "sqlite:///" + path_a;
    const std::string url_b = "sqlite:///" + path_b;
    const bool want_introspect = o.wants("introspect1000");
    const bool want_diff = o.wants("diff1000");
    if (want_introspect || want_diff) {
        create(url_a, n);
        create(url_b, n);
    }
    if (want_introspect) {
        auto m = measure(o.runs(), [&] { read_sqlite_schema(path_a); }, [&] {
            if (inspect_tables(url_a) != static_cast<std::size_t>(n))
                throw std::runtime_error("introspect1000: wrong table count");
        });
        report.cases.push_back({"introspect1000", "sqlite", m.strata_ms, m.baseline_ms, {}});
    }
    if (want_diff) {
        auto m = measure(o.runs(),
            [&] {
                read_sqlite_schema(path_a);
                read_sqlite_schema(path_b);
            },
            [&] {
                if (diff_count(url_a, url_b) != 0)
                    throw std::runtime_error("diff1000: databases differ");
            });
        report.cases.push_back({"diff1000", "sqlite", m.strata_ms, m.baseline_ms, {}});
    }
    if (o.pg_url.empty() || !(want_introspect || want_diff))
        return;
    ScratchDatabase a(o.pg_url, "strata_bench_a");
    ScratchDatabase b(o.pg_url, "strata_bench_b");
    create(a.url(), n);
    if (want_introspect) {
        auto m = measure(o.runs(), [&] { read_pg_catalogs(a.url()); }, [&] {
            if (inspect_tables(a.url()) != static_cast<std::size_t>(n))
                throw std::runtime_error("introspect1000: wrong table count on PostgreSQL");
        });
        report.cases.push_back({"introspect1000", "postgresql", m.strata_ms, m.baseline_ms,
                                pg_dump_note(o, m.strata_ms, [&] { pg_dump_schema(a.url()); })});
    }
    if (want_diff) {
        create(b.url(), n);
        auto m = measure(o.runs(),
            [&] {  // both at once, as strata's diff reads a server's schemas
                auto first = std::async(std::launch::async, [&] { read_pg_catalogs(a.url()); });
                read_pg_catalogs(b.url());
                first.get();
            },
            [&] {
                if (diff_count(a.url(), b.url()) != 0)
                    throw std::runtime_error("diff1000: databases differ on PostgreSQL");
            });
        report.cases.push_back({"diff1000", "postgresql", m.strata_ms, m.baseline_ms,
                                pg_dump_note(o, m.strata_ms, [&] {
                                    pg_dump_schema(a.url());
                                    pg_dump_schema(b.url());
                                })});
    }
}

}  // namespace strata::bench
