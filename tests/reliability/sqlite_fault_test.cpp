// SQLite's real faults during an upgrade: the disk filling up during a rebuild
// and during the snapshot, a file opened read-only, a reader holding a read
// transaction. Each leaves the file intact at its recorded version with a
// clear error, or completes without a reader ever seeing half of it.
#include "crash_chain.hpp"
#include "test_support.hpp"
#include "upgrader_suite.hpp"

#include "strata/compare.hpp"
#include "strata/upgrader.hpp"

#include <filesystem>
#include <fstream>

using namespace strata;
using namespace strata::test;

namespace {

constexpr long long item_count = 3000;

long long recorded_version(const std::string& url)
{
    Upgrader up;
    declare_crash_chain(up, "app", connect(url));
    return up.status("app", false).current;
}

std::string text_of(Database& db, const std::string& sql)
{
    return std::get<std::string>(db.session().scalar(sql));
}

long long number_of(Database& db, const std::string& sql)
{
    return db.session().scalar<std::int64_t>(sql);
}

class SqliteFaults : public ::testing::Test {
protected:
    // The crash chain at version 2 (before its rebuild, step 3), with rows that
    // make the file a few hundred kilobytes.
    std::string file_at_version_two(const std::string& name)
    {
        auto url = dir_.sqlite_url(name);
        Upgrader up;
        declare_crash_chain(up, "app", connect(url));
        (void)up.run(replayed_to(2));
        auto db = connect(url);
        db.session().execute("BEGIN");
        for (long long i = 1; i <= item_count; ++i)
            db.session().execute("INSERT INTO item (name, qty) VALUES (?, ?)",
                                 "item " + std::to_string(i) + std::string(100, 'x'), i);
        db.session().execute("COMMIT");
        return url;
    }

    std::uintmax_t size_of(const std::string& url) { return std::filesystem::file_size(path_of(url)); }
    static std::string path_of(const std::string& url) { return url.substr(std::string("sqlite:").size()); }

    // The file is still a sound version 2 holding every row.
    void expect_intact_at_version_two(const std::string& url)
    {
        auto db = connect(url);
        EXPECT_EQ(text_of(db, "PRAGMA integrity_check"), "ok");
        EXPECT_EQ(recorded_version(url), 2);
        EXPECT_EQ(number_of(db, "SELECT count(*) FROM item"), item_count);
        EXPECT_EQ(number_of(db, "SELECT sum(qty) FROM item"), item_count * (item_count + 1) / 2);
        auto expected_url = dir_.sqlite_url(unique_name("expected") + ".db");
        Upgrader up;
        declare_crash_chain(up, "app", connect(expected_url));
        (void)up.run(replayed_to(2));
        EXPECT_TRUE(compare(connect(expected_url).inspect(), db.inspect()).empty()) << "the schema is not version 2's";
    }

    void expect_next_start_reaches_head(const std::string& url)
    {
        auto rerun = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--chain", "crash"});
        EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
        EXPECT_EQ(recorded_version(url), crash_chain_head);
        auto db = connect(url);
        EXPECT_EQ(number_of(db, "SELECT count(*) FROM item"), item_count);
    }

    TempDir dir_;
};

}  // namespace

TEST_F(SqliteFaults, AFullDiskDuringARebuildRollsBackAndKeepsTheFile)
{
    auto url = file_at_version_two("full.db");
    const auto size = size_of(url);
    // Step 3 rebuilds `item`: a copy of the table that cannot fit, as writes
    // past a size fail (RLIMIT_FSIZE: EFBIG, where a full disk gives ENOSPC).
    auto r = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--chain", "crash", "--target", "3",
                                                   "--file-size-limit", std::to_string(size + 16384)});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("bind 'app'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("step 3"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("size limit is reached"), std::string::npos) << r.err;
    expect_intact_at_version_two(url);
    expect_next_start_reaches_head(url);
}

TEST_F(SqliteFaults, AFullDatabaseDuringARebuildRollsBackAndKeepsTheFile)
{
    auto url = file_at_version_two("pages.db");
    const auto pages = number_of(*std::make_unique<Database>(connect(url)), "PRAGMA page_count");
    // max_page_count: SQLite's own "database or disk is full" a few pages into the copy.
    auto r = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--chain", "crash", "--target", "3", "--max-page-count",
                                                   std::to_string(pages + 4)});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("bind 'app'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("step 3"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("database or disk is full"), std::string::npos) << r.err;
    expect_intact_at_version_two(url);
    expect_next_start_reaches_head(url);
}

TEST_F(SqliteFaults, AFullDiskDuringTheSnapshotStopsBeforeAnyChange)
{
    auto url = file_at_version_two("snap.db");
    const auto size = size_of(url);
    // The snapshot, a copy beside the file, cannot be written past half the file.
    auto r = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--chain", "crash", "--snapshots", "1",
                                                   "--file-size-limit", std::to_string(size / 2)});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("bind 'app'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("size limit is reached"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("backup"), std::string::npos) << r.err;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
        EXPECT_EQ(entry.path().string().find(".bak"), std::string::npos) << "a partial snapshot was left: " << entry.path();
    expect_intact_at_version_two(url);
    expect_next_start_reaches_head(url);
}

TEST_F(SqliteFaults, AReadOnlyFileIsRefusedBeforeAnythingAndStatusWorks)
{
    const auto migrations = dir_.path() / "migrations";
    std::filesystem::create_directories(migrations / "app");
    std::ofstream(migrations / "app" / "0001_t.sql") << "-- up\nCREATE TABLE t (id integer PRIMARY KEY);\n";
    const auto url = dir_.sqlite_url("ro.db");
    ASSERT_EQ(run_cli({"--dir", migrations.string(), "--bind", "app=" + url, "upgrade"}).exit_code, 0);
    std::ofstream(migrations / "app" / "0002_u.sql") << "-- up\nCREATE TABLE u (id integer PRIMARY KEY);\n";
    const auto before = read_file(path_of(url));
    auto refused = run_cli({"--dir", migrations.string(), "--bind", "app=" + url + "?mode=ro", "upgrade"});
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find("bind 'app'"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("open read-only"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("nothing was attempted"), std::string::npos) << refused.err;
    EXPECT_EQ(read_file(path_of(url)), before) << "the file changed";
    auto status = run_cli({"--dir", migrations.string(), "--bind", "app=" + url + "?mode=ro", "status"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    EXPECT_NE(status.out.find("at version 1 of 2"), std::string::npos) << status.out;
}

TEST_F(SqliteFaults, AReaderInWalModeSeesTheOldVersionWholeUntilItsTransactionEnds)
{
    auto url = file_at_version_two("wal.db");
    connect(url).session().execute("PRAGMA journal_mode = WAL");
    auto reader = connect(url);
    reader.session().execute("BEGIN");
    const auto item_sql = text_of(reader, "SELECT sql FROM sqlite_schema WHERE name = 'item'");
    ASSERT_EQ(number_of(reader, "SELECT count(*) FROM item"), item_count);  // the read transaction starts here
    auto r = run_program(STRATA_TEST_WORKER_PATH, {"--url", url, "--chain", "crash", "--lock-timeout", "10"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // Inside its transaction the reader still sees version 2, all of it.
    EXPECT_EQ(text_of(reader, "SELECT sql FROM sqlite_schema WHERE name = 'item'"), item_sql);
    EXPECT_EQ(number_of(reader, "SELECT count(*) FROM sqlite_schema WHERE name = 'tag'"), 0);
    EXPECT_EQ(number_of(reader, "SELECT max(version) FROM strata_version"), 2);
    EXPECT_EQ(number_of(reader, "SELECT count(*) FROM item"), item_count);
    reader.session().execute("COMMIT");
    EXPECT_EQ(number_of(reader, "SELECT max(version) FROM strata_version"), crash_chain_head);
    EXPECT_EQ(number_of(reader, "SELECT count(*) FROM sqlite_schema WHERE name = 'tag'"), 1);
    EXPECT_EQ(text_of(reader, "PRAGMA integrity_check"), "ok");
}

TEST_F(SqliteFaults, AReaderInRollbackModeMakesTheUpgradeTimeOutCleanly)
{
    auto url = file_at_version_two("rollback.db");
    auto reader = connect(url);
    reader.session().execute("BEGIN");
    ASSERT_EQ(number_of(reader, "SELECT count(*) FROM item"), item_count);  // holds a shared lock from here
    auto r = run_program(STRATA_TEST_WORKER_PATH,
                         {"--url", url, "--chain", "crash", "--target", "3", "--lock-timeout", "2"});
    EXPECT_NE(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("bind 'app'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("another connection is reading"), std::string::npos) << r.err;
    EXPECT_EQ(number_of(reader, "SELECT max(version) FROM strata_version"), 2);
    reader.session().execute("COMMIT");
    expect_intact_at_version_two(url);
    expect_next_start_reaches_head(url);
}
