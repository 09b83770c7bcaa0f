// PostgreSQL's real faults during an upgrade: the server restarted or the
// backend terminated in the middle of a step, a host that never answers, a lock
// holder killed. Each fails with an error naming the bind, the version and the
// cause, leaves nothing partial behind, and the next start completes.
#include "history.hpp"
#include "test_support.hpp"

#include "strata/upgrader.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

using namespace strata;
using namespace strata::test;

namespace {

using Clock = std::chrono::steady_clock;

void upgrade_to_ten(const std::string& url)
{
    Upgrader up;
    declare_history(up, "app", connect(url));
    (void)up.run();
}

long long current_version(const std::string& url)
{
    auto db = connect(url);
    return std::get<std::int64_t>(db.session().scalar("SELECT max(version) FROM strata_version"));
}

// The worker's long step 11 (its data code sleeps, then inserts one audit row)
// was cut off: the bind is still at 10 with no trace of 11, and a rerun applies 11 once.
void expect_step_eleven_undone_then_rerun(const std::string& url)
{
    {
        auto db = connect(url);
        EXPECT_EQ(current_version(url), 10);
        EXPECT_EQ(count_rows(db, "audit_log"), 0);
    }
    auto rerun = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--step-sleep-ms", "1", "--lock-timeout", "20"});
    EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
    auto db = connect(url);
    EXPECT_EQ(current_version(url), 11);
    EXPECT_EQ(count_rows(db, "audit_log"), 1);
    EXPECT_EQ(std::get<std::int64_t>(db.session().scalar("SELECT count(*) FROM strata_version WHERE version = 11")), 1);
}

void expect_names_bind_version_and(const std::string& err, const std::string& cause)
{
    EXPECT_NE(err.find("bind 'app'"), std::string::npos) << err;
    EXPECT_NE(err.find("step 11"), std::string::npos) << err;
    EXPECT_NE(err.find(cause), std::string::npos) << err;
}

// A listening socket that never accepts: the kernel completes the TCP handshake,
// and nothing ever answers the startup message.
class SilentHost {
public:
    SilentHost()
    {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 || listen(fd_, 16) != 0 ||
            getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
            throw std::runtime_error("cannot open a listening socket");
        port_ = ntohs(address.sin_port);
    }
    ~SilentHost() { close(fd_); }
    SilentHost(const SilentHost&) = delete;
    SilentHost& operator=(const SilentHost&) = delete;
    [[nodiscard]] int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

}  // namespace

class PostgresqlFaults : public PgTest {};

TEST_F(PostgresqlFaults, AServerRestartMidStepFailsCleanlyAndTheNextStartCompletes)
{
    PgServer server;  // its own, commits crash-safe: a restart must not disturb the other tests
    upgrade_to_ten(server.url());
    TempDir dir;
    auto marker = (dir.path() / "started").string();
    auto worker = spawn_program(STRATA_TEST_WORKER_PATH,
                                {"--url", server.url(), "--step-sleep-ms", "3000", "--marker", marker});
    ASSERT_TRUE(wait_for_file(marker, 20000)) << "the long step never started";
    server.restart_immediately();
    auto result = wait_program(worker);
    EXPECT_EQ(result.exit_code, 1) << result.err;
    expect_names_bind_version_and(result.err, "connection lost");
    expect_step_eleven_undone_then_rerun(server.url());
}

TEST_F(PostgresqlFaults, ATerminatedBackendFailsCleanlyAndTheNextStartCompletes)
{
    PgSchema schema(server_url_);
    upgrade_to_ten(schema.url());
    const auto name = unique_name("victim");
    TempDir dir;
    auto marker = (dir.path() / "started").string();
    auto worker = spawn_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url() + "&application_name=" + name,
                                                          "--step-sleep-ms", "3000", "--marker", marker});
    ASSERT_TRUE(wait_for_file(marker, 20000)) << "the long step never started";
    {
        auto admin = connect(server_url_);
        auto killed = admin.session().query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?", {name});
        ASSERT_EQ(killed.rows.size(), 1U) << "the worker's backend was not found";
    }
    auto result = wait_program(worker);
    EXPECT_EQ(result.exit_code, 1) << result.err;
    expect_names_bind_version_and(result.err, "connection lost");
    expect_step_eleven_undone_then_rerun(schema.url());
}

TEST_F(PostgresqlFaults, AHostThatNeverAnswersTimesOutNamingTheBind)
{
    SilentHost host;
    const auto url = "postgresql://postgres@127.0.0.1:" + std::to_string(host.port()) + "/postgres?connect_timeout=2";
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "app");
    std::ofstream(dir.path() / "app" / "0001_t.sql") << "-- up\nCREATE TABLE t (id integer PRIMARY KEY);\n";
    const auto start = Clock::now();
    auto r = run_cli({"--dir", dir.path().string(), "--bind", "app=" + url, "upgrade"});
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(10)) << "the connect timeout was not honoured";
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("'app'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("timeout"), std::string::npos) << r.err;
}

TEST_F(PostgresqlFaults, AKilledLockHoldersAdvisoryLockIsFreeAtOnce)
{
    PgSchema schema(server_url_);
    upgrade_to_ten(schema.url());
    TempDir dir;
    auto marker = (dir.path() / "started").string();
    auto holder = spawn_program(STRATA_TEST_WORKER_PATH,
                                {"--url", schema.url(), "--step-sleep-ms", "60000", "--marker", marker});
    ASSERT_TRUE(wait_for_file(marker, 20000));
    kill(holder.pid, SIGKILL);
    wait_program(holder);
    const auto start = Clock::now();
    auto next = run_program(STRATA_TEST_WORKER_PATH,
                            {"--url", schema.url(), "--step-sleep-ms", "1", "--lock-timeout", "30"});
    EXPECT_EQ(next.exit_code, 0) << next.err;
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(5)) << "the dead holder's lock outlived it";
    auto db = connect(schema.url());
    EXPECT_EQ(count_rows(db, "audit_log"), 1);
}

TEST_F(PostgresqlFaults, AKilledLeaseHoldersLeaseExpiresWithinItsTtl)
{
    PgSchema schema(server_url_);
    upgrade_to_ten(schema.url());
    TempDir dir;
    auto marker = (dir.path() / "started").string();
    auto holder = spawn_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--lock-mode", "lease", "--lease-ttl",
                                                          "3", "--step-sleep-ms", "60000", "--marker", marker});
    ASSERT_TRUE(wait_for_file(marker, 20000));
    kill(holder.pid, SIGKILL);
    wait_program(holder);
    const auto start = Clock::now();
    auto next = run_program(STRATA_TEST_WORKER_PATH, {"--url", schema.url(), "--lock-mode", "lease", "--lease-ttl", "3",
                                                      "--step-sleep-ms", "1", "--lock-timeout", "30"});
    const auto waited = Clock::now() - start;
    EXPECT_EQ(next.exit_code, 0) << next.err;
    // Not before the lease ran out (less the moments between its last beat and
    // the kill), and within its TTL plus one pause of the waiter.
    EXPECT_GT(waited, std::chrono::seconds(1)) << "the lease was taken over before it expired";
    EXPECT_LT(waited, std::chrono::seconds(3 + 3)) << "the dead holder's lease outlived its TTL";
    auto db = connect(schema.url());
    EXPECT_EQ(count_rows(db, "audit_log"), 1);
}

TEST_F(PostgresqlFaults, AHotStandbyRefusesAnUpgradeAndShowsThePrimarysVersion)
{
    PgServer primary;
    TempDir dir;
    const auto migrations = dir.path().string();
    auto add_step = [&](int n) {
        std::filesystem::create_directories(dir.path() / "app");
        std::ofstream(dir.path() / "app" / ("000" + std::to_string(n) + "_t" + std::to_string(n) + ".sql"))
            << "-- up\nCREATE TABLE t" << n << " (id integer PRIMARY KEY);\n-- down\nDROP TABLE t" << n << ";\n";
    };
    auto strata = [&](const std::string& url, const std::string& command) {
        return run_cli({"--dir", migrations, "--bind", "app=" + url, command});
    };
    add_step(1);
    ASSERT_EQ(strata(primary.url(), "upgrade").exit_code, 0);
    auto standby = primary.standby();
    add_step(2);
    auto upgraded = strata(primary.url(), "upgrade");
    ASSERT_EQ(upgraded.exit_code, 0) << upgraded.err;
    // status works on the standby, and shows version 2 once the standby has replayed it.
    CommandResult status;
    for (int i = 0; i < 100; ++i) {
        status = strata(standby->url(), "status");
        if (status.out.find("at version 2 of 2") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_NE(status.out.find("at version 2 of 2"), std::string::npos) << status.out << status.err;
    // upgrade there attempts nothing: no lock, no statement that writes.
    add_step(3);
    auto refused = run_cli({"--dir", migrations, "--bind", "app=" + standby->url(), "-v", "upgrade"});
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find("bind 'app'"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("read-only standby"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("run the upgrade against the primary"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.err.find("advisory"), std::string::npos) << "it tried the lock:\n" << refused.err;
    EXPECT_EQ(refused.err.find("CREATE TABLE"), std::string::npos) << "it tried the step:\n" << refused.err;
    EXPECT_NE(strata(standby->url(), "status").out.find("at version 2 of 3"), std::string::npos);
    EXPECT_NE(strata(primary.url(), "status").out.find("at version 2 of 3"), std::string::npos);
}

TEST_F(PostgresqlFaults, WaitReturnsOnceTheServerAcceptsConnections)
{
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "app");
    const int port = free_port();
    const auto url = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
    const auto start = Clock::now();
    auto waiting = spawn_program(STRATA_CLI_PATH, {"--dir", dir.path().string(), "--bind", "app=" + url, "wait",
                                                   "--timeout", "60"});
    std::this_thread::sleep_for(std::chrono::seconds(1));
    PgServer server(port);  // comes up a second later
    auto r = wait_program(waiting);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_GT(Clock::now() - start, std::chrono::seconds(1));
    EXPECT_NE(r.err.find("app: accepts connections"), std::string::npos) << r.err;
    // A host that never answers: exit 1 once the wait is over, with the cause.
    SilentHost host;
    const auto silent = "postgresql://postgres@127.0.0.1:" + std::to_string(host.port()) + "/postgres?connect_timeout=1";
    const auto given_up = Clock::now();
    r = run_cli({"--dir", dir.path().string(), "--bind", "app=" + silent, "wait", "--timeout", "2"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_LT(Clock::now() - given_up, std::chrono::seconds(8));
    EXPECT_NE(r.err.find("timeout"), std::string::npos) << r.err;
}

TEST_F(PostgresqlFaults, ASqlFileConcurrentIndexInterruptedAfterItsBuildResumes)
{
    PgSchema schema(server_url_);
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "app");
    auto write = [&](const std::string& name, const std::string& text) { std::ofstream(dir.path() / "app" / name) << text; };
    auto strata = [&](const std::string& command) {
        return run_cli({"--dir", dir.path().string(), "--bind", "app=" + schema.url(), "-v", command});
    };
    write("0001_t.sql", "-- up\nCREATE TABLE t (id integer PRIMARY KEY, v integer, w integer);\n"
                        "INSERT INTO t VALUES (1, 1, 1), (2, 1, 2);\n");
    ASSERT_EQ(strata("upgrade").exit_code, 0);
    auto db = connect(schema.url());
    // A run killed after the build of step 2's index, before its version row:
    // the index is there and valid, the step unrecorded.
    db.session().execute("CREATE INDEX ix_t_w ON t (w)");
    write("0002_w.sql", "-- strata: no-transaction\n-- up\nCREATE INDEX CONCURRENTLY ix_t_w ON t (w);\n");
    auto r = strata("upgrade");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("recorded (already built)"), std::string::npos) << r.err;
    // A run killed in the middle of the build of step 3's unique index leaves
    // it INVALID (here: a failed build on duplicates, which are then fixed).
    EXPECT_ANY_THROW(db.session().execute("CREATE UNIQUE INDEX CONCURRENTLY \"Ix V\" ON t (v)"));
    EXPECT_EQ(db.session().scalar<std::int64_t>(
                  "SELECT count(*) FROM pg_index WHERE NOT indisvalid AND indexrelid::regclass::text LIKE '%Ix V%'"),
              1);
    db.session().execute("UPDATE t SET v = 2 WHERE id = 2");
    write("0003_v.sql", "-- strata: no-transaction\n-- up\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Ix V\" ON t (v);\n");
    r = strata("upgrade");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("left INVALID"), std::string::npos) << r.err;
    EXPECT_EQ(db.session().scalar<std::int64_t>(
                  "SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid::regclass::text LIKE '%Ix V%'"),
              1);
    EXPECT_EQ(db.session().scalar<std::int64_t>("SELECT max(version) FROM strata_version"), 3);
}
