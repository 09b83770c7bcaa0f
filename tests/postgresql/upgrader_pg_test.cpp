// What only PostgreSQL has: CONCURRENTLY indexes, the pre-upgrade command,
// binds in a schema of their own (its locks: reliability/postgresql_lock_test.cpp).
#include "history.hpp"
#include "test_support.hpp"

#include "strata/errors.hpp"
#include "strata/inspect.hpp"
#include "strata/upgrader.hpp"

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
    EXPECT_EQ(status.state, "ok");
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
    o.pre_upgrade_command = "echo \"$STRATA_BIND $STRATA_FROM_VERSION $STRATA_TO_VERSION\" > '" + out + "'";
    (void)up.run(o);
    EXPECT_EQ(read_file(out), "app 3 10\n");

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
        EXPECT_EQ(up.run().binds.at(0).action, "fresh");
    }
    auto admin = connect(server_url_);
    EXPECT_EQ(std::get<std::int64_t>(admin.session().scalar(
                  "SELECT count(*) FROM pg_tables WHERE schemaname = ?", {name})),
              6);  // five tables and strata_version
    EXPECT_EQ(connect(server_url_).inspect().find_table("setting"), nullptr);  // not in public
    admin.session().execute("DROP SCHEMA \"" + name + "\" CASCADE");
}
