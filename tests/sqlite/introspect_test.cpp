// SQLite introspection: a schema strata did not write, checked against SQLite's own pragmas.
#include "test_support.hpp"

#include "strata/inspect.hpp"

#include <map>
#include <set>

using namespace strata;
using namespace strata::test;

namespace {

Database foreign(const TempDir& dir, const std::string& file)
{
    auto db = connect(dir.sqlite_url(file));
    execute_script(db, read_file(data_file("foreign_sqlite.sql")));
    return db;
}

}  // namespace

TEST(SqliteIntrospect, ReadsEveryFeatureOfAHandWrittenSchema)
{
    TempDir dir;
    auto db = foreign(dir, "foreign.db");
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 4u);
    const auto* order = s.find_table("order");
    ASSERT_NE(order, nullptr);
    EXPECT_EQ(order->find_column("id")->type, Type::bigint());  // rowid alias
    EXPECT_EQ(order->find_column("customer name")->collation, "NOCASE");
    EXPECT_EQ(order->find_column("placed")->default_value, Default::now());
    EXPECT_EQ(order->find_column("total")->type, Type::numeric(10, 2));
    EXPECT_EQ(order->checks.size(), 2u);
    EXPECT_EQ(order->checks[1].name, "ck_status");
    ASSERT_EQ(order->uniques.size(), 1u);
    EXPECT_EQ(order->uniques[0].columns, (std::vector<std::string>{"region", "number"}));
    const auto* partial = order->find_index("ix_order_status");
    ASSERT_NE(partial, nullptr);
    EXPECT_EQ(partial->where, "status <> 'shipped'");
    const auto* expression = order->find_index("ux_order_customer");
    ASSERT_NE(expression, nullptr);
    EXPECT_TRUE(expression->unique);
    EXPECT_EQ(expression->elements[0].expression, "lower(\"customer name\")");
    EXPECT_TRUE(order->find_index("ix_order_placed_desc")->elements[0].descending);

    const auto* group = s.find_table("group");
    ASSERT_NE(group, nullptr);
    EXPECT_TRUE(group->without_rowid);
    EXPECT_EQ(group->primary_key->columns, (std::vector<std::string>{"key", "select"}));

    const auto* line = s.find_table("line");
    ASSERT_NE(line, nullptr);
    ASSERT_EQ(line->foreign_keys.size(), 2u);
    const auto& composite = line->foreign_keys[1];
    EXPECT_EQ(composite.ref_table, "group");
    EXPECT_EQ(composite.ref_columns, (std::vector<std::string>{"key", "select"}));
    EXPECT_EQ(composite.on_delete, FkAction::set_null);
    EXPECT_TRUE(composite.deferrable && composite.initially_deferred);
    EXPECT_EQ(line->foreign_keys[0].on_update, FkAction::cascade);
    ASSERT_TRUE(line->find_column("amount")->generated);
    EXPECT_FALSE(line->find_column("amount")->generated->stored);
    EXPECT_EQ(line->find_column("note")->default_value, Default::literal(Blob{std::byte{0}}));
    EXPECT_EQ(line->find_index("ix line total")->elements[0].expression, "qty * price");

    const auto* log = s.find_table("audit_log");
    EXPECT_TRUE(log->find_column("id")->autoincrement);
    EXPECT_EQ(log->find_column("payload")->type, Type::json());
    EXPECT_EQ(log->find_column("ref")->type, Type::uuid());
    EXPECT_EQ(log->find_column("size")->default_value, Default::literal(std::int64_t{-1}));

    ASSERT_NE(s.find_object(ObjectKind::view, "open_orders"), nullptr);
    ASSERT_NE(s.find_object(ObjectKind::view, "order_totals"), nullptr);
    const auto* trigger = s.find_object(ObjectKind::trigger, "log_paid");
    ASSERT_NE(trigger, nullptr);
    EXPECT_EQ(trigger->table, "order");
}

TEST(SqliteIntrospect, RenderedSchemaRecreatesTheSameSchema)
{
    TempDir dir;
    auto a = foreign(dir, "a.db");
    auto schema_a = a.inspect();
    auto b = connect(dir.sqlite_url("b.db"));
    execute_script(b, to_sql(schema_a, b.dialect()));
    auto differences = compare(schema_a, b.inspect());
    EXPECT_TRUE(differences.empty()) << lines(differences);
    // The recreated views and triggers work, not only exist.
    b.session().execute("INSERT INTO \"order\" (id, \"customer name\", status) VALUES (1, 'Ann', 'new')");
    b.session().execute("UPDATE \"order\" SET status = 'paid' WHERE id = 1");
    EXPECT_EQ(b.session().scalar("SELECT count(*) FROM audit_log"), Value{std::int64_t{1}});
    EXPECT_EQ(b.session().scalar("SELECT count(*) FROM open_orders"), Value{std::int64_t{1}});
}

TEST(SqliteIntrospect, AgreesWithSqlitePragmas)
{
    TempDir dir;
    auto db = foreign(dir, "pragma.db");
    auto s = db.inspect();
    auto& session = db.session();
    for (const auto& t : s.tables) {
        SCOPED_TRACE(t.name);
        auto columns = session.query("SELECT name, \"notnull\", pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid", {t.name});
        ASSERT_EQ(columns.size(), t.columns.size());
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            const auto& c = t.columns[i];
            const auto& row = columns.rows[i];
            EXPECT_EQ(row[0], Value{c.name});
            auto pk = std::get<std::int64_t>(row[2]);
            EXPECT_EQ(pk > 0, t.in_primary_key(c.name)) << c.name;
            if (pk == 0) {
                EXPECT_EQ(std::get<std::int64_t>(row[1]) == 1, !c.nullable) << c.name;
            }
            EXPECT_EQ(std::get<std::int64_t>(row[3]) >= 2, c.generated.has_value()) << c.name;
        }
        std::set<std::string> created;
        for (const auto& r : session.query("SELECT name FROM pragma_index_list(?) WHERE origin = 'c'", {t.name}).rows)
            created.insert(std::get<std::string>(r[0]));
        std::set<std::string> ours;
        for (const auto& ix : t.indexes)
            ours.insert(ix.name);
        EXPECT_EQ(created, ours);
        auto unique_count = session.scalar("SELECT count(*) FROM pragma_index_list(?) WHERE origin = 'u'", {t.name});
        EXPECT_EQ(unique_count, Value{static_cast<std::int64_t>(t.uniques.size())});
        auto fks = session.query("SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?) "
                                 "ORDER BY id DESC, seq", {t.name});
        std::map<std::int64_t, std::vector<std::string>> from_columns;
        for (const auto& r : fks.rows)
            from_columns[std::get<std::int64_t>(r[0])].push_back(std::get<std::string>(r[2]));
        ASSERT_EQ(from_columns.size(), t.foreign_keys.size());
        std::set<std::vector<std::string>> pragma_keys, our_keys;
        for (const auto& [id, cols] : from_columns)
            pragma_keys.insert(cols);
        for (const auto& fk : t.foreign_keys)
            our_keys.insert(fk.columns);
        EXPECT_EQ(pragma_keys, our_keys);
    }
}

TEST(SqliteIntrospect, ForeignDeclaredTypesMapToPortableTypes)
{
    TempDir dir;
    auto db = connect(dir.sqlite_url("types.db"));
    db.session().execute("CREATE TABLE t (a INT, b TINYINT, c INT8, d BOOL, e FLOAT, f DOUBLE, g DECIMAL(5,1), "
                         "h CLOB, i NVARCHAR(9), j DATETIME, k TIMESTAMP WITH TIME ZONE, l JSONB, m CHAR(4), n)");
    auto t = db.inspect().tables.at(0);
    std::vector<Type> expected{Type::integer(), Type::smallint(), Type::bigint(), Type::boolean(),
                               Type::double_precision(), Type::double_precision(), Type::numeric(5, 1), Type::text(),
                               Type::varchar(9), Type::timestamp(), Type::timestamptz(), Type::json(),
                               Type::custom("CHAR(4)"), Type::custom("")};
    ASSERT_EQ(t.columns.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(t.columns[i].type, expected[i]) << t.columns[i].name;
}

TEST(SqliteIntrospect, StrataTablesAreLeftOut)
{
    TempDir dir;
    auto db = connect(dir.sqlite_url("own.db"));
    db.session().execute("CREATE TABLE strata_version (version INTEGER); CREATE TABLE app (id INTEGER)");
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 1u);
    EXPECT_EQ(s.tables[0].name, "app");
}

// 400 tables are 1,200 schema rows: read in chunks and parsed on two threads.
TEST(SqliteIntrospect, ALargeSchemaComesBackWholeAndInOrder)
{
    TempDir dir;
    auto db = connect(dir.sqlite_url("large.db"));
    std::string script = "BEGIN;";
    for (int i = 0; i < 400; ++i) {
        const auto t = "t" + std::to_string(i);
        script += "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, name TEXT NOT NULL" +
                  (i ? ", parent INTEGER REFERENCES t" + std::to_string(i - 1) : std::string()) + ");";
        script += "CREATE INDEX ix_" + t + " ON " + t + " (name DESC);";
        if (i % 100 == 99)
            script += "CREATE VIEW v" + std::to_string(i) + " AS SELECT id FROM " + t + ";";
    }
    db.session().execute(script + "COMMIT;");
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 400u);
    for (int i = 0; i < 400; ++i) {
        const Table& t = s.tables[static_cast<std::size_t>(i)];
        ASSERT_EQ(t.name, "t" + std::to_string(i)) << "tables in the order they were created";
        ASSERT_EQ(t.indexes.size(), 1u) << t.name;
        EXPECT_EQ(t.indexes[0].name, "ix_" + t.name);
        EXPECT_TRUE(t.indexes[0].elements[0].descending);
        ASSERT_EQ(t.foreign_keys.size(), i ? 1u : 0u) << t.name;
        if (i) {
            EXPECT_EQ(t.foreign_keys[0].ref_columns, std::vector<std::string>{"id"}) << "from the referenced primary key";
        }
    }
    std::vector<std::string> views;
    for (const auto& o : s.objects)
        views.push_back(o.name);
    EXPECT_EQ(views, (std::vector<std::string>{"v99", "v199", "v299", "v399"}));
}
