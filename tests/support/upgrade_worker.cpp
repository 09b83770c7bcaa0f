// strata-test-worker: one process running the upgrader with the test history
// (or the crash chain), for the tests that start many at once or kill one
// mid-step. `--failpoint statement:K` (or STRATA_FAILPOINT=statement:K) makes it
// SIGKILL itself once K statements have gone to the database. `--barrier R W`
// (two inherited pipe ends): once connected it writes `--ready FILE`, closes W
// and waits for the end of R, so many workers start their runs together.
// `--file-size-limit BYTES` (RLIMIT_FSIZE) makes a write past that size fail
// as on a full disk; `--max-page-count N` is SQLite's own limit of the file.
#include "crash_chain.hpp"
#include "history.hpp"

#include "strata/errors.hpp"

#include <csignal>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sys/resource.h>
#include <unistd.h>
#include <iostream>
#include <optional>
#include <string>

namespace {

// "statement:K" -> K; anything else is a mistake of the test.
long long statements_before_kill(const std::string& failpoint)
{
    const std::string prefix = "statement:";
    if (failpoint.rfind(prefix, 0) != 0)
        throw std::invalid_argument("unknown failpoint '" + failpoint + "' (statement:K)");
    return std::stoll(failpoint.substr(prefix.size()));
}

// CLOCK_MONOTONIC is one clock for every process of the machine: the test
// compares the workers' times to show that their runs overlapped.
long long monotonic_ns()
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec;
}

void wait_for_release(int read_end, int write_end, const std::string& ready_file)
{
    close(write_end);
    if (!ready_file.empty())
        std::ofstream(ready_file) << "ready\n";
    char byte;
    while (read(read_end, &byte, 1) > 0) {
    }
    close(read_end);
}

// 1: a table of 1,000 counters at 0; 2: a backfill that adds 1 to each, in
// batches of 100 (a row counted twice or never shows a batch run twice or
// lost); 3: an index after it.
void declare_backfill_chain(strata::Upgrader& up, const std::string& bind, strata::Database db)
{
    up.bind(bind, std::move(db), strata::Schema{})
        .without_models()
        .step(1, "counters",
              [](strata::Ops& o) {
                  o.execute("CREATE TABLE counters (id bigint PRIMARY KEY, hits integer NOT NULL DEFAULT 0)");
                  o.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) "
                            "INSERT INTO counters (id) SELECT i FROM n");
              })
        .step(2, "count once", [](strata::Ops& o) { o.backfill("counters", "id", "hits = hits + 1", "", 100); })
        .step(3, "hits index", [](strata::Ops& o) { o.execute("CREATE INDEX counters_hits ON counters (hits)"); });
}

// 1: 200 people with an email each, and a log of runs; 2: the lock-safe SET NOT
// NULL and UNIQUE, in six phases, with an insert into the log in three of them
// (a phase run twice or never shows there; on SQLite: one transaction).
void declare_phases_chain(strata::Upgrader& up, const std::string& bind, strata::Database db)
{
    using namespace strata;
    up.bind(bind, std::move(db), Schema{})
        .without_models()
        .step(1, "people",
              [](Ops& o) {
                  o.create_table(table("people").column(col::bigint("id")).column(col::text("email").nullable())
                                     .primary_key({"id"}));
                  o.create_table(table("runs").column(col::integer("phase")));
                  o.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) "
                            "INSERT INTO people (id, email) SELECT i, 'p' || i || '@example.com' FROM n");
              })
        .step(2, "email required and unique", [](Ops& o) {
            o.execute("INSERT INTO runs VALUES (1)", "DELETE FROM runs WHERE phase = 1");
            o.set_not_null("people", col::text("email").nullable());
            o.next_phase();
            o.execute("INSERT INTO runs VALUES (2)", "DELETE FROM runs WHERE phase = 2");
            o.next_phase();
            o.add_unique_concurrently("people", UniqueConstraint{"people_email_uq", {"email"}});
            o.execute("INSERT INTO runs VALUES (3)", "DELETE FROM runs WHERE phase = 3");
        });
}

}  // namespace

int main(int argc, char** argv)
{
    std::string url;
    std::string chain = "history";
    int barrier_read = -1;
    int barrier_write = -1;
    std::string ready_file;
    std::string failpoint = std::getenv("STRATA_FAILPOINT") ? std::getenv("STRATA_FAILPOINT") : "";
    std::string bind = "app";
    long long max_page_count = 0;
    std::optional<long long> downgrade_to;
    strata::test::HistoryOptions history;
    strata::RunOptions options;
    options.snapshots = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        std::string value = argv[i + 1];
        if (key == "--url")
            url = value;
        else if (key == "--bind")
            bind = value;
        else if (key == "--steps")
            history.steps = std::stoll(value);
        else if (key == "--step-sleep-ms")
            history.step_sleep_ms = std::stoi(value);
        else if (key == "--fresh-sleep-ms")
            history.fresh_sleep_ms = std::stoi(value);
        else if (key == "--marker")
            history.marker_file = value;
        else if (key == "--lock-mode")
            options.lock_mode = value == "lease" ? strata::LockMode::lease : strata::LockMode::automatic;
        else if (key == "--lease-ttl")
            options.lease_ttl = std::chrono::seconds(std::stoi(value));
        else if (key == "--lock-timeout")
            options.lock_timeout = std::chrono::seconds(std::stoi(value));
        else if (key == "--target")
            options.target = std::stoll(value);
        else if (key == "--downgrade")
            downgrade_to = std::stoll(value);
        else if (key == "--atomic")
            options.atomic = value == "1";
        else if (key == "--barrier" && i + 2 < argc) {
            barrier_read = std::stoi(value);
            barrier_write = std::stoi(argv[i + 2]);
            ++i;
        } else if (key == "--ready")
            ready_file = value;
        else if (key == "--chain")
            chain = value;
        else if (key == "--failpoint")
            failpoint = value;
        else if (key == "--snapshots")
            options.snapshots = std::stoi(value);
        else if (key == "--max-page-count")
            max_page_count = std::stoll(value);
        else if (key == "--file-size-limit") {
            // The write fails with EFBIG (SQLite: "database or disk is full")
            // instead of the signal ending the process.
            std::signal(SIGXFSZ, SIG_IGN);
            const rlimit limit{std::stoull(value), std::stoull(value)};
            setrlimit(RLIMIT_FSIZE, &limit);
        } else if (key == "--replay")
            options.replay = value == "1";
        else {
            std::cerr << "unknown option " << key << "\n";
            return 2;
        }
    }
    try {
        strata::Upgrader upgrader;
        if (chain == "crash")
            strata::test::declare_crash_chain(upgrader, bind, strata::connect(url));
        else if (chain == "backfill")
            declare_backfill_chain(upgrader, bind, strata::connect(url));
        else if (chain == "phases")
            declare_phases_chain(upgrader, bind, strata::connect(url));
        else
            strata::test::declare_history(upgrader, bind, strata::connect(url), history);
        if (max_page_count > 0)
            upgrader.database(bind).session().execute("PRAGMA max_page_count = " + std::to_string(max_page_count));
        if (!failpoint.empty()) {
            // Called before each statement is sent: the K+1-th never leaves, so
            // the process dies right after its K-th.
            const long long k = statements_before_kill(failpoint);
            upgrader.database(bind).session().set_statement_observer([k, sent = 0LL](std::string_view) mutable {
                if (++sent > k)
                    std::raise(SIGKILL);
            });
        }
        if (barrier_read >= 0) {
            (void)upgrader.database(bind).session();  // connected before the release
            wait_for_release(barrier_read, barrier_write, ready_file);
        }
        const long long started = monotonic_ns();
        if (downgrade_to) {
            auto reverted = upgrader.downgrade(bind, *downgrade_to, options);
            std::cout << "ok downgraded " << reverted.to << "\n";
            return 0;
        }
        auto report = upgrader.run(options);
        const long long ended = monotonic_ns();
        std::cout << "ok " << report.binds.at(0).action << " " << report.binds.at(0).to << "\n"
                  << "ran " << started << " " << ended << "\n";
        return 0;
    } catch (const strata::Error& e) {
        std::cerr << e.what() << "\n";
        switch (e.code()) {
        case strata::ErrorCode::lock_timeout: return 4;
        case strata::ErrorCode::database_newer: return 5;
        case strata::ErrorCode::model_invalid:
        case strata::ErrorCode::config_invalid: return 2;
        default: return 1;
        }
    }
}
