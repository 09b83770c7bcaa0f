// Fleets on real PostgreSQL servers: three servers holding a hundred tenant
// databases, and a database of five hundred tenant schemas listed by a query.
// One broken tenant fails with its error while all others reach head; a rerun
// upgrades only it; a fleet run killed midway and run again, and two runs at
// once, leave every step applied exactly once per target.
#include "test_support.hpp"

#include "strata/database.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <thread>

using namespace strata;
using namespace strata::test;

namespace {

constexpr int steps = 5;

// Step N creates table tN and records itself in `hits` (made by step 1): a
// step run twice or never shows there. Step 1 records its server process.
void write_migrations(const std::filesystem::path& dir)
{
    std::filesystem::create_directories(dir / "app");
    for (int n = 1; n <= steps; ++n)
        std::ofstream(dir / "app" / ("000" + std::to_string(n) + "_t" + std::to_string(n) + ".sql"))
            << "-- up\n"
            << (n == 1 ? "CREATE TABLE hits (step integer NOT NULL);\n"
                         "CREATE TABLE pids (pid integer NOT NULL);\nINSERT INTO pids VALUES (pg_backend_pid());\n"
                       : "")
            << "CREATE TABLE t" << n << " (id bigint PRIMARY KEY, note text);\nINSERT INTO hits VALUES (" << n << ");\n";
}

// The URL of database `name` on the server of `server_url`.
std::string database_url(const std::string& server_url, const std::string& name)
{
    const auto slash = server_url.rfind('/');
    return server_url.substr(0, slash + 1) + name;
}

// Each step's hit once: "1,2,3,4,5".
std::string hits_of(Database& db)
{
    std::string out;
    for (const auto& row : db.session().query("SELECT step FROM hits ORDER BY step").rows)
        out += (out.empty() ? "" : ",") + std::to_string(std::get<std::int64_t>(row[0]));
    return out;
}

const std::string all_hits = "1,2,3,4,5";

class PostgresqlFleet : public PgTest {
protected:
    void SetUp() override
    {
        PgTest::SetUp();
        if (HasFatalFailure() || IsSkipped())
            return;
        write_migrations(dir_.path() / "mig");
    }

    [[nodiscard]] std::vector<std::string> fleet(const std::vector<std::string>& words) const
    {
        std::vector<std::string> all{"--dir", (dir_.path() / "mig").string(), "--json", "fleet"};
        all.insert(all.end(), words.begin(), words.end());
        return all;
    }

    // A database of `count` tenant schemas and a table listing them; its URL.
    std::string tenant_database(int count)
    {
        const auto name = unique_name("fleet_tenants");
        connect(server_url_).session().execute("CREATE DATABASE " + name);
        databases_.push_back(name);
        const auto url = database_url(server_url_, name);
        std::string sql = "CREATE TABLE public.tenants (schema_name text PRIMARY KEY, tenant text);";
        for (int i = 0; i < count; ++i)
            sql += "CREATE SCHEMA s" + std::to_string(i) + "; INSERT INTO public.tenants VALUES ('s" + std::to_string(i) +
                   "', 'tenant " + std::to_string(i) + "');";
        connect(url).session().execute(sql);
        return url;
    }

    // Every tenant schema's hits, counted by what they are.
    std::map<std::string, int> schema_hits(const std::string& url, int count)
    {
        std::map<std::string, int> out;
        auto db = connect(url);
        for (int i = 0; i < count; ++i) {
            db.session().execute("SET search_path TO s" + std::to_string(i));
            ++out[hits_of(db)];
        }
        return out;
    }

    void TearDown() override
    {
        if (server_url_.empty())
            return;
        try {
            auto db = connect(server_url_);
            for (const auto& name : databases_)
                db.session().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (const std::exception&) {
        }
    }

    TempDir dir_;
    std::vector<std::string> databases_;
};

}  // namespace

TEST_F(PostgresqlFleet, AHundredDatabasesOnThreeServersReachHeadAroundOneBrokenTenant)
{
    PgServer second, third;
    const std::vector<std::string> servers{server_url_, second.url(), third.url()};
    std::ofstream list(dir_.path() / "targets.txt");
    std::vector<std::string> urls;
    for (int i = 0; i < 100; ++i) {
        const auto& server = servers[static_cast<std::size_t>(i % 3)];
        const auto name = unique_name("fleet_db");
        connect(server).session().execute("CREATE DATABASE " + name);
        if (server == server_url_)
            databases_.push_back(name);
        urls.push_back(database_url(server, name));
        list << urls.back() << " tenant" << i << "\n";
    }
    list.close();
    // tenant 40 is at version 2 and has a table t3 made by hand.
    ASSERT_EQ(run_cli({"--dir", (dir_.path() / "mig").string(), "--bind", "app=" + urls[40], "upgrade", "--to", "2"}).exit_code, 0);
    connect(urls[40]).session().execute("CREATE TABLE t3 (made_by_hand text)");

    const auto targets = (dir_.path() / "targets.txt").string();
    auto first = run_cli(fleet({"upgrade", "--targets", targets, "--jobs", "6", "--per-server", "2"}));
    EXPECT_EQ(first.exit_code, 1) << first.err;
    auto j = nlohmann::json::parse(first.out);
    EXPECT_EQ(j["counts"]["upgraded"], 99) << first.out;
    EXPECT_EQ(j["counts"]["failed"], 1);
    EXPECT_EQ(j["targets"][40]["target"], "tenant40");
    EXPECT_EQ(j["targets"][40]["status"], "failed");
    EXPECT_NE(j["targets"][40]["error"].get<std::string>().find("already exists"), std::string::npos) << j["targets"][40];
    EXPECT_EQ(j["versions"]["5"], 99);
    std::set<std::string> seen_servers;
    for (const auto& t : j["targets"])
        seen_servers.insert(t["server"].get<std::string>());
    EXPECT_EQ(seen_servers.size(), 3u);

    connect(urls[40]).session().execute("DROP TABLE t3");
    auto rerun = run_cli(fleet({"upgrade", "--targets", targets, "--jobs", "6"}));
    EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
    j = nlohmann::json::parse(rerun.out);
    EXPECT_EQ(j["counts"]["upgraded"], 1) << rerun.out;
    EXPECT_EQ(j["counts"]["up_to_date"], 99);
    EXPECT_EQ(j["targets"][40]["from"], 2);
    for (int i = 0; i < 100; ++i) {
        auto db = connect(urls[static_cast<std::size_t>(i)]);
        ASSERT_EQ(hits_of(db), all_hits) << "tenant" << i;
    }
    auto status = run_cli(fleet({"status", "--targets", targets}));
    EXPECT_EQ(status.exit_code, 0) << status.out;
    EXPECT_EQ(nlohmann::json::parse(status.out)["counts"]["at_head"], 100);
}

TEST_F(PostgresqlFleet, FiveHundredSchemasFromAQueryKilledMidwayThenRunAgainApplyEachStepOnce)
{
    const auto url = tenant_database(500);
    const std::string query = "SELECT schema_name, tenant FROM public.tenants ORDER BY schema_name";
    auto args = fleet({"upgrade", "--targets-query", query, "--control", url, "--jobs", "4"});
    args.insert(args.begin(), STRATA_CLI_PATH);
    auto child = spawn_program(args.front(), std::vector<std::string>(args.begin() + 1, args.end()));
    // Killed once some tenants are done and most are not.
    auto db = connect(url);
    for (int i = 0; i < 400; ++i) {
        const auto done = std::get<std::int64_t>(db.session().scalar(
            "SELECT count(*) FROM pg_tables WHERE tablename = 't5'"));
        if (done >= 40)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    kill(child.pid, SIGKILL);
    const auto killed = wait_program(child);
    EXPECT_EQ(killed.exit_code, 128 + SIGKILL) << killed.err;
    const auto done_before = std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM pg_tables WHERE tablename = 't5'"));
    EXPECT_LT(done_before, 500) << "the kill came after the run";

    auto rerun = run_cli(fleet({"upgrade", "--targets-query", query, "--control", url, "--jobs", "4"}));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    const auto j = nlohmann::json::parse(rerun.out);
    EXPECT_EQ(j["counts"]["up_to_date"].get<long long>() + j["counts"]["upgraded"].get<long long>(), 500);
    EXPECT_GE(j["counts"]["up_to_date"].get<long long>(), done_before);
    EXPECT_EQ(j["targets"][0]["target"], "tenant 0");
    EXPECT_EQ(j["targets"][0]["url"].get<std::string>().find("schema=s0") != std::string::npos, true);
    const auto hits = schema_hits(url, 500);
    EXPECT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits.begin()->first, all_hits);
}

TEST_F(PostgresqlFleet, TwoFleetRunsAtOnceApplyEachStepOncePerTarget)
{
    const auto url = tenant_database(150);
    const std::string query = "SELECT schema_name FROM public.tenants";
    std::vector<Child> runs;
    for (int k = 0; k < 2; ++k)
        runs.push_back(spawn_program(STRATA_CLI_PATH, fleet({"upgrade", "--targets-query", query, "--control", url,
                                                             "--jobs", "4", "--per-server", "0"})));
    long long upgraded = 0;
    for (auto& run : runs) {
        const auto r = wait_program(run);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto j = nlohmann::json::parse(r.out);
        upgraded += j["counts"].value("upgraded", 0LL);
    }
    EXPECT_GE(upgraded, 150) << "each tenant upgraded by one run or shared between them";
    const auto hits = schema_hits(url, 150);
    EXPECT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits.begin()->first, all_hits);
    // The tenants of one database share their workers' connections: 2 runs x 4 jobs.
    std::string pids = "SELECT count(DISTINCT pid) FROM (";
    for (int i = 0; i < 150; ++i)
        pids += std::string(i ? " UNION ALL " : "") + "SELECT pid FROM s" + std::to_string(i) + ".pids";
    const auto processes = std::get<std::int64_t>(connect(url).session().scalar(pids + ") p"));
    EXPECT_LE(processes, 8) << "a new connection per tenant";
    EXPECT_GE(processes, 2);
}

// Ctrl-C (SIGINT) in the middle of a fleet run: the targets in progress finish,
// no new one starts, the report says so and exits 1; no tenant is left between
// two steps' versions and schema (each at a step boundary), and a rerun ends it.
TEST_F(PostgresqlFleet, CtrlCFinishesTheRunningTargetsAndStartsNoNewOne)
{
    const auto url = tenant_database(300);
    const std::string query = "SELECT schema_name FROM public.tenants ORDER BY schema_name";
    auto child = spawn_program(STRATA_CLI_PATH, fleet({"upgrade", "--targets-query", query, "--control", url, "--jobs", "2"}));
    auto db = connect(url);
    for (int i = 0; i < 400; ++i) {
        if (std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM pg_tables WHERE tablename = 't5'")) >= 20)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    kill(child.pid, SIGINT);
    const auto stopped = wait_program(child);
    EXPECT_EQ(stopped.exit_code, 1) << stopped.err;
    const auto j = nlohmann::json::parse(stopped.out);
    EXPECT_TRUE(j["stopped"].get<bool>());
    EXPECT_NE(j["stop_reason"].get<std::string>().find("interrupted"), std::string::npos) << j["stop_reason"];
    const auto upgraded = j["counts"].value("upgraded", 0LL);
    EXPECT_GE(upgraded, 20);
    EXPECT_GT(j["counts"].value("not_started", 0LL), 0) << "the interrupt came after the run";
    EXPECT_EQ(j["counts"].value("failed", 0LL), 0);
    EXPECT_EQ(upgraded + j["counts"].value("not_started", 0LL), 300);
    // Every target it started is at head; none of the others was touched.
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM pg_tables WHERE tablename = 't5'")),
              upgraded);
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM pg_tables WHERE tablename = 'hits'")),
              upgraded);
    auto rerun = run_cli(fleet({"upgrade", "--targets-query", query, "--control", url, "--jobs", "4"}));
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_EQ(nlohmann::json::parse(rerun.out)["counts"]["up_to_date"].get<long long>(), upgraded);
    const auto hits = schema_hits(url, 300);
    EXPECT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits.begin()->first, all_hits);
}
