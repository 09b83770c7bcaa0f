// Schemas strata did not write (tests/data/schemas/postgresql/*.sql), loaded by
// psql: `inspect --format sql` must recreate each one exactly. The script of each
// schema the file names (`-- schemas: a, b`; public by default) loads in one
// transaction into an empty database, `diff` finds nothing, and
// pg_dump --schema-only prints the same for both. Then the file is the one
// migration of a third database: each edit of <name>.edits.sql is made to it,
// one at a time, and `check` must name it; `clean-db` leaves its schema empty.
#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

using namespace strata;
using namespace strata::test;

namespace {

CommandResult psql(const std::string& url, const std::vector<std::string>& args)
{
    std::vector<std::string> all{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url};
    all.insert(all.end(), args.begin(), args.end());
    return run_program(pg_program("psql"), all);
}

// pg_dump's output without what differs between any two databases: the
// \restrict key and comments. now() and CURRENT_TIMESTAMP are the same
// function (transaction_timestamp()); strata writes the standard spelling.
std::string schema_dump(const std::string& url)
{
    auto r = run_program(pg_program("pg_dump"), {"--schema-only", "--no-owner", "-d", url});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("\\restrict") || line.starts_with("\\unrestrict") || line.starts_with("--"))
            continue;
        out += std::regex_replace(line, std::regex(R"(\bnow\(\))"), "CURRENT_TIMESTAMP") + "\n";
    }
    return out;
}

// The schemas a corpus file creates, in the order they load; the last is the bind's.
std::vector<std::string> schemas_of(const std::string& text)
{
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(R"((^|\n)-- schemas: ([^\n]+))")))
        return {"public"};
    std::vector<std::string> out;
    std::istringstream names(m[2].str());
    for (std::string name; std::getline(names, name, ',');)
        out.push_back(std::regex_replace(name, std::regex(R"(^\s+|\s+$)"), ""));
    return out;
}

std::string in_schema(const std::string& url, const std::string& schema)
{
    return schema == "public" ? url : url + "?schema=" + schema;
}

// What pg_dump still creates in the schema, other than the schema itself.
std::string left_in(const std::string& url, const std::string& schema)
{
    auto r = run_program(pg_program("pg_dump"), {"--schema-only", "--no-owner", "-n", schema, "-d", url});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string left;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
        if ((line.starts_with("CREATE ") || line.starts_with("ALTER ")) && !line.starts_with("CREATE SCHEMA"))
            left += line + "\n";
    return left;
}

void write_file(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

class PostgresqlCorpus : public PgTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(PostgresqlCorpus, InspectRecreatesTheSchemaAndCheckNamesEveryEdit)
{
    const std::string name = GetParam();
    const auto file = data_file("schemas/postgresql/" + name + ".sql").string();
    const auto schemas = schemas_of(read_file(file));
    ScratchDatabase original(server_url_, "strata_test");
    ScratchDatabase copy(server_url_, "strata_test");
    TempDir dir;
    auto load = psql(original.url(), {"-1", "-f", file});
    ASSERT_EQ(load.exit_code, 0) << load.err;

    for (const auto& schema : schemas) {
        auto inspected = run_cli({"inspect", in_schema(original.url(), schema), "--format", "sql"});
        ASSERT_EQ(inspected.exit_code, 0) << inspected.err;
        const auto script = (dir.path() / (name + "." + schema + ".sql")).string();
        const auto create = schema == "public" ? std::string() : "CREATE SCHEMA " + schema + ";\n";
        write_file(script, create + "SET search_path = " + schema + ";\n" + inspected.out);
        auto reload = psql(copy.url(), {"-1", "-f", script});
        ASSERT_EQ(reload.exit_code, 0) << reload.err << "\n" << inspected.out;
        EXPECT_EQ(reload.err, "") << "the script loads without warnings";
    }
    for (const auto& schema : schemas) {
        auto diff = run_cli({"diff", in_schema(original.url(), schema), in_schema(copy.url(), schema)});
        EXPECT_EQ(diff.exit_code, 0) << schema << ":\n" << diff.out << diff.err;
    }
    EXPECT_EQ(schema_dump(original.url()), schema_dump(copy.url()));

    // The file as the one migration of a database strata manages.
    ScratchDatabase managed(server_url_, "strata_test");
    const auto migrations = dir.path() / "migrations";
    std::filesystem::create_directories(migrations / "app");
    write_file((migrations / "app" / ("0001_" + name + ".sql")).string(), "-- up\n" + read_file(file));
    auto strata = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--dir", migrations.string(), "--bind", "app=" + in_schema(managed.url(), schemas.back())});
        return run_cli(args);
    };
    auto upgraded = strata({"upgrade"});
    ASSERT_EQ(upgraded.exit_code, 0) << upgraded.err;
    expect_check_names_each_edit(corpus_edits("postgresql", name), strata, [&](const std::string& sql) {
        return psql(managed.url(), {"-c", "SET search_path = " + schemas.back() + ";\n" + sql});
    });
    auto dropped = strata({"clean-db", "--yes"});
    ASSERT_EQ(dropped.exit_code, 0) << dropped.err;
    EXPECT_EQ(left_in(managed.url(), schemas.back()), "") << "clean-db left these behind";
}

INSTANTIATE_TEST_SUITE_P(Schemas, PostgresqlCorpus, ::testing::ValuesIn(corpus_names("postgresql")),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });
