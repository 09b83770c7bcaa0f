// compare(a, b): structured differences, text and JSON.
#include "strata/compare.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

using namespace strata;

namespace {
Schema model()
{
    Schema s;
    s.table("user")
        .column<std::int64_t>("id").primary_key()
        .column<std::string>("email").varchar(255)
        .column<std::optional<std::string>>("name")
        .index("ix_user_email", {"email"})
        .check("length(email) > 3", "ck_user_email");
    return s;
}
}  // namespace

TEST(Compare, IdenticalSchemasHaveNoDifferences)
{
    EXPECT_TRUE(compare(model(), model()).empty());
}

TEST(Compare, ColumnTypeChangeReadsNaturally)
{
    auto db = model();
    db.tables[0].find_column("email")->type = Type::varchar(100);
    auto d = compare(db, model());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].kind, Difference::Kind::changed);
    EXPECT_EQ(d[0].object, DiffObject::column);
    EXPECT_EQ(to_text(d[0], "database", "model"),
              "table user: column email: type varchar(100) in database, varchar(255) in model");
}

TEST(Compare, AddedAndRemovedTablesAndColumns)
{
    auto a = model();
    auto b = model();
    b.table("audit").column<std::int64_t>("id");
    a.tables[0].columns.push_back(Column{"legacy", Type::text()});
    auto d = compare(a, b);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(to_text(d[0], "database", "model"), "table audit: only in model");
    EXPECT_EQ(to_text(d[1], "database", "model"), "table user: column legacy: only in database");
}

TEST(Compare, StrataVersionAndExcludedTablesAreLeftOut)
{
    auto a = model();
    a.table("strata_version").column<std::int64_t>("version");
    a.table("scratch").column<std::int64_t>("x");
    CompareOptions o;
    o.exclude_tables = {"scratch"};
    EXPECT_TRUE(compare(a, model(), o).empty());
}

TEST(Compare, ChecksMatchAfterNormalisation)
{
    auto live = model();
    live.tables[0].checks[0].expression = "(length((email)::text) > 3)";
    EXPECT_TRUE(compare(live, model()).empty());
    live.tables[0].checks[0].expression = "(length((email)::text) > 4)";
    auto d = compare(live, model());
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].field, "expression");
}

TEST(Compare, IndexColumnsAndUniqueness)
{
    auto b = model();
    b.tables[0].indexes[0].elements.push_back(desc("name"));
    b.tables[0].indexes[0].unique = true;
    auto d = compare(model(), b);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(to_text(d[0], "a", "b"), "table user: index ix_user_email: columns (email) in a, (email, name DESC) in b");
    EXPECT_EQ(d[1].field, "unique");
}

TEST(Compare, DefaultsCompareByValue)
{
    auto a = model();
    auto b = model();
    a.tables[0].find_column("name")->default_value = Default::expression("lower('X'::text)");
    b.tables[0].find_column("name")->default_value = Default::expression("lower('X')");
    EXPECT_TRUE(compare(a, b).empty());
    b.tables[0].find_column("name")->default_value = Default::literal(std::string("x"));
    auto d = compare(a, b);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].field, "default");
}

TEST(Compare, OutputIsSortedAndJsonHasEveryField)
{
    auto a = model();
    auto b = model();
    b.table("b_table").column<std::int64_t>("id");
    b.table("a_table").column<std::int64_t>("id");
    b.tables[0].find_column("name")->nullable = false;
    auto d = compare(a, b);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0].table, "a_table");
    EXPECT_EQ(d[1].table, "b_table");
    EXPECT_EQ(d[2].table, "user");
    auto j = nlohmann::json::parse(to_json(d));
    ASSERT_EQ(j.size(), 3u);
    EXPECT_EQ(j[2]["object"], "column");
    EXPECT_EQ(j[2]["kind"], "changed");
    EXPECT_EQ(j[2]["field"], "nullable");
    EXPECT_EQ(j[2]["old"], "NULL");
    EXPECT_EQ(j[2]["new"], "NOT NULL");
    EXPECT_EQ(j[0]["kind"], "added");
}

TEST(Compare, ObjectDefinitionsCanBeIgnored)
{
    auto a = model();
    auto b = model();
    a.view("v", "SELECT id FROM \"user\"");
    b.view("v", " SELECT \"user\".id\n   FROM \"user\";");
    EXPECT_FALSE(compare(a, b).empty());
    CompareOptions o;
    o.object_definitions = false;
    EXPECT_TRUE(compare(a, b, o).empty());
}
