// Model -> create -> inspect -> compare is empty, for every feature, on a real SQLite file.
#include "models.hpp"
#include "test_support.hpp"

#include "strata/inspect.hpp"

using namespace strata;
using namespace strata::test;

class SqliteRoundTrip : public ::testing::TestWithParam<ModelCase> {};

TEST_P(SqliteRoundTrip, CreatedModelReadsBackEqual)
{
    TempDir dir;
    auto db = connect(dir.sqlite_url("roundtrip.db"));
    auto differences = create_and_compare(db, GetParam().build());
    EXPECT_TRUE(differences.empty()) << lines(differences);
}

INSTANTIATE_TEST_SUITE_P(Features, SqliteRoundTrip, ::testing::ValuesIn(model_cases()), case_name);

TEST(SqliteRoundTripAll, EveryFeatureInOneDatabase)
{
    TempDir dir;
    auto db = connect(dir.sqlite_url("all.db"));
    auto model = every_feature_model();
    auto differences = create_and_compare(db, model);
    EXPECT_TRUE(differences.empty()) << lines(differences);
    EXPECT_EQ(db.inspect().tables.size(), model.tables.size());
}

TEST(SqliteRoundTripAll, InspectedSchemaRecreatesItself)
{
    TempDir dir;
    auto a = connect(dir.sqlite_url("a.db"));
    ASSERT_TRUE(create_and_compare(a, every_feature_model()).empty());
    auto first = a.inspect();
    auto b = connect(dir.sqlite_url("b.db"));
    execute_script(b, to_sql(first, b.dialect()));
    auto differences = compare(first, b.inspect());
    EXPECT_TRUE(differences.empty()) << lines(differences);
}

TEST(SqliteRoundTripAll, DetectsARealDifference)
{
    TempDir dir;
    auto db = connect(dir.sqlite_url("d.db"));
    auto model = every_feature_model();
    ASSERT_TRUE(create_and_compare(db, model).empty());
    db.session().execute("DROP INDEX \"ix_indexed_lower_email\"");
    db.session().execute("ALTER TABLE \"person\" ADD COLUMN \"extra\" TEXT");
    auto differences = compare(db.dialect().canonical(model), db.inspect());
    ASSERT_EQ(differences.size(), 2u) << lines(differences);
    EXPECT_EQ(to_text(differences[0], "model", "database"), "table indexed: index ix_indexed_lower_email: only in model");
    EXPECT_EQ(to_text(differences[1], "model", "database"), "table person: column extra: only in database");
}
