// The runner: what one command does to one bind, each transaction through
// Runner::commit (frame, guard, work, version rows, lock check, commit).
#pragma once

#include "step_executor.hpp"
#include "strata/database.hpp"
#include "strata/upgrader.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace strata::detail {

struct Bind {
    std::string name;
    Database database;
    Schema models;
    std::vector<Step> steps;
    bool without_models = false;  // SQL files: a fresh setup is the chain from empty
};

[[nodiscard]] long long head_of(const Bind& b);
[[nodiscard]] ErrorContext context_of(const Bind& b, const Step* step = nullptr);
// The lint findings of the steps after `current` up to `target` (none for an
// empty bind, where every table is new).
[[nodiscard]] std::vector<LintFinding> lint_pending(const Bind& b, long long current, long long target,
                                                    const RunOptions& options);
// Raw SQL or data code: strata cannot see what the step changes.
[[nodiscard]] bool has_opaque_ops(const Step& step);

struct VersionRow;

using Clock = std::chrono::steady_clock;

// One transaction of the upgrader, whatever the command (fresh setup, upgrade,
// atomic upgrade, downgrade, stamp, the record of a no-transaction step).
struct Unit {
    // The step whose frame runs around the transaction; errors of the frame's
    // statements name it. None for a fresh setup and a stamp.
    const Step* step = nullptr;
    TransactionFrame frame;
    bool down = false;
    // First thing in the transaction: false when another process did the work
    // meanwhile (the transaction rolls back); throws when the bind moved elsewhere.
    std::function<bool()> still_needed;
    // The work; returns the version rows it records.
    std::function<std::vector<detail::VersionRow>()> work;
    // How the log names what happened to each step: "applied", "reverted", ...
    std::string_view logged_as = "applied";
    // The step starts here (its progress event); not for a later phase of it.
    bool announces = true;
};

class Runner {
public:
    Runner(Bind& bind, const RunOptions& options)
        : b_(bind), o_(options), s_(bind.database.session()), d_(bind.database.dialect()),
          executor_(s_, d_, bind.name, state_, options.on_work)
    {
    }

    // `before_work` runs once it is clear the bind needs more than a look (the
    // upgrader validates its models and steps there).
    BindReport run(const std::function<void()>& before_work = {});
    BindReport downgrade(long long to);
    BindReport stamp(long long version);
    // Drops everything in the bind (`clean-db`).
    void clean();

private:
    bool commit(const Unit& unit, BindReport& report);
    std::function<bool()> moves(long long from, long long to, const Step* step);
    std::unique_ptr<MigrationLock> acquire_lock();
    void check_checksums();
    [[noreturn]] void database_newer(long long current);
    void refuse_unversioned_tables();
    void create_version_table();
    BindReport fresh_setup();
    BindReport upgrade(long long current, long long target, BindAction action);
    void apply_step(const Step& step, BindReport& report, bool& backed_up);
    // Runs `attempt` (a step's transaction, or its statement outside one) again
    // when a statement of it ran out of its lock wait or was chosen to end a
    // deadlock: the server rolled it back, so nothing of it is left.
    void retrying_lock_waits(const Step& step, const std::function<void()>& attempt);
    // Bounds each later statement's lock wait to the step's lock timeout
    // (`local`: until the transaction ends).
    void bound_lock_waits(const Step& step, bool local);
    // What puts the session's own bound back (prepare_migration_session's) after a statement outside a transaction.
    [[nodiscard]] std::vector<Statement> session_lock_bound() const;
    void apply_no_transaction_step(const Step& step, BindReport& report);
    // The one op of a no-transaction step or phase, resumed where an interrupted
    // run left it (an INVALID index dropped and built again, a done one kept);
    // false when there was nothing left to run.
    bool run_outside_transaction(const Step& step, const Op& op, bool down);
    // A step with phases where writers queue: each phase a transaction of its own
    // (or none, for a CONCURRENTLY index) that records in strata_progress how many
    // are done, so a killed run resumes at the next; the last one writes the version row.
    [[nodiscard]] bool in_phases(const Step& step, bool down) const;
    void apply_in_phases(const Step& step, bool down, BindReport& report);
    // A backfill where writers queue behind locks (and the lock is held across
    // transactions): batches, each a short transaction that records how far it
    // got in strata_progress, so a killed run resumes after the last one.
    [[nodiscard]] bool in_batches(const Step& step) const;
    void apply_backfill_in_batches(const Step& step, BindReport& report);
    void create_progress_table();
    [[nodiscard]] std::optional<long long> recorded_progress(long long version);
    // Replaces the progress row of `key` (a version; its negative for the way down), or deletes it.
    void record_progress(const Step& step, long long key, std::optional<long long> position);
    void try_no_transaction_step(const Step& step, BindReport& report);
    // A no-transaction step that must run outside a transaction here: not one
    // whose CONCURRENTLY index is a plain index on this engine (SQLite), which
    // then runs in a transaction with its version row like any step.
    [[nodiscard]] bool outside_transaction(const Step& step) const;
    void apply_atomically(const std::vector<const Step*>& pending, BindReport& report);
    void revert_step(const Step& step, BindReport& report);
    void take_backup(long long version, BindReport& report);
    void run_pre_upgrade_command(long long from, long long to);
    // Warns of each lint finding of the pending steps, or refuses them all (strict_lint).
    void lint_before_upgrade(long long current, long long target);
    detail::VersionRow row_of(const Step& step, StepKind kind, Clock::time_point start) const;

    Bind& b_;
    const RunOptions& o_;
    Session& s_;
    const Dialect& d_;
    std::unique_ptr<MigrationLock> lock_;
    long long steps_done_ = 0;   // of this run, for progress
    long long steps_to_do_ = 0;
    // What strata believes the schema is; read from the database only where an
    // op renders from its table (see step_executor.hpp), never for a chain of raw SQL.
    detail::TrackedSchema state_;
    detail::StepExecutor executor_;
};

}  // namespace strata::detail
