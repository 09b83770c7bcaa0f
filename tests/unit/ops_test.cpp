// Ops as data: reverse() and apply().
#include "strata/errors.hpp"
#include "strata/ops.hpp"

#include <gtest/gtest.h>

using namespace strata;

namespace {
Schema base()
{
    Schema s;
    s.table("user")
        .column<std::int64_t>("id").primary_key()
        .column<std::string>("email").index("ix_user_email")
        .column<std::optional<std::string>>("name");
    s.table("job").column<std::int64_t>("id").primary_key().column<std::int64_t>("user_id").references("user");
    return s;
}
}  // namespace

TEST(Ops, AddColumnReversesToDropWithDefinition)
{
    Op op = AddColumn{"user", col::varchar("nick", 20).nullable()};
    auto r = reverse(op);
    ASSERT_TRUE(r.op);
    const auto& drop = std::get<DropColumn>(*r.op);
    EXPECT_EQ(drop.column, "nick");
    ASSERT_TRUE(drop.definition);
    EXPECT_EQ(drop.definition->type, Type::varchar(20));
    auto back = reverse(*r.op);
    ASSERT_TRUE(back.op);
    EXPECT_EQ(std::get<AddColumn>(*back.op).column.name, "nick");
}

TEST(Ops, DropWithoutDefinitionIsIrreversible)
{
    auto r = reverse(Op{DropColumn{"user", "name", std::nullopt}});
    EXPECT_FALSE(r.op);
    EXPECT_EQ(r.why_not, "drop_column user.name does not record the dropped column's definition");
    EXPECT_FALSE(reverse(Op{ExecuteSql{{{"", "DELETE FROM x"}}, {}}}).op);
    EXPECT_TRUE(reverse(Op{ExecuteSql{{{"", "INSERT"}}, {{"", "DELETE"}}}}).op);
}

TEST(Ops, AlterColumnReverseSwapsFromAndTo)
{
    Op op = AlterColumn{"user", col::varchar("email", 100), col::varchar("email", 255)};
    auto r = reverse(op);
    ASSERT_TRUE(r.op);
    const auto& a = std::get<AlterColumn>(*r.op);
    EXPECT_EQ(a.from.type, Type::varchar(255));
    EXPECT_EQ(a.to.type, Type::varchar(100));
}

TEST(Ops, ApplyRenameColumnFollowsIndexesAndReferences)
{
    auto s = base();
    apply(s, RenameColumn{"user", "id", "user_id"});
    const auto* user = s.find_table("user");
    EXPECT_EQ(user->primary_key->columns[0], "user_id");
    EXPECT_EQ(s.find_table("job")->foreign_keys[0].ref_columns[0], "user_id");
}

TEST(Ops, ApplyDropColumnTakesItsIndexWith)
{
    auto s = base();
    apply(s, DropColumn{"user", "email", std::nullopt});
    EXPECT_TRUE(s.find_table("user")->indexes.empty());
    EXPECT_EQ(s.find_table("user")->find_column("email"), nullptr);
}

TEST(Ops, ApplyRenameTableFollowsForeignKeys)
{
    auto s = base();
    apply(s, RenameTable{"user", "account"});
    EXPECT_EQ(s.find_table("job")->foreign_keys[0].ref_table, "account");
}

TEST(Ops, ApplyToUnknownTableSaysWhere)
{
    auto s = base();
    try {
        apply(s, AddColumn{"nope", col::text("x")});
        FAIL();
    } catch (const ModelError& e) {
        EXPECT_NE(std::string(e.what()).find("add_column: there is no table 'nope' at this point of the history"),
                  std::string::npos);
    }
}

TEST(Ops, ApplyDuplicateColumnIsRefused)
{
    auto s = base();
    EXPECT_THROW(apply(s, AddColumn{"user", col::text("email")}), ModelError);
}

TEST(Ops, DescribeNamesTheOp)
{
    EXPECT_EQ(describe(Op{AddColumn{"user", col::text("x")}}), "add_column user.x");
    EXPECT_EQ(describe(Op{RunCode{"rev-1", {}, {}}}), "run_code rev-1");
}

TEST(Ops, ModelExpressible)
{
    EXPECT_TRUE(is_model_expressible(Op{AddColumn{"user", col::text("x")}}));
    EXPECT_FALSE(is_model_expressible(Op{ExecuteSql{{{"", "SELECT 1"}}, {}}}));
    EXPECT_FALSE(is_model_expressible(Op{RunCode{"r", {}, {}}}));
}
