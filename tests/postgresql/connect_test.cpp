// Connecting: malformed URLs, unreachable servers and wrong passwords give clear,
// bounded errors that never show the password.
#include "test_support.hpp"

#include "strata/errors.hpp"

#include <chrono>

using namespace strata;
using namespace strata::test;

class PostgresqlConnect : public PgTest {};

TEST_F(PostgresqlConnect, ClosedPortFailsFastWithAConnectionError)
{
    auto start = std::chrono::steady_clock::now();
    try {
        (void)connect("postgresql://postgres:hunter2@127.0.0.1:" + std::to_string(free_port()) + "/postgres?connect_timeout=3");
        FAIL() << "connected to a closed port";
    } catch (const DatabaseError& e) {
        EXPECT_EQ(e.kind(), DatabaseErrorKind::connection);
        EXPECT_EQ(e.code(), ErrorCode::connection_failed);
        std::string w = e.what();
        EXPECT_NE(w.find("cannot connect to postgresql://postgres:***@127.0.0.1"), std::string::npos) << w;
        EXPECT_EQ(w.find("hunter2"), std::string::npos) << w;
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(PostgresqlConnect, UnroutableHostGivesUpWithinTheConnectTimeout)
{
    auto start = std::chrono::steady_clock::now();
    // TEST-NET-1 (RFC 5737) never answers; here it may also be refused at once.
    EXPECT_THROW((void)connect("postgresql://postgres@192.0.2.1:5432/postgres?connect_timeout=2"), DatabaseError);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));
}

TEST_F(PostgresqlConnect, WrongPasswordIsNamedWithoutThePassword)
{
    auto admin = connect(server_url_);
    auto role = unique_name("r");
    admin.session().execute("CREATE ROLE \"" + role + "\" LOGIN PASSWORD 'right-one'");
    auto url = Url::parse(server_url_);
    url.user = role;
    url.password = "wrong-secret";
    try {
        (void)connect(url.unmasked());
        ADD_FAILURE() << "connected with a wrong password";
    } catch (const DatabaseError& e) {
        std::string w = e.what();
        EXPECT_EQ(e.kind(), DatabaseErrorKind::connection);
        EXPECT_NE(w.find("password authentication failed"), std::string::npos) << w;
        EXPECT_EQ(w.find("wrong-secret"), std::string::npos) << w;
    }
    url.password = "right-one";
    EXPECT_NO_THROW((void)connect(url.unmasked()));
    admin.session().execute("DROP ROLE \"" + role + "\"");
}

TEST_F(PostgresqlConnect, MalformedUrlIsAConfigError)
{
    EXPECT_THROW((void)connect("postgresql://postgres@127.0.0.1:port/x"), ConfigError);
}

TEST_F(PostgresqlConnect, UnknownDatabaseIsAConnectionError)
{
    auto url = Url::parse(server_url_);
    url.database = unique_name("missing");
    try {
        (void)connect(url.unmasked());
        FAIL();
    } catch (const DatabaseError& e) {
        EXPECT_EQ(e.kind(), DatabaseErrorKind::connection);
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
}

TEST_F(PostgresqlConnect, StatementErrorsCarrySqlstateAndSql)
{
    PgSchema schema(server_url_);
    auto db = connect(schema.url());
    try {
        db.session().execute("SELECT * FROM no_such_table");
        FAIL();
    } catch (const DatabaseError& e) {
        EXPECT_EQ(e.kind(), DatabaseErrorKind::schema);
        EXPECT_EQ(e.context().sqlstate, "42P01");
        EXPECT_EQ(e.context().sql, "SELECT * FROM no_such_table");
    }
}

TEST_F(PostgresqlConnect, ParametersAndTypedValuesRoundTrip)
{
    PgSchema schema(server_url_);
    auto db = connect(schema.url());
    auto& s = db.session();
    s.execute("CREATE TABLE v (i bigint, b boolean, d double precision, t text, x bytea, n numeric)");
    Blob bytes{std::byte{0}, std::byte{0xfe}};
    s.execute("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?)", {std::int64_t{-7}, true, 2.5, std::string("it's ?"), bytes, std::string("1.50")});
    auto rows = s.query("SELECT i, b, d, t, x, n FROM v WHERE t = ?", {std::string("it's ?")});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.rows[0][0], Value{std::int64_t{-7}});
    EXPECT_EQ(rows.rows[0][1], Value{true});
    EXPECT_EQ(rows.rows[0][2], Value{2.5});
    EXPECT_EQ(rows.rows[0][3], Value{std::string("it's ?")});
    EXPECT_EQ(rows.rows[0][4], Value{bytes});
    EXPECT_EQ(rows.rows[0][5], Value{std::string("1.50")});
}

TEST_F(PostgresqlConnect, SessionSettingsComeWithTheConnection)
{
    // UTC whatever the server's zone, the URL's schema first on the search path
    // (also a name that needs quotes), and the user's own options kept.
    auto admin = connect(server_url_);
    const std::string quoted_name = "Tenant " + std::to_string(::getpid());
    admin.session().execute("CREATE SCHEMA \"" + quoted_name + "\"");
    auto url = server_url_ + "?schema=" + quoted_name + "&options=-c%20statement_timeout%3D12345";
    {
        auto db = connect(url);
        auto& s = db.session();
        EXPECT_EQ(s.scalar("SHOW TimeZone"), Value{std::string("UTC")});
        EXPECT_EQ(s.scalar("SELECT current_schema()"), Value{quoted_name});
        EXPECT_EQ(s.scalar("SHOW statement_timeout"), Value{std::string("12345ms")});
        s.execute("CREATE TABLE here (id integer)");
    }
    EXPECT_EQ(admin.session().scalar("SELECT count(*) FROM pg_tables WHERE schemaname = ? AND tablename = 'here'",
                                     {quoted_name}),
              Value{std::int64_t{1}});
    admin.session().execute("DROP SCHEMA \"" + quoted_name + "\" CASCADE");
    PgSchema plain(server_url_);
    auto db = connect(plain.url());
    EXPECT_EQ(db.session().scalar("SELECT current_schema()"), Value{plain.name()});
    EXPECT_EQ(db.session().scalar("SHOW TimeZone"), Value{std::string("UTC")});
}
