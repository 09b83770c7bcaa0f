// Schemas strata did not write (tests/data/schemas/sqlite/*.sql), loaded by
// sqlite3: `inspect --format sql` must recreate each one with the same behaviour.
// The script loads with sqlite3 -bail into an empty file, `diff` finds nothing,
// and SQLite's own account of every table, column and index (pragma_table_list,
// pragma_table_xinfo, pragma_index_list) is the same for both. Then the file is
// the one migration of a third database: each edit of <name>.edits.sql is made
// to it, one at a time, and `check` must name it; `clean-db` leaves it empty.
#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

using namespace strata;
using namespace strata::test;

namespace {

CommandResult sqlite3(const std::string& path, const std::string& command)
{
    return run_program("/usr/bin/sqlite3", {"-bail", path, command});
}

// What SQLite says of the schema, strata aside. CURRENT_TIMESTAMP and
// datetime('now') are the same time, FALSE and TRUE the integers 0 and 1;
// strata writes the standard spellings.
std::string sqlite_account(const std::string& path)
{
    auto r = sqlite3(path,
                     "SELECT l.name, l.type, l.wr, l.strict, x.cid, x.name, x.type, x.\"notnull\", x.dflt_value, x.pk, "
                     "x.hidden FROM pragma_table_list l, pragma_table_xinfo(l.name) x "
                     "WHERE l.schema = 'main' AND l.name NOT LIKE 'sqlite_%' ORDER BY l.name, x.cid;"
                     "SELECT m.name, i.name, i.\"unique\", i.origin, i.partial FROM sqlite_schema m, "
                     "pragma_index_list(m.name) i WHERE m.type = 'table' ORDER BY m.name, i.name;");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto out = std::regex_replace(r.out, std::regex(R"(datetime\('now'\))"), "CURRENT_TIMESTAMP");
    out = std::regex_replace(out, std::regex(R"(\|false\|)", std::regex::icase), "|0|");
    return std::regex_replace(out, std::regex(R"(\|true\|)", std::regex::icase), "|1|");
}

}  // namespace

class SqliteCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(SqliteCorpus, InspectRecreatesTheSchemaAndCheckNamesEveryEdit)
{
    const std::string name = GetParam();
    TempDir dir;
    const auto original = (dir.path() / "original.db").string();
    const auto copy = (dir.path() / "copy.db").string();
    auto load = sqlite3(original, ".read " + data_file("schemas/sqlite/" + name + ".sql").string());
    ASSERT_EQ(load.exit_code, 0) << load.err;

    auto inspected = run_cli({"inspect", dir.sqlite_url("original.db"), "--format", "sql"});
    ASSERT_EQ(inspected.exit_code, 0) << inspected.err;
    const auto script = (dir.path() / "script.sql").string();
    EXPECT_TRUE(inspected.out.starts_with("BEGIN;\n")) << "the script is one transaction";
    std::ofstream(script, std::ios::binary) << inspected.out;
    auto reload = sqlite3(copy, ".read " + script);
    ASSERT_EQ(reload.exit_code, 0) << reload.err << "\n" << inspected.out;

    auto diff = run_cli({"diff", dir.sqlite_url("original.db"), dir.sqlite_url("copy.db")});
    EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;
    EXPECT_EQ(sqlite_account(original), sqlite_account(copy)) << inspected.out;

    // The file as the one migration of a database strata manages.
    const auto migrations = dir.path() / "migrations";
    std::filesystem::create_directories(migrations / "app");
    std::ofstream(migrations / "app" / ("0001_" + name + ".sql"), std::ios::binary)
        << "-- up\n" << read_file(data_file("schemas/sqlite/" + name + ".sql"));
    const auto managed = (dir.path() / "managed.db").string();
    auto strata = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--dir", migrations.string(), "--bind", "app=" + dir.sqlite_url("managed.db")});
        return run_cli(args);
    };
    auto upgraded = strata({"upgrade"});
    ASSERT_EQ(upgraded.exit_code, 0) << upgraded.err;
    expect_check_names_each_edit(corpus_edits("sqlite", name), strata,
                                 [&](const std::string& sql) { return sqlite3(managed, sql); });
    auto dropped = strata({"clean-db", "--yes"});
    ASSERT_EQ(dropped.exit_code, 0) << dropped.err;
    auto left = sqlite3(managed, "SELECT type || ' ' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
    EXPECT_EQ(left.out, "") << "clean-db left these behind";
}

INSTANTIATE_TEST_SUITE_P(Schemas, SqliteCorpus, ::testing::ValuesIn(corpus_names("sqlite")),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });
