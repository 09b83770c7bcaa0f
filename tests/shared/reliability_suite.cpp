// Concurrency and crashes: sixteen processes at once, SIGKILL in the middle of
// a step and of a fresh setup. Run on each engine (label `reliability`).
#include "crash_chain.hpp"
#include "upgrader_suite.hpp"

#include "strata/compare.hpp"

#include <csignal>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace strata::test {

TEST_P(ReliabilitySuite, SixteenProcessesApplyEveryStepExactlyOnce)
{
    auto url = new_url();
    run_history(url, replayed_to(1));
    std::vector<Child> children;
    for (int i = 0; i < 16; ++i)
        children.push_back(spawn_program(STRATA_TEST_WORKER_PATH, worker_args(url)));
    int upgraded = 0;
    for (auto& c : children) {
        auto r = wait_program(c);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        upgraded += r.out.find("ok upgraded 10") != std::string::npos ? 1 : 0;
    }
    EXPECT_GE(upgraded, 1);
    auto applied = kinds_per_version(url, StepKind::applied);
    for (long long v = 2; v <= 10; ++v)
        EXPECT_EQ(applied[v], 1) << "version " << v;
    auto db = connect(url);
    EXPECT_EQ(count_rows(db, "setting"), 2);  // the data step ran once
    EXPECT_EQ(count_rows(db, "strata_version"), 10);
}

TEST_P(ReliabilitySuite, SixteenProcessesSetUpAnEmptyBindOnce)
{
    auto url = new_url();
    std::vector<Child> children;
    for (int i = 0; i < 16; ++i)
        children.push_back(spawn_program(STRATA_TEST_WORKER_PATH, worker_args(url)));
    for (auto& c : children) {
        auto r = wait_program(c);
        EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    EXPECT_EQ(kinds_per_version(url, StepKind::fresh)[10], 1);
    auto db = connect(url);
    EXPECT_EQ(count_rows(db, "setting"), 2);
}

TEST_P(ReliabilitySuite, ProcessKilledMidStepLeavesNothingBehind)
{
    auto url = new_url();
    run_history(url);
    auto marker = (dir_.path() / "started").string();
    auto child = spawn_program(STRATA_TEST_WORKER_PATH,
                               worker_args(url, {"--step-sleep-ms", "60000", "--marker", marker}));
    ASSERT_TRUE(wait_for_file(marker, 20000)) << "the long step never started";
    kill(child.pid, SIGKILL);
    EXPECT_EQ(wait_program(child).exit_code, 128 + SIGKILL);
    // The next start completes the step at once: no lock or half-applied step is left.
    auto start = std::chrono::steady_clock::now();
    auto report = run_history(url, [] {
        auto o = quiet();
        o.lock_timeout = std::chrono::seconds(20);
        return o;
    }(), HistoryOptions{.step_sleep_ms = 1});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
    EXPECT_EQ(report.from, 10);
    EXPECT_EQ(report.to, 11);
    auto db = connect(url);
    EXPECT_EQ(count_rows(db, "audit_log"), 1);
    EXPECT_EQ(kinds_per_version(url, StepKind::applied)[11], 1);
}

TEST_P(ReliabilitySuite, CrashInsideFreshSetupLeavesAnEmptyBind)
{
    auto url = new_url();
    auto marker = (dir_.path() / "fresh-started").string();
    auto child = spawn_program(STRATA_TEST_WORKER_PATH,
                               worker_args(url, {"--fresh-sleep-ms", "60000", "--marker", marker}));
    ASSERT_TRUE(wait_for_file(marker, 20000)) << "the fresh setup never reached its seed step";
    kill(child.pid, SIGKILL);
    wait_program(child);
    {
        auto db = connect(url);
        EXPECT_TRUE(db.inspect().tables.empty());
        EXPECT_FALSE(db.dialect().table_exists(db.session(), "strata_version"));
    }
    auto report = run_history(url);
    EXPECT_EQ(report.action, BindAction::fresh);
    auto db = connect(url);
    EXPECT_EQ(count_rows(db, "setting"), 2);
}

namespace {

long long recorded_version(const std::string& url)
{
    Upgrader up;
    declare_crash_chain(up, "app", connect(url));
    return up.status("app", false).current;
}

long long scalar_of(const std::string& url, const std::string& sql)
{
    auto db = connect(url);
    return db.session().scalar<std::int64_t>(sql);
}

}  // namespace

// Kills a worker running the crash chain after its K-th statement, for every K
// from 1 until a run gets to the end, on an empty bind (a fresh setup) or on one
// at version 1 holding rows (an upgrade: a snapshot on SQLite, schema steps, a
// data step, a rebuild on SQLite, a CONCURRENTLY index outside a transaction).
// After each kill: the schema is the recorded version's (that version built on a
// scratch database and compared), the rows are all there, the data step's effect
// is there once or not at all; and the next start reaches the head.
void ReliabilitySuite::crash_after_every_statement(bool fresh, int& points)
{
    crash_trials(fresh, points, [](long long k) {
        return std::optional<KillTrial>(KillTrial{{"--failpoint", "statement:" + std::to_string(k)}, std::nullopt});
    });
}

// One worker per trial on a freshly prepared bind, killed as the trial says
// (after a statement, or after a delay); the checks of the recorded version
// after each kill and after the next start. Trials end when `next` gives none,
// or when a statement failpoint lies past the run's last statement.
void ReliabilitySuite::crash_trials(bool fresh, int& points,
                                    const std::function<std::optional<KillTrial>(long long)>& next)
{
    const long long rows = fresh ? 0 : 20;
    auto prepare = [&] {
        auto url = new_url();
        if (!fresh) {
            Upgrader up;
            declare_crash_chain(up, "app", connect(url));
            (void)up.run(replayed_to(1));
            auto db = connect(url);
            for (long long i = 1; i <= rows; ++i)
                db.session().execute("INSERT INTO item (name, qty) VALUES (?, ?)", "item " + std::to_string(i), i);
        }
        return url;
    };
    // What a database that recorded `version` must look like, built the same way.
    auto expected_schema = [&](long long version, bool set_up_fresh) {
        auto url = new_url();
        if (version > 0) {
            Upgrader up;
            declare_crash_chain(up, "app", connect(url));
            auto o = quiet();
            o.target = version;
            o.replay = !set_up_fresh;
            (void)up.run(o);
        }
        return connect(url).inspect();
    };
    auto check = [&](const std::string& url, const std::string& when) {
        const long long version = recorded_version(url);
        const bool set_up_fresh = !kinds_per_version(url, StepKind::fresh).empty();
        auto differences = compare(expected_schema(version, set_up_fresh), connect(url).inspect());
        // CREATE INDEX CONCURRENTLY cannot share a transaction with its version
        // row: killed between the two, the index is built and unrecorded, and the
        // next start records it without building it again (SQLite builds it in
        // the step's transaction: no such window).
        if (!differences.empty() && !sqlite() && version + 1 == crash_chain_no_transaction_step)
            differences = compare(expected_schema(version + 1, false), connect(url).inspect());
        std::string listed;
        for (const auto& d : differences)
            listed += "\n  " + to_text(d, "expected", "database");
        EXPECT_TRUE(differences.empty()) << when << ": the schema is not version " << version << "'s:" << listed;
        if (version >= 1) {
            EXPECT_EQ(scalar_of(url, "SELECT count(*) FROM item"), rows) << when;
        }
        if (version >= 1 && rows > 0) {
            EXPECT_EQ(scalar_of(url, "SELECT sum(qty) FROM item"), rows * (rows + 1) / 2) << when;
        }
        if (version >= 1) {
            EXPECT_EQ(scalar_of(url, "SELECT count(*) FROM event WHERE what = 'step 4'"), version >= 4 ? 1 : 0) << when;
        }
        return version;
    };
    for (long long k = 1;; ++k) {
        auto trial = next(k);
        if (!trial)
            break;
        const std::string when = std::string(fresh ? "fresh setup" : "upgrade") + ", trial " + std::to_string(k) +
                                 " killed " +
                                 (trial->after ? "after " + std::to_string(trial->after->count()) + " us"
                                               : "by " + trial->args.back());
        auto url = prepare();
        std::vector<std::string> args{"--chain", "crash"};
        args.insert(args.end(), trial->args.begin(), trial->args.end());
        if (!fresh && sqlite())
            args.insert(args.end(), {"--snapshots", "1"});
        auto child = spawn_program(STRATA_TEST_WORKER_PATH, worker_args(url, args));
        if (trial->after) {
            std::this_thread::sleep_for(*trial->after);
            kill(child.pid, SIGKILL);
        }
        auto killed = wait_program(child);
        if (killed.exit_code == 0) {
            EXPECT_EQ(recorded_version(url), crash_chain_head) << when;
            if (trial->after)
                continue;  // the kill came after the end
            break;  // K is past the last statement: the run got to the end
        }
        ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << when << ": " << killed.err;
        ++points;
        check(url, when);
        auto rerun_child = spawn_program(STRATA_TEST_WORKER_PATH, worker_args(url, {"--chain", "crash"}));
        auto rerun = wait_program(rerun_child);
        ASSERT_EQ(rerun.exit_code, 0) << when << ", then started again: " << rerun.err;
        EXPECT_EQ(check(url, when + ", then started again"), crash_chain_head);
        if (HasFailure())
            return;
    }
}

TEST_P(ReliabilitySuite, ACrashAfterAnyStatementOfAFreshSetupLosesNothing)
{
    int points = 0;
    crash_after_every_statement(true, points);
    std::cout << "killed after each of " << points << " statements of a fresh setup\n";
    EXPECT_GE(points, 15);
}

TEST_P(ReliabilitySuite, ACrashAfterAnyStatementOfAnUpgradeLosesNothing)
{
    int points = 0;
    crash_after_every_statement(false, points);
    std::cout << "killed after each of " << points << " statements of an upgrade\n";
    EXPECT_GE(points, 30);
}

// Kills at random moments (inside statements, between them, while the
// process starts or connects): a delay drawn uniformly from the time one whole
// run takes. The seed is printed; STRATA_SEED repeats it; STRATA_LONG=1 runs
// 60 trials of each kind instead of 12.
TEST_P(ReliabilitySuite, AKillAtARandomMomentLosesNothing)
{
    const bool long_run = std::getenv("STRATA_LONG") && std::string(std::getenv("STRATA_LONG")) == "1";
    const long long trials = long_run ? 60 : 12;
    const char* fixed = std::getenv("STRATA_SEED");
    const auto seed = fixed ? std::stoull(fixed) : std::random_device{}();
    std::cout << "random kill moments: STRATA_SEED=" << seed << "\n";
    SCOPED_TRACE("STRATA_SEED=" + std::to_string(seed));
    std::mt19937_64 random(seed);
    for (const bool fresh : {true, false}) {
        // How long a whole run takes, from the spawn: the kills fall inside it.
        const auto url = new_url();
        const auto start = std::chrono::steady_clock::now();
        auto child = spawn_program(STRATA_TEST_WORKER_PATH, worker_args(url, {"--chain", "crash"}));
        ASSERT_EQ(wait_program(child).exit_code, 0);
        const auto whole = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
        int points = 0;
        crash_trials(fresh, points, [&](long long k) {
            if (k > trials)
                return std::optional<KillTrial>();
            std::uniform_int_distribution<long long> moment(0, whole.count());
            return std::optional<KillTrial>(KillTrial{{}, std::chrono::microseconds(moment(random))});
        });
        std::cout << (fresh ? "fresh setup" : "upgrade") << ": " << points << " of " << trials
                  << " random kills landed inside a run of " << whole.count() << " us\n";
        if (HasFailure())
            return;
    }
}

// The real `strata` binary on SQL-file migrations (a table with rows, a column,
// a data step, an index built outside a transaction on PostgreSQL, a table),
// killed at random moments: the recorded version's objects are all there and
// no later one is, the data step's row is there once or not at all, and the
// next `strata upgrade` reaches the head.
TEST_P(ReliabilitySuite, AKilledStrataBinaryOnSqlFilesLosesNothing)
{
    const char* fixed = std::getenv("STRATA_SEED");
    const auto seed = fixed ? std::stoull(fixed) : std::random_device{}();
    std::cout << "random kill moments of strata upgrade: STRATA_SEED=" << seed << "\n";
    SCOPED_TRACE("STRATA_SEED=" + std::to_string(seed));
    std::mt19937_64 random(seed);
    const auto migrations = dir_.path() / "sql-chain";
    std::filesystem::create_directories(migrations / "app");
    auto write = [&](const std::string& name, const std::string& text) { std::ofstream(migrations / "app" / name) << text; };
    std::string rows;
    for (int i = 1; i <= 20; ++i)
        rows += "INSERT INTO item (id, name) VALUES (" + std::to_string(i) + ", 'item " + std::to_string(i) + "');\n";
    write("0001_items.sql", "-- up\nCREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
                            "CREATE TABLE event (id INTEGER PRIMARY KEY, what TEXT);\n" + rows);
    write("0002_note.sql", "-- up\nALTER TABLE item ADD COLUMN note TEXT;\n");
    write("0003_event.sql", "-- up\nINSERT INTO event (id, what) VALUES (1, 'step 3');\n");
    write("0004_index.sql", sqlite() ? "-- up\nCREATE INDEX ix_item_name ON item (name);\n"
                                     : "-- strata: no-transaction\n-- up\nCREATE INDEX CONCURRENTLY ix_item_name ON item (name);\n");
    write("0005_tag.sql", "-- up\nCREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT UNIQUE);\n");
    auto upgrade_args = [&](const std::string& url) {
        return std::vector<std::string>{"--dir", migrations.string(), "--bind", "app=" + url, "-q", "upgrade"};
    };
    auto check = [&](const std::string& url, const std::string& when) -> std::int64_t {
        auto db = connect(url);
        auto& s = db.session();
        const auto& d = db.dialect();
        if (!d.table_exists(s, "strata_version")) {
            EXPECT_FALSE(d.table_exists(s, "item")) << when;
            return 0;
        }
        const auto v = s.scalar<std::int64_t>("SELECT coalesce(max(version), 0) FROM strata_version");
        EXPECT_EQ(d.table_exists(s, "item"), v >= 1) << when;
        if (v >= 1) {
            EXPECT_EQ(s.scalar<std::int64_t>("SELECT count(*) FROM item"), 20) << when;
        }
        const auto live = db.inspect();
        const auto* item = live.find_table("item");
        EXPECT_EQ(item && item->find_column("note"), v >= 2) << when << " at version " << v;
        if (v >= 1) {
            EXPECT_EQ(s.scalar<std::int64_t>("SELECT count(*) FROM event"), v >= 3 ? 1 : 0) << when;
        }
        bool indexed = false;
        if (item)
            for (const auto& ix : item->indexes)
                indexed = indexed || ix.name == "ix_item_name";
        // The one window: CONCURRENTLY built, the kill before its version row.
        if (!(indexed && v == 3 && !sqlite())) {
            EXPECT_EQ(indexed, v >= 4) << when << " at version " << v;
        }
        EXPECT_EQ(d.table_exists(s, "tag"), v >= 5) << when;
        return v;
    };
    // How long a whole run takes, from the spawn: the kills fall inside it.
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(run_cli(upgrade_args(new_url())).exit_code, 0);
    const auto whole = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    std::uniform_int_distribution<long long> moment(0, whole.count());
    int landed = 0;
    const int trials = std::getenv("STRATA_LONG") && std::string(std::getenv("STRATA_LONG")) == "1" ? 60 : 12;
    for (int trial = 1; trial <= trials; ++trial) {
        const auto url = new_url();
        const auto after = std::chrono::microseconds(moment(random));
        const auto when = "trial " + std::to_string(trial) + " killed after " + std::to_string(after.count()) + " us";
        auto child = spawn_program(STRATA_CLI_PATH, upgrade_args(url));
        std::this_thread::sleep_for(after);
        kill(child.pid, SIGKILL);
        if (wait_program(child).exit_code == 128 + SIGKILL)
            ++landed;
        check(url, when);
        auto rerun = run_cli(upgrade_args(url));
        ASSERT_EQ(rerun.exit_code, 0) << when << ", then started again: " << rerun.err;
        EXPECT_EQ(check(url, when + ", then started again"), 5);
        if (HasFailure())
            return;
    }
    std::cout << landed << " of " << trials << " kills landed inside a run of " << whole.count() << " us\n";
    EXPECT_GT(landed, 0);
}

// Sixteen processes connect, then wait on one pipe; closing it releases them
// together onto a bind at version 1 that holds rows. The chain has a data step,
// a no-transaction step and (on SQLite) a rebuild. Every process exits 0 at
// head, each step is applied once, the data step's effect is there once, and in
// every trial some process started while another was applying steps (they overlapped).
TEST_P(ReliabilitySuite, SixteenProcessesReleasedTogetherApplyEveryStepOnce)
{
    const bool long_run = std::getenv("STRATA_LONG") && std::string(std::getenv("STRATA_LONG")) == "1";
    const int trials = long_run ? 20 : 5;
    const int processes = 16;
    int overlapping_trials = 0;
    for (int trial = 1; trial <= trials; ++trial) {
        SCOPED_TRACE("trial " + std::to_string(trial));
        auto url = new_url();
        {
            Upgrader up;
            declare_crash_chain(up, "app", connect(url));
            (void)up.run(replayed_to(1));
            auto db = connect(url);
            for (int i = 1; i <= 20; ++i)
                db.session().execute("INSERT INTO item (name, qty) VALUES (?, ?)", "item " + std::to_string(i), i);
        }
        int pipe_ends[2];
        ASSERT_EQ(pipe(pipe_ends), 0);
        std::vector<Child> children;
        std::vector<std::string> ready;
        for (int i = 0; i < processes; ++i) {
            ready.push_back((dir_.path() / ("ready-" + std::to_string(trial) + "-" + std::to_string(i))).string());
            children.push_back(spawn_program(STRATA_TEST_WORKER_PATH,
                                             worker_args(url, {"--chain", "crash", "--barrier", std::to_string(pipe_ends[0]),
                                                               std::to_string(pipe_ends[1]), "--ready", ready.back()})));
        }
        close(pipe_ends[0]);
        for (const auto& file : ready)
            EXPECT_TRUE(wait_for_file(file, 30000)) << file << " never connected";
        close(pipe_ends[1]);  // the release
        struct Run {
            long long start = 0, end = 0;
            bool upgraded = false;
        };
        std::vector<Run> runs;
        for (auto& c : children) {
            auto r = wait_program(c);
            EXPECT_EQ(r.exit_code, 0) << r.err;
            EXPECT_NE(r.out.find("ok "), std::string::npos) << r.out;
            EXPECT_NE(r.out.find(" " + std::to_string(crash_chain_head) + "\n"), std::string::npos) << r.out;
            Run run;
            run.upgraded = r.out.find("ok upgraded") != std::string::npos;
            if (auto at = r.out.find("ran "); at != std::string::npos)
                std::istringstream(r.out.substr(at + 4)) >> run.start >> run.end;
            runs.push_back(run);
        }
        auto applied = kinds_per_version(url, StepKind::applied);
        for (long long v = 2; v <= crash_chain_head; ++v)
            EXPECT_EQ(applied[v], 1) << "version " << v;
        EXPECT_EQ(scalar_of(url, "SELECT count(*) FROM event WHERE what = 'step 4'"), 1);
        EXPECT_EQ(scalar_of(url, "SELECT count(*) FROM item"), 20);
        EXPECT_EQ(scalar_of(url, "SELECT sum(qty) FROM item"), 210);
        bool overlapped = false;
        for (std::size_t u = 0; u < runs.size(); ++u)
            for (std::size_t j = 0; j < runs.size(); ++j)
                overlapped = overlapped || (runs[u].upgraded && u != j && runs[j].start < runs[u].end && runs[u].start < runs[j].end);
        EXPECT_TRUE(overlapped) << "no process started while another applied steps: the test proves nothing";
        overlapping_trials += overlapped ? 1 : 0;
    }
    std::cout << processes << " processes released together, " << trials << " trials, " << overlapping_trials
              << " of them overlapping\n";
}

}  // namespace strata::test
