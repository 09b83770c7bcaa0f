// PostgreSQL introspection through pg_catalog: a schema strata did not write.
#include "test_support.hpp"

#include "strata/inspect.hpp"


#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using namespace strata;
using namespace strata::test;

class PostgresqlIntrospect : public PgTest {};

TEST_F(PostgresqlIntrospect, ReadsEveryFeatureOfAHandWrittenSchema)
{
    PgSchema schema(server_url_);
    auto db = connect(schema.url());
    db.session().execute(read_file(data_file("foreign_postgresql.sql")));
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 4u);
    const auto* order = s.find_table("order");
    ASSERT_NE(order, nullptr);
    EXPECT_TRUE(order->find_column("id")->autoincrement);  // serial
    EXPECT_FALSE(order->find_column("id")->default_value);
    EXPECT_EQ(order->find_column("customer name")->collation, "C");
    EXPECT_EQ(order->find_column("placed")->default_value, Default::now());
    EXPECT_EQ(order->find_column("status")->type, Type::enumeration("order_status"));
    EXPECT_EQ(order->find_column("status")->default_value, Default::literal(std::string("new")));
    EXPECT_EQ(order->find_column("tags")->type, Type::custom("text[]"));
    EXPECT_EQ(order->comment, "customer orders");
    EXPECT_EQ(order->find_column("total")->comment, "in cents; \"with quotes\"");
    EXPECT_EQ(order->checks.size(), 1u);
    ASSERT_EQ(order->uniques.size(), 1u);
    EXPECT_EQ(order->uniques[0].columns, (std::vector<std::string>{"region", "number"}));
    EXPECT_EQ(order->find_index("ix_order_tags")->method, "gin");
    EXPECT_TRUE(order->find_index("ix_order_placed_desc")->elements[0].descending);
    EXPECT_FALSE(order->find_index("ix_order_status")->where.empty());
    EXPECT_FALSE(order->find_index("ux_order_customer")->elements[0].expression.empty());
    EXPECT_EQ(order->find_index("ux_order_customer")->elements[1].column, "region");

    const auto* line = s.find_table("line");
    ASSERT_EQ(line->foreign_keys.size(), 2u);
    const ForeignKey* composite = nullptr;
    for (const auto& fk : line->foreign_keys)
        if (fk.ref_table == "group")
            composite = &fk;
    ASSERT_NE(composite, nullptr);
    EXPECT_EQ(composite->ref_columns, (std::vector<std::string>{"key", "select"}));
    EXPECT_EQ(composite->on_delete, FkAction::set_null);
    EXPECT_TRUE(composite->deferrable && composite->initially_deferred);
    ASSERT_TRUE(line->find_column("amount")->generated);
    EXPECT_EQ(line->find_column("note")->default_value, Default::literal(Blob{std::byte{0}}));

    const auto* log = s.find_table("audit_log");
    EXPECT_EQ(log->find_column("addr")->type, Type::custom("inet"));
    EXPECT_EQ(log->find_column("flags")->type, Type::custom("bit(3)"));
    EXPECT_EQ(log->find_column("size")->default_value, Default::literal(std::int64_t{-1}));

    const auto* e = s.find_object(ObjectKind::enum_type, "order_status");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->values, (std::vector<std::string>{"new", "paid", "shipped"}));
    EXPECT_NE(s.find_object(ObjectKind::view, "open_orders"), nullptr);
    const auto* f = s.find_object(ObjectKind::function, "log_paid");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->definition.by_dialect().at("postgresql").find(schema.name()), std::string::npos) << "schema name left in";
    const auto* t = s.find_object(ObjectKind::trigger, "log_paid");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->table, "order");
}

TEST_F(PostgresqlIntrospect, RenderedSchemaRecreatesTheSameSchemaElsewhere)
{
    PgSchema a_schema(server_url_);
    PgSchema b_schema(server_url_);
    auto a = connect(a_schema.url());
    a.session().execute(read_file(data_file("foreign_postgresql.sql")));
    auto schema_a = a.inspect();
    auto b = connect(b_schema.url());
    b.session().execute(to_sql(schema_a, b.dialect()));
    auto differences = compare(schema_a, b.inspect());
    EXPECT_TRUE(differences.empty()) << lines(differences);
    // The copy works: its trigger fires into its own audit_log.
    b.session().execute("INSERT INTO \"order\" (\"customer name\") VALUES ('Ann')");
    b.session().execute("UPDATE \"order\" SET status = 'paid'");
    EXPECT_EQ(b.session().scalar("SELECT count(*) FROM audit_log"), Value{std::int64_t{1}});
    EXPECT_EQ(a.session().scalar("SELECT count(*) FROM audit_log"), Value{std::int64_t{0}});
}

TEST_F(PostgresqlIntrospect, MissingSchemaReadsAsEmpty)
{
    auto db = connect(server_url_ + "?schema=" + unique_name("absent"));
    EXPECT_TRUE(db.inspect().tables.empty());
}

TEST_F(PostgresqlIntrospect, ForeignKeyToATableOfAnotherSchemaNamesIt)
{
    PgSchema shared(server_url_);
    PgSchema schema(server_url_);
    connect(shared.url()).session().execute("CREATE TABLE account (id BIGINT PRIMARY KEY)");
    auto db = connect(schema.url());
    db.session().execute("CREATE TABLE invoice (id BIGINT PRIMARY KEY, account_id BIGINT REFERENCES \"" + shared.name() +
                         "\".account (id) ON DELETE CASCADE, parent_id BIGINT REFERENCES invoice (id))");
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 1u);  // the other schema's table is not read
    const auto& fks = s.tables[0].foreign_keys;
    ASSERT_EQ(fks.size(), 2u);
    const auto& to_account = fks[0].columns[0] == "account_id" ? fks[0] : fks[1];
    const auto& to_self = fks[0].columns[0] == "account_id" ? fks[1] : fks[0];
    EXPECT_EQ(to_account.ref_table, "account");
    EXPECT_EQ(to_account.ref_columns, std::vector<std::string>{"id"});
    EXPECT_EQ(to_account.on_delete, FkAction::cascade);
    EXPECT_EQ(to_self.ref_table, "invoice");
    EXPECT_EQ(to_self.ref_columns, std::vector<std::string>{"id"});
}

TEST_F(PostgresqlIntrospect, KeysOwnTheirIndexesAndEachListComesInNameOrder)
{
    PgSchema schema(server_url_);
    auto db = connect(schema.url());
    db.session().execute(R"(
        CREATE TABLE booking (gone int, room int, during tsrange, code varchar(8) COLLATE "POSIX", z text, a text, at timestamp(3),
          CONSTRAINT z_unique UNIQUE (z), CONSTRAINT a_unique UNIQUE (a),
          CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&),
          CONSTRAINT c_check CHECK (room > 0), CONSTRAINT b_check CHECK (room < 1000));
        ALTER TABLE booking DROP COLUMN gone;
        CREATE INDEX zz_room ON booking (room);
        CREATE INDEX aa_code ON booking (code DESC);
        CREATE INDEX mm_during ON booking USING gist (during))");
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 1u);
    const Table& t = s.tables[0];
    std::vector<std::string> names;
    for (const auto& c : t.columns)
        names.push_back(c.name);
    EXPECT_EQ(names, (std::vector<std::string>{"room", "during", "code", "z", "a", "at"}));
    names.clear();
    for (const auto& ix : t.indexes)
        names.push_back(ix.name);
    EXPECT_EQ(names, (std::vector<std::string>{"aa_code", "mm_during", "zz_room"})) << "key indexes must not be listed";
    EXPECT_EQ(t.find_index("zz_room")->elements[0].column, "room");  // attnum 3 after the dropped column
    EXPECT_TRUE(t.find_index("aa_code")->elements[0].descending);
    EXPECT_EQ(t.find_index("aa_code")->method, "");
    EXPECT_EQ(t.find_index("mm_during")->method, "gist");
    ASSERT_EQ(t.uniques.size(), 2u);
    EXPECT_EQ(t.uniques[0].name, "a_unique");
    EXPECT_EQ(t.uniques[1].name, "z_unique");
    ASSERT_EQ(t.checks.size(), 2u);
    EXPECT_EQ(t.checks[0].name, "b_check");
    EXPECT_EQ(t.checks[1].name, "c_check");
    EXPECT_EQ(t.find_column("during")->type, Type::custom("tsrange"));
    EXPECT_EQ(t.find_column("code")->type, Type::varchar(8));
    EXPECT_EQ(t.find_column("code")->collation, "POSIX");
    EXPECT_EQ(t.find_column("at")->type, Type::custom("timestamp(3) without time zone"));
}

TEST_F(PostgresqlIntrospect, AHandWrittenSchemaIsReadWhole)
{
    PgSchema schema(server_url_);
    connect(schema.url()).session().execute(read_file(data_file("foreign_postgresql.sql")));
    auto db = connect(schema.url());
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 4u);
    const auto* order = s.find_table("order");
    EXPECT_EQ(order->find_column("status")->default_value, Default::literal(std::string("new")));
    EXPECT_EQ(order->find_column("placed")->default_value, Default::now());
    EXPECT_EQ(order->find_column("total")->comment, "in cents; \"with quotes\"");
    EXPECT_EQ(order->checks.size(), 1u);
    EXPECT_EQ(order->uniques.size(), 1u);
    const auto* amount = s.find_table("line")->find_column("amount");
    ASSERT_TRUE(amount->generated);
    EXPECT_NE(amount->generated->expression.find("qty"), std::string::npos) << amount->generated->expression;
    EXPECT_EQ(s.find_table("line")->foreign_keys.size(), 2u);
    EXPECT_NE(s.find_object(ObjectKind::trigger, "log_paid"), nullptr);
    // The read's own transaction is over and its planner setting undone.
    EXPECT_FALSE(db.session().in_transaction());
    EXPECT_EQ(std::get<std::string>(db.session().scalar("SHOW enable_nestloop")), "on");
}

TEST_F(PostgresqlIntrospect, AReadBesideAMigrationSeesAllOfItOrNothing)
{
    // Another connection keeps creating a table with its index, comment and
    // check in one transaction, and dropping it; every read sees the table whole
    // or not at all (one snapshot for every catalog query), and none fails (a
    // drop during a read makes it read again).
    PgSchema schema(server_url_);
    std::atomic<bool> stop{false};
    std::string migrator_error;
    std::thread migrator([&] {
        try {
            auto db = connect(schema.url());
            while (!stop) {
                db.session().execute("BEGIN; CREATE TABLE churn (id bigint PRIMARY KEY, n integer CHECK (n > 0)); "
                                     "CREATE INDEX ix_churn_n ON churn (n); COMMENT ON TABLE churn IS 'whole'; COMMIT");
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                db.session().execute("DROP TABLE churn");
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        } catch (const std::exception& e) {
            migrator_error = e.what();
        }
    });
    auto db = connect(schema.url());
    int seen = 0;
    std::string half;
    try {
        for (int i = 0; i < 200 && half.empty(); ++i) {
            auto s = db.inspect();
            if (const auto* t = s.find_table("churn")) {
                ++seen;
                if (!t->find_index("ix_churn_n") || t->comment != "whole" || t->checks.size() != 1 ||
                    t->columns.size() != 2)
                    half = "read " + std::to_string(i) + " saw table churn without all of its parts";
            }
        }
    } catch (const std::exception& e) {
        half = std::string("a read failed: ") + e.what();
    }
    stop = true;
    migrator.join();
    EXPECT_EQ(migrator_error, "");
    EXPECT_EQ(half, "");
    EXPECT_GT(seen, 0) << "the reads never overlapped the migration";
}

TEST_F(PostgresqlIntrospect, InsideATransactionTheSessionReadsItsOwnChanges)
{
    // The read shares the caller's transaction (and leaves it open).
    PgSchema schema(server_url_);
    auto db = connect(schema.url());
    Transaction tx(db.session());
    db.session().execute("CREATE TABLE pending (id bigint PRIMARY KEY, n integer DEFAULT 7 CHECK (n > 0))");
    db.session().execute("CREATE INDEX ix_pending_n ON pending (n)");
    db.session().execute("COMMENT ON TABLE pending IS 'not committed'");
    auto s = db.inspect();
    const auto* pending = s.find_table("pending");
    ASSERT_NE(pending, nullptr);
    EXPECT_EQ(pending->find_column("n")->default_value, Default::literal(std::int64_t{7}));
    EXPECT_EQ(pending->checks.size(), 1u);
    EXPECT_NE(pending->find_index("ix_pending_n"), nullptr);
    EXPECT_EQ(pending->comment, "not committed");
    EXPECT_TRUE(db.session().in_transaction());
    tx.rollback();
    EXPECT_TRUE(db.inspect().tables.empty());
}

TEST_F(PostgresqlIntrospect, ASessionThatMovedToAnotherSchemaReadsThatOne)
{
    // The session has left the URL's schema: the read follows its search_path.
    PgSchema first(server_url_);
    PgSchema second(server_url_);
    connect(first.url()).session().execute("CREATE TABLE a (id bigint PRIMARY KEY, n integer DEFAULT 1)");
    connect(second.url()).session().execute(
        "CREATE TABLE b (id bigint PRIMARY KEY, n integer DEFAULT 2); CREATE INDEX ix_b_n ON b (n);"
        "COMMENT ON COLUMN b.n IS 'second'");
    auto db = connect(first.url());
    db.session().execute("SET search_path TO \"" + second.name() + "\"");
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 1u);
    const auto& b = s.tables[0];
    EXPECT_EQ(b.name, "b");
    EXPECT_EQ(b.find_column("n")->default_value, Default::literal(std::int64_t{2}));
    EXPECT_EQ(b.find_column("n")->comment, "second");
    EXPECT_NE(b.find_index("ix_b_n"), nullptr);
}

TEST_F(PostgresqlIntrospect, ASchemaNameThatNeedsQuotesIsRead)
{
    auto admin = connect(server_url_);
    const std::string name = "Tenant " + unique_name("q");
    admin.session().execute("CREATE SCHEMA \"" + name + "\"");
    {
        auto db = connect(server_url_ + "?schema=" + name);
        db.session().execute("CREATE TABLE t (id bigint PRIMARY KEY, n integer DEFAULT 3)");
        auto s = db.inspect();
        ASSERT_EQ(s.tables.size(), 1u);
        EXPECT_EQ(s.tables[0].find_column("n")->default_value, Default::literal(std::int64_t{3}));
    }
    admin.session().execute("DROP SCHEMA \"" + name + "\" CASCADE");
}

