// Shared test helpers: temporary SQLite files, per-test PostgreSQL schemas, the CLI.
#pragma once

#include "strata/database.hpp"
#include "strata/scratch.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata::test {

// A directory removed at the end of the test.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::string sqlite_url(const std::string& file) const;

private:
    std::filesystem::path path_;
};

// Base of every PostgreSQL test: SetUp reads the test server's URL
// (STRATA_TEST_PG_URL). When it is unset or unreachable the test is skipped, or
// fails under STRATA_REQUIRE_PG=1 (CI): a PostgreSQL test that silently skips
// in CI is a defect.
class PgTest : public ::testing::Test {
protected:
    void SetUp() override;
    std::string server_url_;
};

// The reason the test server cannot be used, or nothing when it can.
std::optional<std::string> pg_unavailable();
// STRATA_REQUIRE_PG=1: an unusable test server fails the PostgreSQL tests.
bool pg_required();

// In a SetUp: skips the test when the test server cannot be used, or fails it
// under STRATA_REQUIRE_PG=1 (gtest's FAIL and SKIP return from the caller).
#define STRATA_TEST_NEEDS_PG()                                                                      \
    if (auto strata_why_ = ::strata::test::pg_unavailable()) {                                      \
        if (::strata::test::pg_required())                                                          \
            FAIL() << *strata_why_ << " (STRATA_REQUIRE_PG=1: the PostgreSQL tests must run)";     \
        GTEST_SKIP() << *strata_why_;                                                               \
    }

// A test of one backend's behaviour in a build without that backend
// (scripts/backends.sh builds each backend alone) is skipped; every build that
// has the backend runs it.
#define STRATA_TEST_NEEDS_BACKEND(name)                                              \
    if (!::strata::find_dialect(name))                                               \
        GTEST_SKIP() << "this strata is built without the " << (name) << " backend"

// A schema of its own on the test server, dropped at the end of the test.
class PgSchema {
public:
    explicit PgSchema(const std::string& server_url);
    ~PgSchema();
    PgSchema(const PgSchema&) = delete;
    PgSchema& operator=(const PgSchema&) = delete;
    [[nodiscard]] const std::string& name() const { return name_; }
    // The server URL with ?schema=<name>.
    [[nodiscard]] const std::string& url() const { return url_; }

private:
    std::string server_url_;
    std::string name_;
    std::string url_;
};

// A PostgreSQL server of the test's own (scripts/pg.sh with a private state
// directory), for faults that would disturb the shared test server: restarts,
// standbys. Stopped and deleted at the end of the test.
class PgServer {
public:
    explicit PgServer(int port = 0);  // a new primary (on `port`, or a free one)
    ~PgServer();
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;
    // A hot standby streaming from this server (pg_basebackup -R).
    [[nodiscard]] std::unique_ptr<PgServer> standby() const;
    [[nodiscard]] const std::string& url() const { return url_; }
    [[nodiscard]] int port() const;
    // pg_ctl restart -m immediate: the server crashes and recovers.
    void restart_immediately() const;

private:
    struct Standby {};
    PgServer(Standby, int primary_port);
    std::string pg_sh(const std::vector<std::string>& args, int port = 0) const;
    std::filesystem::path state_;
    std::string url_;
};

// A TCP port on 127.0.0.1 that nothing listens on (for a moment).
int free_port();

// pgbouncer (Debian's package) in front of the test server, on a free port,
// in `pool_mode` (session or transaction); stopped at the end of the test.
class Pgbouncer {
public:
    Pgbouncer(const std::string& server_url, const std::string& pool_mode);
    ~Pgbouncer();
    Pgbouncer(const Pgbouncer&) = delete;
    Pgbouncer& operator=(const Pgbouncer&) = delete;
    // The URL (of the test server) with pgbouncer's port in place of the server's.
    [[nodiscard]] std::string through(const std::string& url) const;

private:
    std::filesystem::path dir_;
    int server_port_ = 0;
    int port_ = 0;
    int pid_ = -1;
};

std::string unique_name(const std::string& prefix);
std::string read_file(const std::filesystem::path& path);
std::filesystem::path data_file(const std::string& name);

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs the strata binary with the arguments (no shell), capturing output.
CommandResult run_cli(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
// A PostgreSQL client program (psql, pg_dump) of the newest installed release.
std::string pg_program(const std::string& name);
// Runs any program with the arguments (no shell), capturing output.
CommandResult run_program(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {});

}  // namespace strata::test

#include "strata/compare.hpp"

namespace strata::test {

// Creates the model in the database (one transaction), reads it back and
// compares it with the model as the dialect stores it. Empty = round trip holds.
std::vector<Difference> create_and_compare(Database& db, const Schema& model);
// Runs the SQL text (several statements) in the database.
void execute_script(Database& db, const std::string& sql);
// Differences as lines, for failure messages.
std::string lines(const std::vector<Difference>& differences);

// The corpus of schemas other people wrote (tests/data/schemas/<engine>/*.sql).
std::vector<std::string> corpus_names(const std::string& engine);
// One edit of <name>.edits.sql: "-- expect: TEXT" starts it, the SQL lines up
// to the next one are its statements.
struct CorpusEdit {
    std::string expect;  // a text `check` must show once the edit is made
    std::string sql;
};
std::vector<CorpusEdit> corpus_edits(const std::string& engine, const std::string& name);
// Makes each edit with `apply` and runs `strata check`: each must make it exit 3
// naming the edit's text, which it did not name before the edit.
void expect_check_names_each_edit(const std::vector<CorpusEdit>& edits,
                                  const std::function<CommandResult(std::vector<std::string>)>& strata,
                                  const std::function<CommandResult(const std::string& sql)>& apply);

}  // namespace strata::test

#include <sys/types.h>

namespace strata::test {

// A program started in the background (output to files), for tests that run
// several at once or kill one.
struct Child {
    pid_t pid = -1;
    std::string out_file;
    std::string err_file;
};
Child spawn_program(const std::string& program, const std::vector<std::string>& args);
// Waits for it; its exit code (128 + signal when killed), output read back.
CommandResult wait_program(Child& child);
// Waits until the file exists (a child's "I have started" marker), up to `timeout_ms`.
bool wait_for_file(const std::string& path, int timeout_ms);

}  // namespace strata::test
