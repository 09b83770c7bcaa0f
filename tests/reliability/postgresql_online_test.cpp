// PostgreSQL under live traffic: a step's DDL that waits for a lock (a second
// session holds one) gives up after the step's lock timeout, so the
// application's queries never queue behind it for longer; the step is rolled
// back and retried, and in the end fails naming the session that held the lock.
#include "test_support.hpp"

#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/lint.hpp"
#include "strata/upgrader.hpp"

#include <chrono>
#include <csignal>
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

namespace {

struct Counters {
    std::int64_t rows = 0;
    std::int64_t counted_once = 0;
    std::int64_t progress_rows = 0;
};

Counters counters(const std::string& url)
{
    auto db = connect(url);
    Counters c;
    c.rows = std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM counters"));
    c.counted_once = std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM counters WHERE hits = 1"));
    c.progress_rows = std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM strata_progress"));
    return c;
}

}  // namespace

// The backfill adds 1 to each of 1,000 rows in 10 batches. Killed after every
// statement of the upgrade in turn and run again, each row is counted exactly
// once: a committed batch is never run twice (its progress commits with it)
// and an interrupted one never counts.
TEST_F(PostgresqlOnline, ABatchedBackfillKilledAfterAnyStatementResumesAndCountsEachRowOnce)
{
    int kills = 0;
    for (int k = 1; k < 200; ++k) {
        PgSchema schema(server_url_);
        auto setup = run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "backfill", "--target", "1"});
        ASSERT_EQ(setup.exit_code, 0) << setup.err;
        auto killed = run_program(STRATA_TEST_WORKER_PATH,
                                  {"--url", schema.url(), "--chain", "backfill", "--failpoint", "statement:" + std::to_string(k)});
        if (killed.exit_code == 0) {
            EXPECT_GT(kills, 20) << "the backfill's batches should each be a kill point";
            break;
        }
        ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << "k=" << k << ": " << killed.err;
        ++kills;
        auto rerun = run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "backfill"});
        ASSERT_EQ(rerun.exit_code, 0) << "k=" << k << ": " << rerun.err;
        const auto c = counters(schema.url());
        EXPECT_EQ(c.rows, 1000) << "k=" << k;
        EXPECT_EQ(c.counted_once, 1000) << "k=" << k;
        EXPECT_EQ(c.progress_rows, 0) << "k=" << k;
    }
    EXPECT_GT(kills, 0);
}

TEST_F(PostgresqlOnline, NotValidConstraintsAreValidatedInALaterStepAndRenderPlainOnSqlite)
{
    auto declare = [](Upgrader& up, Database db) {
        up.bind("app", std::move(db), Schema{})
            .without_models()
            .step(1, "tables",
                  [](Ops& o) {
                      o.create_table(table("owners").column(col::integer("id")).primary_key({"id"}));
                      o.create_table(table("items")
                                         .column(col::integer("id"))
                                         .column(col::integer("owner").nullable())
                                         .column(col::integer("qty").nullable())
                                         .primary_key({"id"}));
                      o.execute("INSERT INTO owners VALUES (1); INSERT INTO items VALUES (1, 1, 5)");
                  })
            .step(2, "constraints, not yet valid",
                  [](Ops& o) {
                      o.add_foreign_key("items", ForeignKey{.name = "items_owner_fk", .columns = {"owner"},
                                                            .ref_table = "owners", .ref_columns = {"id"}},
                                        true);
                      o.add_check("items", CheckConstraint{.name = "items_qty_ck", .expression = "qty > 0"}, true);
                  })
            .step(3, "validate", [](Ops& o) {
                o.validate_constraint("items", "items_owner_fk");
                o.validate_constraint("items", "items_qty_ck");
            });
    };
    Upgrader up;
    declare(up, connect(schema_->url()));
    const auto& steps = up.steps("app");
    EXPECT_TRUE(lint_steps(steps, *find_dialect("postgresql"), "app").empty());
    const auto pg = up.sql("app", 0, 3, *find_dialect("postgresql"));
    EXPECT_NE(pg.find("FOREIGN KEY (\"owner\") REFERENCES \"owners\" (\"id\") NOT VALID;"), std::string::npos) << pg;
    EXPECT_NE(pg.find("CHECK (qty > 0) NOT VALID;"), std::string::npos) << pg;
    EXPECT_NE(pg.find("ALTER TABLE \"items\" VALIDATE CONSTRAINT \"items_owner_fk\";"), std::string::npos) << pg;
    const auto lite = up.sql("app", 0, 3, *find_dialect("sqlite"));
    EXPECT_EQ(lite.find("VALID"), std::string::npos) << lite;

    (void)up.run(RunOptions{.target = 2});
    auto db = connect(schema_->url());
    auto validated = [&] {
        return std::get<std::int64_t>(db.session().scalar(
            "SELECT count(*) FROM pg_constraint WHERE conname IN ('items_owner_fk', 'items_qty_ck') AND convalidated"));
    };
    EXPECT_EQ(validated(), 0);
    // Not valid, but new rows are checked already.
    EXPECT_THROW(db.session().execute("INSERT INTO items VALUES (2, 9, 1)"), DatabaseError);
    (void)up.run();
    EXPECT_EQ(validated(), 2);

    // The same steps on SQLite: plain constraints, enforced from the start.
    TempDir dir;
    Upgrader lite_up;
    declare(lite_up, connect("sqlite:" + (dir.path() / "app.db").string()));
    (void)lite_up.run();
    auto file = connect("sqlite:" + (dir.path() / "app.db").string());
    EXPECT_THROW(file.session().execute("INSERT INTO items VALUES (2, 1, 0)"), DatabaseError);
}

TEST_F(PostgresqlOnline, ABackfillRendersAsBatchesOfflineAndAsOneUpdateOnSqlite)
{
    Upgrader up;
    up.bind("app", connect(schema_->url()), Schema{})
        .without_models()
        .step(1, "t", [](Ops& o) {
            o.create_table(table("t").column(col::bigint("id")).column(col::integer("n").nullable()).primary_key({"id"}));
        })
        .step(2, "fill", [](Ops& o) { o.backfill("t", "id", "n = 0", "n IS NULL", 500, std::chrono::milliseconds(20)); });
    const auto pg = up.sql("app", 0, 2, *find_dialect("postgresql"));
    EXPECT_NE(pg.find("UPDATE \"t\" SET n = 0 WHERE \"id\" >= lo AND \"id\" < lo + 500 AND (n IS NULL);\n    COMMIT;"),
              std::string::npos) << pg;
    EXPECT_NE(pg.find("PERFORM pg_sleep(0.02"), std::string::npos) << pg;
    // The offline script runs in psql and fills every row.
    auto db = connect(schema_->url());
    std::ofstream(dir_.path() / "offline.sql") << "SET search_path TO " << schema_->name() << ";\n" << pg;
    const auto psql = run_program(pg_program("psql"), {"-X", "-v", "ON_ERROR_STOP=1", "-q", "-f",
                                                       (dir_.path() / "offline.sql").string(), server_url_});
    ASSERT_EQ(psql.exit_code, 0) << psql.err;
    const auto lite = up.sql("app", 0, 2, *find_dialect("sqlite"));
    EXPECT_NE(lite.find("BEGIN;\nUPDATE \"t\" SET n = 0 WHERE n IS NULL;\n"), std::string::npos) << lite;
    // A backfill shares its step with nothing.
    Upgrader wrong;
    wrong.bind("app", connect(schema_->url()), Schema{})
        .without_models()
        .step(1, "t", [](Ops& o) {
            o.create_table(table("u").column(col::bigint("id")).column(col::integer("n").nullable()).primary_key({"id"}));
            o.backfill("u", "id", "n = 0");
        });
    EXPECT_THROW(wrong.validate(), ModelError);
}

// A SQL file's UPDATE marked `-- strata: backfill`: batches through the real
// binary, their progress on a terminal, the plain UPDATE on SQLite.
TEST_F(PostgresqlOnline, ASqlFileBackfillRunsInBatchesWithProgressOnATerminal)
{
    write("0001_items.sql", "-- up\nCREATE TABLE items (id integer PRIMARY KEY, name text, score integer);\n"
                            "INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 20000) g;\n");
    write("0002_score.sql", "-- strata: backfill key=id batch=500 pause=20ms\n-- up\n"
                            "UPDATE items SET score = length(name) WHERE score IS NULL;\n");
    const auto offline = run_cli({"--dir", dir_.path().string(), "sql", "--from", "1", "--to", "2", "--dialect", "postgresql"});
    EXPECT_NE(offline.out.find("UPDATE \"items\" SET score = length(name) WHERE \"id\" >= lo AND \"id\" < lo + 500 AND "
                               "(score IS NULL);\n    COMMIT;"),
              std::string::npos)
        << offline.out << offline.err;
    const auto lite = run_cli({"--dir", dir_.path().string(), "sql", "--from", "1", "--to", "2", "--dialect", "sqlite"});
    EXPECT_NE(lite.out.find("UPDATE \"items\" SET score = length(name) WHERE score IS NULL;"), std::string::npos) << lite.out;
    ASSERT_EQ(run_cli(strata({"upgrade", "--to", "1"})).exit_code, 0);

    std::string command = std::string(STRATA_CLI_PATH);
    for (const auto& word : strata({"upgrade"}))
        command += " '" + word + "'";
    auto r = run_program("/usr/bin/script", {"-qfec", command, "/dev/null"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("\x1b[2K"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("app: backfill of items: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(" keys"), std::string::npos) << r.out;
    EXPECT_EQ(version(), 2);
    auto db = connect(schema_->url());
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM items WHERE score = length(name)")), 20000);

    write("0003_bad.sql", "-- strata: backfill key=id\n-- up\nDELETE FROM items WHERE id < 0;\n");
    auto bad = run_cli(strata({"status"}));
    EXPECT_EQ(bad.exit_code, 2) << bad.err;
    EXPECT_NE(bad.err.find("0003_bad.sql"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("an UPDATE table SET"), std::string::npos) << bad.err;
}

namespace {

// What the phases chain's step 2 leaves: every phase's insert once, the column
// NOT NULL, the unique constraint (over its index), the helper check gone.
struct PhasesOutcome {
    std::vector<std::int64_t> runs;
    bool email_nullable = true;
    std::vector<std::string> uniques;
    std::size_t checks = 0;
    std::size_t indexes = 0;
    std::int64_t progress_rows = -1;
};

PhasesOutcome phases_outcome(const std::string& url)
{
    auto db = connect(url);
    PhasesOutcome out;
    for (const auto& row : db.session().query("SELECT phase FROM runs ORDER BY phase").rows)
        out.runs.push_back(std::get<std::int64_t>(row[0]));
    const auto schema = db.inspect();
    const auto* people = schema.find_table("people");
    if (!people)
        return out;
    out.email_nullable = people->find_column("email")->nullable;
    for (const auto& u : people->uniques)
        out.uniques.push_back(u.name);
    out.checks = people->checks.size();
    out.indexes = people->indexes.size();
    if (db.dialect().table_exists(db.session(), "strata_progress"))  // -1: none, the step never ran in phases
        out.progress_rows = std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM strata_progress"));
    return out;
}

}  // namespace

// A step of six phases (SET NOT NULL the lock-safe way, a CONCURRENTLY built
// unique constraint, a logged insert in three of them), killed after every
// statement of the upgrade in turn and run again: it ends at the same schema
// with each phase's insert exactly once, and no INVALID index or progress row left.
TEST_F(PostgresqlOnline, AStepInPhasesKilledAfterAnyStatementResumesAtItsPhaseAndRunsEachOnce)
{
    int kills = 0;
    for (int k = 1; k < 200; ++k) {
        PgSchema schema(server_url_);
        auto setup = run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "phases", "--target", "1"});
        ASSERT_EQ(setup.exit_code, 0) << setup.err;
        auto killed = run_program(STRATA_TEST_WORKER_PATH,
                                  {"--url", schema.url(), "--chain", "phases", "--failpoint", "statement:" + std::to_string(k)});
        if (killed.exit_code == 0) {
            EXPECT_GT(kills, 25) << "each phase's statements should be kill points";
            break;
        }
        ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << "k=" << k << ": " << killed.err;
        ++kills;
        auto rerun = run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "phases"});
        ASSERT_EQ(rerun.exit_code, 0) << "k=" << k << ": " << rerun.err;
        const auto o = phases_outcome(schema.url());
        EXPECT_EQ(o.runs, (std::vector<std::int64_t>{1, 2, 3})) << "k=" << k;
        EXPECT_FALSE(o.email_nullable) << "k=" << k;
        EXPECT_EQ(o.uniques, std::vector<std::string>{"people_email_uq"}) << "k=" << k;
        EXPECT_EQ(o.checks, 0u) << "k=" << k;
        EXPECT_EQ(o.indexes, 0u) << "k=" << k << ": the unique index belongs to the constraint";
        EXPECT_EQ(o.progress_rows, 0) << "k=" << k;
        auto db = connect(schema.url());
        EXPECT_EQ(std::get<std::int64_t>(db.session().scalar(
                      "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                      "AND NOT i.indisvalid")),
                  0)
            << "k=" << k;
    }
    EXPECT_GT(kills, 0);
}

// The phases each commit on their own (a second session sees the validated
// check before the step ends), the way down runs in phases too, an atomic
// upgrade refuses them, and on SQLite the same step is one transaction.
TEST_F(PostgresqlOnline, PhasesCommitOnTheirOwnRevertAndRunAsOneTransactionOnSqlite)
{
    PgSchema schema(server_url_);
    ASSERT_EQ(run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "phases", "--target", "1"}).exit_code, 0);
    // An atomic upgrade cannot hold a step of several transactions.
    auto atomic = run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "phases", "--atomic", "1"});
    EXPECT_EQ(atomic.exit_code, 2) << atomic.err;
    EXPECT_NE(atomic.err.find("runs in phases"), std::string::npos) << atomic.err;
    // Killed right after phase 2 (validate) committed: the check is there and valid, the column still nullable.
    int k = 1;
    for (; k < 100; ++k) {
        PgSchema probe(server_url_);
        ASSERT_EQ(run_program(STRATA_TEST_WORKER_PATH, {"--url", probe.url(), "--chain", "phases", "--target", "1"}).exit_code, 0);
        (void)run_program(STRATA_TEST_WORKER_PATH, {"--url", probe.url(), "--chain", "phases", "--failpoint", "statement:" + std::to_string(k)});
        auto db = connect(probe.url());
        if (std::holds_alternative<std::monostate>(db.session().scalar("SELECT to_regclass('strata_progress')::text")))
            continue;
        const auto position = db.session().query("SELECT position FROM strata_progress WHERE version = 2");
        if (!position.empty() && std::get<std::int64_t>(position.rows[0][0]) == 2) {
            EXPECT_EQ(std::get<std::int64_t>(db.session().scalar(
                          "SELECT count(*) FROM pg_constraint WHERE conname = 'ck_people_email_not_null' AND convalidated")),
                      1);
            EXPECT_TRUE(phases_outcome(probe.url()).email_nullable);
            break;
        }
    }
    EXPECT_LT(k, 100) << "no kill point left the step after its second phase";

    // Up, then down in phases, then up again.
    ASSERT_EQ(run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "phases"}).exit_code, 0);
    auto reverted = run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "phases", "--downgrade", "1"});
    ASSERT_EQ(reverted.exit_code, 0) << reverted.err;
    auto down = phases_outcome(schema.url());
    EXPECT_TRUE(down.runs.empty());
    EXPECT_TRUE(down.email_nullable);
    EXPECT_TRUE(down.uniques.empty());
    EXPECT_EQ(down.checks, 0u);
    ASSERT_EQ(run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--chain", "phases"}).exit_code, 0);
    EXPECT_EQ(phases_outcome(schema.url()).runs, (std::vector<std::int64_t>{1, 2, 3}));

    // SQLite: no lock queue, one transaction, the same end.
    TempDir dir;
    const auto file = "sqlite:" + (dir.path() / "app.db").string();
    auto lite = run_program(STRATA_TEST_WORKER_PATH, {"--url", file, "--chain", "phases"});
    ASSERT_EQ(lite.exit_code, 0) << lite.err;
    const auto o = phases_outcome(file);
    EXPECT_EQ(o.runs, (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_FALSE(o.email_nullable);
    EXPECT_EQ(o.uniques, std::vector<std::string>{"people_email_uq"});
    EXPECT_EQ(o.checks, 0u);
    EXPECT_EQ(o.indexes, 0u);
    EXPECT_EQ(o.progress_rows, -1) << "SQLite runs the step in one transaction";
}

// Offline, each phase is a transaction of its own (the CONCURRENTLY index none)
// and psql runs the script to the same end; on SQLite it is one transaction.
// Phases that cannot run are refused before anything runs.
TEST_F(PostgresqlOnline, PhasesRenderAsTransactionsOfTheirOwnOfflineAndBadPhasesAreRefused)
{
    auto declare = [](Upgrader& up, Database db) {
        up.bind("app", std::move(db), Schema{})
            .without_models()
            .step(1, "people",
                  [](Ops& o) {
                      o.create_table(table("people").column(col::bigint("id")).column(col::text("email").nullable())
                                         .primary_key({"id"}));
                  })
            .step(2, "email required and unique", [](Ops& o) {
                o.set_not_null("people", col::text("email").nullable());
                o.next_phase();
                o.add_unique_concurrently("people", UniqueConstraint{"people_email_uq", {"email"}});
            });
    };
    Upgrader up;
    declare(up, connect(schema_->url()));
    const auto pg = up.sql("app", 0, 2, *find_dialect("postgresql"));
    EXPECT_NE(pg.find("NOT VALID;\nCOMMIT;\n-- phase 2 of 5\nBEGIN;\nSET LOCAL lock_timeout = '1000ms';\n"
                      "ALTER TABLE \"people\" VALIDATE CONSTRAINT \"ck_people_email_not_null\";\nCOMMIT;\n"),
              std::string::npos) << pg;
    EXPECT_NE(pg.find("-- phase 4 of 5, outside a transaction\nSET lock_timeout = '1000ms';\n"
                      "CREATE UNIQUE INDEX CONCURRENTLY"),
              std::string::npos) << pg;
    EXPECT_NE(pg.find("UNIQUE USING INDEX \"people_email_uq\";\nINSERT INTO \"strata_version\""), std::string::npos) << pg;
    std::ofstream(dir_.path() / "offline.sql") << "SET search_path TO " << schema_->name() << ";\n" << pg;
    const auto psql = run_program(pg_program("psql"), {"-X", "-v", "ON_ERROR_STOP=1", "-q", "-f",
                                                       (dir_.path() / "offline.sql").string(), server_url_});
    ASSERT_EQ(psql.exit_code, 0) << psql.err;
    const auto schema = connect(schema_->url()).inspect();
    EXPECT_FALSE(schema.find_table("people")->find_column("email")->nullable);
    EXPECT_EQ(schema.find_table("people")->uniques.size(), 1u);
    EXPECT_TRUE(schema.find_table("people")->checks.empty());

    const auto lite = up.sql("app", 0, 2, *find_dialect("sqlite"));
    EXPECT_EQ(lite.find("phase"), std::string::npos) << lite;
    EXPECT_EQ(lite.find("CONCURRENTLY"), std::string::npos) << lite;

    auto refused = [&](const std::function<void(Ops&)>& build, bool no_transaction, const std::string& expected) {
        Upgrader wrong;
        auto b = wrong.bind("app", connect(schema_->url()), Schema{}).without_models().step(1, "bad", build);
        if (no_transaction)
            b.no_transaction();
        try {
            wrong.validate();
            ADD_FAILURE() << "accepted; expected: " << expected;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    refused([](Ops& o) {
        o.execute("SELECT 1");
        o.next_phase();
        o.create_index("people", Index{.name = "ix", .elements = {"email"}}, true);
        o.execute("SELECT 2");
    }, false, "alone in a phase");
    refused([](Ops& o) {
        o.execute("SELECT 1");
        o.next_phase();
        o.next_phase();
        o.execute("SELECT 2");
    }, false, "empty phase");
    refused([](Ops& o) {
        o.create_index("people", Index{.name = "ix", .elements = {"email"}}, true);
        o.next_phase();
        o.execute("SELECT 2");
    }, true, "cannot have phases");
}
