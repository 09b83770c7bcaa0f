// Hostile input on both engines: identifiers with quotes, semicolons, comment
// openers, unicode and reserved words; defaults with quotes; PostgreSQL names
// past 63 bytes; SQL files with a byte order mark, CRLF, NUL bytes, quotes and
// comments holding semicolons, nested comments and dollar quotes; malformed
// URLs and configurations. Names and values round-trip and nothing is injected;
// what cannot work is refused (exit 2) before anything is applied.
#include "upgrader_suite.hpp"

#include "strata/compare.hpp"
#include "strata/errors.hpp"

namespace strata::test {

namespace {

const std::string table_name = "order\"s; DROP TABLE victim; --";
const std::string text_column = "na\xC3\xAFve \xE5\x90\x8D\xE5\x89\x8D";  // naïve 名前
const std::string quoted_column = "semi;colon'quote";
const std::string mixed_column = "Mixed Case";
const std::string index_name = "ix \"odd\"; name";
const std::string quoted_default = "it's \"quoted\"; -- not a comment */";

Schema hostile_models()
{
    Schema s("app");
    s.table("victim").column<std::int64_t>("id").primary_key();
    s.table(table_name)
        .column<std::int64_t>("select").primary_key().autoincrement()
        .column<std::string>(text_column)
        .column<std::string>(quoted_column).default_value(quoted_default.c_str())
        .column<std::int64_t>(mixed_column).default_value(0)
        .index(index_name, {text_column});
    return s;
}

void declare_hostile_chain(Upgrader& up, const std::string& url)
{
    up.bind("app", connect(url), hostile_models())
        .step(1, "hostile names",
              [](Ops& o) {
                  o.create_table(table("victim").column(col::bigint("id")).primary_key({"id"}));
                  o.create_table(table(table_name)
                                     .column(col::bigint("select").autoincrement())
                                     .column(col::text(text_column))
                                     .column(col::integer(mixed_column).default_value(0))
                                     .primary_key({"select"}));
              })
        .step(2, "a quoted default and an odd index",
              [](Ops& o) {
                  o.add_column(table_name, col::text(quoted_column).default_value(quoted_default.c_str()));
                  o.create_index(table_name, Index{index_name, {IndexElement(text_column)}});
              })
        .step(3, "a wider mixed case column (a SQLite rebuild)", [](Ops& o) {
            o.alter_column(table_name, col::integer(mixed_column).default_value(0),
                           col::bigint(mixed_column).default_value(0));
        });
}

}  // namespace

TEST_P(UpgraderSuite, HostileIdentifiersAndDefaultsRoundTripWithoutInjection)
{
    const auto url = new_url();
    {
        Upgrader up;
        declare_hostile_chain(up, url);
        (void)up.run(replayed_to(1));
    }
    auto db = connect(url);
    auto& s = db.session();
    const auto& d = db.dialect();
    s.execute("INSERT INTO victim (id) VALUES (1)");
    for (int i = 1; i <= 3; ++i)
        s.execute("INSERT INTO " + d.quote(table_name) + " (" + d.quote(text_column) + ", " + d.quote(mixed_column) +
                      ") VALUES (?, ?)",
                  "r\xC3\xA9sum\xC3\xA9 '" + std::to_string(i) + "'; --", i);
    {
        Upgrader up;
        declare_hostile_chain(up, url);
        auto report = up.run(quiet());
        EXPECT_EQ(report.binds.at(0).to, 3);
    }
    // Nothing was injected, every row and value is there, the default holds.
    EXPECT_EQ(s.scalar<std::int64_t>("SELECT count(*) FROM victim"), 1);
    EXPECT_EQ(s.scalar<std::int64_t>("SELECT sum(" + d.quote(mixed_column) + ") FROM " + d.quote(table_name)), 6);
    EXPECT_EQ(s.scalar<std::int64_t>("SELECT count(*) FROM " + d.quote(table_name) + " WHERE " + d.quote(quoted_column) +
                                     " = ?",
                                     quoted_default),
              3);
    s.execute("INSERT INTO " + d.quote(table_name) + " (" + d.quote(text_column) + ") VALUES ('x')");
    EXPECT_EQ(std::get<std::string>(s.scalar("SELECT " + d.quote(quoted_column) + " FROM " + d.quote(table_name) +
                                             " WHERE " + d.quote(text_column) + " = 'x'")),
              quoted_default);
    EXPECT_EQ(s.scalar<std::int64_t>("SELECT count(*) FROM " + d.quote(table_name) + " WHERE " + d.quote(text_column) +
                                     " = ?",
                                     std::string("r\xC3\xA9sum\xC3\xA9 '2'; --")),
              1);
    // The chain's schema is the fresh setup's, names and default included.
    const auto fresh_url = new_url();
    {
        Upgrader up;
        declare_hostile_chain(up, fresh_url);
        EXPECT_EQ(up.run(quiet()).binds.at(0).action, BindAction::fresh);
    }
    auto differences = compare(connect(fresh_url).inspect(), db.inspect());
    EXPECT_TRUE(differences.empty()) << lines(differences);
    const auto live = db.inspect();
    const auto* t = live.find_table(table_name);
    ASSERT_NE(t, nullptr);
    EXPECT_NE(t->find_column(text_column), nullptr);
    EXPECT_NE(t->find_column(quoted_column), nullptr);
}

// SQLite has no identifier limit: there the same names are simply tables.
TEST_P(UpgraderSuite, PostgresqlNamesPast63BytesAreRefusedBeforeAnything)
{
    const auto url = new_url();
    auto refused = [&](const std::string& first, const std::string& second) {
        Schema s("app");
        s.table(first).column<std::int64_t>("id").primary_key();
        if (!second.empty())
            s.table(second).column<std::int64_t>("id").primary_key();
        Upgrader up;
        up.bind("app", connect(url), s);
        try {
            (void)up.run(quiet());
        } catch (const ModelError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    std::string wide;  // 22 three-byte characters: 66 bytes, 22 characters
    for (int i = 0; i < 22; ++i)
        wide += "\xE5\x90\x8D";
    auto db = connect(url);
    if (sqlite()) {
        EXPECT_EQ(refused(std::string(63, 'b') + "_one", std::string(63, 'b') + "_two"), "(no error)");
        EXPECT_TRUE(db.dialect().table_exists(db.session(), std::string(63, 'b') + "_two"));
        return;
    }
    EXPECT_NE(refused(std::string(64, 'a'), "").find("63"), std::string::npos);
    EXPECT_NE(refused(wide, "").find("63"), std::string::npos);
    // Two names the server would cut to the same 63 bytes.
    const auto why = refused(std::string(63, 'b') + "_one", std::string(63, 'b') + "_two");
    EXPECT_NE(why.find("same"), std::string::npos) << why;
    EXPECT_TRUE(db.inspect().tables.empty());
    EXPECT_FALSE(db.dialect().table_exists(db.session(), "strata_version"));
}

TEST_P(CliSuite, HostileSqlFilesWorkOrAreRefusedNamingTheLine)
{
    // A byte order mark and CRLF line ends (a Windows editor) are not SQL.
    write("0006_bom.sql", "\xEF\xBB\xBF-- up\r\nCREATE TABLE bom_t (id INTEGER PRIMARY KEY);\r\n-- down\r\nDROP TABLE bom_t;\r\n");
    // Semicolons and comment openers inside quotes and comments split nothing.
    write("0007_quotes.sql",
          "-- up\n/* a; b -- c */ CREATE TABLE q (id INTEGER PRIMARY KEY, v TEXT DEFAULT 'it''s; -- no comment /*');\n"
          "INSERT INTO q (id) VALUES (1); -- trailing; comment\n"
          "INSERT INTO q (id, v) VALUES (2, 'two; \"parts\" */');\n-- down\nDROP TABLE q;\n");
    if (!sqlite())
        write("0008_pg.sql",
              "-- up\n/* outer /* nested; */ still a comment; */\n"
              "CREATE FUNCTION semis() RETURNS text LANGUAGE sql AS $body$ SELECT 'a;b'::text; $body$;\n"
              "CREATE TABLE d (v TEXT DEFAULT $$x;y$$);\n-- down\nDROP TABLE d;\nDROP FUNCTION semis();\n");
    auto up = strata({"upgrade"});
    ASSERT_EQ(up.exit_code, 0) << up.err;
    auto db = connect(url_);
    EXPECT_EQ(db.session().scalar<std::int64_t>("SELECT count(*) FROM q"), 2);
    EXPECT_EQ(std::get<std::string>(db.session().scalar("SELECT v FROM q WHERE id = 1")), "it's; -- no comment /*");
    EXPECT_EQ(std::get<std::string>(db.session().scalar("SELECT v FROM q WHERE id = 2")), "two; \"parts\" */");
    if (!sqlite()) {
        EXPECT_EQ(std::get<std::string>(db.session().scalar("SELECT semis()")), "a;b");
    }
    // The down sections of CRLF files work too.
    auto down = strata({"downgrade", "--to", "5"});
    EXPECT_EQ(down.exit_code, 0) << down.err;
    EXPECT_FALSE(db.dialect().table_exists(db.session(), "bom_t"));
    // (status cannot be asked while a file is broken: it reads the files too)
    auto recorded = [&] { return db.session().scalar<std::int64_t>("SELECT max(version) FROM strata_version"); };
    const long long at = recorded();
    // What cannot be SQL text: exit 2 naming file and line, nothing applied.
    auto refused = [&](const std::string& text, const std::string& message) {
        write("0006_bom.sql", text);
        auto r = strata({"upgrade"});
        EXPECT_EQ(r.exit_code, 2) << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
        EXPECT_EQ(recorded(), at);
    };
    refused(std::string("-- up\nCREATE TABLE n (id INTEGER);\n\0\n", 37), "0006_bom.sql:3: a NUL byte");
    const char utf16[] = "\xFF\xFE-\0-\0 \0u\0p\0";
    refused(std::string(utf16, sizeof utf16 - 1), "a NUL byte");  // saved as UTF-16
    refused("-- up\nINSERT INTO q (v) VALUES ('never closed);\n", "0006_bom.sql:2: unterminated quote");
    refused("-- up\nCREATE TABLE z (id INTEGER); /* never closed\n", "0006_bom.sql:2: unterminated");
    EXPECT_FALSE(db.dialect().table_exists(db.session(), "n"));
    EXPECT_FALSE(db.dialect().table_exists(db.session(), "z"));
}

TEST_P(CliSuite, MalformedUrlsAndConfigurationsExitTwoNamingTheProblem)
{
    auto usage = [&](std::vector<std::string> args, const std::string& message) {
        auto r = run_cli(args);
        EXPECT_EQ(r.exit_code, 2) << testing::PrintToString(args) << r.err;
        EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    };
    usage({"--dir", dir_path_, "--bind", "app=postgresql://u@host:port/db", "status"}, "malformed database URL");
    usage({"--dir", dir_path_, "--bind", "app=postgresql://u@host:99999/db", "status"}, "malformed database URL");
    usage({"--dir", dir_path_, "--bind", "app=mysql://u@host/db", "status"}, "mysql");
    usage({"--dir", dir_path_, "--bind", "app", "status"}, "--bind");
    usage({"--dir", dir_path_, "--bind", "app=postgresql://u@h/db?connect_timeout=soon", "status"}, "connect_timeout");
    const auto config = (dir_.path() / "broken.json").string();
    std::ofstream(config) << R"({"environments": {"dev": {"binds": {"app": )";
    usage({"--dir", dir_path_, "--config", config, "status"}, "broken.json");
    std::ofstream(config) << R"({"environments": {"dev": {"binds": ["app"]}}})";
    usage({"--dir", dir_path_, "--config", config, "status"}, "binds");
    std::ofstream(config) << R"({"environments": {"dev": {"binds": {"app": 5}}}})";
    usage({"--dir", dir_path_, "--config", config, "status"}, "app");
    EXPECT_EQ(current(), 0);
}

}  // namespace strata::test
