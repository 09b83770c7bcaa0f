// The cases of the path users of SQL-file migrations take: the `strata` binary as
// a whole process, against the engine's own command-line client (sqlite3, psql)
// running the same statements (strata's offline script of the same files: a
// transaction and a version row per step). chain300_files applies 300 files to an
// empty database; noop_files is the deploy-time `upgrade` of a database at head,
// against one query of the version.
#include "bench.hpp"
#include "raw_sql.hpp"

#include "strata/url.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace strata::bench {

namespace {

namespace fs = std::filesystem;

// build/bin/strata, beside this program.
std::string strata_binary()
{
    return (fs::read_symlink("/proc/self/exe").parent_path() / "strata").string();
}

// Step v: each table gets three steps: created with an index, a column, another index.
std::string migration(int v)
{
    const int t = (v - 1) / 3;
    const std::string name = "f" + std::to_string(t);
    switch ((v - 1) % 3) {
    case 0:
        return "CREATE TABLE " + name + " (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, score INTEGER DEFAULT 0);\n"
               "CREATE INDEX ix_" + name + "_name ON " + name + " (name);\n";
    case 1: return "ALTER TABLE " + name + " ADD COLUMN email VARCHAR(255);\n";
    default: return "CREATE INDEX ix_" + name + "_score ON " + name + " (score);\n";
    }
}

std::string write_migrations(const std::string& root, int steps)
{
    const fs::path dir = fs::path(root) / "migrations";
    fs::remove_all(dir);
    fs::create_directories(dir / "app");
    for (int v = 1; v <= steps; ++v) {
        char file[32];
        std::snprintf(file, sizeof file, "%04d_step_%d.sql", v, v);
        std::ofstream(dir / "app" / file) << "-- up\n" << migration(v);
    }
    return dir.string();
}

// The same statements as one script for the engine's client, from strata's offline SQL.
std::string client_script(const std::string& dir, const std::string& dialect, int steps, const std::string& path)
{
    const std::string out = path + ".out";
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(out.c_str(), "w", stdout))
            _exit(126);
        const std::string binary = strata_binary();
        execl(binary.c_str(), binary.c_str(), "--dir", dir.c_str(), "sql", "--from", "0", "--to",
              std::to_string(steps).c_str(), "--dialect", dialect.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("chain300_files: strata sql failed");
    fs::rename(out, path);
    return path;
}

struct Target {
    std::string url;  // for strata
    std::string dialect;
    std::function<void()> reset;
    std::function<void(const std::string& script)> run_script;  // the client on a script
    std::function<void()> query_version;                        // the client, one query
};

void check(int code, const char* what)
{
    if (code != 0)
        throw std::runtime_error(std::string(what) + " exited with " + std::to_string(code));
}

void measure_target(const Options& o, const Target& t, const std::string& dir, const std::string& script,
                    Report& report)
{
    const std::string strata = strata_binary();
    auto upgrade = [&] { check(run(strata, {"-q", "--dir", dir, "--bind", "app=" + t.url, "upgrade"}), "strata upgrade"); };
    if (o.wants("chain300_files")) {
        auto m = measure(o.quick ? 1 : 5, [&] { t.run_script(script); }, upgrade, t.reset);
        report.cases.push_back({"chain300_files", t.dialect, m.strata_ms, m.baseline_ms,
                                "the strata binary on SQL files against the engine's client on the same statements"});
    }
    if (o.wants("noop_files")) {
        t.reset();
        upgrade();
        auto m = measure(o.quick ? 1 : 21, t.query_version, upgrade);
        report.cases.push_back({"noop_files", t.dialect, m.strata_ms, m.baseline_ms,
                                "the strata binary's upgrade at head against one query by the engine's client"});
    }
}

}  // namespace

void file_cases(const Options& o, Report& report)
{
    if (o.series_pass || (!o.wants("chain300_files") && !o.wants("noop_files")))
        return;
    const int steps = o.quick ? 30 : 300;
    const std::string dir = write_migrations(o.work_dir + "/files", steps);
    const std::string select = "SELECT max(version) FROM strata_version";

    const std::string path = o.work_dir + "/files/app.db";
    Target lite{"sqlite:///" + path, "sqlite", [&] { fs::remove(path); },
                [&](const std::string& script) { check(run("/usr/bin/sqlite3", {path, ".read " + script}), "sqlite3"); },
                [&] { check(run("/usr/bin/sqlite3", {path, select}), "sqlite3"); }};
    measure_target(o, lite, dir, client_script(dir, "sqlite", steps, o.work_dir + "/files/sqlite.sql"), report);

    if (o.pg_url.empty())
        return;
    ScratchDatabase db(o.pg_url, "strata_bench_files");
    const std::string psql = pg_program("psql");
    const std::string conninfo = Url::parse(db.url()).unmasked();
    Target pg{db.url(), "postgresql",
              [&] {
                  RawPg raw(db.url());
                  raw.exec("DROP SCHEMA IF EXISTS public CASCADE");
                  raw.exec("CREATE SCHEMA public");
              },
              [&](const std::string& script) {
                  check(run(psql, {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-f", script}), "psql");
              },
              [&] { check(run(psql, {"-X", "-q", "-d", conninfo, "-c", select}), "psql"); }};
    measure_target(o, pg, dir, client_script(dir, "postgresql", steps, o.work_dir + "/files/postgresql.sql"),
                   report);
}

}  // namespace strata::bench
