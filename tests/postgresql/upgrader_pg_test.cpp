// What only PostgreSQL has: CONCURRENTLY indexes, the pre-upgrade command,
// binds in a schema of their own (its locks: reliability/postgresql_lock_test.cpp).
#include "history.hpp"
#include "test_support.hpp"

#include "strata/autogenerate.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "strata/upgrader.hpp"
#include "strata/url.hpp"

#include <fstream>

using namespace strata;
using namespace strata::test;

class PostgresqlUpgrader : public PgTest {};

namespace {

Upgrader item_upgrader(const std::string& url)
{
    Schema models("app");
    models.table("item")
        .column<std::int64_t>("id").primary_key()
        .column<std::string>("code")
        .unique_index("ux_item_code", {"code"});
    Upgrader up;
    up.bind("app", connect(url), models)
        .step(1, "items", [](Ops& o) {
            o.create_table(table("item").column(col::bigint("id")).column(col::text("code")).primary_key({"id"}));
        })
        .step(2, "unique codes, built without blocking writes", [](Ops& o) {
            o.create_index("item", Index{"ux_item_code", {IndexElement("code")}, true, {}, {}}, true);
        })
        .no_transaction();
    return up;
}

std::string index_validity(Database& db, const std::string& name)
{
    auto rows = db.session().query("SELECT i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
                                   "WHERE c.relname = ? AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())",
                                   {name});
    if (rows.empty())
        return "absent";
    return std::get<bool>(rows.rows[0][0]) ? "valid" : "invalid";
}

}  // namespace

TEST_F(PostgresqlUpgrader, InterruptedConcurrentIndexIsDroppedAndRebuilt)
{
    PgSchema schema(server_url_);
    {
        auto up = item_upgrader(schema.url());
        RunOptions o;
        o.replay = true;
        o.target = 1;
        (void)up.run("app", o);
        up.database("app").session().execute("INSERT INTO item VALUES (1, 'a'), (2, 'a')");
        // CREATE UNIQUE INDEX CONCURRENTLY fails on the duplicate and leaves an INVALID index.
        EXPECT_THROW((void)up.run("app"), DatabaseError);
        EXPECT_EQ(index_validity(up.database("app"), "ux_item_code"), "invalid");
        EXPECT_EQ(up.status("app", false).current, 1);
        up.database("app").session().execute("DELETE FROM item WHERE id = 2");
    }
    auto up = item_upgrader(schema.url());
    auto report = up.run("app");
    EXPECT_EQ(report.to, 2);
    EXPECT_EQ(index_validity(up.database("app"), "ux_item_code"), "valid");
    auto status = up.status("app");
    EXPECT_EQ(status.state, BindState::ok);
    EXPECT_TRUE(status.drift.empty()) << status.drift.size();
}

TEST_F(PostgresqlUpgrader, ConcurrentIndexBuiltBeforeAnInterruptionIsOnlyRecorded)
{
    PgSchema schema(server_url_);
    auto up = item_upgrader(schema.url());
    RunOptions o;
    o.replay = true;
    o.target = 1;
    (void)up.run("app", o);
    // As if the index was built and the process died before writing the version row.
    up.database("app").session().execute("CREATE UNIQUE INDEX ux_item_code ON item (code)");
    auto report = up.run("app");
    EXPECT_EQ(report.to, 2);
    EXPECT_EQ(index_validity(up.database("app"), "ux_item_code"), "valid");
}

TEST_F(PostgresqlUpgrader, PreUpgradeCommandRunsBeforeTheFirstStep)
{
    PgSchema schema(server_url_);
    TempDir dir;
    auto out = (dir.path() / "pre.txt").string();
    {
        Upgrader up;
        declare_history(up, "app", connect(schema.url()), HistoryOptions{.steps = 3});
        RunOptions o;
        o.replay = true;
        (void)up.run(o);
    }
    Upgrader up;
    declare_history(up, "app", connect(schema.url()));
    RunOptions o;
    // libpq's variables reach the bind: psql with no connection arguments answers.
    o.pre_upgrade_command = "echo \"$STRATA_BIND $STRATA_FROM_VERSION $STRATA_TO_VERSION\" > '" + out + "' && " +
                            pg_program("psql") + " -XAtc 'SELECT current_database()' >> '" + out + "'";
    setenv("PGDATABASE", "not_this_one", 1);
    (void)up.run(o);
    const auto database = Url::parse(schema.url()).database;
    EXPECT_EQ(read_file(out), "app 3 10\n" + database + "\n");
    EXPECT_STREQ(std::getenv("PGDATABASE"), "not_this_one") << "the command's environment stays its own";
    unsetenv("PGDATABASE");

    // A failing command stops the upgrade before anything runs.
    Upgrader failing;
    declare_history(failing, "app", connect(schema.url()), HistoryOptions{.step_sleep_ms = 1});
    o.pre_upgrade_command = "exit 7";
    try {
        (void)failing.run(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("the pre-upgrade command of bind 'app' failed"), std::string::npos);
    }
    EXPECT_EQ(failing.status("app", false).current, 10);
}

TEST_F(PostgresqlUpgrader, BindInASchemaOfItsOwnIsCreated)
{
    auto name = unique_name("tenant");
    auto url = server_url_ + "?schema=" + name;
    {
        Upgrader up;
        declare_history(up, "app", connect(url));
        EXPECT_EQ(up.run().binds.at(0).action, BindAction::fresh);
    }
    auto admin = connect(server_url_);
    EXPECT_EQ(std::get<std::int64_t>(admin.session().scalar(
                  "SELECT count(*) FROM pg_tables WHERE schemaname = ?", {name})),
              6);  // five tables and strata_version
    EXPECT_EQ(connect(server_url_).inspect().find_table("setting"), nullptr);  // not in public
    admin.session().execute("DROP SCHEMA \"" + name + "\" CASCADE");
}

namespace {

// Two tables and a partitioned one, made by raw SQL; then the table features by ops.
Upgrader feature_upgrader(const std::string& url)
{
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    b.without_models();
    b.step(1, "tables", [](Ops& o) {
        o.execute("CREATE EXTENSION IF NOT EXISTS btree_gist;"
                  "CREATE TABLE booking (room integer NOT NULL, during tstzrange NOT NULL);"
                  "CREATE TABLE ev (at timestamptz NOT NULL, n integer) PARTITION BY RANGE (at);"
                  "CREATE TABLE ev_2026 (at timestamptz NOT NULL, n integer)",
                  "DROP TABLE ev_2026; DROP TABLE ev; DROP TABLE booking");
    });
    b.step(2, "features", [](Ops& o) {
        o.add_exclusion("booking", ExclusionConstraint{"booking_no_overlap", "EXCLUDE USING gist (room WITH =, during WITH &&)"});
        o.set_row_security("booking", RowSecurity::forced, RowSecurity::off);
        o.attach_partition("ev_2026", "ev", "FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')");
    });
    return up;
}

}  // namespace

TEST_F(PostgresqlUpgrader, ExclusionsRowSecurityAndPartitionsAreOpsThatGoBothWays)
{
    PgSchema schema(server_url_);
    auto up = feature_upgrader(schema.url());
    RunOptions o;
    o.target = 1;
    (void)up.run("app", o);
    const auto at_1 = connect(schema.url()).inspect();
    (void)up.run("app", RunOptions{});
    const auto at_2 = connect(schema.url()).inspect();
    const auto* booking = at_2.find_table("booking");
    ASSERT_NE(booking, nullptr);
    ASSERT_EQ(booking->exclusions.size(), 1u);
    EXPECT_EQ(booking->exclusions[0].name, "booking_no_overlap");
    EXPECT_TRUE(booking->force_row_security);
    EXPECT_EQ(at_2.find_table("ev_2026")->partition_of, "ev");
    // The overlap is refused: the constraint is real.
    auto& s = up.database("app").session();
    s.execute("INSERT INTO booking VALUES (1, '[2026-01-01,2026-01-03)')");
    EXPECT_THROW(s.execute("INSERT INTO booking VALUES (1, '[2026-01-02,2026-01-04)')"), Error);

    // Down again: every feature undone, the schema is version 1's.
    s.execute("DELETE FROM booking");
    (void)up.downgrade("app", 1);
    EXPECT_EQ(lines(compare(connect(schema.url()).inspect(), at_1)), "");

    // autogenerate names the same ops, and they take version 1 to version 2.
    auto step = autogenerate(at_1, at_2);
    std::vector<std::string> described;
    for (const auto& op : step.ops)
        described.push_back(describe(op));
    std::sort(described.begin(), described.end());
    EXPECT_EQ(described, (std::vector<std::string>{"add_exclusion booking_no_overlap on booking",
                                                   "attach_partition ev_2026 to ev", "set_row_security booking forced"}));
    const auto& d = up.database("app").dialect();
    Schema state = at_1;
    for (const auto& statement : d.render_step(step.ops, state))
        s.execute(statement.sql);
    EXPECT_EQ(lines(compare(connect(schema.url()).inspect(), at_2)), "");
    const auto cpp = to_cpp(3, "features", step);
    EXPECT_NE(cpp.find("o.set_row_security(\"booking\", strata::RowSecurity::forced, strata::RowSecurity::off);"),
              std::string::npos) << cpp;
}

TEST_F(PostgresqlUpgrader, ANumberingColumnChangesBetweenSerialIdentityAndNone)
{
    PgSchema schema(server_url_);
    auto db = connect(schema.url());
    auto& s = db.session();
    s.execute("CREATE TABLE item (id serial PRIMARY KEY, code text); INSERT INTO item (code) VALUES ('a'), ('b')");
    auto column = [&] { return *connect(schema.url()).inspect().find_table("item")->find_column("id"); };
    auto alter = [&](Column to) {
        const auto live = db.inspect();
        Schema state = live;
        for (const auto& statement : db.dialect().render_step(std::vector<Op>{AlterColumn{"item", column(), to}}, state))
            s.execute(statement.sql);
        EXPECT_EQ(lines(compare(db.inspect(), state)), "") << "what the op says is what the table became";
    };
    ASSERT_EQ(column().autoincrement_style, AutoincrementStyle::serial);

    Column id = column();
    id.default_value.reset();
    id.autoincrement_style = AutoincrementStyle::identity_always;
    id.identity_options = "START WITH 100 INCREMENT BY 10";
    alter(id);
    EXPECT_EQ(column().autoincrement_style, AutoincrementStyle::identity_always);
    EXPECT_EQ(column().identity_options, id.identity_options);
    s.execute("INSERT INTO item (code) VALUES ('c')");
    EXPECT_EQ(std::get<std::int64_t>(s.scalar("SELECT max(id) FROM item")), 100) << "numbering starts at its START";

    id.autoincrement_style = AutoincrementStyle::identity;
    id.identity_options = "INCREMENT BY 5";
    alter(id);
    EXPECT_EQ(column().autoincrement_style, AutoincrementStyle::identity);
    EXPECT_EQ(column().identity_options, "INCREMENT BY 5");

    id.autoincrement_style = AutoincrementStyle::serial;
    id.identity_options.clear();
    alter(id);
    EXPECT_EQ(column().autoincrement_style, AutoincrementStyle::serial);
    s.execute("INSERT INTO item (code) VALUES ('d')");
    EXPECT_EQ(std::get<std::int64_t>(s.scalar("SELECT max(id) FROM item")), 101) << "numbering goes on past the rows there";

    id.autoincrement = false;
    alter(id);
    EXPECT_FALSE(column().autoincrement);
    EXPECT_THROW(s.execute("INSERT INTO item (code) VALUES ('e')"), Error);  // id is NOT NULL with no default now
}

TEST_F(PostgresqlUpgrader, CheckWithoutTheRightToCreateASchemaSaysWhatToGrant)
{
    ScratchDatabase database(server_url_, "strata_test");
    Schema models("app");
    models.table("item").column<std::int64_t>("id").primary_key();
    models.view("item_ids", "select id from item");
    auto make = [&](const std::string& url) {
        Upgrader up;
        up.bind("app", connect(url), models).step(1, "items", [](Ops& o) {
            o.create_table(table("item").column(col::bigint("id")).primary_key({"id"}));
        });
        return up;
    };
    auto owner = make(database.url());
    (void)owner.run(RunOptions{});
    auto& admin = owner.database("app").session();
    const auto role = unique_name("reader");
    admin.execute("CREATE ROLE \"" + role + "\" LOGIN PASSWORD 'pw'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"" +
                  role + "\"");
    auto url = Url::parse(database.url());
    url.user = role;
    url.password = "pw";
    {
        auto reader = make(url.unmasked());
        try {
            (void)reader.check("app", [&] { return connect(database.url()); });
            ADD_FAILURE() << "a role that may not create a schema compared bodies";
        } catch (const DatabaseError& e) {
            EXPECT_EQ(e.kind(), DatabaseErrorKind::permission);
            EXPECT_NE(std::string(e.what()).find("GRANT CREATE ON DATABASE"), std::string::npos) << e.what();
        }
    }
    admin.execute("DROP OWNED BY \"" + role + "\"; DROP ROLE \"" + role + "\"");
}
