// No silent loss: steps render against the schema that is really there (after
// raw SQL and data code, whatever path their DDL took), --atomic gives what step
// by step gives, and a no-transaction step runs once under concurrency. Run on
// each engine.
#include "upgrader_suite.hpp"

#include "strata/errors.hpp"
#include "strata/soci.hpp"

namespace strata::test {

namespace {

// Version 1: t(id, n) with two rows.
void declare_t(BindBuilder& b)
{
    b.without_models();
    b.step(1, "t", [](Ops& o) {
        o.create_table(table("t").column(col::bigint("id")).column(col::integer("n")).primary_key({"id"}));
    });
}

void seed_t(const std::string& url)
{
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    declare_t(b);
    up.run(quiet());
    connect(url).session().execute("INSERT INTO t (id, n) VALUES (1, 10), (2, 20)");
}

std::vector<std::string> column_values(Database& db, const std::string& sql)
{
    std::vector<std::string> out;
    for (const auto& row : db.session().query(sql).rows)
        out.push_back(std::holds_alternative<std::string>(row[0]) ? std::get<std::string>(row[0]) : to_display(row[0]));
    return out;
}

// The scenario of a user who lost a column under --atomic: raw SQL adds a column,
// an index and values; the next step changes a column type (a rebuild on SQLite).
void declare_raw_then_rebuild(BindBuilder b)
{
    declare_t(b);
    b.step(2, "extra, by raw SQL", [](Ops& o) {
        o.execute("ALTER TABLE t ADD COLUMN extra TEXT");
        o.execute("CREATE INDEX t_n ON t (n)");
        o.execute("UPDATE t SET extra = 'precious-' || id");
    });
    b.step(3, "n becomes text", [](Ops& o) { o.alter_column("t", col::integer("n"), col::text("n")); });
}

void expect_extra_and_index_kept(const std::string& url)
{
    auto db = connect(url);
    auto live = db.inspect();
    const auto* t = live.find_table("t");
    ASSERT_NE(t, nullptr);
    EXPECT_NE(t->find_column("extra"), nullptr) << "the column made by raw SQL was lost";
    EXPECT_NE(t->find_index("t_n"), nullptr) << "the index made by raw SQL was lost";
    EXPECT_EQ(t->find_column("n")->type.kind, TypeKind::text);
    EXPECT_EQ(column_values(db, "SELECT extra FROM t ORDER BY id"), (std::vector<std::string>{"precious-1", "precious-2"}));
}

}  // namespace

TEST_P(NoSilentLossSuite, RawSqlThenARebuildKeepsItsColumnValuesAndIndexStepByStep)
{
    auto url = new_url();
    seed_t(url);
    Upgrader up;
    declare_raw_then_rebuild(up.bind("app", connect(url), Schema("app")));
    EXPECT_EQ(up.run(quiet()).binds.at(0).to, 3);
    expect_extra_and_index_kept(url);
}

TEST_P(NoSilentLossSuite, RawSqlThenARebuildKeepsItsColumnValuesAndIndexAtomically)
{
    auto url = new_url();
    seed_t(url);
    Upgrader up;
    declare_raw_then_rebuild(up.bind("app", connect(url), Schema("app")));
    auto options = quiet();
    options.atomic = true;
    EXPECT_EQ(up.run(options).binds.at(0).to, 3);
    expect_extra_and_index_kept(url);
}

TEST_P(NoSilentLossSuite, RawSqlAndARebuildInOneStepKeepWhatTheRawSqlMade)
{
    for (bool atomic : {false, true}) {
        SCOPED_TRACE(atomic ? "atomic" : "step by step");
        auto url = new_url();
        seed_t(url);
        Upgrader up;
        auto b = up.bind("app", connect(url), Schema("app"));
        declare_t(b);
        b.step(2, "extra, then n becomes text", [](Ops& o) {
            o.execute("ALTER TABLE t ADD COLUMN extra TEXT");
            o.execute("CREATE INDEX t_n ON t (n)");
            o.execute("UPDATE t SET extra = 'precious-' || id");
            o.alter_column("t", col::integer("n"), col::text("n"));
        });
        auto options = quiet();
        options.atomic = atomic;
        EXPECT_EQ(up.run(options).binds.at(0).to, 2);
        expect_extra_and_index_kept(url);
    }
}

TEST_P(NoSilentLossSuite, DdlInAMultiStatementTextOfDataCodeIsSeenByTheNextStep)
{
    for (bool atomic : {false, true}) {
        SCOPED_TRACE(atomic ? "atomic" : "step by step");
        auto copy = new_url();
        seed_t(copy);
        Upgrader up;
        auto b = up.bind("app", connect(copy), Schema("app"));
        declare_t(b);
        // The DDL is the second statement of one text: no first keyword gives it away.
        b.step(2, "marks", data("marks-1", [](Session& s) {
            s.execute("UPDATE t SET n = n + 1; ALTER TABLE t ADD COLUMN mark TEXT DEFAULT 'm'; CREATE INDEX t_mark ON t (mark)");
        })).covered_by_model();
        b.step(3, "n becomes text", [](Ops& o) { o.alter_column("t", col::integer("n"), col::text("n")); });
        auto options = quiet();
        options.atomic = atomic;
        EXPECT_EQ(up.run(options).binds.at(0).to, 3);
        auto db = connect(copy);
        const auto live = db.inspect();
        ASSERT_NE(live.find_table("t"), nullptr);
        EXPECT_NE(live.find_table("t")->find_column("mark"), nullptr);
        EXPECT_NE(live.find_table("t")->find_index("t_mark"), nullptr);
        EXPECT_EQ(column_values(db, "SELECT n FROM t ORDER BY id"), (std::vector<std::string>{"11", "21"}));
    }
}

TEST_P(NoSilentLossSuite, DdlThroughTheSociSessionIsSeenByTheNextStep)
{
    auto url = new_url();
    seed_t(url);
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    declare_t(b);
    b.step(2, "notes, through SOCI", data("soci-1", [](Session& s) {
        auto& sql = soci_session(s);
        sql << "ALTER TABLE t ADD COLUMN note TEXT";
        sql << "UPDATE t SET note = 'kept'";
        sql << "CREATE UNIQUE INDEX t_note_id ON t (note, id)";
    })).covered_by_model();
    b.step(3, "n becomes text", [](Ops& o) { o.alter_column("t", col::integer("n"), col::text("n")); });
    EXPECT_EQ(up.run(quiet()).binds.at(0).to, 3);
    auto db = connect(url);
    const auto live = db.inspect();
    EXPECT_NE(live.find_table("t")->find_column("note"), nullptr);
    const auto* ix = live.find_table("t")->find_index("t_note_id");
    ASSERT_NE(ix, nullptr);
    EXPECT_TRUE(ix->unique);
    EXPECT_EQ(column_values(db, "SELECT note FROM t ORDER BY id"), (std::vector<std::string>{"kept", "kept"}));
}

TEST_P(NoSilentLossSuite, AnAtomicBatchWhoseDataCodeLeavesAnOrphanIsRolledBackWhole)
{
    auto url = new_url();
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    b.without_models();
    b.step(1, "parent and child", [](Ops& o) {
        o.create_table(table("parent").column(col::bigint("id")).primary_key({"id"}));
        o.create_table(table("child").column(col::bigint("id")).column(col::bigint("parent_id")).column(col::integer("n"))
                           .primary_key({"id"}).foreign_key({"parent_id"}, "parent", {"id"}));
    });
    b.step(2, "an orphan", data("orphan-1", [](Session& s) {
        s.execute("INSERT INTO child (id, parent_id, n) VALUES (1, 99, 1)");
    })).covered_by_model();
    b.step(3, "n becomes text", [](Ops& o) { o.alter_column("child", col::integer("n"), col::text("n")); });
    auto options = quiet();
    options.target = 1;
    up.run(options);
    options.target.reset();
    options.atomic = true;
    try {
        up.run(options);
        FAIL() << "an orphan row was committed";
    } catch (const DatabaseError& e) {
        EXPECT_NE(std::string(e.what()).find("step 2"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("stays at version 1"), std::string::npos) << e.what();
    }
    auto db = connect(url);
    EXPECT_EQ(count_rows(db, "child"), 0);
    EXPECT_EQ(up.status("app").current, 1);
    EXPECT_EQ(db.inspect().find_table("child")->find_column("n")->type.kind, TypeKind::integer);
}

TEST_P(NoSilentLossSuite, EightProcessesRunANoTransactionStepOnce)
{
    // Through the binary, as a deployment starts it: eight processes at once,
    // each upgrading 1 -> 3 where step 2 runs outside a transaction and takes a while.
    TempDir dir;
    const auto migrations = dir.path() / "migrations";
    std::filesystem::create_directories(migrations / "app");
    std::ofstream(migrations / "app" / "0001_hits.sql") << "-- up\nCREATE TABLE hits (n INTEGER NOT NULL);\n";
    const std::string slow =
        sqlite() ? "INSERT INTO hits (n) SELECT 1 FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                   "WHERE x < 400000) SELECT max(x) FROM c)"
                 : "INSERT INTO hits (n) SELECT 1 FROM pg_sleep(0.3)";
    std::ofstream(migrations / "app" / "0002_slow_hit.sql") << "-- strata: no-transaction\n-- up\n" << slow << ";\n";
    std::ofstream(migrations / "app" / "0003_after.sql") << "-- up\nINSERT INTO hits (n) VALUES (2);\n";
    auto url = new_url();
    auto first = run_cli({"--dir", migrations.string(), "--bind", "app=" + url, "upgrade", "--to", "1"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    std::vector<Child> children;
    for (int i = 0; i < 8; ++i)
        children.push_back(spawn_program(STRATA_CLI_PATH, {"--dir", migrations.string(), "--bind", "app=" + url, "upgrade"}));
    for (auto& c : children) {
        auto r = wait_program(c);
        EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    auto db = connect(url);
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM hits WHERE n = 1")), 1)
        << "the no-transaction step ran more than once";
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM hits WHERE n = 2")), 1);
    EXPECT_EQ(kinds_per_version(url, StepKind::applied)[2], 1);
}

}  // namespace strata::test
