// pgbouncer in front of PostgreSQL. Session pooling: upgrades work, eight
// processes at once apply each step once, ?schema= binds land in their schema.
// Transaction pooling: strata never migrates unprotected; it refuses, naming
// transaction pooling and the way out, having changed nothing.
#include "history.hpp"
#include "test_support.hpp"

#include "strata/upgrader.hpp"

using namespace strata;
using namespace strata::test;

namespace {

long long number_of(const std::string& url, const std::string& sql)
{
    return connect(url).session().scalar<std::int64_t>(sql);
}

}  // namespace

class PostgresqlPooler : public PgTest {};

TEST_F(PostgresqlPooler, SessionPoolingUpgradesAndEightProcessesApplyEachStepOnce)
{
    Pgbouncer pooler(server_url_, "session");
    PgSchema schema(server_url_);
    const auto url = pooler.through(schema.url());
    auto set_up = run_program(STRATA_TEST_WORKER_PATH, {"--url", url});  // version 10, fresh
    ASSERT_EQ(set_up.exit_code, 0) << set_up.err;
    std::vector<Child> workers;
    for (int i = 0; i < 8; ++i)
        workers.push_back(spawn_program(STRATA_TEST_WORKER_PATH,
                                        {"--url", url, "--step-sleep-ms", "300", "--lock-timeout", "60"}));
    for (auto& w : workers) {
        auto r = wait_program(w);
        EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    // Looked at directly, not through the pooler: everything is in the bind's
    // schema, each version recorded once, the data step's row once.
    const auto direct = schema.url();
    EXPECT_EQ(number_of(direct, "SELECT max(version) FROM strata_version"), 11);
    EXPECT_EQ(number_of(direct, "SELECT count(*) FROM (SELECT version, kind FROM strata_version "
                                "GROUP BY version, kind HAVING count(*) > 1) twice"),
              0);
    EXPECT_EQ(number_of(direct, "SELECT count(*) FROM audit_log"), 1);
    EXPECT_EQ(number_of(server_url_, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema.name() +
                                         "' AND tablename = 'audit_log'"),
              1);
    EXPECT_EQ(number_of(server_url_, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log'"), 0);
    // And a start at head through the pooler reads the same version.
    auto again = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--step-sleep-ms", "1"});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("ok up_to_date 11"), std::string::npos) << again.out;
}

TEST_F(PostgresqlPooler, TransactionPoolingIsRefusedNamingTheWayOut)
{
    Pgbouncer pooler(server_url_, "transaction");
    PgSchema schema(server_url_);
    const auto url = pooler.through(schema.url());
    for (const std::string mode : {"automatic", "lease"}) {
        auto r = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--lock-mode", mode});
        EXPECT_EQ(r.exit_code, 2) << mode << ": " << r.err;
        EXPECT_NE(r.err.find("bind 'app'"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("transaction pooling"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("reaches the server directly, or a pool in session mode"), std::string::npos) << r.err;
    }
    EXPECT_EQ(number_of(server_url_, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema.name() + "'"), 0)
        << "something was created through the transaction pool";
    // The same bind reached directly upgrades.
    auto direct = run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url()});
    EXPECT_EQ(direct.exit_code, 0) << direct.err;
}
