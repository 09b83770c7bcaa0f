// Schemas strata did not write (tests/data/schemas/postgresql/*.sql), loaded by
// psql: `inspect --format sql` must recreate each one exactly. The script loads
// in one transaction into an empty database, `diff` finds nothing, and
// pg_dump --schema-only prints the same for both. Then each edit of
// <name>.edits.sql is made to the copy, one at a time, and `diff` must name it.
#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

using namespace strata;
using namespace strata::test;

namespace {

std::vector<std::string> corpus()
{
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(data_file("schemas/postgresql")))
        if (entry.path().extension() == ".sql" && entry.path().stem().extension() != ".edits")
            names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

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

struct Edit {
    std::string expect;  // a text the diff must show
    std::string sql;
};

// "-- expect: TEXT" starts an edit; the SQL lines up to the next one are its statements.
std::vector<Edit> edits_of(const std::string& name)
{
    std::vector<Edit> edits;
    std::istringstream lines(read_file(data_file("schemas/postgresql/" + name + ".edits.sql")));
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("-- expect: "))
            edits.push_back({line.substr(11), {}});
        else if (!edits.empty() && !line.starts_with("--"))
            edits.back().sql += line + "\n";
    }
    return edits;
}

void write_file(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

class PostgresqlCorpus : public PgTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(PostgresqlCorpus, InspectRecreatesTheSchemaAndDiffNamesEveryEdit)
{
    const std::string name = GetParam();
    PgDatabase original(server_url_);
    PgDatabase copy(server_url_);
    TempDir dir;
    auto load = psql(original.url(), {"-1", "-f", data_file("schemas/postgresql/" + name + ".sql").string()});
    ASSERT_EQ(load.exit_code, 0) << load.err;

    auto inspected = run_cli({"inspect", original.url(), "--format", "sql"});
    ASSERT_EQ(inspected.exit_code, 0) << inspected.err;
    const auto script = (dir.path() / (name + ".sql")).string();
    write_file(script, inspected.out);
    auto reload = psql(copy.url(), {"-1", "-f", script});
    ASSERT_EQ(reload.exit_code, 0) << reload.err << "\n" << inspected.out;
    EXPECT_EQ(reload.err, "") << "the script loads without warnings";

    auto diff = run_cli({"diff", original.url(), copy.url()});
    EXPECT_EQ(diff.exit_code, 0) << diff.out << diff.err;
    EXPECT_EQ(schema_dump(original.url()), schema_dump(copy.url()));

    for (const auto& edit : edits_of(name)) {
        auto changed = psql(copy.url(), {"-c", edit.sql});
        ASSERT_EQ(changed.exit_code, 0) << edit.sql << changed.err;
        auto after = run_cli({"diff", original.url(), copy.url()});
        EXPECT_EQ(after.exit_code, 3) << edit.sql;  // the schemas differ
        EXPECT_NE(after.out.find(edit.expect), std::string::npos)
            << "the edit\n" << edit.sql << "is not reported as '" << edit.expect << "':\n" << after.out;
    }
}

INSTANTIATE_TEST_SUITE_P(Schemas, PostgresqlCorpus, ::testing::ValuesIn(corpus()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });
