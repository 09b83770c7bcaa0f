// Concurrency and crashes: sixteen processes at once, SIGKILL in the middle of
// a step and of a fresh setup. Run on each engine (label `reliability`).
#include "upgrader_suite.hpp"

#include <csignal>

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

}  // namespace strata::test
