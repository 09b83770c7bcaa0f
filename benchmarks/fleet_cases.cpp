// fleet1000 (PostgreSQL): 1,000 tenant schemas in one database, each taken
// through 10 steps by strata's fleet with 8 jobs, against the limit: the same
// script (strata's offline SQL of those steps: a transaction, a lock bound and
// a version row per step) run by a pool of 8 libpq connections, one thread each,
// with no strata code.
#include "bench.hpp"
#include "raw_sql.hpp"

#include "strata/database.hpp"
#include "strata/fleet.hpp"
#include "strata/scratch.hpp"
#include "strata/upgrader.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <thread>

namespace strata::bench {

namespace {

constexpr int jobs = 8;
constexpr long long steps = 10;

void declare_steps(Upgrader& up, Database db)
{
    auto b = up.bind("app", std::move(db), Schema{});
    b.without_models();
    for (long long n = 1; n <= steps; ++n)
        b.step(n, "step " + std::to_string(n), [n](Ops& o) {
            const auto t = "t" + std::to_string(n);
            o.execute("CREATE TABLE " + t + " (id bigint PRIMARY KEY, tenant_note text, created_at timestamptz NOT NULL "
                      "DEFAULT now()); CREATE INDEX " + t + "_created ON " + t + " (created_at)");
        });
}

// What both sides start from: every tenant schema empty.
void empty_schemas(const std::string& url, int tenants)
{
    RawPg raw(url);
    // In pieces: one transaction dropping a thousand schemas' tables runs out of lock slots.
    for (int from = 0; from < tenants; from += 50) {
        std::string sql;
        for (int i = from; i < std::min(tenants, from + 50); ++i)
            sql += "DROP SCHEMA IF EXISTS s" + std::to_string(i) + " CASCADE; CREATE SCHEMA s" + std::to_string(i) + ";";
        raw.exec(sql);
    }
}

}  // namespace

void fleet_cases(const Options& o, Report& report)
{
    if (o.series_pass || o.pg_url.empty() || !o.wants("fleet1000"))
        return;
    const int tenants = o.quick ? 24 : 1000;
    ScratchDatabase db(o.pg_url, "strata_bench_fleet");
    std::vector<FleetTarget> targets;
    for (int i = 0; i < tenants; ++i)
        targets.push_back({"s" + std::to_string(i), db.url() + "?schema=s" + std::to_string(i)});

    Upgrader offline;
    declare_steps(offline, defer_connect(db.url()));
    const auto script = statements_of(offline.sql("app", 0, steps, *find_dialect("postgresql")));

    // The script per tenant by 8 threads, each on one libpq connection; with
    // `connect_per_tenant`, a new connection for each tenant instead.
    auto pool_of_connections = [&](bool connect_per_tenant) {
        std::atomic<int> next = 0;
        std::vector<std::thread> pool;
        for (int j = 0; j < jobs; ++j)
            pool.emplace_back([&] {
                std::optional<RawPg> conn;
                for (int i = next++; i < tenants; i = next++) {
                    if (!conn || connect_per_tenant)
                        conn.emplace(db.url());
                    conn->exec("SET search_path TO s" + std::to_string(i));
                    for (const auto& st : script)
                        conn->exec(st);
                }
            });
        for (auto& t : pool)
            t.join();
    };
    auto baseline = [&] { pool_of_connections(false); };
    auto fleet = [&] {
        FleetOptions options;
        options.jobs = jobs;
        options.per_server = 0;  // one server: the jobs are the bound
        options.run.snapshots = 0;
        const auto r = upgrade_fleet(targets, [](const FleetTarget& t) {
            Upgrader up;
            declare_steps(up, defer_connect(t.url));
            return up;
        }, options);
        if (r.count(FleetOutcome::upgraded) != tenants)
            throw std::runtime_error("fleet1000: " + std::to_string(r.count(FleetOutcome::failed)) + " tenant(s) failed");
    };
    const int runs = o.quick ? 1 : 2;
    auto m = measure(runs, baseline, fleet, [&] { empty_schemas(db.url(), tenants); });
    empty_schemas(db.url(), tenants);
    const double connecting_ms = time_ms([&] { pool_of_connections(true); });
    RawPg check(db.url());
    if (check.scalar("SELECT count(*) FROM pg_tables WHERE tablename = 't10'") != tenants)
        throw std::runtime_error("fleet1000: not every tenant reached step 10");
    char connecting[64];
    std::snprintf(connecting, sizeof connecting, "%.0f ms (%.2fx)", connecting_ms, m.strata_ms / connecting_ms);
    report.cases.push_back({"fleet1000", "postgresql", m.strata_ms, m.baseline_ms,
                            std::to_string(tenants) + " schemas x 10 steps, 8 jobs; baseline: 8 libpq connections; "
                            "with a new connection per tenant: " + connecting});
}

}  // namespace strata::bench
