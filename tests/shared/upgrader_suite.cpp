// The upgrader tests, one body per behaviour, run on each engine.
#include "upgrader_suite.hpp"

#include "sql_tokenizer.hpp"
#include "text.hpp"

#include "strata/errors.hpp"
#include "strata/inspect.hpp"


namespace strata::test {

namespace {

// Schema and seed data of a database, comparable between databases of one engine.
struct Image {
    Schema schema;
    std::vector<std::string> settings;
};

Image image_of(const std::string& url)
{
    auto db = connect(url);
    Image i;
    i.schema = db.inspect();
    if (i.schema.find_table("setting"))
        for (const auto& r : db.session().query("SELECT \"id\", \"key\", \"value\" FROM \"setting\" ORDER BY \"id\"").rows)
            i.settings.push_back(to_display(r[0]) + "|" + to_display(r[1]) + "|" + to_display(r[2]));
    return i;
}

std::string differences(const Image& a, const Image& b)
{
    std::string out = lines(compare(a.schema, b.schema));
    if (a.settings != b.settings)
        out += "setting rows differ: " + std::to_string(a.settings.size()) + " vs " + std::to_string(b.settings.size()) + "\n";
    return out;
}

}  // namespace

TEST_P(UpgraderSuite, FreshSetupCreatesTheHeadSchemaAndRecordsTheSkipList)
{
    auto url = new_url();
    auto report = run_history(url);
    EXPECT_EQ(report.action, BindAction::fresh);
    EXPECT_EQ(report.to, 10);
    auto db = connect(url);
    auto live = db.inspect();
    auto diff = compare(live, db.dialect().canonical(history_models()),
                        {.object_definitions = db.dialect().capabilities().preserves_object_sql});
    EXPECT_TRUE(diff.empty()) << lines(diff);
    Upgrader up;
    declare_history(up, "app", connect(url));
    std::vector<std::string> kinds;
    for (const auto& e : up.history("app"))
        kinds.push_back(std::to_string(e.version) + ":" + std::string(to_string(e.kind)));
    EXPECT_EQ(kinds, (std::vector<std::string>{"1:skipped", "2:skipped", "3:skipped", "4:skipped", "5:applied", "6:skipped",
                                               "7:skipped", "8:applied", "9:skipped", "10:skipped", "10:fresh"}));
    auto status = up.status("app");
    EXPECT_EQ(status.state, BindState::ok);
    EXPECT_EQ(status.current, 10);
    EXPECT_EQ(status.skipped_on_fresh, (std::vector<long long>{1, 2, 3, 4, 6, 7, 9, 10}));
    EXPECT_TRUE(status.drift.empty()) << status.drift.size();
    // The seed data ran, and ran through the struct mapping.
    db.session().attach_schema(&up.models("app"));
    auto settings = db.session().select<Setting>("\"key\" = ?", {std::string("lang")});
    ASSERT_EQ(settings.size(), 1u);
    EXPECT_EQ(settings[0].value, "EN");
}

// One type for every backend's throwaway databases (check, verify, tests, bench):
// empty when made, with the bind's parameters, and gone afterwards even while a
// session still uses it (PostgreSQL 12 has no DROP DATABASE ... WITH (FORCE)).
TEST_P(UpgraderSuite, AScratchDatabaseStartsEmptyAndIsDroppedEvenWhileInUse)
{
    const auto like = new_url();
    std::string name;
    std::optional<Database> still_open;
    {
        ScratchDatabase scratch(like, "strata_suite");
        name = scratch.name();
        EXPECT_EQ(Url::parse(scratch.url()).params, Url::parse(like).params);
        auto db = scratch.connect();
        EXPECT_TRUE(db.inspect().tables.empty());
        run_history(scratch.url());
        still_open.emplace(connect(scratch.url()));
        EXPECT_FALSE(still_open->inspect().tables.empty());
    }
    if (sqlite()) {
        EXPECT_FALSE(std::filesystem::exists(name)) << name;
    } else {
        auto admin = connect(like);
        auto rows = admin.session().query("SELECT 1 FROM pg_database WHERE datname = " +
                                          admin.dialect().render_literal(Value{name}));
        EXPECT_TRUE(rows.empty()) << name << " is still there";
    }
}

// Data code passes parameters as they are and reads one value as its type.
TEST_P(UpgraderSuite, ParametersAsTheyAreAndTypedScalars)
{
    auto db = connect(new_url());
    auto& s = db.session();
    s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, price REAL, active BOOLEAN, note TEXT)");
    EXPECT_EQ(s.execute("INSERT INTO item VALUES (?, ?, ?, ?, ?)", 1, "pen", 1.5, true, std::optional<std::string>{}), 1);
    const std::string_view ink = "ink";
    EXPECT_EQ(s.execute("INSERT INTO item VALUES (?, ?, ?, ?, ?)", 2, ink, 2.25, false, std::string("blue")), 1);
    EXPECT_EQ(s.scalar<std::int64_t>("SELECT count(*) FROM item WHERE active = ?", true), 1);
    EXPECT_EQ(s.scalar<std::string>("SELECT name FROM item WHERE id = ?", 2), "ink");
    EXPECT_EQ(s.scalar<double>("SELECT price FROM item WHERE name = ?", "ink"), 2.25);
    EXPECT_EQ(s.scalar<std::optional<std::string>>("SELECT note FROM item WHERE id = ?", 1), std::nullopt);
    EXPECT_EQ(s.scalar<std::optional<std::string>>("SELECT note FROM item WHERE id = ?", 2), "blue");
    EXPECT_EQ(s.scalar<std::optional<std::int64_t>>("SELECT id FROM item WHERE id = ?", 99), std::nullopt);  // no row
    EXPECT_ANY_THROW((void)s.scalar<std::int64_t>("SELECT note FROM item WHERE id = ?", 1));  // NULL is no number
    EXPECT_EQ(s.query("SELECT id FROM item WHERE price > ? AND name <> ?", 1.0, "x").size(), 2u);
    EXPECT_EQ(s.execute("DELETE FROM item WHERE note IS NULL OR note = ?", nullptr), 1);
}

TEST_P(UpgraderSuite, TwoBindsInOneDatabaseAreRefusedBeforeAnything)
{
    const auto url = new_url();
    auto two_binds = [&](const std::string& second) {
        Upgrader up;
        declare_history(up, "app", connect(url));
        up.bind("log", connect(second), Schema("log")).step(1, "entries", [](Ops& o) {
            o.create_table(table("entry").column(col::bigint("id")).primary_key({"id"}));
        });
        return up;
    };
    auto up = two_binds(url);
    try {
        (void)up.run(quiet());
        FAIL() << "two binds in one database were accepted";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("binds 'app' and 'log' point at the same database"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW((void)up.run("log", quiet()), ConfigError);
    auto db = connect(url);
    EXPECT_FALSE(db.dialect().table_exists(db.session(), "strata_version"));
    // The same file by another spelling is the same database; another file or schema is not.
    if (sqlite()) {
        const auto path = url.substr(std::string("sqlite:").size());
        const auto other_spelling = "sqlite:" + (std::filesystem::path(path).parent_path() / "." /
                                                 std::filesystem::path(path).filename()).string();
        EXPECT_THROW((void)two_binds(other_spelling).run(quiet()), ConfigError);
    }
    auto report = two_binds(new_url()).run(quiet());
    EXPECT_EQ(report.binds.size(), 2U);
}

TEST_P(UpgraderSuite, TypedAccessWorksFromBindOnwards)
{
    auto url = new_url();
    run_history(url);
    // A second program on a database at head: no run() (nor anything it attaches),
    // a second bind declared after the first (the first's models must not move).
    Upgrader up;
    declare_history(up, "app", defer_connect(url));
    declare_history(up, "other", defer_connect(new_url()));
    auto& s = up.database("app").session();
    s.insert(Setting{0, "font", "serif"});
    const auto rows = s.select<Setting>("\"key\" = ?", {Value{std::string("font")}});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].value, "serif");
    // Moved, as make_upgrader returns it: still bound.
    Upgrader moved = std::move(up);
    EXPECT_EQ(moved.database("app").session().select<Setting>().size(), 3u);
    // A database outside an upgrader says how to bind models.
    auto plain = connect(url);
    try {
        plain.session().insert(Setting{0, "x", "y"});
        ADD_FAILURE() << "a session without models inserted a struct";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("database.attach_schema(models)"), std::string::npos) << e.what();
    }
}

TEST_P(UpgraderSuite, ChainFromEmptyEqualsFreshSetup)
{
    auto fresh = new_url();
    auto chain = new_url();
    run_history(fresh);
    auto options = quiet();
    options.replay = true;
    auto report = run_history(chain, options);
    EXPECT_EQ(report.action, BindAction::replayed);
    EXPECT_EQ(report.steps.size(), 10u);
    auto d = differences(image_of(chain), image_of(fresh));
    EXPECT_TRUE(d.empty()) << d;
    EXPECT_EQ(image_of(chain).settings, (std::vector<std::string>{"1|'theme'|'light'", "2|'lang'|'EN'"}));
}

TEST_P(UpgraderSuite, UpgradeFromEveryVersionEqualsFreshSetup)
{
    auto fresh = new_url();
    run_history(fresh);
    const auto expected = image_of(fresh);
    for (long long v = 0; v < 10; ++v) {
        SCOPED_TRACE("from version " + std::to_string(v));
        auto url = new_url();
        run_history(url, replayed_to(v));
        auto report = run_history(url);
        EXPECT_EQ(report.from, v);
        EXPECT_EQ(report.to, 10);
        auto d = differences(image_of(url), expected);
        EXPECT_TRUE(d.empty()) << d;
    }
}

TEST_P(UpgraderSuite, DowngradeToEachVersionEqualsTheChainUpToIt)
{
    std::vector<Image> chain_at(11);
    for (long long v = 0; v <= 10; ++v) {
        auto url = new_url();
        run_history(url, replayed_to(v));
        chain_at[static_cast<std::size_t>(v)] = image_of(url);
    }
    auto url = new_url();
    run_history(url);
    Upgrader up;
    declare_history(up, "app", connect(url));
    for (long long v = 9; v >= 0; --v) {
        SCOPED_TRACE("down to version " + std::to_string(v));
        auto report = up.downgrade("app", v, quiet());
        EXPECT_EQ(report.to, v);
        EXPECT_EQ(report.steps.size(), 1u);
        auto d = differences(image_of(url), chain_at[static_cast<std::size_t>(v)]);
        EXPECT_TRUE(d.empty()) << d;
    }
    EXPECT_EQ(up.status("app", false).current, 0);
    // And up again, to the same schema and data as ever.
    auto report = up.run("app", quiet());
    EXPECT_EQ(report.from, 0);
    auto d = differences(image_of(url), chain_at[10]);
    EXPECT_TRUE(d.empty()) << d;
}

TEST_P(UpgraderSuite, VerifyProvesTheHistory)
{
    auto url = new_url();
    Upgrader up;
    declare_history(up, "app", connect(url));
    auto report = up.verify("app", [&] { return connect(new_url()); }, quiet());
    EXPECT_TRUE(report.ok()) << (report.failures.empty() ? "" : report.failures.front());
    EXPECT_EQ(report.checks, 1 + 10 * 2 + 9);
    EXPECT_TRUE(report.notes.empty());
}

TEST_P(UpgraderSuite, WronglyCoveredStepMakesVerifyFail)
{
    // A data step declared covered_by_model: a fresh setup skips the seed it writes.
    Upgrader up;
    declare_history(up, "app", connect(new_url()), {.steps = 10});
    auto models = up.models("app");
    auto steps = up.steps("app");
    steps[4].on_fresh = false;
    steps[4].covered_by_model = true;
    Upgrader wrong;
    auto b = wrong.bind("app", connect(new_url()), models);
    for (auto& s : steps)
        b.add(s);
    auto report = wrong.verify("app", [&] { return connect(new_url()); }, quiet());
    ASSERT_FALSE(report.ok());
    EXPECT_NE(report.failures.front().find("the chain from empty and the fresh setup differ: table setting: rows differ"),
              std::string::npos) << report.failures.front();
}

TEST_P(UpgraderSuite, RawSqlStepWithoutAFreshDeclarationIsRejected)
{
    Upgrader up;
    up.bind("app", connect(new_url()), Schema{}).step(1, "fix data", [](Ops& o) { o.execute("UPDATE x SET y = 1"); });
    try {
        up.validate();
        FAIL() << "accepted";
    } catch (const ModelError& e) {
        EXPECT_NE(std::string(e.what()).find("bind 'app': step 1 (\"fix data\") has data code or raw SQL, so strata "
                                             "cannot tell whether a fresh setup needs it"),
                  std::string::npos) << e.what();
    }
}

TEST_P(UpgraderSuite, FailingStepRollsBackAndAFixedRerunCompletes)
{
    auto url = new_url();
    run_history(url);
    HistoryOptions broken;
    broken.break_step_11 = true;
    try {
        run_history(url, quiet(), broken);
        FAIL() << "the broken step ran";
    } catch (const DatabaseError& e) {
        const auto& c = e.context();
        EXPECT_EQ(c.bind, "app");
        EXPECT_EQ(c.version, 11);
        EXPECT_EQ(c.description, "a step that fails");
        EXPECT_EQ(c.sql, "INSERT INTO \"no_such_table\" VALUES (1)");
        if (sqlite())
            EXPECT_EQ(c.engine_code, 1);
        else
            EXPECT_EQ(c.sqlstate, "42P01");
        EXPECT_NE(std::string(e.what()).find("stays at version 10"), std::string::npos) << e.what();
    }
    Upgrader up;
    declare_history(up, "app", connect(url));
    EXPECT_EQ(up.status("app", false).current, 10);
    // Nothing of the failed step is left: its first op (a new column) was rolled back too.
    EXPECT_EQ(connect(url).inspect().find_table("audit_log")->find_column("detail"), nullptr);
    // The fixed step 11 completes.
    Upgrader fixed;
    declare_history(fixed, "app", connect(url));
    auto models = fixed.models("app");
    Upgrader with_fix;
    auto b = with_fix.bind("app", connect(url), models);
    for (const auto& s : fixed.steps("app"))
        b.add(s);
    b.step(11, "a step that works", [](Ops& o) { o.execute("INSERT INTO \"audit_log\" (\"what\") VALUES ('fixed')"); })
        .covered_by_model();
    auto report = with_fix.run("app", quiet());
    EXPECT_EQ(report.to, 11);
    auto db = connect(url);
    EXPECT_EQ(count_rows(db, "audit_log"), 1);
}

TEST_P(UpgraderSuite, NewerDatabaseIsRefused)
{
    auto url = new_url();
    run_history(url);
    try {
        run_history(url, quiet(), HistoryOptions{.steps = 9});
        FAIL() << "an older program ran against a newer database";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::database_newer);
        EXPECT_NE(std::string(e.what()).find("bind 'app' is at version 10 but this program knows steps up to 9"),
                  std::string::npos) << e.what();
    }
}

TEST_P(UpgraderSuite, UnversionedBindIsRefusedAndStampAdoptsIt)
{
    auto url = new_url();
    {
        // A database created by hand from the same models, without strata's history.
        auto db = connect(url);
        Transaction tx(db.session());
        for (const auto& st : db.dialect().create_all(history_models()))
            db.session().execute(st.sql);
        tx.commit();
    }
    try {
        run_history(url);
        FAIL() << "an unversioned bind was touched";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::unversioned);
        EXPECT_NE(std::string(e.what()).find("stamp"), std::string::npos) << e.what();
    }
    Upgrader up;
    declare_history(up, "app", connect(url));
    EXPECT_EQ(up.status("app", false).state, BindState::unversioned);
    auto stamped = up.stamp("app", 10, quiet());
    EXPECT_EQ(stamped.to, 10);
    auto report = up.run("app", quiet());
    EXPECT_EQ(report.action, BindAction::up_to_date);
    auto status = up.status("app");
    EXPECT_EQ(status.state, BindState::ok);
    EXPECT_TRUE(status.drift.empty()) << status.drift.size();
}

TEST_P(UpgraderSuite, ChangedStepIsReportedAndFatalWhenStrict)
{
    auto url = new_url();
    run_history(url, replayed_to(9));
    Upgrader changed;
    declare_history(changed, "app", connect(url));
    auto steps = changed.steps("app");
    steps[2].ops.push_back(AddColumn{"user", col::text("nickname").nullable()});  // step 3 edited after it ran
    Upgrader edited;
    auto b = edited.bind("app", connect(url), changed.models("app"));
    for (auto& s : steps)
        b.add(s);
    auto status = edited.status("app", false);
    EXPECT_EQ(status.checksum_mismatches, (std::vector<long long>{3}));
    auto strict = quiet();
    strict.strict_checksums = true;
    try {
        (void)edited.run("app", strict);
        FAIL() << "strict mode ran over a changed step";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::checksum_mismatch);
        EXPECT_NE(std::string(e.what()).find("step(s) 3 differ"), std::string::npos) << e.what();
    }
    EXPECT_EQ(edited.status("app", false).current, 9);
    EXPECT_EQ(edited.run("app", quiet()).to, 10);  // not strict: a warning
}

TEST_P(UpgraderSuite, UpToDateStartCostsOneQueryPerBind)
{
    auto url = new_url();
    run_history(url);
    Upgrader up;
    declare_history(up, "app", connect(url));
    auto before = up.database("app").session().statements_executed();
    auto report = up.run(quiet());
    EXPECT_EQ(report.binds.at(0).action, BindAction::up_to_date);
    EXPECT_EQ(up.database("app").session().statements_executed() - before, 1u);
}

TEST_P(UpgraderSuite, SchemaChangesInDataCodeAndRawSqlAreFollowed)
{
    // Steps 2 and 3 change the schema behind the planner's back; steps 4 and 5
    // must be planned against what they left (on SQLite, step 5 rebuilds the table).
    auto url = new_url();
    Upgrader up;
    auto b = up.bind("app", connect(url), Schema("app"));
    b.without_models();
    b.step(1, "notes", [](Ops& o) {
        o.create_table(table("note").column(col::bigint("id")).column(col::text("body")).primary_key({"id"}));
    });
    b.step(2, "tags, made by data code", data("tags-1", [](Session& s) {
        s.execute("CREATE TABLE tag (id BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL)");
        s.execute("INSERT INTO tag (id, name) VALUES (1, 'red')");
    }));
    b.step(3, "note rank, by raw SQL", [](Ops& o) {
        o.execute("ALTER TABLE note ADD COLUMN \"rank\" INTEGER");
        o.execute("INSERT INTO note (id, body, \"rank\") VALUES (1, 'first', 3)");
    });
    b.step(4, "tag colour", [](Ops& o) { o.add_column("tag", col::varchar("colour", 20).nullable()); });
    b.step(5, "rank not null", [](Ops& o) {
        o.alter_column("note", col::integer("rank").nullable(), col::integer("rank").default_value(0));
    });
    auto report = up.run(quiet());
    EXPECT_EQ(report.binds.at(0).to, 5);
    auto live = connect(url).inspect();
    ASSERT_NE(live.find_table("tag"), nullptr);
    EXPECT_NE(live.find_table("tag")->find_column("colour"), nullptr);
    const auto* rank = live.find_table("note")->find_column("rank");
    ASSERT_NE(rank, nullptr);
    EXPECT_FALSE(rank->nullable);
    auto db = connect(url);
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT \"rank\" FROM note WHERE id = 1")), 3);
    EXPECT_EQ(std::get<std::string>(db.session().scalar("SELECT name FROM tag WHERE id = 1")), "red");
}

TEST_P(UpgraderSuite, EditedBodiesAreDriftButTheirSpellingIsNot)
{
    // The models write bodies in their own style; PostgreSQL keeps its own
    // rendering of them. check and status compare what each body says.
    auto url = new_url();
    Schema models("app");
    models.table("item").column<std::int64_t>("id").primary_key().column<std::string>("code");
    models.view("item_codes", "select code   from item where id > 0");
    models.function("item_code_upper", {{"postgresql", "create function item_code_upper() returns trigger language plpgsql "
                                                       "as $$ begin new.code := upper(new.code); return new; end $$"}});
    models.trigger("item_code_upper", "item",
                   {{"sqlite", "CREATE TRIGGER item_code_upper AFTER INSERT ON item BEGIN "
                               "UPDATE item SET code = upper(code) WHERE id = NEW.id; END"},
                    {"postgresql", "create trigger item_code_upper before insert on item for each row "
                                   "execute function item_code_upper()"}});
    models.object(SqlObject{ObjectKind::policy, "item_positive", "item",
                            {{"postgresql", "create policy item_positive on item using (id > 0)"}}});
    Upgrader up;
    up.bind("app", connect(url), models).step(1, "items", [](Ops& o) {
        o.create_table(table("item").column(col::bigint("id")).column(col::text("code")).primary_key({"id"}));
    });
    ASSERT_EQ(up.run(quiet()).binds.at(0).action, BindAction::fresh);
    auto scratch = [&] { return connect(new_url()); };
    EXPECT_EQ(lines(up.check("app", scratch)), "");
    EXPECT_TRUE(up.status("app").drift.empty()) << lines(up.status("app").drift);

    auto& s = up.database("app").session();
    std::vector<std::pair<std::string, std::string>> edits;  // (statement, what check must name)
    if (sqlite()) {
        edits = {{"DROP VIEW item_codes; CREATE VIEW item_codes AS select code   from item where id > 1", "view item_codes"},
                 {"DROP TRIGGER item_code_upper; CREATE TRIGGER item_code_upper AFTER INSERT ON item BEGIN "
                  "UPDATE item SET code = lower(code) WHERE id = NEW.id; END", "trigger item_code_upper"}};
    } else {
        edits = {{"CREATE OR REPLACE VIEW item_codes AS SELECT code FROM item WHERE id > 1", "view item_codes"},
                 {"CREATE OR REPLACE FUNCTION item_code_upper() RETURNS trigger LANGUAGE plpgsql "
                  "AS $$ begin new.code := lower(new.code); return new; end $$", "function item_code_upper"},
                 {"DROP TRIGGER item_code_upper ON item; CREATE TRIGGER item_code_upper BEFORE INSERT OR UPDATE ON item "
                  "FOR EACH ROW EXECUTE FUNCTION item_code_upper()", "trigger item_code_upper"},
                 {"ALTER POLICY item_positive ON item USING (id > 1)", "policy item_positive"}};
    }
    std::size_t expected = 0;
    for (const auto& [statement, name] : edits) {
        s.execute(statement);
        auto drift = lines(up.check("app", scratch));
        EXPECT_NE(drift.find(name), std::string::npos) << statement << "\nis not named as " << name << ":\n" << drift;
        EXPECT_EQ(up.status("app").drift.size(), ++expected) << lines(up.status("app").drift);
    }
}

TEST_P(UpgraderSuite, ABindBuilderOutlivesAMoveOfItsUpgrader)
{
    auto url = new_url();
    Upgrader first;
    auto b = first.bind("app", connect(url), Schema("app"));
    b.without_models();
    Upgrader up = std::move(first);  // as `return up;` does in a make_upgrader()
    b.step(1, "notes", [](Ops& o) { o.create_table(table("note").column(col::bigint("id")).primary_key({"id"})); });
    EXPECT_EQ(up.run(quiet()).binds.at(0).to, 1);
    EXPECT_NE(connect(url).inspect().find_table("note"), nullptr);
}

TEST_P(UpgraderSuite, BindsAreIndependent)
{
    auto app = new_url();
    auto log = new_url();
    Schema log_models("log");
    log_models.table("access").column<std::int64_t>("id").primary_key().column<std::string>("path");
    auto declare_log = [&](Upgrader& up, bool broken) {
        auto b = up.bind("log", connect(log), log_models);
        b.step(1, "access", [](Ops& o) {
            o.create_table(table("access").column(col::bigint("id")).column(col::text("path")).primary_key({"id"}));
        });
        if (broken)
            b.step(2, "broken", [](Ops& o) { o.execute("INSERT INTO \"nowhere\" VALUES (1)"); }).covered_by_model();
    };
    {
        Upgrader up;
        declare_history(up, "app", connect(app));
        declare_log(up, false);
        up.run(quiet());  // both fresh, at their heads
    }
    {
        Upgrader up;
        declare_history(up, "app", connect(app), HistoryOptions{.step_sleep_ms = 1});  // app gains step 11
        declare_log(up, true);                                                       // log gains a failing step 2
        EXPECT_THROW(up.run(quiet()), DatabaseError);
        EXPECT_EQ(up.status("app", false).current, 11);  // app's step stays done
        EXPECT_EQ(up.status("log", false).current, 1);
    }
    Upgrader up;
    declare_history(up, "app", connect(app), HistoryOptions{.step_sleep_ms = 1});
    auto b = up.bind("log", connect(log), log_models);
    b.step(1, "access", [](Ops& o) {
        o.create_table(table("access").column(col::bigint("id")).column(col::text("path")).primary_key({"id"}));
    });
    b.step(2, "fixed", [](Ops& o) { o.execute("INSERT INTO \"access\" VALUES (1, '/')"); }).covered_by_model();
    auto report = up.run(quiet());
    ASSERT_EQ(report.binds.size(), 2u);
    EXPECT_EQ(report.binds[0].action, BindAction::up_to_date);  // only log does work
    EXPECT_EQ(report.binds[1].action, BindAction::upgraded);
    EXPECT_EQ(report.binds[1].to, 2);
}

TEST_P(UpgraderSuite, AtomicUpgradeIsAllOrNothing)
{
    auto url = new_url();
    run_history(url, replayed_to(3));
    auto atomic = quiet();
    atomic.atomic = true;
    HistoryOptions broken;
    broken.break_step_11 = true;
    EXPECT_THROW(run_history(url, atomic, broken), DatabaseError);
    Upgrader up;
    declare_history(up, "app", connect(url));
    EXPECT_EQ(up.status("app", false).current, 3);  // steps 4..10 rolled back with 11
    EXPECT_EQ(connect(url).inspect().find_table("setting"), nullptr);
    auto report = run_history(url, atomic);
    EXPECT_EQ(report.to, 10);
    EXPECT_EQ(report.steps.size(), 7u);
}

TEST_P(UpgraderSuite, StampOnAHistoryAppendsAndReverts)
{
    auto url = new_url();
    run_history(url);
    Upgrader up;
    declare_history(up, "app", connect(url));
    (void)up.downgrade("app", 8, quiet());
    auto history = up.history("app");
    ASSERT_GE(history.size(), 2u);
    EXPECT_EQ(history[history.size() - 2].kind, StepKind::reverted);
    EXPECT_EQ(history.back().kind, StepKind::reverted);
    EXPECT_EQ(history.back().version, 9);
    EXPECT_EQ(up.status("app", false).current, 8);
    (void)up.stamp("app", 10, quiet());
    EXPECT_EQ(up.history("app").back().kind, StepKind::stamped);
    EXPECT_EQ(up.status("app", false).current, 10);
}

TEST_P(UpgraderSuite, IrreversibleDowngradeIsRefusedBeforeAnythingRuns)
{
    auto url = new_url();
    Upgrader up;
    auto b = up.bind("app", connect(url), history_models());
    declare_history(up, "ignored", connect(new_url()));  // reuse the history's steps for "app"
    for (const auto& s : up.steps("ignored"))
        b.add(s);
    b.step(11, "purge", [](Ops& o) { o.drop_column("audit_log", "what"); }).covered_by_model();
    (void)up.run("app", quiet());
    try {
        (void)up.downgrade("app", 9, quiet());
        FAIL() << "downgraded past a step without a way back";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::irreversible);
        EXPECT_NE(std::string(e.what()).find("drop_column audit_log.what does not record the dropped column's definition"),
                  std::string::npos) << e.what();
    }
    EXPECT_EQ(up.status("app", false).current, 11);
}

}  // namespace strata::test

namespace strata::test {

namespace {

std::string normalized(std::string sql)
{
    sql = std::string(detail::trim(sql));
    while (!sql.empty() && sql.back() == ';')
        sql.pop_back();
    return sql;
}

}  // namespace

TEST_P(UpgraderSuite, OfflineSqlIsWhatUpgradeExecutes)
{
    auto url = new_url();
    Upgrader up;
    declare_history(up, "app", connect(url));
    std::vector<std::string> executed;
    up.database("app").session().set_statement_observer([&](std::string_view sql) { executed.emplace_back(sql); });
    auto options = quiet();
    options.replay = true;
    (void)up.run("app", options);

    // What upgrade ran, without what the script leaves to runtime: transaction
    // control, reads of the version and the schema, session settings, locks, the
    // version rows (their values are runtime values), and the data step's own SQL.
    auto runtime = [](const std::string& s) {
        static const char* const prefixes[] = {
            "BEGIN", "COMMIT", "ROLLBACK", "SET ", "RESET ", "SELECT pg_advisory", "SELECT pg_try_advisory", "SELECT pg_is_in_recovery", "SELECT pg_backend_pid", "SELECT current_database",
            "SELECT \"version\", \"kind\" FROM \"strata_version\"", "SELECT 1 FROM sqlite_schema",
            "SELECT 1 FROM pg_class", "SELECT count(*) FROM sqlite_schema", "SELECT count(*) FROM pg_class",
            "SELECT type, name, tbl_name, sql FROM sqlite_schema",
            "SELECT oid, nspname FROM pg_namespace", "INSERT INTO \"strata_version\"", "INSERT INTO \"setting\"",
            "CREATE SCHEMA IF NOT EXISTS"};  // the URL's ?schema=, not the steps
        for (const char* p : prefixes)
            if (s.starts_with(p))
                return true;
        return false;
    };
    std::vector<std::string> ran;
    for (const auto& s : executed)
        if (!runtime(normalized(s)))
            ran.push_back(normalized(s));

    std::vector<std::string> printed;
    auto script = up.sql("app", 0, 10, up.database("app").dialect());
    for (const auto& s : detail::split_statements(script).statements)
        if (!runtime(normalized(s.sql)))
            printed.push_back(normalized(s.sql));
    EXPECT_EQ(ran, printed);
    EXPECT_GT(printed.size(), 20u);
}

}  // namespace strata::test
