// The strata and soseki-demo binaries, on each engine: every command, every exit
// code, JSON parsed field by field.
#include "upgrader_suite.hpp"

#include "strata/errors.hpp"
#include "strata/inspect.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

namespace strata::test {

using nlohmann::json;
namespace fs = std::filesystem;

TEST_P(CliSuite, StatusOfAFreshBindHasTheFixedShape)
{
    auto j = json_of(strata({"--json", "status"}));
    EXPECT_EQ(j["format"], "strata.status/1");
    ASSERT_EQ(j["binds"].size(), 1u);
    const auto& b = j["binds"][0];
    EXPECT_EQ(b["bind"], "app");
    EXPECT_EQ(b["dialect"], sqlite() ? "sqlite" : "postgresql");
    EXPECT_EQ(b["state"], "fresh");
    EXPECT_EQ(b["current"], 0);
    EXPECT_EQ(b["head"], 5);
    EXPECT_EQ(b["pending"], json::array({1, 2, 3, 4, 5}));
    EXPECT_EQ(b["skipped_on_fresh"], json::array());
    EXPECT_EQ(b["checksum_mismatches"], json::array());
    EXPECT_EQ(b["drift"], json::array());
    EXPECT_TRUE(b["error"].is_null());
}

TEST_P(CliSuite, UpgradeStatusAndHistory)
{
    auto up = json_of(strata({"--json", "upgrade"}));
    EXPECT_EQ(up["format"], "strata.upgrade/1");
    EXPECT_EQ(up["binds"][0]["action"], "replayed");
    EXPECT_EQ(up["binds"][0]["from"], 0);
    EXPECT_EQ(up["binds"][0]["to"], 5);
    ASSERT_EQ(up["binds"][0]["steps"].size(), 5u);
    EXPECT_EQ(up["binds"][0]["steps"][1]["description"], "add name");
    auto status = json_of(strata({"--json", "status"}));
    EXPECT_EQ(status["binds"][0]["state"], "ok");
    EXPECT_EQ(status["binds"][0]["pending"], json::array());
    auto history = json_of(strata({"--json", "history"}));
    EXPECT_EQ(history["format"], "strata.history/1");
    const auto& entries = history["binds"][0]["entries"];
    ASSERT_EQ(entries.size(), 5u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(entries[i]["version"], i + 1);
        EXPECT_EQ(entries[i]["kind"], "applied");
        EXPECT_TRUE(entries[i]["checksum"].get<std::string>().starts_with("1:"));
        EXPECT_FALSE(entries[i]["applied_at"].get<std::string>().empty());
        EXPECT_GE(entries[i]["duration_ms"].get<double>(), 0.0);
        EXPECT_NE(entries[i]["applied_by"].get<std::string>().find('/'), std::string::npos);
    }
    EXPECT_EQ(entries[0]["description"], "users");
    auto text = strata({"history"});
    EXPECT_EQ(text.exit_code, 0);
    EXPECT_NE(text.out.find("applied"), std::string::npos);
    auto again = strata({"upgrade"});
    EXPECT_EQ(again.exit_code, 0);
    EXPECT_EQ(again.out, "app: up to date at version 5\n");
}

TEST_P(CliSuite, UpgradeToDowngradeAndAnIrreversibleStep)
{
    EXPECT_EQ(strata({"upgrade", "--to", "3"}).exit_code, 0);
    EXPECT_EQ(current(), 3);
    auto down = strata({"downgrade", "--to", "1"});
    EXPECT_EQ(down.exit_code, 0) << down.err;
    EXPECT_EQ(down.out, "app: downgraded from 3 to 1 (2 steps, " + down.out.substr(down.out.find(", ") + 2));
    EXPECT_EQ(current(), 1);
    EXPECT_EQ(strata({"upgrade"}).exit_code, 0);
    auto refused = strata({"downgrade", "--to", "3"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("step 5 of bind 'app' cannot be reverted: raw SQL has no down SQL"), std::string::npos)
        << refused.err;
    EXPECT_EQ(current(), 5);
    EXPECT_EQ(strata({"downgrade"}).exit_code, 2);  // --to is required
}

TEST_P(CliSuite, OfflineSqlBuildsADatabaseAtTheRightVersion)
{
    const std::string dialect = sqlite() ? "sqlite" : "postgresql";
    // Offline: the bind's URL is never opened (it points at nothing here).
    const std::string nowhere = sqlite() ? "sqlite:///" + (dir_.path() / "absent" / "never.db").string() + "?mode=ro"
                                         : "postgresql://nobody:secret@127.0.0.1:1/none";
    auto r = strata({"sql", "--from", "0", "--to", "5", "--dialect", dialect}, nowhere);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("CREATE TABLE \"strata_version\""), std::string::npos);
    EXPECT_NE(r.out.find("BEGIN;"), std::string::npos);
    std::size_t inserts = 0;
    for (auto at = r.out.find("INSERT INTO \"strata_version\""); at != std::string::npos;
         at = r.out.find("INSERT INTO \"strata_version\"", at + 1))
        ++inserts;
    EXPECT_EQ(inserts, 5u);
    {
        auto db = connect(url_);
        db.session().execute(r.out);
    }
    auto status = json_of(strata({"--json", "status"}));
    EXPECT_EQ(status["binds"][0]["state"], "ok");
    EXPECT_EQ(status["binds"][0]["current"], 5);
    EXPECT_EQ(strata({"check"}).exit_code, 0);
    auto down = strata({"sql", "--from", "4", "--to", "2", "--dialect", dialect}, nowhere);
    ASSERT_EQ(down.exit_code, 0) << down.err;
    EXPECT_LT(down.out.find("DROP VIEW named_users"), down.out.find("DROP TABLE orders"));
    EXPECT_NE(down.out.find("'reverted'"), std::string::npos);
}

TEST_P(CliSuite, GlobalOptionsAlsoFollowTheCommandAndSqlNeedsNoUrl)
{
    // `status --json --bind ...` as people type it.
    auto r = run_cli({"status", "--json", "--dir", dir_path_, "--bind=app=" + url_});
    auto j = json_of(r);
    EXPECT_EQ(j["format"], "strata.status/1");
    EXPECT_EQ(j["binds"][0]["head"], 5);
    // Offline SQL of a SQL-file project: no URL at all.
    const std::string dialect = sqlite() ? "sqlite" : "postgresql";
    auto offline = run_cli({"--dir", dir_path_, "sql", "--from", "0", "--to", "2", "--dialect", dialect});
    ASSERT_EQ(offline.exit_code, 0) << offline.err;
    EXPECT_NE(offline.out.find("ALTER TABLE users ADD COLUMN name TEXT"), std::string::npos);
    // Other commands still name the missing URL.
    auto status = run_cli({"--dir", dir_path_, "status"});
    EXPECT_EQ(status.exit_code, 2);
    EXPECT_NE(status.err.find("bind 'app'"), std::string::npos) << status.err;
    EXPECT_NE(status.err.find("--bind app=URL"), std::string::npos) << status.err;
}

TEST_P(CliSuite, DryRunPrintsAndChangesNothing)
{
    auto r = strata({"upgrade", "--dry-run"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("CREATE TABLE users"), std::string::npos);
    EXPECT_EQ(current(), 0);
    EXPECT_TRUE(connect(url_).inspect().tables.empty());
}

TEST_P(CliSuite, CheckFindsDriftAndExitsThree)
{
    ASSERT_EQ(strata({"upgrade"}).exit_code, 0);
    EXPECT_EQ(strata({"check"}).exit_code, 0);
    connect(url_).session().execute("ALTER TABLE users ADD COLUMN extra TEXT");
    auto r = strata({"check"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.out.find("table users: column extra: only in database"), std::string::npos) << r.out;
    auto j = run_cli({"--dir", dir_path_, "--bind", "app=" + url_, "--json", "check"});
    EXPECT_EQ(j.exit_code, 3);
    auto parsed = json::parse(j.out);
    EXPECT_EQ(parsed["format"], "strata.check/1");
    EXPECT_EQ(parsed["binds"][0]["compared_with"], "chain replayed to version 5");
    ASSERT_EQ(parsed["binds"][0]["differences"].size(), 1u);
    EXPECT_EQ(parsed["binds"][0]["differences"][0]["name"], "extra");
    EXPECT_EQ(parsed["binds"][0]["differences"][0]["kind"], "removed");
}

TEST_P(CliSuite, VerifyPassesThenFindsADownThatDoesNotUndo)
{
    auto ok = strata({"--json", "verify"});
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    auto j = json::parse(ok.out);
    EXPECT_EQ(j["format"], "strata.verify/1");
    EXPECT_EQ(j["binds"][0]["ok"], true);
    EXPECT_GT(j["binds"][0]["checks"].get<int>(), 5);
    ASSERT_EQ(j["binds"][0]["notes"].size(), 1u);  // step 5 has no way down
    write("0004_view.sql", "-- up\nCREATE VIEW named_users AS SELECT id, name FROM users WHERE name IS NOT NULL;\n"
                           "CREATE TABLE IF NOT EXISTS scratch (x INTEGER);\n-- down\nDROP VIEW named_users;\n");
    auto failed = strata({"verify"});
    EXPECT_EQ(failed.exit_code, 3);
    EXPECT_NE(failed.out.find("step 4 down does not return to version 3: table scratch: only in after down"),
              std::string::npos) << failed.out;
}

TEST_P(CliSuite, ADownSectionOfCommentsIsNoWayDown)
{
    // What autogenerate writes for a step it cannot reverse: comments, never half a way down.
    write("0006_gone.sql", "-- up\nCREATE TABLE gone (x INTEGER);\n-- down\n-- no way down: drop_table t does not "
                           "record the table's definition\n");
    ASSERT_EQ(strata({"upgrade"}).exit_code, 0);
    EXPECT_EQ(current(), 6);
    auto refused = strata({"downgrade", "--to", "5"});
    EXPECT_EQ(refused.exit_code, 1) << refused.out;
    EXPECT_NE(refused.err.find("step 6 of bind 'app' cannot be reverted"), std::string::npos) << refused.err;
    EXPECT_EQ(current(), 6);
}

TEST_P(CliSuite, UnversionedBindIsRefusedUntilStamped)
{
    connect(url_).session().execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE)");
    auto refused = strata({"upgrade"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("has tables but no strata_version"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("stamp"), std::string::npos);
    EXPECT_EQ(json_of(strata({"--json", "status"}))["binds"][0]["state"], "unversioned");
    auto stamped = strata({"stamp", "1"});
    EXPECT_EQ(stamped.exit_code, 0) << stamped.err;
    EXPECT_EQ(strata({"upgrade"}).exit_code, 0);
    EXPECT_EQ(current(), 5);
    auto history = json_of(strata({"--json", "history"}));
    EXPECT_EQ(history["binds"][0]["entries"][0]["kind"], "stamped");
    EXPECT_EQ(strata({"stamp", "x"}).exit_code, 2);
}

TEST_P(CliSuite, NewerDatabaseExitsFive)
{
    ASSERT_EQ(strata({"upgrade"}).exit_code, 0);
    fs::remove(fs::path(dir_path_) / "app" / "0005_audit.sql");
    EXPECT_EQ(json_of(strata({"--json", "status"}))["binds"][0]["state"], "ahead");
    auto r = strata({"upgrade"});
    EXPECT_EQ(r.exit_code, 5);
    EXPECT_NE(r.err.find("is at version 5 but this program knows steps up to 4"), std::string::npos) << r.err;
}

TEST_P(CliSuite, SetupDbAndCleanDb)
{
    EXPECT_EQ(strata({"upgrade", "--to", "2"}).exit_code, 0);
    auto refused = strata({"setup-db"});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("setup-db only sets up empty binds"), std::string::npos) << refused.err;
    auto no = strata({"clean-db"});
    EXPECT_EQ(no.exit_code, 2);
    EXPECT_NE(no.err.find("add --yes"), std::string::npos);
    EXPECT_EQ(current(), 2);  // nothing dropped
    EXPECT_EQ(strata({"clean-db", "--yes"}).exit_code, 0);
    EXPECT_EQ(json_of(strata({"--json", "status"}))["binds"][0]["state"], "fresh");
    EXPECT_TRUE(connect(url_).inspect().tables.empty());
    EXPECT_EQ(strata({"setup-db"}).exit_code, 0);
    EXPECT_EQ(current(), 5);
    auto again = strata({"setup-db"});
    EXPECT_EQ(again.exit_code, 0);  // at head: nothing to do
    EXPECT_EQ(again.out, "app: up to date at version 5\n");
}

TEST_P(CliSuite, CreateAndAutogenerateWriteMigrationFiles)
{
    auto created = strata({"create", "Add phone!"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_EQ(created.out, (fs::path(dir_path_) / "app" / "0006_add_phone.sql").string() + "\n");
    auto text = read_file(fs::path(dir_path_) / "app" / "0006_add_phone.sql");
    EXPECT_NE(text.find("-- up\n"), std::string::npos);
    EXPECT_NE(text.find("-- down\n"), std::string::npos);
    fs::remove(fs::path(dir_path_) / "app" / "0006_add_phone.sql");

    // A change made by hand on a development database becomes the next file.
    ASSERT_EQ(strata({"upgrade"}).exit_code, 0);
    connect(url_).session().execute("ALTER TABLE users ADD COLUMN phone VARCHAR(40)");
    auto generated = strata({"autogenerate", "add phone"});
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    auto file = read_file(fs::path(dir_path_) / "app" / "0006_add_phone.sql");
    EXPECT_NE(file.find("ADD COLUMN \"phone\""), std::string::npos) << file;
    EXPECT_NE(file.find("DROP COLUMN \"phone\""), std::string::npos) << file;
    // Another database takes the new file like any other.
    auto other = new_url();
    auto up = strata({"upgrade"}, other);
    ASSERT_EQ(up.exit_code, 0) << up.err;
    auto status = json_of(strata({"--json", "status"}, other));
    EXPECT_EQ(status["binds"][0]["current"], 6);
    EXPECT_NE(connect(other).inspect().find_table("users")->find_column("phone"), nullptr);
    // The development database is adopted at 6 and shows no drift.
    ASSERT_EQ(strata({"stamp", "6"}).exit_code, 0);
    EXPECT_EQ(strata({"check"}).exit_code, 0);
}

TEST_P(CliSuite, BadInputExitsTwoAndAppliesNothing)
{
    auto expect_usage = [&](const std::vector<std::string>& args, const std::string& message) {
        auto r = strata(args);
        EXPECT_EQ(r.exit_code, 2) << testing::PrintToString(args) << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    };
    expect_usage({"frobnicate"}, "unknown command 'frobnicate'");
    expect_usage({"--frob", "status"}, "unknown option '--frob'");
    expect_usage({"--only", "nope", "status"}, "unknown bind 'nope' in --only");
    expect_usage({"upgrade", "--to", "three"}, "--to takes a version number");
    expect_usage({"upgrade", "--bogus"}, "unknown option '--bogus' for upgrade");
    expect_usage({"sql", "--from", "0", "--to", "1"}, "sql needs --dialect");
    auto bad_url = run_cli({"--dir", dir_path_, "--bind", "app=sqlite://host/x.db", "status"});
    EXPECT_EQ(bad_url.exit_code, 2);
    EXPECT_NE(bad_url.err.find("malformed database URL"), std::string::npos) << bad_url.err;

    write("0006_broken.sql", "CREATE TABLE x (id INTEGER);\n");
    expect_usage({"upgrade"}, "0006_broken.sql:1: SQL before the '-- up' line");
    write("0006_broken.sql", "-- up\nINSERT INTO users (email) VALUES ('open quote);\n");
    expect_usage({"upgrade"}, "0006_broken.sql:2: unterminated quote");
    write("0006_broken.sql", "-- up\nSELECT $$ never closed;\n");
    expect_usage({"upgrade"}, "0006_broken.sql:2: unterminated dollar quote");
    write("0006_broken.sql", "-- no up marker here\n");
    expect_usage({"upgrade"}, "0006_broken.sql: no '-- up' line");
    fs::remove(fs::path(dir_path_) / "app" / "0006_broken.sql");
    write("0007_gap.sql", "-- up\nSELECT 1;\n");
    expect_usage({"upgrade"}, "0007_gap.sql: step 7 follows step 5");
    fs::remove(fs::path(dir_path_) / "app" / "0007_gap.sql");
    write("0005_again.sql", "-- up\nSELECT 1;\n");
    expect_usage({"upgrade"}, "step 5 is also");
    fs::remove(fs::path(dir_path_) / "app" / "0005_again.sql");
    write("0006_two.sql", "-- strata: no-transaction\n-- up\nSELECT 1;\nSELECT 2;\n");
    expect_usage({"upgrade"}, "needs exactly one statement");
    fs::remove(fs::path(dir_path_) / "app" / "0006_two.sql");
    // None of it touched the database.
    EXPECT_EQ(current(), 0);
    EXPECT_TRUE(connect(url_).inspect().tables.empty());
}

TEST_P(CliSuite, ConfigFileEnvironmentsAndOverrides)
{
    auto config = (dir_.path() / "strata.json").string();
    const auto empty = new_url();
    std::ofstream(config) << json{{"default_env", "dev"},
                                  {"environments", {{"dev", {{"binds", {{"app", url_}}}}},
                                                    {"other", {{"binds", {{"app", empty}}}}}}},
                                  {"options", {{"lock_timeout_s", 5}, {"snapshots", 0}}}}
                                .dump();
    auto r = run_cli({"--dir", dir_path_, "--config", config, "upgrade"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(current(), 5);
    auto other = run_cli({"--dir", dir_path_, "--config", config, "--env", "other", "--json", "status"});
    EXPECT_EQ(json::parse(other.out)["binds"][0]["state"], "fresh");
    // STRATA_APP_URL wins over the file.
    auto env = run_cli({"--dir", dir_path_, "--config", config, "--json", "status"}, {"STRATA_APP_URL=" + empty});
    EXPECT_EQ(json::parse(env.out)["binds"][0]["state"], "fresh");
    auto unknown = run_cli({"--dir", dir_path_, "--config", config, "--env", "prod", "status"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("unknown environment 'prod' (environments: dev, other)"), std::string::npos) << unknown.err;
    std::ofstream(config) << R"({"environments": {"dev": {"bind": {}}}})";
    auto malformed = run_cli({"--dir", dir_path_, "--config", config, "status"});
    EXPECT_EQ(malformed.exit_code, 2);
    EXPECT_NE(malformed.err.find("environment \"dev\" needs \"binds\""), std::string::npos) << malformed.err;
    // A number no double holds is a JSON error too (found by fuzz_config).
    std::ofstream(config) << R"({"options": {"lock_timeout_s": 1e99999}})";
    auto overflow = run_cli({"--dir", dir_path_, "--config", config, "status"});
    EXPECT_EQ(overflow.exit_code, 2);
    EXPECT_NE(overflow.err.find("is not valid JSON"), std::string::npos) << overflow.err;
}

TEST_P(CliSuite, HelpForEveryCommand)
{
    auto general = run_cli({"--help"});
    EXPECT_EQ(general.exit_code, 0);
    for (const char* command : {"setup-db", "clean-db", "upgrade", "downgrade", "status", "history", "stamp", "sql",
                                "check", "verify", "autogenerate", "create", "inspect", "diff"}) {
        EXPECT_NE(general.out.find(std::string("  ") + command), std::string::npos) << command;
        auto one = run_cli({command, "--help"});
        EXPECT_EQ(one.exit_code, 0) << command;
        EXPECT_TRUE(one.out.starts_with(std::string("usage: strata")) && one.out.find(command) != std::string::npos)
            << one.out;
    }
    EXPECT_EQ(run_cli({}).exit_code, 2);
}

TEST_P(CliSuite, LockWaitTimesOutWithExitFour)
{
    ASSERT_EQ(strata({"upgrade", "--to", "4"}).exit_code, 0);
    Child holder;
    std::optional<Database> blocker;
    if (sqlite()) {
        blocker.emplace(connect(url_));
        blocker->session().begin(TransactionMode::immediate);  // another process holds the write lock
    } else {
        write("0006_slow.sql", "-- up\nSELECT pg_sleep(20);\n");
        holder = spawn_program(STRATA_CLI_PATH, {"--dir", dir_path_, "--bind", "app=" + url_, "upgrade"});
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    auto r = strata({"--lock-timeout", "1", "upgrade"});
    EXPECT_EQ(r.exit_code, 4) << r.err;
    if (holder.pid > 0) {
        kill(holder.pid, SIGKILL);
        wait_program(holder);
    }
}

TEST_P(CliSuite, EmbeddedCommandsOfAnApplication)
{
    const std::string soseki = fs::path(STRATA_CLI_PATH).parent_path() / "soseki-demo";
    const auto app = new_url();
    const auto log = new_url();
    auto run = [&](std::vector<std::string> args) {
        std::vector<std::string> all{"--bind", "app=" + app, "--bind", "log=" + log};
        all.insert(all.end(), args.begin(), args.end());
        return run_program(soseki, all);
    };
    auto started = run({});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    EXPECT_NE(started.out.find("soseki: app fresh at version 5"), std::string::npos);
    auto status = run({"db", "--json", "status"});
    ASSERT_EQ(status.exit_code, 0) << status.err;
    auto j = json::parse(status.out);
    ASSERT_EQ(j["binds"].size(), 2u);
    EXPECT_EQ(j["binds"][0]["skipped_on_fresh"], json::array({1, 4}));
    EXPECT_EQ(j["binds"][1]["state"], "ok");
    EXPECT_EQ(run({"db", "check"}).exit_code, 0);
    auto generated = run({"db", "--only", "app", "autogenerate", "nothing new"});
    EXPECT_EQ(generated.exit_code, 0) << generated.err;
    EXPECT_NE(generated.out.find(".step(6, \"nothing new\""), std::string::npos) << generated.out;
    EXPECT_NE(generated.out.find("no differences between the database and the models"), std::string::npos);
    // A column added by hand comes back as the step that adds it.
    connect(app).session().execute("ALTER TABLE \"user\" ADD COLUMN \"nickname\" TEXT");
    auto drift = run({"db", "--only", "app", "check"});
    EXPECT_EQ(drift.exit_code, 3);
    auto back = run({"db", "--only", "app", "autogenerate", "no nickname"});
    EXPECT_NE(back.out.find("o.drop_column(\"user\", \"nickname\", strata::col::text(\"nickname\").nullable());"),
              std::string::npos) << back.out;
    auto sql = run({"db", "--only", "log", "sql", "--from", "0", "--to", "4", "--dialect", "postgresql"});
    EXPECT_EQ(sql.exit_code, 0) << sql.err;
    EXPECT_NE(sql.out.find("ALTER TABLE \"access\" ADD COLUMN \"response_time\" integer"), std::string::npos);
}

TEST_P(CliSuite, AnApplicationsMainIsOneCall)
{
    // examples/minimal's main() is strata::cli::app_main(argc, argv, make_upgrader, defaults).
    const std::string minimal = fs::path(STRATA_CLI_PATH).parent_path() / "minimal-demo";
    const auto url = new_url();
    const std::vector<std::string> bind{"--bind", "app=" + url};
    auto with = [&](std::vector<std::string> args) {
        args.insert(args.begin(), bind.begin(), bind.end());
        return run_program(minimal, args);
    };
    auto status = with({"db", "status", "--json"});
    ASSERT_EQ(status.exit_code, 0) << status.err;
    auto j = json::parse(status.out);
    EXPECT_EQ(j["binds"][0]["state"], "fresh");
    EXPECT_EQ(j["binds"][0]["head"], 2);
    auto started = with({});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    EXPECT_NE(started.out.find("app: fresh at version 2"), std::string::npos) << started.out;
    EXPECT_EQ(with({}).out, "app: up_to_date at version 2\n");
    auto verified = with({"db", "verify"});
    EXPECT_EQ(verified.exit_code, 0) << verified.err << verified.out;
    // Global options also after "db", as strata takes them.
    auto history = run_program(minimal, {"db", "--json", "history", "--bind", "app=" + url});
    ASSERT_EQ(history.exit_code, 0) << history.err;
    auto h = json::parse(history.out);
    ASSERT_EQ(h["binds"][0]["entries"].size(), 3u);  // steps 1 and 2 skipped, the fresh row
    EXPECT_EQ(h["binds"][0]["entries"][2]["kind"], "fresh");
    // The environment variable of the bind, as for strata.
    auto from_env = run_program(minimal, {"db", "status"}, {"STRATA_APP_URL=" + url});
    EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
    EXPECT_NE(from_env.out.find("version 2"), std::string::npos) << from_env.out;

    auto help = run_program(minimal, {"--help"});
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("minimal-demo [global options] db <command>"), std::string::npos) << help.out;
    auto commands = run_program(minimal, {"db", "--help"});
    EXPECT_EQ(commands.exit_code, 0);
    EXPECT_NE(commands.out.find("usage: minimal-demo db [global options] <command>"), std::string::npos) << commands.out;
    auto word = run_program(minimal, {"status"});
    EXPECT_EQ(word.exit_code, 2);
    EXPECT_NE(word.err.find("unknown word 'status'"), std::string::npos) << word.err;
    auto option = run_program(minimal, {"--frobnicate"});
    EXPECT_EQ(option.exit_code, 2);
    EXPECT_NE(option.err.find("unknown option '--frobnicate'"), std::string::npos) << option.err;
    auto env = run_program(minimal, {"--env", "staging"});
    EXPECT_EQ(env.exit_code, 2);
    EXPECT_NE(env.err.find("unknown environment 'staging' (environments: local)"), std::string::npos) << env.err;
    // soseki-demo's main() gives app_main its own start.
    const std::string soseki = fs::path(STRATA_CLI_PATH).parent_path() / "soseki-demo";
    const auto config = dir_.path() / "half.json";
    std::ofstream(config) << json{{"environments", {{"half", {{"binds", {{"app", new_url()}}}}}}}}.dump();
    auto no_log = run_program(soseki, {"--config", config.string(), "--env", "half"});
    EXPECT_EQ(no_log.exit_code, 2) << no_log.err;
    EXPECT_NE(no_log.err.find("soseki-demo: bind 'log' has no URL in environment 'half': give --bind log=URL, "
                              "STRATA_LOG_URL"),
              std::string::npos) << no_log.err;
}

}  // namespace strata::test
