// The SQLite dialect's exact SQL for each op, and when it rebuilds a table.
#include "strata/database.hpp"
#include "strata/errors.hpp"
#include "strata/ops.hpp"

#include <gtest/gtest.h>

using namespace strata;

namespace {

const Dialect& sqlite() { return *find_dialect("sqlite"); }

Schema users()
{
    Schema s;
    s.table("user")
        .column<std::int64_t>("id").primary_key().autoincrement()
        .column<std::string>("email").varchar(255).unique()
        .column<std::optional<std::string>>("name")
        .index("ix_user_name", {"name"});
    s.table("job").column<std::int64_t>("id").primary_key().column<std::int64_t>("user_id").references("user", "id", FkAction::cascade);
    return s;
}

std::vector<std::string> sql_of(const Op& op, const Schema& before = users())
{
    std::vector<std::string> out;
    for (const auto& s : sqlite().render(op, before))
        out.push_back(s.sql);
    return out;
}

std::vector<std::string> one(std::string s) { return {std::move(s)}; }

}  // namespace

TEST(SqliteDialect, CreateTableWithAutoincrementKey)
{
    Schema empty;
    auto sql = sql_of(CreateTable{users().tables[0]}, empty);
    ASSERT_EQ(sql.size(), 2u);
    EXPECT_EQ(sql[0], "CREATE TABLE \"user\" (\n"
                      "    \"id\" INTEGER NOT NULL CONSTRAINT \"pk_user\" PRIMARY KEY AUTOINCREMENT,\n"
                      "    \"email\" VARCHAR(255) NOT NULL,\n"
                      "    \"name\" TEXT,\n"
                      "    CONSTRAINT \"uq_user_email\" UNIQUE (\"email\")\n"
                      ")");
    EXPECT_EQ(sql[1], "CREATE INDEX \"ix_user_name\" ON \"user\" (\"name\")");
}

TEST(SqliteDialect, TypesAndLiterals)
{
    EXPECT_EQ(sqlite().render_type(Type::json()), "JSON TEXT");
    EXPECT_EQ(sqlite().render_type(Type::uuid()), "UUID TEXT");
    EXPECT_EQ(sqlite().render_type(Type::numeric(10, 2)), "NUMERIC(10, 2)");
    EXPECT_EQ(sqlite().render_literal(Value{true}), "1");
    EXPECT_EQ(sqlite().render_literal(Value{Blob{std::byte{1}, std::byte{0xab}}}), "X'01ab'");
    EXPECT_EQ(sqlite().quote("my \"table\""), "\"my \"\"table\"\"\"");
}

TEST(SqliteDialect, AddColumnInPlace)
{
    EXPECT_EQ(sql_of(AddColumn{"user", col::varchar("nick", 20).nullable()}),
              one("ALTER TABLE \"user\" ADD COLUMN \"nick\" VARCHAR(20)"));
    EXPECT_EQ(sql_of(AddColumn{"user", col::integer("score").default_value(0)}),
              one("ALTER TABLE \"user\" ADD COLUMN \"score\" INTEGER NOT NULL DEFAULT 0"));
}

TEST(SqliteDialect, RenamesInPlace)
{
    EXPECT_EQ(sql_of(RenameTable{"user", "account"}), one("ALTER TABLE \"user\" RENAME TO \"account\""));
    EXPECT_EQ(sql_of(RenameColumn{"user", "name", "full name"}),
              one("ALTER TABLE \"user\" RENAME COLUMN \"name\" TO \"full name\""));
}

TEST(SqliteDialect, DropColumnInPlaceWhenNothingUsesIt)
{
    auto s = users();
    s.tables[0].columns.push_back(col::text("spare").nullable());
    EXPECT_EQ(sql_of(DropColumn{"user", "spare", std::nullopt}, s), one("ALTER TABLE \"user\" DROP COLUMN \"spare\""));
}

TEST(SqliteDialect, IndexesPartialDescendingExpression)
{
    Index ix{"ix_a", {desc("email"), IndexElement("name")}, false, "name IS NOT NULL", {}};
    EXPECT_EQ(sql_of(CreateIndex{"user", ix}),
              one("CREATE INDEX \"ix_a\" ON \"user\" (\"email\" DESC, \"name\") WHERE name IS NOT NULL"));
    Index ux{"ux", {expr("lower(email)")}, true, {}, {}};
    EXPECT_EQ(sql_of(CreateIndex{"user", ux, true}), one("CREATE UNIQUE INDEX \"ux\" ON \"user\" ((lower(email)))"));
    EXPECT_EQ(sql_of(DropIndex{"user", "ix_user_name", std::nullopt}), one("DROP INDEX \"ix_user_name\""));
}

TEST(SqliteDialect, AlterColumnRebuildsInTwelveSteps)
{
    auto before = users();
    auto statements = sqlite().render(AlterColumn{"user", col::varchar("email", 255), col::text("email")}, before);
    ASSERT_GE(statements.size(), 8u);
    std::vector<std::string> in_tx;
    for (const auto& s : statements) {
        EXPECT_EQ(s.phase, Statement::Phase::transaction) << s.sql;
        in_tx.push_back(s.sql);
    }
    auto position = [&](const std::string& prefix) {
        for (std::size_t i = 0; i < in_tx.size(); ++i)
            if (in_tx[i].starts_with(prefix))
                return static_cast<int>(i);
        return -1;
    };
    EXPECT_EQ(in_tx[0].substr(0, 33), "CREATE TABLE \"_strata_new_user\" (");
    EXPECT_NE(in_tx[0].find("\"email\" TEXT NOT NULL"), std::string::npos) << in_tx[0];
    EXPECT_EQ(in_tx[1], "INSERT INTO \"_strata_new_user\" (\"id\", \"email\", \"name\") SELECT \"id\", \"email\", \"name\" FROM \"user\"");
    EXPECT_LT(position("SELECT 1 WHERE (SELECT count(*)"), position("DROP TABLE \"user\""));
    EXPECT_LT(position("INSERT INTO sqlite_sequence"), position("DROP TABLE \"user\""));
    EXPECT_LT(position("DROP TABLE \"user\""), position("ALTER TABLE \"_strata_new_user\" RENAME TO \"user\""));
    EXPECT_LT(position("ALTER TABLE \"_strata_new_user\" RENAME"), position("CREATE INDEX \"ix_user_name\""));
    int guards = 0;
    for (const auto& s : statements)
        guards += s.expect_no_rows ? 1 : 0;
    EXPECT_EQ(guards, 1);  // every row copied
}

TEST(SqliteDialect, ARebuildIsFramedByForeignKeysOffCheckedAndOn)
{
    const Op op = AlterColumn{"user", col::varchar("email", 255), col::text("email")};
    auto frame = sqlite().frame(std::span<const Op>(&op, 1));
    ASSERT_EQ(frame.before.size(), 1u);
    EXPECT_EQ(frame.before[0].sql, "PRAGMA foreign_keys = OFF");
    ASSERT_EQ(frame.checks.size(), 1u);
    EXPECT_TRUE(frame.checks[0].expect_no_rows);
    EXPECT_NE(frame.checks[0].sql.find("pragma_foreign_key_check"), std::string::npos);
    ASSERT_FALSE(frame.after.empty());
    EXPECT_EQ(frame.after.back().sql, "PRAGMA foreign_keys = ON");
    // An op that never rebuilds needs no frame: its step keeps foreign keys on.
    const Op add = AddColumn{"user", col::text("bio").nullable()};
    EXPECT_TRUE(sqlite().frame(std::span<const Op>(&add, 1)).empty());
}

TEST(SqliteDialect, ChangesToOneTableShareOneRebuild)
{
    auto state = users();
    std::vector<Op> ops{AlterColumn{"user", col::varchar("email", 255), col::text("email")},
                        DropColumn{"user", "name", std::nullopt}};
    auto statements = sqlite().render_step(ops, state);
    int creates = 0;
    std::string insert;
    for (const auto& s : statements) {
        creates += s.sql.starts_with("CREATE TABLE \"_strata_new_user\"") ? 1 : 0;
        if (s.sql.starts_with("INSERT INTO \"_strata_new_user\""))
            insert = s.sql;
    }
    EXPECT_EQ(creates, 1);
    EXPECT_EQ(insert, "INSERT INTO \"_strata_new_user\" (\"id\", \"email\") SELECT \"id\", \"email\" FROM \"user\"");
    EXPECT_EQ(state.find_table("user")->find_column("name"), nullptr);
}

TEST(SqliteDialect, DroppingAnIndexedColumnRebuilds)
{
    auto sql = sql_of(DropColumn{"user", "name", std::nullopt});
    ASSERT_GT(sql.size(), 1u);
    EXPECT_TRUE(sql[0].starts_with("CREATE TABLE \"_strata_new_user\"")) << sql[0];
    // The index over the dropped column is not recreated.
    for (const auto& s : sql)
        EXPECT_EQ(s.find("ix_user_name"), std::string::npos) << s;
}

TEST(SqliteDialect, AddForeignKeyRebuildsWithTheKey)
{
    auto before = users();
    before.tables[1].foreign_keys.clear();
    auto sql = sql_of(AddForeignKey{"job", ForeignKey{"fk_job_user", {"user_id"}, "user", {"id"}}}, before);
    ASSERT_GT(sql.size(), 2u);
    EXPECT_NE(sql[0].find("CONSTRAINT \"fk_job_user\" FOREIGN KEY (\"user_id\") REFERENCES \"user\" (\"id\")"),
              std::string::npos) << sql[0];
}

TEST(SqliteDialect, RawSqlWithoutThisDialectIsAModelError)
{
    EXPECT_THROW((void)sql_of(ExecuteSql{{{"postgresql", "SELECT 1"}}, {}}), ModelError);
    EXPECT_EQ(sql_of(ExecuteSql{{{"sqlite", "UPDATE x SET a = 1"}}, {}}), one("UPDATE x SET a = 1"));
}

TEST(SqliteDialect, CanonicalDropsWhatSqliteCannotKeep)
{
    Schema s;
    s.native_enum("mood", {"a", "b"});
    s.extension("citext");
    s.table("t").comment("c").column<std::int32_t>("id").primary_key().comment("k").column("m", Type::enumeration("mood")).nullable();
    auto c = sqlite().canonical(s);
    const auto& t = c.tables[0];
    EXPECT_EQ(t.comment, "");
    EXPECT_EQ(t.columns[0].type, Type::bigint());  // a rowid alias
    EXPECT_EQ(t.columns[1].type, Type::text());
    ASSERT_EQ(t.checks.size(), 1u);
    EXPECT_EQ(t.checks[0].expression, "\"m\" IN ('a', 'b')");
    EXPECT_TRUE(c.objects.empty());
}

TEST(SqliteDialect, DropTableAndObjects)
{
    EXPECT_EQ(sql_of(DropTable{"job", std::nullopt}), one("DROP TABLE \"job\""));
    SqlObject view{ObjectKind::view, "v", {}, {{"", "SELECT 1"}}, {}};
    EXPECT_EQ(sql_of(CreateObject{view}), one("CREATE VIEW \"v\" AS\nSELECT 1"));
    SqlObject trigger{ObjectKind::trigger, "t", "user", {{"sqlite", "CREATE TRIGGER t AFTER INSERT ON user BEGIN SELECT 1; END"}}, {}};
    EXPECT_EQ(sql_of(CreateObject{trigger}), one("CREATE TRIGGER t AFTER INSERT ON user BEGIN SELECT 1; END"));
    EXPECT_EQ(sql_of(DropObject{ObjectKind::trigger, "t", trigger}), one("DROP TRIGGER \"t\""));
    // What SQLite has no form for is skipped, not failed: enums, extensions, PostgreSQL-only SQL.
    EXPECT_TRUE(sql_of(CreateObject{SqlObject{ObjectKind::enum_type, "mood", {}, {}, {"a"}}}).empty());
    EXPECT_TRUE(sql_of(CreateObject{SqlObject{ObjectKind::extension, "citext", {}, {{"postgresql", ""}}, {}}}).empty());
    EXPECT_TRUE(sql_of(CreateObject{SqlObject{ObjectKind::function, "f", {}, {{"postgresql", "CREATE FUNCTION"}}, {}}}).empty());
}

TEST(SqliteDialect, ConstraintChangesRebuild)
{
    for (const Op& op : {Op{AddUnique{"user", UniqueConstraint{"uq_user_name", {"name"}}}},
                         Op{DropUnique{"user", "uq_user_email", std::nullopt}},
                         Op{AddCheck{"user", CheckConstraint{"ck_user_name", "length(name) > 1"}}},
                         Op{DropForeignKey{"job", "fk_job_user_id_user", std::nullopt}}}) {
        auto sql = sql_of(op);
        ASSERT_GT(sql.size(), 4u) << describe(op);
        EXPECT_TRUE(sql.front().starts_with("CREATE TABLE \"_strata_new_")) << describe(op);
        EXPECT_TRUE(sqlite().renders_from_state(op)) << describe(op);
    }
    auto with_check = sql_of(AddCheck{"user", CheckConstraint{"ck_user_name", "length(name) > 1"}});
    EXPECT_NE(with_check[0].find("CONSTRAINT \"ck_user_name\" CHECK (length(name) > 1)"), std::string::npos) << with_check[0];
    auto without_fk = sql_of(DropForeignKey{"job", "fk_job_user_id_user", std::nullopt});
    EXPECT_EQ(without_fk[0].find("FOREIGN KEY"), std::string::npos) << without_fk[0];
}

TEST(SqliteDialect, AddColumnWithExpressionDefaultRebuilds)
{
    auto sql = sql_of(AddColumn{"user", col::timestamptz("seen").default_now()});
    ASSERT_GT(sql.size(), 4u);
    EXPECT_NE(sql[0].find("\"seen\" TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP"), std::string::npos) << sql[0];
    // The new column is not copied: it takes its default.
    EXPECT_EQ(sql[1], "INSERT INTO \"_strata_new_user\" (\"id\", \"email\", \"name\") SELECT \"id\", \"email\", \"name\" FROM \"user\"");
}
