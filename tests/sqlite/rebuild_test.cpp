// The SQLite table rebuild through the upgrader: nothing of the table is lost.
#include "history.hpp"
#include "test_support.hpp"

#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "strata/upgrader.hpp"

#include <filesystem>

using namespace strata;
using namespace strata::test;

namespace {

// A parent with CASCADE and SET NULL children, triggers, views, partial,
// descending and expression indexes, and AUTOINCREMENT with a gap at the end.
const char* const parent_schema = R"(
CREATE TABLE parent (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  code VARCHAR(10) NOT NULL,
  label TEXT,
  score INTEGER DEFAULT 0 CHECK (score >= 0)
);
CREATE UNIQUE INDEX ux_parent_code ON parent (code);
CREATE INDEX ix_parent_score_desc ON parent (score DESC, id);
CREATE INDEX ix_parent_label_lower ON parent (lower(label)) WHERE label IS NOT NULL;
CREATE TABLE cascade_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);
CREATE TABLE null_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE SET NULL);
CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);
CREATE TRIGGER parent_audit AFTER UPDATE ON parent BEGIN INSERT INTO audit (what) VALUES ('parent ' || NEW.id); END;
CREATE VIEW parent_scores AS SELECT code, score FROM parent WHERE score > 0;
INSERT INTO parent (code, label, score) VALUES ('a', 'Alpha', 1), ('b', NULL, 2), ('c', 'Gamma', 0), ('d', 'Delta', 5);
DELETE FROM parent WHERE code = 'd';
INSERT INTO cascade_child VALUES (1, 1), (2, 1), (3, 2);
INSERT INTO null_child VALUES (1, 1), (2, 3);
)";

Schema parent_models()
{
    Schema s("app");
    s.table("parent")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::string>("code").varchar(40)
        .column<std::optional<std::string>>("label")
        .column<std::optional<std::int32_t>>("score").default_value(0).check("score >= 0")
        .unique_index("ux_parent_code", {"code"})
        .index("ix_parent_score_desc", {desc("score"), "id"})
        .index("ix_parent_label_lower", {expr("lower(label)")}, IndexOptions{.where = "label IS NOT NULL"});
    return s;
}

Upgrader widen_code(const std::string& url)
{
    Upgrader up;
    up.bind("app", connect(url), parent_models())
        .step(1, "widen parent.code", [](Ops& o) {
            o.alter_column("parent", col::varchar("code", 10), col::varchar("code", 40));
        });
    return up;
}

std::int64_t scalar_int(Database& db, const std::string& sql)
{
    return std::get<std::int64_t>(db.session().scalar(sql));
}

}  // namespace

TEST(SqliteRebuild, AlterColumnKeepsRowsChildrenIndexesTriggersViewsAndCounters)
{
    TempDir dir;
    auto url = dir.sqlite_url("rebuild.db");
    {
        auto db = connect(url);
        execute_script(db, parent_schema);
    }
    auto before = connect(url).inspect();
    auto up = widen_code(url);
    (void)up.stamp("app", 0, {});
    auto report = up.run("app", RunOptions{.snapshots = 0});
    ASSERT_EQ(report.to, 1);

    auto db = connect(url);
    auto after = db.inspect();
    // The type changed, and nothing else did.
    auto differences = compare(before, after);
    ASSERT_EQ(differences.size(), 1u) << lines(differences);
    EXPECT_EQ(to_text(differences[0], "before", "after"), "table parent: column code: type varchar(10) in before, varchar(40) in after");
    // Every row, and every child row: no cascade fired, no SET NULL either.
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM parent"), 3);
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM cascade_child"), 3);
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM null_child WHERE parent_id IS NOT NULL"), 2);
    EXPECT_TRUE(db.session().query("PRAGMA foreign_key_check").empty());
    // AUTOINCREMENT never reuses id 4 (deleted before the rebuild).
    EXPECT_EQ(scalar_int(db, "SELECT seq FROM sqlite_sequence WHERE name = 'parent'"), 4);
    db.session().execute("INSERT INTO parent (code) VALUES ('e')");
    EXPECT_EQ(scalar_int(db, "SELECT id FROM parent WHERE code = 'e'"), 5);
    // The trigger fires, the view answers, the indexes are used.
    db.session().execute("UPDATE parent SET score = 3 WHERE code = 'a'");
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM audit"), 1);
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM parent_scores"), 2);
    auto plan = db.session().query("EXPLAIN QUERY PLAN SELECT * FROM parent WHERE lower(label) = 'alpha' AND label IS NOT NULL");
    EXPECT_NE(to_display(plan.rows.at(0).back()).find("ix_parent_label_lower"), std::string::npos);
    // Foreign keys are enforced again on this connection and the next.
    EXPECT_THROW(db.session().execute("INSERT INTO cascade_child VALUES (9, 999)"), DatabaseError);
    EXPECT_EQ(std::get<std::int64_t>(up.database("app").session().scalar("PRAGMA foreign_keys")), 1);
    EXPECT_EQ(std::get<std::int64_t>(up.database("app").session().scalar("PRAGMA legacy_alter_table")), 0);
}

TEST(SqliteRebuild, FailedRebuildLeavesTheTableAsItWas)
{
    TempDir dir;
    auto url = dir.sqlite_url("fail.db");
    {
        auto db = connect(url);
        execute_script(db, parent_schema);
    }
    auto before = connect(url).inspect();
    Upgrader up;
    // label holds a NULL: making it NOT NULL must fail, and lose nothing.
    up.bind("app", connect(url), parent_models())
        .step(1, "label required", [](Ops& o) { o.alter_column("parent", col::text("label").nullable(), col::text("label")); });
    (void)up.stamp("app", 0, {});
    EXPECT_THROW(up.run("app", RunOptions{.snapshots = 0}), DatabaseError);
    auto db = connect(url);
    EXPECT_TRUE(compare(before, db.inspect()).empty());
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM parent"), 3);
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM cascade_child"), 3);
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '_strata_new_%'"), 0);
    EXPECT_EQ(std::get<std::int64_t>(up.database("app").session().scalar("PRAGMA foreign_keys")), 1);
    EXPECT_EQ(up.status("app", false).current, 0);
}

TEST(SqliteRebuild, ViewThatNoLongerWorksFailsTheStep)
{
    TempDir dir;
    auto url = dir.sqlite_url("view.db");
    {
        auto db = connect(url);
        execute_script(db, parent_schema);
    }
    Upgrader up;
    auto models = parent_models();
    up.bind("app", connect(url), models).step(1, "drop score", [](Ops& o) {
        o.drop_column("parent", "score", col::integer("score").nullable().default_value(0));
    });
    (void)up.stamp("app", 0, {});
    try {
        (void)up.run("app", RunOptions{.snapshots = 0});
        FAIL() << "a view over the dropped column was broken";
    } catch (const DatabaseError& e) {
        EXPECT_NE(std::string(e.what()).find("view 'parent_scores' no longer works after the rebuild of table 'parent'"),
                  std::string::npos) << e.what();
    }
    auto db = connect(url);
    EXPECT_NE(db.inspect().find_table("parent")->find_column("score"), nullptr);
}

TEST(SqliteRebuild, ATriggerOnADroppedColumnFailsTheRebuildAndIsNamed)
{
    // A raw step made a trigger on column c; a later step drops c while changing
    // another column (one rebuild). The trigger cannot come back: the step must
    // roll back and say so, not drop it quietly.
    TempDir dir;
    auto url = dir.sqlite_url("trigger.db");
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    b.without_models();
    b.step(1, "t", [](Ops& o) {
        o.create_table(table("t").column(col::bigint("id")).column(col::integer("n")).column(col::text("c").nullable())
                           .primary_key({"id"}));
    });
    b.step(2, "audit of c, by raw SQL", [](Ops& o) {
        o.execute("CREATE TABLE audit (what TEXT)");
        o.execute("CREATE TRIGGER t_c_audit AFTER UPDATE OF c ON t BEGIN INSERT INTO audit VALUES (NEW.c); END");
    });
    b.step(3, "n becomes text, drop c", [](Ops& o) {
        o.alter_column("t", col::integer("n"), col::text("n"));
        o.drop_column("t", "c", col::text("c").nullable());
    });
    try {
        (void)up.run("app", RunOptions{.snapshots = 0});
        FAIL() << "the trigger was dropped without a word";
    } catch (const DatabaseError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("trigger t_c_audit on t would be lost"), std::string::npos) << what;
        EXPECT_NE(what.find("stays at version 2"), std::string::npos) << what;
    }
    auto db = connect(url);
    auto live = db.inspect();
    EXPECT_NE(live.find_table("t")->find_column("c"), nullptr);
    EXPECT_NE(live.find_object(ObjectKind::trigger, "t_c_audit"), nullptr);
    EXPECT_EQ(up.status("app", false).current, 2);
}

TEST(SqliteRebuild, AnIntegerKeyThatIsNotARowidAliasStaysOne)
{
    // SMALLINT PRIMARY KEY is an ordinary key that refuses NULL-assigned ids;
    // written back as INTEGER PRIMARY KEY it would become the rowid and assign them.
    TempDir dir;
    auto url = dir.sqlite_url("key.db");
    connect(url).session().execute("CREATE TABLE category (category_id SMALLINT NOT NULL, name TEXT, "
                                   "PRIMARY KEY (category_id)); INSERT INTO category VALUES (7, 'seven')");
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    b.without_models();
    b.step(1, "category", [](Ops& o) { o.execute("SELECT 1"); });
    b.step(2, "name required", [](Ops& o) {
        o.alter_column("category", col::text("name").nullable(), col::text("name").default_value(Value{std::string("-")}));
    });
    (void)up.stamp("app", 1, {});
    ASSERT_EQ(up.run("app", RunOptions{.snapshots = 0}).to, 2);
    auto db = connect(url);
    const auto sql = std::get<std::string>(db.session().scalar("SELECT sql FROM sqlite_schema WHERE name = 'category'"));
    EXPECT_NE(sql.find("SMALLINT"), std::string::npos) << sql;
    EXPECT_THROW(db.session().execute("INSERT INTO category (category_id, name) VALUES (NULL, 'x')"), DatabaseError);
    EXPECT_EQ(scalar_int(db, "SELECT category_id FROM category"), 7);
}

// A rebuild of a big table copies its rows in ranges of rowid and reports the
// rows done as it goes (the progress line on a terminal); gaps in the rowids
// and a rowid near the largest one change nothing. The lock-safe set_not_null,
// three phases on PostgreSQL, is one rebuild here.
TEST(SqliteRebuild, ABigTableIsCopiedInRangesThatReportTheRowsDone)
{
    TempDir dir;
    auto url = dir.sqlite_url("big.db");
    connect(url).session().execute(
        "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);"
        "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 130000) "
        "INSERT INTO big SELECT x * 3, 'v' || x FROM n;"
        "INSERT INTO big VALUES (9223372036854775806, 'last')");
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    b.without_models();
    b.step(1, "big", [](Ops& o) { o.execute("SELECT 1"); });
    b.step(2, "v required", [](Ops& o) { o.set_not_null("big", col::text("v").nullable()); });
    (void)up.stamp("app", 1, {});
    std::vector<WorkProgress> events;
    RunOptions options{.snapshots = 0};
    options.on_work = [&](const WorkProgress& e) { events.push_back(e); };
    ASSERT_EQ(up.run("app", options).to, 2);
    std::vector<WorkProgress> copies;
    for (const auto& e : events)
        if (e.what == "rebuild of table big")
            copies.push_back(e);
    ASSERT_GE(copies.size(), 3u) << "one event per range of rowids";
    for (std::size_t i = 1; i < copies.size(); ++i)
        EXPECT_GE(copies[i].done, copies[i - 1].done);
    EXPECT_EQ(copies.back().done, 130001);
    EXPECT_EQ(copies.back().total, 130001);
    EXPECT_EQ(copies.back().unit, "rows");
    auto db = connect(url);
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM big"), 130001);
    EXPECT_EQ(scalar_int(db, "SELECT sum(id = 9223372036854775806) FROM big"), 1);
    EXPECT_THROW(db.session().execute("INSERT INTO big VALUES (1, NULL)"), DatabaseError);
    EXPECT_EQ(db.inspect().find_table("big")->checks.size(), 0u);
}

TEST(SqliteLocks, TheLeaseLockIsRefusedBeforeAnythingIsTouched)
{
    TempDir dir;
    auto url = dir.sqlite_url("lease.db");
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    b.without_models();
    b.step(1, "t", [](Ops& o) { o.create_table(table("t").column(col::bigint("id")).primary_key({"id"})); });
    RunOptions options{.snapshots = 0};
    options.lock_mode = LockMode::lease;
    try {
        (void)up.run(options);
        FAIL() << "the lease lock ran on SQLite";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("automatic lock mode"), std::string::npos) << e.what();
    }
    auto db = connect(url);
    EXPECT_EQ(scalar_int(db, "SELECT count(*) FROM sqlite_schema"), 0) << "the database was touched";
}

TEST(SqliteBackup, UpgradeKeepsTheLastSnapshots)
{
    TempDir dir;
    auto url = dir.sqlite_url("app.db");
    auto path = (dir.path() / "app.db").string();
    for (long long v = 1; v <= 5; ++v) {
        Upgrader up;
        declare_history(up, "app", connect(url));
        RunOptions o;
        o.replay = true;
        o.target = v;
        o.snapshots = 3;
        auto report = up.run("app", o);
        if (v > 1) {
            EXPECT_EQ(report.backup, path + ".v" + std::to_string(v - 1) + ".bak");
        }
    }
    std::vector<std::string> kept;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        if (entry.path().extension() == ".bak")
            kept.push_back(entry.path().filename().string());
    std::sort(kept.begin(), kept.end());
    EXPECT_EQ(kept, (std::vector<std::string>{"app.db.v2.bak", "app.db.v3.bak", "app.db.v4.bak"}));
    // A snapshot is a working database at its version.
    Upgrader old;
    declare_history(old, "app", connect("sqlite:///" + path + ".v3.bak"));
    EXPECT_EQ(old.status("app", false).current, 3);
}
