// Model -> create -> inspect -> compare is empty, for every feature, on the real PostgreSQL.
#include "models.hpp"
#include "test_support.hpp"

#include "strata/inspect.hpp"

using namespace strata;
using namespace strata::test;

class PostgresqlRoundTrip : public PgTest, public ::testing::WithParamInterface<ModelCase> {};

TEST_P(PostgresqlRoundTrip, CreatedModelReadsBackEqual)
{
    const auto& c = GetParam();
    std::optional<PgSchema> schema;
    std::optional<ScratchDatabase> database;
    std::string url;
    if (c.needs_own_database) {
        database.emplace(server_url_);  // extensions are database-wide
        url = database->url();
    } else {
        schema.emplace(server_url_);
        url = schema->url();
    }
    auto db = connect(url);
    auto differences = create_and_compare(db, c.build());
    EXPECT_TRUE(differences.empty()) << lines(differences);
}

INSTANTIATE_TEST_SUITE_P(Features, PostgresqlRoundTrip, ::testing::ValuesIn(model_cases()), case_name);

class PostgresqlRoundTripAll : public PgTest {};

TEST_F(PostgresqlRoundTripAll, EveryFeatureInOneSchema)
{
    PgSchema schema(server_url_);
    auto db = connect(schema.url());
    auto model = every_feature_model();
    auto differences = create_and_compare(db, model);
    EXPECT_TRUE(differences.empty()) << lines(differences);
    EXPECT_EQ(db.inspect().tables.size(), model.tables.size());
}

TEST_F(PostgresqlRoundTripAll, InspectedSchemaRecreatesItself)
{
    PgSchema a_schema(server_url_);
    PgSchema b_schema(server_url_);
    auto a = connect(a_schema.url());
    ASSERT_TRUE(create_and_compare(a, every_feature_model()).empty());
    auto first = a.inspect();
    auto b = connect(b_schema.url());
    b.session().execute(to_sql(first, b.dialect()));
    auto differences = compare(first, b.inspect());
    EXPECT_TRUE(differences.empty()) << lines(differences);
}

TEST_F(PostgresqlRoundTripAll, DetectsARealDifference)
{
    PgSchema schema(server_url_);
    auto db = connect(schema.url());
    auto model = every_feature_model();
    ASSERT_TRUE(create_and_compare(db, model).empty());
    db.session().execute("ALTER TABLE \"person\" ALTER COLUMN \"email\" TYPE varchar(100)");
    auto differences = compare(db.inspect(), db.dialect().canonical(model), {.object_definitions = false});
    ASSERT_EQ(differences.size(), 1u) << lines(differences);
    EXPECT_EQ(to_text(differences[0], "database", "model"),
              "table person: column email: type varchar(100) in database, varchar(255) in model");
}

TEST_F(PostgresqlRoundTripAll, SchemasIsolateBinds)
{
    PgSchema a(server_url_);
    PgSchema b(server_url_);
    auto db = connect(a.url());
    db.session().execute("CREATE TABLE only_in_a (id int)");
    EXPECT_EQ(connect(a.url()).inspect().tables.size(), 1u);
    EXPECT_TRUE(connect(b.url()).inspect().tables.empty());
}
