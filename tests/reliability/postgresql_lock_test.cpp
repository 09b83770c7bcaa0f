// PostgreSQL's locks under stress: a lease whose holder stalls past its expiry
// cannot commit, and a wait for the advisory lock is bounded.
#include "history.hpp"
#include "test_support.hpp"

#include "strata/upgrader.hpp"

#include <csignal>
#include <memory>
#include <thread>

using namespace strata;
using namespace strata::test;

class PostgresqlLocks : public PgTest {
protected:
    // A schema of its own with the test history at head; its URL.
    std::string upgraded_schema()
    {
        schema_ = std::make_unique<PgSchema>(server_url_);
        Upgrader up;
        declare_history(up, "app", connect(schema_->url()));
        (void)up.run();
        return schema_->url();
    }

    std::unique_ptr<PgSchema> schema_;
};

TEST_F(PostgresqlLocks, ExpiredLeaseCannotCommitAStep)
{
    const auto url = upgraded_schema();
    TempDir dir;
    auto marker = (dir.path() / "started").string();
    // A holds the lease and stalls mid-step (SIGSTOP freezes its heartbeat too).
    auto a = spawn_program(STRATA_TEST_WORKER_PATH,
                           {"--url", url, "--lock-mode", "lease", "--lease-ttl", "2", "--step-sleep-ms", "4000",
                            "--marker", marker});
    ASSERT_TRUE(wait_for_file(marker, 20000));
    kill(a.pid, SIGSTOP);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    // B finds the lease expired, takes it over and applies the step.
    auto b = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--lock-mode", "lease", "--lease-ttl", "2",
                                                   "--step-sleep-ms", "1", "--lock-timeout", "30"});
    EXPECT_EQ(b.exit_code, 0) << b.err;
    kill(a.pid, SIGCONT);
    auto a_result = wait_program(a);
    // A wakes up, finishes its work and is refused at COMMIT: the step ran once.
    EXPECT_EQ(a_result.exit_code, 4) << a_result.err;
    EXPECT_NE(a_result.err.find("expired and was taken over"), std::string::npos) << a_result.err;
    auto db = connect(url);
    EXPECT_EQ(count_rows(db, "audit_log"), 1);
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM strata_version WHERE version = 11")), 1);
}

TEST_F(PostgresqlLocks, LockWaitIsBoundedAndSaysWhoHoldsIt)
{
    const auto url = upgraded_schema();
    TempDir dir;
    auto marker = (dir.path() / "started").string();
    auto holder = spawn_program(STRATA_TEST_WORKER_PATH,
                                {"--url", url, "--step-sleep-ms", "30000", "--marker", marker});
    ASSERT_TRUE(wait_for_file(marker, 20000));
    auto start = std::chrono::steady_clock::now();
    auto waiter = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--step-sleep-ms", "1", "--lock-timeout", "1"});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_EQ(waiter.exit_code, 4) << waiter.err;
    EXPECT_NE(waiter.err.find("another process is migrating"), std::string::npos) << waiter.err;
    kill(holder.pid, SIGKILL);
    wait_program(holder);
}
