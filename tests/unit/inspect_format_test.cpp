// The inspect formats: JSON (and back), SQL, Mermaid.
#include "models.hpp"
#include "test_support.hpp"
#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/inspect.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using namespace strata;

TEST(InspectFormat, JsonRoundTripsEveryFeature)
{
    auto s = test::every_feature_model();
    auto text = to_json(s);
    auto j = nlohmann::json::parse(text);
    EXPECT_EQ(j["format"], "strata.inspect/1");
    EXPECT_EQ(j["tables"].size(), s.tables.size());
    auto back = schema_from_json(text);
    EXPECT_TRUE(back == s);
}

TEST(InspectFormat, BadJsonNamesTheProblem)
{
    try {
        (void)schema_from_json(R"({"tables":[{"name":"t","columns":[{"name":"c","type":"strange"}]}]})");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("table 't': column 'c': unknown type 'strange'"), std::string::npos);
    }
}

// SQLite stores whatever bytes a CREATE statement held; found by fuzz.sqlite_schema.
TEST(InspectFormat, JsonOfNamesThatAreNotUtf8ShowsReplacementCharacters)
{
    Schema s;
    s.table("t\x8d").column<std::int64_t>("id").primary_key();
    auto j = nlohmann::json::parse(to_json(s));
    EXPECT_EQ(j["tables"][0]["name"], "t\xef\xbf\xbd");
}

TEST(InspectFormat, MermaidHasEntitiesKeysAndRelations)
{
    Schema s;
    s.table("user").column<std::int64_t>("id").primary_key().column<std::string>("email").unique();
    s.table("my job").column<std::int64_t>("id").primary_key().column<std::optional<std::int64_t>>("user_id").references("user");
    auto m = to_mermaid(s);
    EXPECT_TRUE(m.starts_with("erDiagram\n"));
    EXPECT_NE(m.find("    user {\n        bigint id PK\n        text email UK \"NOT NULL\"\n    }"), std::string::npos) << m;
    EXPECT_NE(m.find("my_job[\"my job\"] {"), std::string::npos) << m;
    EXPECT_NE(m.find("user |o--o{ my_job : \"fk_my job_user_id_user\""), std::string::npos) << m;
}

TEST(InspectFormat, SqlEndsEveryStatement)
{
    STRATA_TEST_NEEDS_BACKEND("sqlite");
    Schema s;
    s.table("t").column<std::int64_t>("id").primary_key().index("ix_t_id");
    auto sql = to_sql(s, *find_dialect("sqlite"));
    EXPECT_EQ(sql, "BEGIN;\n\nCREATE TABLE \"t\" (\n    \"id\" INTEGER NOT NULL,\n    CONSTRAINT \"pk_t\" PRIMARY KEY (\"id\")\n);\n\n"
                   "CREATE INDEX \"ix_t_id\" ON \"t\" (\"id\");\n\nCOMMIT;\n\n");
}
