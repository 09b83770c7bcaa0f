// Model declarations: builders, struct mapping and the naming convention.
#include "strata/schema.hpp"

#include <gtest/gtest.h>

using namespace strata;

namespace {
struct User {
    std::int64_t id;
    std::string email;
    std::optional<std::string> name;
    bool active;
    Timestamp created_at;
};
}  // namespace

TEST(Schema, StructMembersGiveTypeAndNullability)
{
    Schema app("app");
    app.table<User>("user")
        .column(&User::id, "id").primary_key().autoincrement()
        .column(&User::email, "email").varchar(255).unique()
        .column(&User::name, "name")
        .column(&User::active, "active").default_value(Value{true})
        .column(&User::created_at, "created_at").default_now()
        .index("ix_user_email_active", {"email", "active"});
    const auto* t = app.find_table("user");
    ASSERT_NE(t, nullptr);
    ASSERT_EQ(t->columns.size(), 5u);
    EXPECT_EQ(t->find_column("id")->type, Type::bigint());
    EXPECT_FALSE(t->find_column("id")->nullable);
    EXPECT_TRUE(t->find_column("id")->autoincrement);
    EXPECT_EQ(t->find_column("email")->type, Type::varchar(255));
    EXPECT_FALSE(t->find_column("email")->nullable);
    EXPECT_TRUE(t->find_column("name")->nullable);
    EXPECT_EQ(t->find_column("created_at")->type, Type::timestamptz());
    EXPECT_EQ(t->find_column("created_at")->default_value, Default::now());
    ASSERT_TRUE(t->primary_key);
    EXPECT_EQ(t->primary_key->name, "pk_user");
    ASSERT_EQ(t->uniques.size(), 1u);
    EXPECT_EQ(t->uniques[0].name, "uq_user_email");
    ASSERT_EQ(t->indexes.size(), 1u);
    EXPECT_EQ(t->indexes[0].elements.size(), 2u);
    EXPECT_NE(app.mapping(typeid(User)), nullptr);
    EXPECT_EQ(app.mapping(typeid(User))->members.size(), 5u);
}

TEST(Schema, ColumnPrimaryKeysComposeOneKey)
{
    Schema s;
    s.table("m").column<std::int64_t>("a").primary_key().column<std::int64_t>("b").primary_key();
    ASSERT_TRUE(s.tables[0].primary_key);
    EXPECT_EQ(s.tables[0].primary_key->columns, (std::vector<std::string>{"a", "b"}));
}

TEST(Schema, ForeignKeyAndCheckNamesFollowTheConvention)
{
    Schema s;
    s.table("job")
        .column<std::int64_t>("user_id").references("user", "id", FkAction::cascade)
        .column<std::int32_t>("progress").check("progress BETWEEN 0 AND 100");
    const auto& t = s.tables[0];
    ASSERT_EQ(t.foreign_keys.size(), 1u);
    EXPECT_EQ(t.foreign_keys[0].name, "fk_job_user_id_user");
    EXPECT_EQ(t.foreign_keys[0].on_delete, FkAction::cascade);
    ASSERT_EQ(t.checks.size(), 1u);
    EXPECT_EQ(t.checks[0].name, "ck_job_progress");
}

TEST(Schema, LongConventionNamesAreShortenedDeterministically)
{
    std::string long_table(70, 't');
    auto a = detail::convention_name("fk", long_table, {"a"});
    auto b = detail::convention_name("fk", long_table, {"b"});
    EXPECT_EQ(a.size(), 63u);
    EXPECT_NE(a, b);
    EXPECT_EQ(a, detail::convention_name("fk", long_table, {"a"}));
}

TEST(Schema, EnumValuesBecomeTextWithCheck)
{
    Schema s;
    s.table("t").column("state", Type::integer()).nullable().enum_values({"new", "it's"});
    const auto& t = s.tables[0];
    EXPECT_EQ(t.columns[0].type, Type::text());
    ASSERT_EQ(t.checks.size(), 1u);
    EXPECT_EQ(t.checks[0].expression, "\"state\" IN ('new', 'it''s')");
}

TEST(Schema, SqlObjectsKeepPerDialectDefinitions)
{
    Schema s;
    s.view("v", "SELECT 1").trigger("trg", "t", {{"sqlite", "CREATE TRIGGER a"}, {"postgresql", "CREATE TRIGGER b"}});
    ASSERT_EQ(s.objects.size(), 2u);
    EXPECT_EQ(*s.objects[0].definition_for("postgresql"), "SELECT 1");
    EXPECT_EQ(*s.objects[1].definition_for("sqlite"), "CREATE TRIGGER a");
    EXPECT_EQ(s.objects[1].definition_for("mysql"), nullptr);
}
