// PostgreSQL introspection through pg_catalog: a schema strata did not write.
#include "test_support.hpp"

#include "strata/inspect.hpp"

#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>

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
    EXPECT_EQ(f->definition.at("postgresql").find(schema.name()), std::string::npos) << "schema name left in";
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

namespace {

// What strata logs at debug level while it lives.
class LogCapture {
public:
    LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256))
    {
        logger_ = spdlog::get("strata");
        if (!logger_)
            logger_ = spdlog::stderr_color_mt("strata");
        level_ = logger_->level();
        logger_->sinks().push_back(sink_);
        logger_->set_level(spdlog::level::debug);
    }
    ~LogCapture()
    {
        auto& sinks = logger_->sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
        logger_->set_level(level_);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    [[nodiscard]] bool saw(const std::string& text) const
    {
        for (const auto& line : sink_->last_formatted())
            if (line.find(text) != std::string::npos)
                return true;
        return false;
    }

private:
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
    std::shared_ptr<spdlog::logger> logger_;
    spdlog::level::level_enum level_ = spdlog::level::info;
};

const std::string read_over_two = "read over two connections";
const std::string read_over_one = "read over the session's connection alone";

}  // namespace

TEST_F(PostgresqlIntrospect, TwoConnectionsReadWhatOneReads)
{
    PgSchema schema(server_url_);
    connect(schema.url()).session().execute(read_file(data_file("foreign_postgresql.sql")));
    LogCapture log;
    auto one = connect(schema.url() + "&inspect_connections=1").inspect();
    EXPECT_FALSE(log.saw(read_over_two));
    auto two = connect(schema.url() + "&inspect_connections=2").inspect();
    EXPECT_TRUE(log.saw(schema.name() + " " + read_over_two));
    auto as_it_comes = connect(schema.url()).inspect();  // two connections if the second is up in time

    ASSERT_EQ(one.tables.size(), 4u);
    EXPECT_TRUE(compare(one, two).empty()) << lines(compare(one, two));
    EXPECT_TRUE(compare(one, as_it_comes).empty()) << lines(compare(one, as_it_comes));
    // What the second connection reads: defaults (also of a type the server
    // names), generation expressions, comments, constraints, objects.
    const auto* order = two.find_table("order");
    EXPECT_EQ(order->find_column("status")->default_value, Default::literal(std::string("new")));
    EXPECT_EQ(order->find_column("placed")->default_value, Default::now());
    EXPECT_EQ(order->find_column("total")->comment, "in cents; \"with quotes\"");
    EXPECT_EQ(order->checks.size(), 1u);
    EXPECT_EQ(order->uniques.size(), 1u);
    const auto* amount = two.find_table("line")->find_column("amount");
    ASSERT_TRUE(amount->generated);
    EXPECT_NE(amount->generated->expression.find("qty"), std::string::npos) << amount->generated->expression;
    EXPECT_EQ(two.find_table("line")->foreign_keys.size(), 2u);
    EXPECT_NE(two.find_object(ObjectKind::trigger, "log_paid"), nullptr);
}

TEST_F(PostgresqlIntrospect, InsideATransactionTheSessionReadsItsOwnChanges)
{
    // A second connection would not see them: inside a transaction there is none.
    PgSchema schema(server_url_);
    auto db = connect(schema.url() + "&inspect_connections=2");
    LogCapture log;
    Transaction tx(db.session());
    db.session().execute("CREATE TABLE pending (id bigint PRIMARY KEY, n integer DEFAULT 7 CHECK (n > 0))");
    db.session().execute("CREATE INDEX ix_pending_n ON pending (n)");
    db.session().execute("COMMENT ON TABLE pending IS 'not committed'");
    auto s = db.inspect();
    tx.rollback();
    const auto* pending = s.find_table("pending");
    ASSERT_NE(pending, nullptr);
    EXPECT_EQ(pending->find_column("n")->default_value, Default::literal(std::int64_t{7}));
    EXPECT_EQ(pending->checks.size(), 1u);
    EXPECT_NE(pending->find_index("ix_pending_n"), nullptr);
    EXPECT_EQ(pending->comment, "not committed");
    EXPECT_FALSE(log.saw(read_over_two));
    EXPECT_TRUE(db.inspect().tables.empty());
}

TEST_F(PostgresqlIntrospect, ASessionThatMovedToAnotherSchemaReadsThatOne)
{
    // The second connection starts in the URL's schema; the session has left it.
    PgSchema first(server_url_);
    PgSchema second(server_url_);
    connect(first.url()).session().execute("CREATE TABLE a (id bigint PRIMARY KEY, n integer DEFAULT 1)");
    connect(second.url()).session().execute(
        "CREATE TABLE b (id bigint PRIMARY KEY, n integer DEFAULT 2); CREATE INDEX ix_b_n ON b (n);"
        "COMMENT ON COLUMN b.n IS 'second'");
    auto db = connect(first.url() + "&inspect_connections=2");
    db.session().execute("SET search_path TO \"" + second.name() + "\"");
    LogCapture log;
    auto s = db.inspect();
    ASSERT_EQ(s.tables.size(), 1u);
    const auto& b = s.tables[0];
    EXPECT_EQ(b.name, "b");
    EXPECT_EQ(b.find_column("n")->default_value, Default::literal(std::int64_t{2}));
    EXPECT_EQ(b.find_column("n")->comment, "second");
    EXPECT_NE(b.find_index("ix_b_n"), nullptr);
    EXPECT_TRUE(log.saw(read_over_one));
}

TEST_F(PostgresqlIntrospect, ASchemaNameThatNeedsQuotesIsReadOverTwoConnections)
{
    auto admin = connect(server_url_);
    const std::string name = "Tenant " + unique_name("q");
    admin.session().execute("CREATE SCHEMA \"" + name + "\"");
    {
        auto db = connect(server_url_ + "?schema=" + name + "&inspect_connections=2");
        db.session().execute("CREATE TABLE t (id bigint PRIMARY KEY, n integer DEFAULT 3)");
        LogCapture log;
        auto s = db.inspect();
        ASSERT_EQ(s.tables.size(), 1u);
        EXPECT_EQ(s.tables[0].find_column("n")->default_value, Default::literal(std::int64_t{3}));
        EXPECT_TRUE(log.saw(name + " " + read_over_two));
    }
    admin.session().execute("DROP SCHEMA \"" + name + "\" CASCADE");
}

TEST_F(PostgresqlIntrospect, TheSecondConnectionLogsInAsTheSessionDidOrIsDoneWithout)
{
    auto admin = connect(server_url_);
    auto role = unique_name("one");
    admin.session().execute("CREATE ROLE \"" + role + "\" LOGIN PASSWORD 'its-secret' CONNECTION LIMIT 2");
    PgSchema schema(server_url_);
    connect(schema.url()).session().execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, n integer DEFAULT 4); CREATE INDEX ix_t_n ON t (n);"
        "GRANT USAGE ON SCHEMA \"" + schema.name() + "\" TO \"" + role + "\"");
    auto url = Url::parse(schema.url() + "&inspect_connections=2");
    url.user = role;
    url.password = "its-secret";
    for (const char* limit : {"2", "1"}) {
        admin.session().execute("ALTER ROLE \"" + role + "\" CONNECTION LIMIT " + limit);
        LogCapture log;
        auto s = connect(url.unmasked()).inspect();
        ASSERT_EQ(s.tables.size(), 1u);
        EXPECT_EQ(s.tables[0].find_column("n")->default_value, Default::literal(std::int64_t{4}));
        EXPECT_NE(s.tables[0].find_index("ix_t_n"), nullptr);
        EXPECT_TRUE(log.saw(std::string(limit) == "2" ? read_over_two : read_over_one)) << "connection limit " << limit;
    }
    admin.session().execute("DROP OWNED BY \"" + role + "\"; DROP ROLE \"" + role + "\"");
}

TEST_F(PostgresqlIntrospect, LargeCatalogsAreReadOverTwoConnectionsUnlessOtherReadsRunBeside)
{
    // 100 tables of 100 columns: pg_attribute passes 2 MB, the size from which
    // a second connection pays.
    PgDatabase database(server_url_);
    auto db = connect(database.url());
    db.session().execute(
        "DO $$ BEGIN FOR i IN 1..100 LOOP EXECUTE format('CREATE TABLE wide_%s (%s)', i, "
        "(SELECT string_agg(format('c%s integer DEFAULT %s', j, j), ', ') FROM generate_series(1, 100) j)); "
        "END LOOP; END $$");
    ASSERT_GE(std::get<std::int64_t>(db.session().scalar("SELECT pg_relation_size('pg_catalog.pg_attribute')")),
              2 * 1024 * 1024);
    {
        LogCapture log;
        auto s = db.inspect();
        ASSERT_EQ(s.tables.size(), 100u);
        EXPECT_EQ(s.find_table("wide_7")->find_column("c42")->default_value, Default::literal(std::int64_t{42}));
        EXPECT_TRUE(log.saw("public " + read_over_two));
    }
    // diff reads both sides at once: the cores are busy without second connections.
    auto other = connect(database.url());
    LogCapture log;
    auto both = inspect_all({&db.session(), &other.session()});
    EXPECT_TRUE(compare(both[0], both[1]).empty());
    EXPECT_EQ(both[1].tables.size(), 100u);
    EXPECT_FALSE(log.saw(read_over_two));
}
