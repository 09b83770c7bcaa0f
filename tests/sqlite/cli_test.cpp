// The strata binary against real SQLite files: inspect formats, diff, exit codes.
#include "models.hpp"
#include "test_support.hpp"

#include "strata/inspect.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace strata;
using namespace strata::test;

namespace {
std::string created(const TempDir& dir, const std::string& file)
{
    auto url = dir.sqlite_url(file);
    auto db = connect(url);
    EXPECT_TRUE(create_and_compare(db, every_feature_model()).empty());
    return url;
}
}  // namespace

TEST(SqliteCli, InspectPrintsJson)
{
    TempDir dir;
    auto url = created(dir, "a.db");
    auto r = run_cli({"inspect", url, "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["format"], "strata.inspect/1");
    EXPECT_EQ(j["tables"].size(), every_feature_model().tables.size());
    EXPECT_EQ(schema_from_json(r.out), connect(url).inspect());
}

TEST(SqliteCli, InspectPrintsSqlThatRecreatesTheSchema)
{
    TempDir dir;
    auto url = created(dir, "a.db");
    auto r = run_cli({"inspect", url, "--format", "sql"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("CREATE TABLE \"person\""), std::string::npos);
    auto copy = connect(dir.sqlite_url("copy.db"));
    execute_script(copy, r.out);
    auto differences = compare(connect(url).inspect(), copy.inspect());
    EXPECT_TRUE(differences.empty()) << lines(differences);
}

TEST(SqliteCli, InspectPrintsMermaid)
{
    TempDir dir;
    auto url = created(dir, "a.db");
    auto r = run_cli({"inspect", url, "--format", "mermaid"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("erDiagram\n"));
    EXPECT_NE(r.out.find("parent ||--o{ child"), std::string::npos) << r.out;
}

TEST(SqliteCli, DiffOfTwoDatabasesFromOneModelExitsZero)
{
    TempDir dir;
    auto a = created(dir, "a.db");
    auto b = created(dir, "b.db");
    auto r = run_cli({"diff", a, b});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out, "no differences\n");
}

TEST(SqliteCli, DiffListsDifferencesAndExitsThree)
{
    TempDir dir;
    auto a = created(dir, "a.db");
    auto b = created(dir, "b.db");
    connect(b).session().execute("ALTER TABLE \"person\" ADD COLUMN \"nickname\" TEXT");
    auto r = run_cli({"diff", a, b});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.out.find("table person: column nickname: only in B"), std::string::npos) << r.out;
    auto j = run_cli({"--json", "diff", a, b});
    EXPECT_EQ(j.exit_code, 3);
    auto parsed = nlohmann::json::parse(j.out);
    EXPECT_EQ(parsed["format"], "strata.diff/1");
    EXPECT_EQ(parsed["equal"], false);
    ASSERT_EQ(parsed["differences"].size(), 1u);
    EXPECT_EQ(parsed["differences"][0]["name"], "nickname");
    EXPECT_EQ(parsed["differences"][0]["kind"], "added");
}

TEST(SqliteCli, DiffExcludeLeavesATableOut)
{
    TempDir dir;
    auto a = created(dir, "a.db");
    auto b = created(dir, "b.db");
    connect(b).session().execute("CREATE TABLE scratch (x INTEGER)");
    EXPECT_EQ(run_cli({"diff", a, b, "--exclude", "scratch"}).exit_code, 0);
}

TEST(SqliteCli, BadUsageExitsTwo)
{
    auto r = run_cli({"inspect"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("inspect needs a database URL"), std::string::npos) << r.err;
    r = run_cli({"inspect", "nonsense.db"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("malformed database URL 'nonsense.db': no scheme"), std::string::npos) << r.err;
    r = run_cli({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos) << r.err;
    r = run_cli({"inspect", "sqlite::memory:", "--format", "yaml"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown format 'yaml'"), std::string::npos) << r.err;
}

TEST(SqliteCli, MissingReadOnlyFileExitsOne)
{
    TempDir dir;
    auto r = run_cli({"inspect", dir.sqlite_url("absent.db") + "?mode=ro"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
}

TEST(SqliteCli, InspectAndDiffNeverCreateAFile)
{
    TempDir dir;
    auto present = created(dir, "a.db");
    for (const auto& args : std::vector<std::vector<std::string>>{{"inspect", dir.sqlite_url("absent.db")},
                                                                  {"diff", present, dir.sqlite_url("absent.db")}}) {
        auto r = run_cli(args);
        EXPECT_EQ(r.exit_code, 1) << args[0];
        EXPECT_NE(r.err.find("absent.db' does not exist"), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(dir.path() / "absent.db")) << args[0];
    }
}

TEST(SqliteCli, StatusHistoryAndCheckOfAMissingFileCreateNothing)
{
    TempDir dir;
    const auto migrations = dir.path() / "migrations";
    std::filesystem::create_directories(migrations / "app");
    std::ofstream(migrations / "app" / "0001_users.sql") << "-- up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n";
    const auto bind = "app=" + dir.sqlite_url("absent.db");
    auto status = run_cli({"--dir", migrations.string(), "--bind", bind, "--json", "status"});
    ASSERT_EQ(status.exit_code, 0) << status.err;
    auto j = nlohmann::json::parse(status.out)["binds"][0];
    EXPECT_EQ(j["state"], "fresh");
    EXPECT_EQ(j["current"], 0);
    EXPECT_EQ(j["pending"], nlohmann::json::array({1}));
    auto history = run_cli({"--dir", migrations.string(), "--bind", bind, "--json", "history"});
    EXPECT_EQ(history.exit_code, 0) << history.err;
    auto check = run_cli({"--dir", migrations.string(), "--bind", bind, "check"});
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_NE(check.err.find("bind 'app' has no version history"), std::string::npos) << check.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "absent.db"));
    // upgrade does create it.
    EXPECT_EQ(run_cli({"--dir", migrations.string(), "--bind", bind, "upgrade"}).exit_code, 0);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "absent.db"));
}

TEST(SqliteCli, InitWritesTheLayoutAndCreateNeedsNoDatabase)
{
    TempDir dir;
    const auto migrations = (dir.path() / "mig").string();
    auto r = run_cli({"--dir", migrations, "init", "--bind", "app", "--bind", "log=sqlite:log.db"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "mig" / "app"));
    EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "mig" / "log"));
    const auto config = dir.path() / "strata.json";
    auto j = nlohmann::json::parse(read_file(config));
    EXPECT_EQ(j["environments"]["dev"]["binds"]["app"], "sqlite:app.db");
    EXPECT_EQ(j["environments"]["dev"]["binds"]["log"], "sqlite:log.db");
    EXPECT_TRUE(j.contains("//"));
    // The file it wrote is a configuration strata reads, comments and all.
    r = run_cli({"--dir", migrations, "--config", config.string(), "sql", "--from", "0", "--to", "0", "--dialect", "sqlite"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // A second init keeps the file.
    std::ofstream(config, std::ios::app) << " ";
    const auto before = read_file(config);
    r = run_cli({"--dir", migrations, "init"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("kept"), std::string::npos) << r.out;
    EXPECT_EQ(read_file(config), before);
    // create: no URL anywhere.
    r = run_cli({"--dir", migrations, "--only", "app", "create", "users table"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "mig" / "app" / "0001_users_table.sql")) << r.out;
    r = run_cli({"--dir", migrations, "create", "which bind"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("pick it with --only BIND (binds: app, log)"), std::string::npos) << r.err;
    r = run_cli({"--dir", migrations, "--only", "audit", "create", "first"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "mig" / "audit" / "0001_first.sql"));
    // A directory of one bind needs no --only.
    const auto single = (dir.path() / "single").string();
    ASSERT_EQ(run_cli({"--dir", single, "init"}).exit_code, 0);
    r = run_cli({"--dir", single, "create", "start"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "single" / "app" / "0001_start.sql"));
    // --bind NAME alone is init's only.
    r = run_cli({"--dir", single, "--bind", "app", "status"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--bind takes NAME=URL"), std::string::npos) << r.err;
}

TEST(SqliteCli, WaitOnAMissingFileIsReadyAndCreatesNothing)
{
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "mig" / "app");
    const auto file = dir.path() / "later.db";
    auto r = run_cli({"--dir", (dir.path() / "mig").string(), "--bind", "app=sqlite:" + file.string(), "wait",
                      "--timeout", "1"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(SqliteCli, BashCompletionOffersCommandsOptionsAndBindNames)
{
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "mig" / "app");
    std::filesystem::create_directories(dir.path() / "mig" / "log");
    auto script = run_cli({"completion", "bash"});
    ASSERT_EQ(script.exit_code, 0) << script.err;
    const auto file = (dir.path() / "strata.bash").string();
    std::ofstream(file) << script.out;
    // What bash offers for the words typed so far (the last one being completed).
    auto offered = [&](const std::string& words) {
        auto r = run_program("/bin/bash", {"-c", "source " + file + "; COMP_WORDS=(" + words +
                                                     "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _strata; "
                                                     "echo \"${COMPREPLY[*]}\""});
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.out;
    };
    const auto mig = (dir.path() / "mig").string();
    EXPECT_NE(offered("strata --dir " + mig + " up").find("upgrade"), std::string::npos);
    EXPECT_EQ(offered("strata --dir " + mig + " up").find("status"), std::string::npos);
    EXPECT_EQ(offered("strata --dir " + mig + " --only ''"), "app log\n");
    EXPECT_EQ(offered("strata --dir " + mig + " --bind l"), "log=\n");
    const auto upgrade = offered("strata upgrade --s");
    EXPECT_NE(upgrade.find("--strict"), std::string::npos) << upgrade;
    EXPECT_NE(upgrade.find("--schema-file"), std::string::npos) << upgrade;
    EXPECT_NE(upgrade.find("--scratch-url"), std::string::npos) << upgrade;
    EXPECT_EQ(offered("strata sql --dialect p"), "postgresql\n");
    EXPECT_EQ(run_cli({"completion", "zsh"}).exit_code, 2);
}

// Under a pseudo-terminal (script(1)): the line kept up to date for the steps and
// the snapshot; never in --json output, never with -q.
TEST(SqliteCli, ProgressOnATerminalButNeverInJsonOrQuiet)
{
    TempDir dir;
    const auto migrations = dir.path() / "mig";
    std::filesystem::create_directories(migrations / "app");
    std::ofstream(migrations / "app" / "0001_big.sql")
        << "-- up\nCREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);\n"
           "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 60000)\n"
           "INSERT INTO big SELECT x, printf('%0100d', x) FROM n;\n";
    for (int i = 2; i <= 9; ++i)
        std::ofstream(migrations / "app" / ("000" + std::to_string(i) + "_t.sql"))
            << "-- up\nCREATE TABLE t" << i << " (id INTEGER);\n";
    auto under_terminal = [&](const std::string& file, const std::string& options) {
        const std::string command = std::string(STRATA_CLI_PATH) + " --dir " + migrations.string() +
                                    " --bind app=sqlite:" + (dir.path() / file).string() + " " + options;
        EXPECT_EQ(run_cli({"--dir", migrations.string(), "--bind", "app=sqlite:" + (dir.path() / file).string(),
                           "upgrade", "--to", "1"})
                      .exit_code,
                  0);
        auto r = run_program("/usr/bin/script", {"-qfec", command, "/dev/null"});
        EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
        return r.out;
    };
    const auto shown = under_terminal("a.db", "upgrade");
    EXPECT_NE(shown.find("\x1b[2K"), std::string::npos) << shown;
    EXPECT_NE(shown.find("steps done"), std::string::npos) << shown;
    EXPECT_NE(shown.find("app: snapshot of version 1: "), std::string::npos) << shown;
    EXPECT_NE(shown.find(" pages"), std::string::npos) << shown;
    // --json: what the terminal got is the JSON document and nothing else.
    const auto json = under_terminal("b.db", "--json upgrade");
    EXPECT_TRUE(nlohmann::json::accept(json)) << json;
    EXPECT_EQ(json.find("steps done"), std::string::npos) << json;
    const auto quiet = under_terminal("c.db", "-q upgrade");
    EXPECT_EQ(quiet.find("steps done"), std::string::npos) << quiet;
    EXPECT_EQ(quiet.find("pages"), std::string::npos) << quiet;
}
