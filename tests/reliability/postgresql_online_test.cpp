// PostgreSQL under live traffic: a step's DDL that waits for a lock (a second
// session holds one) gives up after the step's lock timeout, so the
// application's queries never queue behind it for longer; the step is rolled
// back and retried, and in the end fails naming the session that held the lock.
#include "test_support.hpp"

#include "strata/database.hpp"

#include <chrono>
#include <fstream>
#include <thread>

using namespace strata;
using namespace strata::test;

namespace {

class PostgresqlOnline : public PgTest {
protected:
    void SetUp() override
    {
        PgTest::SetUp();
        if (HasFatalFailure() || IsSkipped())
            return;
        schema_ = std::make_unique<PgSchema>(server_url_);
        std::filesystem::create_directories(dir_.path() / "app");
        write("0001_items.sql", "-- up\nCREATE TABLE items (id integer PRIMARY KEY, name text);\n"
                                "INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c');\n");
    }

    void write(const std::string& name, const std::string& text) const
    {
        std::ofstream(dir_.path() / "app" / name) << text;
    }

    [[nodiscard]] std::vector<std::string> strata(std::vector<std::string> args) const
    {
        std::vector<std::string> all{"--dir", (dir_.path()).string(), "--bind", "app=" + schema_->url()};
        all.insert(all.end(), args.begin(), args.end());
        return all;
    }

    [[nodiscard]] long long version() const
    {
        auto db = connect(schema_->url());
        return std::get<std::int64_t>(db.session().scalar("SELECT max(version) FROM strata_version"));
    }

    // Waits until a statement starting with `prefix` waits for a lock in the bind's schema.
    [[nodiscard]] bool statement_waits_for_lock(const std::string& prefix) const
    {
        auto watch = connect(server_url_);
        for (int i = 0; i < 400; ++i) {
            auto n = std::get<std::int64_t>(watch.session().scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?",
                {prefix + "%"}));
            if (n > 0)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    TempDir dir_;
    std::unique_ptr<PgSchema> schema_;
};

// The application's session: a query that would fail rather than wait long.
std::int64_t count_items(Database& app)
{
    return std::get<std::int64_t>(app.session().scalar("SELECT count(*) FROM items"));
}

std::int64_t backend_pid(Database& db)
{
    return std::get<std::int64_t>(db.session().scalar("SELECT pg_backend_pid()::bigint"));
}

}  // namespace

TEST_F(PostgresqlOnline, AWaitingStepNeverQueuesTheApplicationAndFailsNamingTheHolder)
{
    ASSERT_EQ(run_cli(strata({"upgrade"})).exit_code, 0);
    write("0002_note.sql", "-- up\nALTER TABLE items ADD COLUMN note text;\n");
    // A long transaction of the application's holds a share lock on items.
    auto holder = connect(schema_->url());
    const auto holder_pid = backend_pid(holder);
    holder.session().execute("BEGIN");
    ASSERT_EQ(count_items(holder), 3);

    auto upgrade = spawn_program(STRATA_CLI_PATH, strata({"--step-lock-timeout", "300", "--lock-retries", "2", "upgrade"}));
    ASSERT_TRUE(statement_waits_for_lock("ALTER TABLE items"));
    // The ALTER waits for ACCESS EXCLUSIVE, and every new query on items queues
    // behind it, but only until its lock timeout: this one is answered while the
    // holder's transaction is still open (10 s would fail it).
    auto app = connect(schema_->url());
    app.session().execute("SET statement_timeout = '10s'");
    EXPECT_EQ(count_items(app), 3);

    auto result = wait_program(upgrade);
    EXPECT_EQ(result.exit_code, 4) << result.err;
    EXPECT_NE(result.err.find("tried 3 times"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("pid " + std::to_string(holder_pid)), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("SELECT count(*) FROM items"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("trying again"), std::string::npos) << result.err;
    // Nothing of the step is left.
    EXPECT_EQ(version(), 1);
    EXPECT_EQ(std::get<std::int64_t>(app.session().scalar(
                  "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                  "AND table_name = 'items' AND column_name = 'note'")),
              0);

    holder.session().execute("ROLLBACK");
    auto rerun = run_cli(strata({"upgrade"}));
    EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_EQ(version(), 2);
}

TEST_F(PostgresqlOnline, AStepRetriedAfterTheHolderEndsIsAppliedOnce)
{
    ASSERT_EQ(run_cli(strata({"upgrade"})).exit_code, 0);
    write("0002_note.sql", "-- up\nALTER TABLE items ADD COLUMN note text;\nINSERT INTO items VALUES (4, 'd');\n");
    auto holder = connect(schema_->url());
    holder.session().execute("BEGIN");
    ASSERT_EQ(count_items(holder), 3);
    auto upgrade = spawn_program(STRATA_CLI_PATH, strata({"--step-lock-timeout", "200", "--lock-retries", "50", "upgrade"}));
    ASSERT_TRUE(statement_waits_for_lock("ALTER TABLE items"));
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    holder.session().execute("COMMIT");
    auto result = wait_program(upgrade);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("trying again"), std::string::npos) << result.err;
    EXPECT_EQ(version(), 2);
    auto db = connect(schema_->url());
    EXPECT_EQ(count_items(db), 4);  // the step's insert ran once, though the step was tried several times
}

TEST_F(PostgresqlOnline, AConcurrentIndexWaitingForAnOldTransactionIsRetriedAndResumed)
{
    ASSERT_EQ(run_cli(strata({"upgrade"})).exit_code, 0);
    write("0002_index.sql", "-- strata: no-transaction\n-- up\nCREATE INDEX CONCURRENTLY items_name ON items (name);\n");
    // CREATE INDEX CONCURRENTLY waits for every transaction older than it.
    auto holder = connect(schema_->url());
    const auto holder_pid = backend_pid(holder);
    holder.session().execute("BEGIN");
    ASSERT_EQ(count_items(holder), 3);
    auto result = run_cli(strata({"--step-lock-timeout", "200", "--lock-retries", "1", "upgrade"}));
    EXPECT_EQ(result.exit_code, 4) << result.err;
    EXPECT_NE(result.err.find("pid " + std::to_string(holder_pid)), std::string::npos) << result.err;
    EXPECT_EQ(version(), 1);
    holder.session().execute("COMMIT");
    // The INVALID index the timeout left is dropped and built again.
    auto rerun = run_cli(strata({"upgrade"}));
    EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
    EXPECT_EQ(version(), 2);
    auto db = connect(schema_->url());
    EXPECT_EQ(db.dialect().index_state(db.session(), "items_name"), IndexState::valid);
    // The session's own lock_timeout came back after the statement.
}

TEST_F(PostgresqlOnline, OfflineSqlBoundsEveryStepsLockWait)
{
    write("0002_index.sql", "-- strata: no-transaction\n-- up\nCREATE INDEX CONCURRENTLY items_name ON items (name);\n");
    write("0003_slow.sql", "-- strata: lock-timeout 5s\n-- up\nALTER TABLE items ADD COLUMN note text;\n");
    auto sql = run_cli({"--dir", dir_.path().string(), "sql", "--from", "0", "--to", "3", "--dialect", "postgresql"});
    ASSERT_EQ(sql.exit_code, 0) << sql.err;
    EXPECT_NE(sql.out.find("BEGIN;\nSET LOCAL lock_timeout = '1000ms';\nCREATE TABLE items"), std::string::npos) << sql.out;
    EXPECT_NE(sql.out.find("SET lock_timeout = '1000ms';\nCREATE INDEX CONCURRENTLY"), std::string::npos) << sql.out;
    EXPECT_NE(sql.out.find("BEGIN;\nSET LOCAL lock_timeout = '5000ms';\nALTER TABLE items"), std::string::npos) << sql.out;
    auto lite = run_cli({"--dir", dir_.path().string(), "sql", "--from", "0", "--to", "3", "--dialect", "sqlite"});
    ASSERT_EQ(lite.exit_code, 0) << lite.err;
    EXPECT_EQ(lite.out.find("lock_timeout"), std::string::npos) << lite.out;
}

TEST_F(PostgresqlOnline, LintFindingsShowInLintStatusDryRunAndUpgradeAndStrictRefuses)
{
    ASSERT_EQ(run_cli(strata({"upgrade"})).exit_code, 0);
    write("0002_index.sql", "-- up\nCREATE INDEX items_name ON items (name);\n");
    write("0003_drop.sql", "-- strata: allow drop-column no release reads it since 4.1\n-- up\nALTER TABLE items DROP COLUMN name;\n");

    auto lint = run_cli(strata({"lint"}));
    EXPECT_EQ(lint.exit_code, 1) << lint.err;
    EXPECT_NE(lint.out.find("0002_index.sql:2): index-not-concurrent"), std::string::npos) << lint.out;
    EXPECT_NE(lint.out.find("(allowed) app step 3"), std::string::npos) << lint.out;
    auto json = run_cli(strata({"--json", "lint", "--from", "2"}));
    EXPECT_EQ(json.exit_code, 0) << json.err;  // step 3's finding is allowed
    EXPECT_NE(json.out.find("\"format\": \"strata.lint/1\""), std::string::npos) << json.out;
    EXPECT_NE(json.out.find("\"allowed\": \"no release reads it since 4.1\""), std::string::npos) << json.out;

    auto status = run_cli(strata({"status", "--no-drift"}));
    EXPECT_NE(status.out.find("lint: app step 2"), std::string::npos) << status.out;
    auto dry = run_cli(strata({"upgrade", "--dry-run"}));
    EXPECT_NE(dry.out.find("-- lint: app step 2"), std::string::npos) << dry.out;

    // --strict refuses before anything runs; without it, each finding is a warning.
    auto strict = run_cli(strata({"upgrade", "--strict"}));
    EXPECT_EQ(strict.exit_code, 1) << strict.err;
    EXPECT_NE(strict.err.find("unsafe on a live database"), std::string::npos) << strict.err;
    EXPECT_EQ(version(), 1);
    auto upgrade = run_cli(strata({"upgrade"}));
    EXPECT_EQ(upgrade.exit_code, 0) << upgrade.err;
    EXPECT_NE(upgrade.err.find("lint: app step 2"), std::string::npos) << upgrade.err;
    EXPECT_EQ(upgrade.err.find("lint: app step 3"), std::string::npos) << upgrade.err;
    EXPECT_EQ(version(), 3);
}
