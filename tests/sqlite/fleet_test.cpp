// Fleets on SQLite files: the pool's bounds (jobs, per server), the canary,
// the failure limit and an interrupt, through the library; and `strata fleet`
// through the binary: one broken tenant reported while the others reach head,
// a rerun that does only what is behind, status and its JSON.
#include "test_support.hpp"

#include "strata/errors.hpp"
#include "strata/fleet.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <mutex>
#include <thread>

using namespace strata;
using namespace strata::test;

namespace {

// Targets named as if on three servers, each stored in a SQLite file; the
// step's data code counts how many run at once, per server and in all.
struct Concurrency {
    std::mutex m;
    std::map<std::string, int> now, most;
    int all_now = 0, all_most = 0;
    void enter(const std::string& server)
    {
        std::lock_guard lock(m);
        most[server] = std::max(most[server], ++now[server]);
        all_most = std::max(all_most, ++all_now);
    }
    void leave(const std::string& server)
    {
        std::lock_guard lock(m);
        --now[server];
        --all_now;
    }
};

std::vector<FleetTarget> three_servers(int per_server)
{
    std::vector<FleetTarget> out;
    for (const char* host : {"a", "b", "c"})
        for (int i = 0; i < per_server; ++i)
            out.push_back({std::string(host) + std::to_string(i), "postgresql://u@" + std::string(host) + ":5432/t" +
                                                                      std::to_string(i)});
    return out;
}

FleetUpgraderFactory counting(const TempDir& dir, Concurrency& c, std::set<std::string> failing = {})
{
    return [&dir, &c, failing](const FleetTarget& t) {
        Upgrader up;
        auto b = up.bind("app", defer_connect(dir.sqlite_url(t.name + ".db")), Schema{});
        b.without_models();
        const auto server = fleet_server_of(t.url);
        const bool fails = failing.count(t.name) > 0;
        b.step(1, "counted", data("count-1", [&c, server, fails](Session& s) {
            c.enter(server);
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            c.leave(server);
            if (fails)
                throw std::runtime_error("this tenant is broken");
            s.execute("CREATE TABLE done (x integer)");
        }));
        return up;
    };
}

}  // namespace

TEST(Fleet, JobsAndThePerServerBoundHoldWhateverTheOrder)
{
    TempDir dir;
    Concurrency c;
    FleetOptions options;
    options.jobs = 5;
    options.per_server = 2;
    const auto targets = three_servers(4);  // a0..a3, b0..b3, c0..c3: in order, 4 of one server would start first
    const auto report = upgrade_fleet(targets, counting(dir, c), options);
    EXPECT_EQ(report.count(FleetOutcome::upgraded), 12);
    EXPECT_EQ(report.head, 1);
    EXPECT_LE(c.all_most, 5);
    for (const auto& [server, most] : c.most)
        EXPECT_EQ(most, 2) << server;
    EXPECT_EQ(report.targets[0].server, "a:5432");
    // A rerun finds everything at head.
    const auto again = upgrade_fleet(targets, counting(dir, c), options);
    EXPECT_EQ(again.count(FleetOutcome::up_to_date), 12);
}

TEST(Fleet, AFailedCanaryStopsTheRunAndAFailureLimitStopsNewTargets)
{
    TempDir dir;
    Concurrency c;
    FleetOptions options;
    options.jobs = 2;
    options.canary = 3;
    const auto targets = three_servers(3);
    auto report = upgrade_fleet(targets, counting(dir, c, {"a1"}), options);
    EXPECT_TRUE(report.stopped);
    EXPECT_NE(report.stop_reason.find("canary"), std::string::npos) << report.stop_reason;
    EXPECT_EQ(report.count(FleetOutcome::failed), 1);
    EXPECT_EQ(report.count(FleetOutcome::upgraded), 2);
    EXPECT_EQ(report.count(FleetOutcome::not_started), 6);
    EXPECT_NE(report.targets[1].error.find("this tenant is broken"), std::string::npos) << report.targets[1].error;

    // One job, at most one failure: the second broken tenant is never reached.
    TempDir other;
    FleetOptions limited;
    limited.jobs = 1;
    limited.max_failures = 1;
    report = upgrade_fleet(targets, counting(other, c, {"b0", "c2"}), limited);
    EXPECT_TRUE(report.stopped);
    EXPECT_EQ(report.count(FleetOutcome::failed), 1);
    EXPECT_EQ(report.count(FleetOutcome::upgraded), 3);
    EXPECT_EQ(report.count(FleetOutcome::not_started), 5);

    // Interrupted before it began: nothing starts.
    TempDir third;
    std::atomic<bool> stop{true};
    FleetOptions stopped;
    stopped.stop = &stop;
    report = upgrade_fleet(targets, counting(third, c), stopped);
    EXPECT_EQ(report.count(FleetOutcome::not_started), 9);
    EXPECT_TRUE(report.stopped);
}

TEST(Fleet, TargetFilesAreJsonOrLinesAndMistakesAreNamed)
{
    auto lines = parse_fleet_targets("# tenants\nsqlite:a.db acme\n\n  postgresql://u:secret@h:6432/db  \n");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0].name, "acme");
    EXPECT_EQ(lines[1].name, "");
    EXPECT_EQ(fleet_server_of(lines[1].url), "h:6432");
    EXPECT_EQ(fleet_server_of(lines[0].url), "local");
    auto json = parse_fleet_targets(R"([{"name": "x", "url": "sqlite:x.db"}, "sqlite:y.db"])");
    ASSERT_EQ(json.size(), 2u);
    EXPECT_EQ(json[0].name, "x");
    EXPECT_EQ(json[1].url, "sqlite:y.db");
    auto refused = [](const std::string& text, const std::string& expected) {
        try {
            (void)parse_fleet_targets(text);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    refused("sqlite:a.db\nnot-a-url\n", "line 2");
    refused("sqlite:a.db name extra\n", "line 1");
    refused("[{\"name\": 1}]", "item 1");
    refused("[", "not valid JSON");
}

// The binary over 12 SQLite files, one of which holds by hand the table step 2
// creates: it fails with its error while the others reach head; fixed, a rerun
// upgrades it alone. Passwords never show.
TEST(Fleet, TheBinaryReportsABrokenTenantAndARerunDoesOnlyWhatIsBehind)
{
    TempDir dir;
    const auto mig = dir.path() / "mig";
    std::filesystem::create_directories(mig / "app");
    std::ofstream(mig / "app" / "0001_a.sql") << "-- up\nCREATE TABLE a (id integer);\n";
    std::ofstream(mig / "app" / "0002_b.sql") << "-- up\nCREATE TABLE b (id integer);\nINSERT INTO b VALUES (2);\n";
    std::ofstream(mig / "app" / "0003_c.sql") << "-- up\nCREATE TABLE c (id integer);\n";
    std::ofstream list(dir.path() / "targets.txt");
    for (int i = 0; i < 12; ++i)
        list << dir.sqlite_url("t" + std::to_string(i) + ".db") << " tenant" << i << "\n";
    list.close();
    const std::vector<std::string> fleet{"--dir", mig.string(), "fleet"};
    auto with = [&](std::vector<std::string> words) {
        auto all = fleet;
        all.insert(all.end(), words.begin(), words.end());
        return run_cli(all);
    };
    // tenant5 is at version 1 and has a table named b already.
    ASSERT_EQ(run_cli({"--dir", mig.string(), "--bind", "app=" + dir.sqlite_url("t5.db"), "upgrade", "--to", "1"}).exit_code, 0);
    connect(dir.sqlite_url("t5.db")).session().execute("CREATE TABLE b (made_by_hand text)");

    auto first = with({"upgrade", "--targets", (dir.path() / "targets.txt").string(), "--jobs", "3"});
    EXPECT_EQ(first.exit_code, 1) << first.out << first.err;
    EXPECT_NE(first.out.find("11 upgraded, 1 failed"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("failed tenant5"), std::string::npos) << first.out;
    EXPECT_NE(first.out.find("already exists"), std::string::npos) << first.out;
    EXPECT_NE(first.err.find("tenant5"), std::string::npos) << first.err;

    auto status = run_cli({"--dir", mig.string(), "--json", "fleet", "status", "--targets",
                           (dir.path() / "targets.txt").string()});
    EXPECT_EQ(status.exit_code, 3) << status.err;
    const auto j = nlohmann::json::parse(status.out);
    EXPECT_EQ(j["format"], "strata.fleet/1");
    EXPECT_EQ(j["head"], 3);
    EXPECT_EQ(j["versions"]["3"], 11);
    EXPECT_EQ(j["versions"]["1"], 1);
    EXPECT_EQ(j["counts"]["behind"], 1);
    EXPECT_EQ(j["targets"][5]["target"], "tenant5");
    EXPECT_EQ(j["targets"][5]["status"], "behind");

    connect(dir.sqlite_url("t5.db")).session().execute("DROP TABLE b");
    auto rerun = run_cli({"--dir", mig.string(), "--json", "fleet", "upgrade", "--targets",
                          (dir.path() / "targets.txt").string()});
    EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
    const auto r = nlohmann::json::parse(rerun.out);
    EXPECT_EQ(r["counts"]["up_to_date"], 11);
    EXPECT_EQ(r["counts"]["upgraded"], 1);
    EXPECT_EQ(r["targets"][5]["status"], "upgraded");
    EXPECT_EQ(r["targets"][5]["from"], 1);
    EXPECT_EQ(r["targets"][5]["to"], 3);
    EXPECT_EQ(run_cli({"--dir", mig.string(), "fleet", "status", "--targets", (dir.path() / "targets.txt").string()}).exit_code, 0);

    // Mistakes of the command line.
    EXPECT_EQ(with({"upgrade"}).exit_code, 2);
    EXPECT_EQ(with({"sideways", "--targets", (dir.path() / "targets.txt").string()}).exit_code, 2);
    std::ofstream(dir.path() / "bad.txt") << "postgresql://u:hunter2@nowhere.invalid:1/db?connect_timeout=1 far\n";
    auto bad = with({"upgrade", "--targets", (dir.path() / "bad.txt").string()});
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_EQ((bad.out + bad.err).find("hunter2"), std::string::npos) << bad.out << bad.err;
    EXPECT_NE(bad.out.find("failed far"), std::string::npos) << bad.out;
}

// A migration edited after it was applied shows as drift in fleet status; an
// application's own binary runs a fleet of its app bind (with its models: a
// fresh setup on each empty target).
TEST(Fleet, StatusNamesDriftAndAnApplicationRunsAFleetOfItsOwnBind)
{
    TempDir dir;
    const auto mig = dir.path() / "mig";
    std::filesystem::create_directories(mig / "app");
    std::ofstream(mig / "app" / "0001_a.sql") << "-- up\nCREATE TABLE a (id integer);\n";
    std::ofstream(dir.path() / "targets.txt") << dir.sqlite_url("x.db") << " x\n" << dir.sqlite_url("y.db") << " y\n";
    const auto targets = (dir.path() / "targets.txt").string();
    ASSERT_EQ(run_cli({"--dir", mig.string(), "fleet", "upgrade", "--targets", targets}).exit_code, 0);
    std::ofstream(mig / "app" / "0001_a.sql") << "-- up\nCREATE TABLE a (id integer, edited text);\n";
    auto status = run_cli({"--dir", mig.string(), "--json", "fleet", "status", "--targets", targets});
    EXPECT_EQ(status.exit_code, 3) << status.err;
    const auto j = nlohmann::json::parse(status.out);
    EXPECT_EQ(j["counts"]["drifted"], 2);
    EXPECT_NE(j["targets"][0]["error"].get<std::string>().find("recorded step(s) 1 differ"), std::string::npos)
        << j["targets"][0];

    const std::string soseki = std::filesystem::path(STRATA_CLI_PATH).parent_path() / "soseki-demo";
    std::ofstream(dir.path() / "apps.txt") << dir.sqlite_url("a1.db") << " one\n" << dir.sqlite_url("a2.db") << " two\n";
    const std::vector<std::string> app{"--bind", "log=" + dir.sqlite_url("log.db"), "db", "--json"};
    auto both = app;
    both.insert(both.end(), {"fleet", "upgrade", "--targets", (dir.path() / "apps.txt").string()});
    auto refused = run_program(soseki, both);
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find("--only NAME"), std::string::npos) << refused.err;
    auto only = app;
    only.insert(only.end(), {"--only", "app", "fleet", "upgrade", "--targets", (dir.path() / "apps.txt").string()});
    auto fleet = run_program(soseki, only);
    ASSERT_EQ(fleet.exit_code, 0) << fleet.err;
    const auto f = nlohmann::json::parse(fleet.out);
    EXPECT_EQ(f["counts"]["upgraded"], 2);
    EXPECT_EQ(f["head"], 5);
    auto db = connect(dir.sqlite_url("a2.db"));
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT max(version) FROM strata_version")), 5);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "log.db")) << "the fleet touches the app bind only";
}
