// The upgrader's cases: chain300 (and its growth series), chain300_atomic,
// fresh100, noop_startup, rebuild1m with backup1m. Each baseline is the SQL
// strata executes (its offline script or dry run), run through the C API.
#include "bench.hpp"
#include "raw_sql.hpp"

#include "../examples/soseki/models.hpp"
#include "strata/database.hpp"
#include "strata/upgrader.hpp"

#include <fcntl.h>
#include <filesystem>
#include <unistd.h>
#include <stdexcept>

namespace strata::bench {

namespace {

namespace fs = std::filesystem;

Column column(ColumnSpec spec)
{
    return spec;
}

// Step v of a chain that cycles through ten kinds of change, one table per ten
// steps: create, add columns, index, rename, seed rows, unique index, change a
// type (a table rebuild on SQLite), drop an index, drop a column.
void chain_step(BindBuilder& b, int v)
{
    const int t = (v - 1) / 10;
    const std::string name = "c" + std::to_string(t);
    const Index by_name{"ix_" + name + "_name", {IndexElement("name")}, false, {}, {}};
    const Column active = column(col::boolean("active").default_value(Value{true}));
    switch ((v - 1) % 10) {
    case 0:
        b.step(v, "create " + name, [&](Ops& o) {
            auto spec = table(name)
                            .column(col::bigint("id").autoincrement())
                            .column(col::varchar("name", 100))
                            .column(col::integer("score").default_value(0))
                            .column(col::timestamptz("created_at").default_now())
                            .column(col::bigint("parent_id").nullable())
                            .primary_key({"id"});
            if (t > 0)
                spec.foreign_key({"parent_id"}, "c" + std::to_string(t - 1), {"id"}, FkAction::set_null);
            o.create_table(spec);
        });
        break;
    case 1: b.step(v, name + " email", [&](Ops& o) { o.add_column(name, col::varchar("email", 255).nullable()); }); break;
    case 2: b.step(v, name + " name index", [&](Ops& o) { o.create_index(name, by_name); }); break;
    case 3: b.step(v, name + " active", [&](Ops& o) { o.add_column(name, active); }); break;
    case 4: b.step(v, name + " email is contact", [&](Ops& o) { o.rename_column(name, "email", "contact"); }); break;
    case 5:
        b.step(v, name + " seed rows", [&](Ops& o) {
            o.execute("INSERT INTO " + name + " (name) VALUES ('a'), ('b'), ('c')",
                      "DELETE FROM " + name + " WHERE name IN ('a', 'b', 'c')");
        });
        break;
    case 6:
        b.step(v, name + " unique contact", [&](Ops& o) {
            o.create_index(name, Index{"ux_" + name + "_contact", {IndexElement("contact")}, true, {}, {}});
        });
        break;
    case 7:
        b.step(v, name + " wider score", [&](Ops& o) {
            o.alter_column(name, col::integer("score").default_value(0), col::bigint("score").default_value(0));
        });
        break;
    case 8: b.step(v, name + " drop name index", [&](Ops& o) { o.drop_index(name, by_name.name, by_name); }); break;
    default: b.step(v, name + " drop active", [&](Ops& o) { o.drop_column(name, "active", active); }); break;
    }
}

Upgrader chain_upgrader(Database db, int steps)
{
    Upgrader up;
    auto b = up.bind("app", std::move(db), Schema("app"));
    b.without_models();
    for (int v = 1; v <= steps; ++v)
        chain_step(b, v);
    return up;
}

// An empty database at the same URL before each run.
void reset(const std::string& url)
{
    auto u = Url::parse(url);
    if (u.scheme == "sqlite") {
        fs::remove(u.path);
        return;
    }
    RawPg db(url);
    db.exec("DROP SCHEMA IF EXISTS public CASCADE");
    db.exec("CREATE SCHEMA public");
}

std::string dialect_of(const std::string& url)
{
    return Url::parse(url).scheme;
}

// The replayed chain: strata from empty, against its offline script run
// statement by statement (a transaction and a version row per step).
Pair measure_chain(const std::string& url, int steps, int runs, bool atomic)
{
    auto offline = chain_upgrader(defer_connect(url), steps);
    auto script = statements_of(offline.sql("app", 0, steps, *find_dialect(dialect_of(url))));
    if (atomic) {
        // The plain script in one transaction.
        std::vector<std::string> one{"BEGIN"};
        for (auto& s : script)
            if (s.find("BEGIN") != 0 && s.find("COMMIT") != 0 && !s.ends_with("\nBEGIN") && !s.ends_with("\nCOMMIT"))
                one.push_back(std::move(s));
        one.emplace_back("COMMIT");
        script = std::move(one);
    }
    RunOptions options;
    options.replay = true;
    options.atomic = atomic;
    options.snapshots = 0;
    auto m = measure(runs, [&] { run_statements(url, script); },
                     [&] {
                         auto up = chain_upgrader(connect(url), steps);
                         auto report = up.run(options);
                         if (report.binds.at(0).to != steps)
                             throw std::runtime_error("chain: stopped at version " + std::to_string(report.binds[0].to));
                     },
                     [&] { reset(url); });
    return m;
}

void chain_cases(const Options& o, const std::string& url, Report& report)
{
    const std::string dialect = dialect_of(url);
    const int steps = o.quick ? 30 : 300;
    if (o.series_pass) {
        if (!o.wants("chain300"))
            return;
        Series series{"chain", dialect, {}};
        for (int n : o.quick ? std::vector<int>{10, 30} : std::vector<int>{100, 300, 1000, 3000}) {
            auto m = measure_chain(url, n, n >= 1000 ? 3 : o.runs(), false);
            series.points.push_back({n, m.strata_ms, m.baseline_ms});
        }
        report.series.push_back(std::move(series));
        return;
    }
    if (o.wants("chain300")) {
        auto m = measure_chain(url, steps, o.runs(), false);
        report.cases.push_back({"chain300", dialect, m.strata_ms, m.baseline_ms, {}});
    }
    if (o.wants("chain300_atomic")) {
        auto m = measure_chain(url, steps, o.runs(), true);
        report.cases.push_back({"chain300_atomic", dialect, m.strata_ms, m.baseline_ms, {}});
    }
}

// A fresh setup of 100 tables from the models, against its dry run executed
// as one script in one transaction.
void fresh_case(const Options& o, const std::string& url, Report& report)
{
    if (!o.wants("fresh100"))
        return;
    const Schema models = wide_schema(o.quick ? 10 : 100, "app");
    auto make = [&](Database db) {
        Upgrader up;
        auto b = up.bind("app", std::move(db), models);
        b.step(1, "the tables", [&](Ops& ops) {
            for (const auto& t : models.tables)
                ops.create_table(t);
        });
        return up;
    };
    reset(url);
    auto planner = make(connect(url));
    auto script = statements_of(planner.dry_run("app"));
    auto m = measure(o.runs(), [&] { run_statements(url, script); },
                     [&] {
                         auto up = make(connect(url));
                         if (up.run().binds.at(0).action != BindAction::fresh)
                             throw std::runtime_error("fresh100: not a fresh setup");
                     },
                     [&] { reset(url); });
    report.cases.push_back({"fresh100", dialect_of(url), m.strata_ms, m.baseline_ms, {}});
}

Upgrader soseki_upgrader(Database app, Database log)
{
    Upgrader up;
    auto a = up.bind("app", std::move(app), soseki::app_models());
    soseki::app_steps(a);
    auto l = up.bind("log", std::move(log), soseki::log_models());
    soseki::log_steps(l);
    return up;
}

// The start of an application whose two databases are at head: strata builds
// its binds, connects and reads one version per bind; the baseline connects and
// runs that one SELECT per bind.
void noop_case(const Options& o, const std::string& app_url, const std::string& log_url, Report& report)
{
    if (!o.wants("noop_startup"))
        return;
    reset(app_url);
    reset(log_url);
    {
        auto up = soseki_upgrader(connect(app_url), connect(log_url));
        up.run();
    }
    const std::string select = "SELECT \"version\", \"kind\" FROM \"strata_version\" ORDER BY \"id\" DESC LIMIT 1";
    const bool sqlite = dialect_of(app_url) == "sqlite";
    auto baseline = [&](const std::string& url) {
        if (sqlite) {
            RawSqlite db(Url::parse(url).path);
            if (db.scalar(select) <= 0)
                throw std::runtime_error("noop_startup: no version");
        } else {
            RawPg db(url);
            if (db.scalar(select) <= 0)
                throw std::runtime_error("noop_startup: no version");
        }
    };
    const int runs = o.quick ? 1 : 201;
    auto m = measure(runs,
                     [&] {
                         baseline(app_url);
                         baseline(log_url);
                     },
                     [&] {
                         auto up = soseki_upgrader(connect(app_url), connect(log_url));
                         for (const auto& b : up.run().binds)
                             if (b.action != BindAction::up_to_date)
                                 throw std::runtime_error("noop_startup: bind " + b.bind + " was " + std::string(to_string(b.action)));
                     });
    report.cases.push_back({"noop_startup", dialect_of(app_url), m.strata_ms, m.baseline_ms, {}});
}

// rebuild1m: a 1,000,000-row SQLite table gets a new column type and loses a
// column (SQLite cannot do either in place), against the hand-written 12-step SQL.
Upgrader items_upgrader(Database db)
{
    Upgrader up;
    auto b = up.bind("app", std::move(db), Schema("app"));
    b.without_models();
    const Column legacy = column(col::text("legacy").nullable());
    b.step(1, "items", [&](Ops& o) {
        o.create_table(table("item")
                           .column(col::bigint("id").autoincrement())
                           .column(col::varchar("name", 100))
                           .column(col::integer("qty").default_value(0))
                           .column(col::double_precision("price"))
                           .column(legacy)
                           .column(col::timestamptz("created_at").default_now())
                           .primary_key({"id"})
                           .index("ix_item_name", {"name"})
                           .index("ix_item_qty_price", {"qty", "price"}));
    });
    b.step(2, "exact prices, no legacy column", [&](Ops& o) {
        o.alter_column("item", col::double_precision("price"), col::numeric("price", 12, 2));
        o.drop_column("item", "legacy", legacy);
    });
    return up;
}

void durable_copy(const std::string& from, const std::string& to)
{
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    int fd = ::open(to.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0)
        throw std::runtime_error("cannot sync " + to);
    ::close(fd);
}

// What a careful developer writes by hand, following sqlite.org's procedure.
const char* const hand_written_rebuild = R"(PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "item_new" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_item" PRIMARY KEY AUTOINCREMENT,
    "name" VARCHAR(100) NOT NULL,
    "qty" INTEGER NOT NULL DEFAULT 0,
    "price" NUMERIC(12, 2) NOT NULL,
    "created_at" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "item_new" ("id", "name", "qty", "price", "created_at")
    SELECT "id", "name", "qty", "price", "created_at" FROM "item";
DROP TABLE "item";
ALTER TABLE "item_new" RENAME TO "item";
CREATE INDEX "ix_item_name" ON "item" ("name");
CREATE INDEX "ix_item_qty_price" ON "item" ("qty", "price");
PRAGMA foreign_key_check;
INSERT INTO "strata_version" ("version", "description", "kind") VALUES (2, 'exact prices, no legacy column', 'applied');
COMMIT;
PRAGMA foreign_keys = ON;)";

void rebuild_case(const Options& o, Report& report)
{
    if (!o.wants("rebuild1m"))
        return;
    const int rows = o.quick ? 10000 : 1000000;
    const std::string master = o.work_dir + "/items_master.db";
    const std::string path = o.work_dir + "/items.db";
    const std::string url = "sqlite:///" + path;
    {
        auto up = items_upgrader(connect("sqlite:///" + master));
        up.run({.target = 1});
        RawSqlite db(master);
        db.exec("INSERT INTO item (name, qty, price, legacy) SELECT 'item ' || value, value % 1000, value * 0.25, "
                "CASE WHEN value % 7 = 0 THEN 'x' END FROM (WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 "
                "FROM n WHERE value < " + std::to_string(rows) + ") SELECT value FROM n)");
    }
    auto copy_master = [&] { fs::copy_file(master, path, fs::copy_options::overwrite_existing); };
    const auto statements = statements_of(hand_written_rebuild);
    const int runs = o.quick ? 1 : 3;
    auto m = measure(runs, [&] { run_statements(url, statements); },
                     [&] {
                         auto up = items_upgrader(connect(url));
                         RunOptions options;
                         options.snapshots = 0;
                         if (up.run(options).binds.at(0).to != 2)
                             throw std::runtime_error("rebuild1m: not at version 2");
                     },
                     copy_master);
    RawSqlite check(path);
    if (check.scalar("SELECT count(*) FROM item") != rows)
        throw std::runtime_error("rebuild1m: rows lost");
    report.cases.push_back({"rebuild1m", "sqlite", m.strata_ms, m.baseline_ms, {}});

    // The same with progress reported (as the strata binary does): the copy runs
    // in ranges of 50,000 rows, each range's end found on the rowid b-tree.
    long long events = 0;
    auto p = measure(runs, [&] { run_statements(url, statements); },
                     [&] {
                         auto up = items_upgrader(connect(url));
                         RunOptions options;
                         options.snapshots = 0;
                         options.on_work = [&](const WorkProgress&) { ++events; };
                         if (up.run(options).binds.at(0).to != 2)
                             throw std::runtime_error("rebuild1m_progress: not at version 2");
                     },
                     copy_master);
    if (events == 0 && rows > 50'000)
        throw std::runtime_error("rebuild1m_progress: no progress reported");
    if (RawSqlite(path).scalar("SELECT count(*) FROM item") != rows)
        throw std::runtime_error("rebuild1m_progress: rows lost");
    report.cases.push_back({"rebuild1m_progress", "sqlite", p.strata_ms, p.baseline_ms,
                            "rebuild1m with progress: the copy in ranges of 50,000 rows"});

    // The snapshot strata takes before an upgrade (SQLite's backup API, right in
    // every journal mode), against copying the file and syncing it to disk.
    const std::string snapshot = master + ".v1.bak";
    auto b = measure(runs, [&] { durable_copy(master, snapshot); },
                     [&] {
                         auto db = connect("sqlite:///" + master);
                         if (db.dialect().keep_snapshot(db.session(), 1, 1, {}) != snapshot)
                             throw std::runtime_error("backup1m: no snapshot");
                     },
                     [&] { fs::remove(snapshot); });
    report.cases.push_back({"backup1m", "sqlite", b.strata_ms, b.baseline_ms, "SQLite backup API against copying the file and fsync"});
}

}  // namespace

void upgrade_cases(const Options& o, Report& report)
{
    // Of these, only the chain has a growth series.
    const std::string sqlite_app = "sqlite:///" + o.work_dir + "/app.db";
    const std::string sqlite_log = "sqlite:///" + o.work_dir + "/log.db";
    chain_cases(o, sqlite_app, report);
    if (!o.series_pass) {
        fresh_case(o, sqlite_app, report);
        noop_case(o, sqlite_app, sqlite_log, report);
        rebuild_case(o, report);
    }
    if (o.pg_url.empty())
        return;
    ScratchDatabase app(o.pg_url, "strata_bench_app");
    ScratchDatabase log(o.pg_url, "strata_bench_log");
    chain_cases(o, app.url(), report);
    if (!o.series_pass) {
        fresh_case(o, app.url(), report);
        noop_case(o, app.url(), log.url(), report);
    }
}

}  // namespace strata::bench
