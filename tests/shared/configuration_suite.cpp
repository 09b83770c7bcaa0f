// Configured like a twelve-factor app, through the real binary: every bind,
// whatever declares it, takes its URL from --bind, then STRATA_<BIND>_URL, then
// the configuration's environment; DATABASE_URL serves a project of one bind.
#include "upgrader_suite.hpp"

namespace strata::test {

namespace {

// The bind's recorded version, or -1 when nothing was ever set up there.
long long version_at(const std::string& url)
{
    auto db = connect(url);
    if (!db.dialect().table_exists(db.session(), "strata_version"))
        return -1;
    return db.session().scalar<std::int64_t>("SELECT max(version) FROM strata_version");
}

}  // namespace

TEST_P(CliSuite, EveryBindTakesItsUrlFromBindThenEnvironmentThenConfiguration)
{
    const auto from_env = new_url();
    const auto from_config = new_url();
    const auto config = (dir_.path() / "strata.json").string();
    std::ofstream(config) << nlohmann::json{{"default_env", "dev"},
                                            {"environments", {{"dev", {{"binds", {{"app", from_config}}}}}}}}
                                 .dump();
    // A bind found in --dir, no configuration: the variable alone.
    const auto only_env = new_url();
    auto r = run_cli({"--dir", dir_path_, "upgrade"}, {"STRATA_APP_URL=" + only_env});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(version_at(only_env), 5);
    // All three: --bind wins.
    r = run_cli({"--dir", dir_path_, "--config", config, "--bind", "app=" + url_, "upgrade"},
                {"STRATA_APP_URL=" + from_env});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(version_at(url_), 5);
    EXPECT_EQ(version_at(from_env), -1);
    EXPECT_EQ(version_at(from_config), -1);
    // The variable over the configuration.
    r = run_cli({"--dir", dir_path_, "--config", config, "upgrade"}, {"STRATA_APP_URL=" + from_env});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(version_at(from_env), 5);
    EXPECT_EQ(version_at(from_config), -1);
    // The configuration alone.
    r = run_cli({"--dir", dir_path_, "--config", config, "upgrade"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(version_at(from_config), 5);
    // Nothing at all: the error says every way.
    r = run_cli({"--dir", dir_path_, "status"});
    EXPECT_EQ(r.exit_code, 2);
    for (const auto* way : {"--bind app=URL", "STRATA_APP_URL", "--config", "DATABASE_URL"})
        EXPECT_NE(r.err.find(way), std::string::npos) << way << " missing from: " << r.err;
}

TEST_P(CliSuite, DatabaseUrlServesAProjectOfOneBindOnly)
{
    const auto database_url = new_url();
    auto r = run_cli({"--dir", dir_path_, "upgrade"}, {"DATABASE_URL=" + database_url});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(version_at(database_url), 5);
    // STRATA_APP_URL is more specific and wins.
    const auto specific = new_url();
    r = run_cli({"--dir", dir_path_, "upgrade"}, {"DATABASE_URL=" + url_, "STRATA_APP_URL=" + specific});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(version_at(specific), 5);
    EXPECT_EQ(version_at(url_), -1);
    // A second bind: DATABASE_URL would serve both, so it is refused before anything.
    std::filesystem::create_directories(std::filesystem::path(dir_path_) / "log");
    std::ofstream(std::filesystem::path(dir_path_) / "log" / "0001_log.sql") << "-- up\nCREATE TABLE entry (id INTEGER);\n";
    r = run_cli({"--dir", dir_path_, "upgrade"}, {"DATABASE_URL=" + url_});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("DATABASE_URL serves a project with a single bind"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("STRATA_LOG_URL"), std::string::npos) << r.err;
    EXPECT_EQ(version_at(url_), -1);
}

TEST_P(CliSuite, AnEmbeddingProgramTakesDatabaseUrlForItsOnlyBind)
{
    const auto bin = std::filesystem::path(STRATA_CLI_PATH).parent_path();
    // An environment that gives no URL: the programs' own defaults name files.
    const auto config = (dir_.path() / "bare.json").string();
    std::ofstream(config) << R"({"environments": {"bare": {"binds": {}}}})";
    // examples/minimal has one bind: DATABASE_URL is its URL, at its start and for db commands.
    const auto url = new_url();
    auto started = run_program((bin / "minimal-demo").string(), {"--config", config, "--env", "bare"},
                               {"DATABASE_URL=" + url});
    EXPECT_EQ(started.exit_code, 0) << started.err;
    EXPECT_EQ(version_at(url), 2);
    auto status = run_program((bin / "minimal-demo").string(), {"--config", config, "--env", "bare", "db", "status"},
                              {"DATABASE_URL=" + url});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    // examples/soseki has two: refused before either database is touched, at
    // its start and for db commands.
    for (const auto& command : std::vector<std::vector<std::string>>{{}, {"db", "status"}}) {
        std::vector<std::string> args{"--config", config, "--env", "bare"};
        args.insert(args.end(), command.begin(), command.end());
        auto r = run_program((bin / "soseki-demo").string(), args, {"DATABASE_URL=" + url_});
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_NE(r.err.find("DATABASE_URL serves a project with a single bind"), std::string::npos) << r.err;
    }
    EXPECT_EQ(version_at(url_), -1);
}

TEST_P(CliSuite, TheSchemaFileIsWrittenByUpgradeAndCheckedForStaleness)
{
    const auto file = (dir_.path() / "schema.sql").string();
    auto r = strata({"upgrade", "--schema-file", file});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto first = read_file(file);
    EXPECT_NE(first.find("-- bind app at version 5 (" + std::string(sqlite() ? "sqlite" : "postgresql") + ")"),
              std::string::npos) << first;
    EXPECT_NE(first.find("CREATE TABLE"), std::string::npos) << first;
    EXPECT_NE(first.find("orders"), std::string::npos) << first;
    // The same databases give the same bytes.
    ASSERT_EQ(strata({"upgrade", "--schema-file", file}).exit_code, 0);
    EXPECT_EQ(read_file(file), first);
    r = strata({"check", "--schema-file", file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("is current"), std::string::npos) << r.err;
    // A step applied without writing the file: check says the file is stale.
    write("0006_more.sql", "-- up\nCREATE TABLE more_things (id INTEGER PRIMARY KEY);\n");
    ASSERT_EQ(strata({"upgrade"}).exit_code, 0);
    r = strata({"check", "--schema-file", file});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("schema file " + file + " is stale: line"), std::string::npos) << r.err;
    // The configuration's schema_file: upgrade writes it, check reads it.
    const auto config = (dir_.path() / "strata.json").string();
    std::ofstream(config) << nlohmann::json{{"environments", {{"dev", {{"binds", {{"app", url_}}}}}}},
                                            {"default_env", "dev"},
                                            {"options", {{"schema_file", file}}}}
                                 .dump();
    r = run_cli({"--dir", dir_path_, "--config", config, "upgrade"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(read_file(file).find("more_things"), std::string::npos);
    EXPECT_EQ(run_cli({"--dir", dir_path_, "--config", config, "check"}).exit_code, 0);
}

}  // namespace strata::test
