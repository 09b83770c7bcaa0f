// The builders: one vocabulary for a model's tables and a step's, one
// nullability rule, table methods reachable after a column.
#include "strata/builders.hpp"
#include "strata/step.hpp"

#include <gtest/gtest.h>

using namespace strata;

namespace {

struct Account {
    std::int64_t id = 0;
    std::string email;
    std::optional<std::string> nickname;
};

// The same table, declared the three ways a user can: a mapped struct, a
// model without a struct, and a step.
Table mapped()
{
    Schema s;
    s.table<Account>("account")
        .column(&Account::id, "id").primary_key().autoincrement()
        .column(&Account::email, "email").varchar(120).unique().comment("login")
        .column(&Account::nickname, "nickname").default_value("anon")
        .table_check("length(email) > 3", "ck_account_email")
        .table_comment("who logs in");
    return s.tables.front();
}

Table unmapped()
{
    Schema s;
    s.table("account")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column("email", Type::varchar(120)).unique().comment("login")
        .column<std::optional<std::string>>("nickname").default_value("anon")
        .table_check("length(email) > 3", "ck_account_email")
        .table_comment("who logs in");
    return s.tables.front();
}

Table in_a_step()
{
    return strata::table("account")
        .column("id", Type::bigint()).primary_key().autoincrement()
        .column(col::varchar("email", 120).comment("login"))
        .unique({"email"})
        .column(col::text("nickname").nullable().default_value("anon"))
        .check("length(email) > 3", "ck_account_email")
        .comment("who logs in");
}

}  // namespace

TEST(Builders, AModelAndAStepSayTheSameTableInTheSameWords)
{
    EXPECT_EQ(mapped(), unmapped());
    EXPECT_EQ(unmapped(), in_a_step());
}

TEST(Builders, EveryColumnIsNotNullUnlessItSaysOtherwise)
{
    Schema s;
    s.table("t")
        .column("a", Type::text())
        .column<std::string>("b")
        .column<std::optional<std::string>>("c")
        .column("d", Type::text()).nullable()
        .column(col::text("e"))
        .column(col::text("f").nullable());
    std::vector<bool> nullable;
    for (const auto& c : s.tables.front().columns)
        nullable.push_back(c.nullable);
    EXPECT_EQ(nullable, (std::vector<bool>{false, false, true, true, false, true}));
    EXPECT_FALSE(Column(col::integer("n")).nullable);
}

TEST(Builders, AfterAColumnCheckAndCommentAreTheColumnsAndTheTablesStayReachable)
{
    Schema s;
    s.table("t")
        .column("qty", Type::integer()).check("qty > 0").comment("how many")
        .table_check("qty < 100", "ck_t_small")
        .table_comment("the table");
    const Table& t = s.tables.front();
    EXPECT_EQ(t.columns.front().comment, "how many");
    EXPECT_EQ(t.comment, "the table");
    ASSERT_EQ(t.checks.size(), 2u);
    EXPECT_EQ(t.checks[1].name, "ck_t_small");
}

TEST(Builders, AStepsTableKeptInAVariableOwnsItsDefinition)
{
    auto builder = strata::table("audit").column("id", Type::bigint()).primary_key();
    builder.column(col::text("what")).table_comment("kept");
    // The temporary that started the chain is gone; the builder still holds the table.
    const Table t = builder;
    ASSERT_EQ(t.columns.size(), 2u);
    EXPECT_EQ(t.columns[1].name, "what");
    EXPECT_EQ(t.comment, "kept");
    ASSERT_TRUE(t.primary_key);
    EXPECT_EQ(t.primary_key->columns, (std::vector<std::string>{"id"}));
    // Two tables from strata::table() share nothing.
    Table other = strata::table("audit").column(col::text("x"));
    EXPECT_EQ(other.columns.size(), 1u);
}

TEST(Builders, ModelBuildersSurviveMoreTablesBeingAdded)
{
    Schema s;
    auto first = s.table("first").column("id", Type::bigint());
    for (int i = 0; i < 50; ++i)
        s.table("t" + std::to_string(i)).column("id", Type::bigint());
    first.column("later", Type::text());
    EXPECT_EQ(s.tables.front().columns.size(), 2u);
}
