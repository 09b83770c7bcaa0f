// Step checksums: what changes them and what does not, pinned so that a
// release never changes the checksum of a recorded step by accident.
#include "strata/upgrader.hpp"

#include <gtest/gtest.h>

using namespace strata;

namespace {

Column column(ColumnSpec spec)
{
    return spec;
}

// One of every op kind, with every part of a column, index, key and object.
Step every_op()
{
    const Column generated = column(col::integer("twice").nullable().generated_always("qty * 2"));
    const Column described = column(col::text("note").nullable().collate("NOCASE").comment("free \"text\"\n\tand\x01 more"));
    Table t = table("order")
                  .column(col::bigint("id").autoincrement())
                  .column(col::integer("qty").default_value(3))
                  .column(col::double_precision("ratio").default_value(0.25))
                  .column(col::double_precision("big").default_value(1e20))
                  .column(col::integer("below").default_value(-5))
                  .column(col::text("label").default_value("it's \"quoted\" \\ ü"))
                  .column(col::boolean("active").default_value(Value{true}))
                  .column(col::blob("raw").default_value(Value{Blob{std::byte{0}, std::byte{0xab}}}).nullable())
                  .column(col::timestamptz("created_at").default_now())
                  .column(col::date("day").default_current_date())
                  .column(col::varchar("code", 12).default_sql("upper('x')"))
                  .column(col::numeric("price", 12, 2))
                  .column(col::of("state", Type::enumeration("state")).default_value("new"))
                  .column(generated)
                  .column(described)
                  .primary_key({"id"})
                  .unique({"code"})
                  .check("qty > 0", "ck_order_qty")
                  .foreign_key({"qty"}, "other", {"id"}, FkAction::cascade)
                  .index("ix_order_day", {desc("day"), expr("lower(code)")}, IndexOptions{.where = "active"})
                  .comment("orders ü");
    Ops ops;
    ops.create_table(t)
        .drop_table("old", t)
        .rename_table("a", "b")
        .add_column("order", described)
        .drop_column("order", "note", described)
        .rename_column("order", "qty", "quantity")
        .alter_column("order", column(col::integer("qty")), column(col::bigint("qty").nullable()))
        .create_index("order", Index{"ix_x", {IndexElement("qty")}, true, "qty > 1", "btree"}, true)
        .drop_index("order", "ix_x", Index{"ix_x", {IndexElement("qty")}, false, {}, {}}, true)
        .add_foreign_key("order", ForeignKey{"fk_x", {"qty"}, "other", {"id"}, FkAction::set_null, FkAction::restrict, true, true})
        .drop_foreign_key("order", "fk_x", ForeignKey{"fk_x", {"qty"}, "other", {"id"}})
        .add_unique("order", UniqueConstraint{"uq_x", {"qty", "code"}})
        .drop_unique("order", "uq_x", UniqueConstraint{"uq_x", {"qty"}})
        .add_check("order", CheckConstraint{"ck_x", "qty < 10"})
        .drop_check("order", "ck_x", CheckConstraint{"ck_x", "qty < 10"})
        .create_view("v", "SELECT 1")
        .create_object(SqlObject{ObjectKind::enum_type, "state", {}, {}, {"new", "done"}})
        .drop_object(ObjectKind::trigger, "tr", SqlObject{ObjectKind::trigger, "tr", "order", {{"sqlite", "CREATE TRIGGER ..."}}, {}})
        .execute({{"sqlite", "UPDATE x SET a = 1;"}, {"postgresql", "UPDATE  x\n SET a = 1"}}, {{"sqlite", "SELECT 1"}})
        .run(data("seed-1", [](Session&) {}, [](Session&) {}));
    Step step;
    step.version = 1;
    step.description = "every op";
    step.ops = ops.ops();
    return step;
}

}  // namespace

TEST(StepChecksum, IsPinnedForEveryOpKind)
{
    // Changing this value breaks every database that recorded the step: a new
    // serialisation gets a new prefix ("2:") instead.
    EXPECT_EQ(checksum(every_op()), "1:c81f7d6af58d3e855ef83dddd6d76c05");
}

TEST(StepChecksum, IgnoresLayoutOfRawSqlAndDescription)
{
    Step a;
    a.version = 4;
    a.description = "one";
    a.ops = Ops().execute("UPDATE x\n   SET a = 1;").ops();
    Step b = a;
    b.description = "another description";
    b.ops = Ops().execute("UPDATE x SET a = 1").ops();
    EXPECT_EQ(checksum(a), checksum(b));
}

TEST(StepChecksum, ChangesWithWhatTheStepDoes)
{
    const Step base = every_op();
    const auto original = checksum(base);
    Step type = base;
    std::get<AlterColumn>(type.ops[6]).to.type = Type::integer();
    EXPECT_NE(checksum(type), original);
    Step down = base;
    down.down = Ops().drop_table("order").ops();
    EXPECT_NE(checksum(down), original);
    Step no_tx = base;
    no_tx.no_transaction = true;
    EXPECT_NE(checksum(no_tx), original);
    Step revision = base;
    std::get<DataCode>(revision.ops.back()).revision = "seed-2";
    EXPECT_NE(checksum(revision), original);
    Step concurrently = base;
    std::get<CreateIndex>(concurrently.ops[7]).concurrently = false;
    EXPECT_NE(checksum(concurrently), original);
}
