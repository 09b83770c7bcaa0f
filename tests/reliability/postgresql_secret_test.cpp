// A password never leaves strata: given in a URL (--bind), a configuration
// file, or an environment variable, it appears in no output of any command --
// text, JSON, -v logs, errors (a failing step, a wrong password), history's
// applied_by -- while the URLs themselves are shown with `***`.
#include "test_support.hpp"

#include "strata/database.hpp"

#include <fstream>
#include <random>

using namespace strata;
using namespace strata::test;

namespace {

std::string random_token()
{
    std::random_device rd;
    std::string out = "tk";
    for (int i = 0; i < 12; ++i)
        out += "0123456789abcdef"[rd() % 16];
    return out;
}

}  // namespace

class PostgresqlSecrets : public PgTest {
protected:
    void SetUp() override
    {
        PgTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        token_ = random_token();
        role_ = unique_name("secret_role");
        database_ = unique_name("secret_db");
        auto admin = connect(server_url_);
        // '!' is written %21 in the URL: neither spelling may show.
        admin.session().execute("CREATE ROLE \"" + role_ + "\" LOGIN CREATEDB PASSWORD 'p!" + token_ + "'");
        admin.session().execute("CREATE DATABASE \"" + database_ + "\" OWNER \"" + role_ + "\"");
        const auto at = server_url_.find('@');
        const auto host_and_port = server_url_.substr(at + 1, server_url_.rfind('/') - at - 1);
        url_ = "postgresql://" + role_ + ":p%21" + token_ + "@" + host_and_port + "/" + database_;
        wrong_url_ = "postgresql://" + role_ + ":p%21wrong" + token_ + "@" + host_and_port + "/" + database_;
    }

    void TearDown() override
    {
        if (role_.empty())
            return;
        auto admin = connect(server_url_);
        admin.session().execute("DROP DATABASE IF EXISTS \"" + database_ + "\" WITH (FORCE)");
        for (const auto& row : admin.session()
                                   .query("SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
                                          "WHERE r.rolname = ?",
                                          {role_})
                                   .rows)
            admin.session().execute("DROP DATABASE \"" + std::get<std::string>(row.at(0)) + "\" WITH (FORCE)");
        admin.session().execute("DROP ROLE IF EXISTS \"" + role_ + "\"");
    }

    // Runs strata; fails the test if the password shows anywhere in its output.
    CommandResult strata(const std::vector<std::string>& args, const std::vector<std::string>& env = {})
    {
        auto r = run_cli(args, env);
        std::string command;
        for (const auto& a : args)
            command += " " + a;
        EXPECT_EQ(r.out.find(token_), std::string::npos) << "the password shows in the output of" << command << ":\n" << r.out;
        EXPECT_EQ(r.err.find(token_), std::string::npos) << "the password shows in the errors of" << command << ":\n" << r.err;
        shown_masked_ = shown_masked_ || (r.out + r.err).find(":***@") != std::string::npos;
        return r;
    }

    // Every command, on the bind whose URL the `source` arguments give.
    void run_every_command(const std::vector<std::string>& source, const std::vector<std::string>& env = {})
    {
        TempDir dir;
        const auto migrations = (dir.path() / "migrations").string();
        std::filesystem::create_directories(dir.path() / "migrations" / "app");
        auto write = [&](const std::string& name, const std::string& text) {
            std::ofstream(dir.path() / "migrations" / "app" / name) << text;
        };
        write("0001_t.sql", "-- up\nCREATE TABLE t (id integer PRIMARY KEY);\n-- down\nDROP TABLE t;\n");
        write("0002_u.sql", "-- up\nCREATE TABLE u (id integer PRIMARY KEY, t_id integer REFERENCES t (id));\n"
                            "-- down\nDROP TABLE u;\n");
        auto with = [&](std::vector<std::string> command) {
            std::vector<std::string> args{"--dir", migrations};
            args.insert(args.end(), source.begin(), source.end());
            args.insert(args.end(), command.begin(), command.end());
            return strata(args, env);
        };
        EXPECT_EQ(with({"-v", "status"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "setup-db"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "clean-db", "--yes"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "upgrade", "--to", "1"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "--json", "upgrade"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "status"}).exit_code, 0);
        EXPECT_EQ(with({"--json", "status"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "history"}).exit_code, 0);
        EXPECT_EQ(with({"--json", "history"}).exit_code, 0);
        (void)with({"-v", "check"});
        (void)with({"--json", "check"});
        EXPECT_EQ(with({"-v", "verify"}).exit_code, 0);
        EXPECT_EQ(with({"--json", "verify"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "downgrade", "--to", "1"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "upgrade", "--dry-run"}).exit_code, 0);
        EXPECT_EQ(with({"-v", "stamp", "2"}).exit_code, 0);
        (void)with({"-v", "autogenerate", "more"});
        EXPECT_EQ(with({"sql", "--from", "0", "--to", "2", "--dialect", "postgresql"}).exit_code, 0);
        for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "migrations" / "app"))
            if (entry.path().filename().string().starts_with("0003"))
                std::filesystem::remove(entry.path());  // what autogenerate wrote
        write("0003_bad.sql", "-- up\nINSERT INTO no_such_table VALUES (1);\n");
        EXPECT_EQ(with({"-v", "upgrade"}).exit_code, 1);
        EXPECT_EQ(with({"--json", "upgrade"}).exit_code, 1);
        EXPECT_EQ(with({"-v", "clean-db", "--yes"}).exit_code, 0);
    }

    std::string token_;
    std::string role_;
    std::string database_;
    std::string url_;
    std::string wrong_url_;
    bool shown_masked_ = false;
};

TEST_F(PostgresqlSecrets, APasswordInABindsUrlShowsNowhere)
{
    run_every_command({"--bind", "app=" + url_});
    EXPECT_TRUE(shown_masked_) << "no command showed the URL (masked): the test saw nothing to hide";
}

TEST_F(PostgresqlSecrets, APasswordInTheConfigurationOrTheEnvironmentShowsNowhere)
{
    TempDir dir;
    const auto config = (dir.path() / "strata.json").string();
    std::ofstream(config) << R"({"default_env": "prod", "environments": {"prod": {"binds": {"app": ")" << url_
                          << R"("}}}})";
    run_every_command({"--config", config});
    const auto placeholder = (dir.path() / "env.json").string();
    std::ofstream(placeholder)
        << R"({"default_env": "prod", "environments": {"prod": {"binds": {"app": "postgresql://nobody@127.0.0.1:1/none"}}}})";
    run_every_command({"--config", placeholder}, {"STRATA_APP_URL=" + url_});
    EXPECT_TRUE(shown_masked_) << "no command showed the URL (masked): the test saw nothing to hide";
}

TEST_F(PostgresqlSecrets, AWrongPasswordShowsNowhereEither)
{
    for (const auto& command : {"status", "upgrade", "history", "verify"}) {
        auto r = strata({"--bind", "app=" + wrong_url_, "-v", command, "--dir", "."});
        EXPECT_NE(r.exit_code, 0) << command;
    }
    for (const auto& command : std::vector<std::vector<std::string>>{{"inspect", wrong_url_}, {"diff", wrong_url_, url_},
                                                                     {"inspect", url_, "--format", "json"}})
        (void)strata(command);
    EXPECT_TRUE(shown_masked_);
}

TEST_F(PostgresqlSecrets, HistoryRecordsWhoAppliedAStepWithoutThePassword)
{
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "app");
    std::ofstream(dir.path() / "app" / "0001_t.sql") << "-- up\nCREATE TABLE t (id integer PRIMARY KEY);\n";
    ASSERT_EQ(strata({"--dir", dir.path().string(), "--bind", "app=" + url_, "upgrade"}).exit_code, 0);
    auto db = connect(url_);
    for (const auto& row : db.session().query("SELECT applied_by FROM strata_version").rows) {
        const auto& who = std::get<std::string>(row.at(0));
        EXPECT_EQ(who.find(token_), std::string::npos) << who;
        EXPECT_FALSE(who.empty());
    }
}
