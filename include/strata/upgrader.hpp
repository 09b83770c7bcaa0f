// strata::Upgrader: binds with their models and numbered steps; at startup every
// bind is set up fresh, upgraded, or left alone, exactly once under concurrency.
#pragma once

#include "strata/compare.hpp"
#include "strata/database.hpp"
#include "strata/lint.hpp"
#include "strata/schema.hpp"
#include "strata/step.hpp"

#include <chrono>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata {

enum class LockMode {
    automatic,  // PostgreSQL advisory lock; SQLite BEGIN IMMEDIATE per step
    lease,      // a lease row with heartbeat and fencing (engines without advisory locks)
};

// What a row of the version table says happened to a step.
enum class StepKind { applied, skipped, reverted, fresh, stamped };
// What a run did to a bind.
enum class BindAction { fresh, replayed, upgraded, up_to_date, downgraded, stamped };
// Where a bind stands against its steps.
enum class BindState { fresh, ok, behind, ahead, unversioned, error };

// Their names in JSON, the version table and logs ("up_to_date", ...).
[[nodiscard]] std::string_view to_string(StepKind kind) noexcept;
[[nodiscard]] std::string_view to_string(BindAction action) noexcept;
[[nodiscard]] std::string_view to_string(BindState state) noexcept;
std::ostream& operator<<(std::ostream& out, StepKind kind);
std::ostream& operator<<(std::ostream& out, BindAction action);
std::ostream& operator<<(std::ostream& out, BindState state);

// A step starting or finishing, for progress output.
struct StepEvent {
    std::string bind;
    long long version = 0;
    std::string description;
    bool finished = false;
    bool down = false;
    double duration_ms = 0;
    long long position = 0;  // this step's place among the run's steps of the bind, from 1
    long long count = 0;     // how many steps the run applies (or reverts) on the bind
};

struct RunOptions {
    std::optional<long long> target;   // stop at this version (default: head)
    bool replay = false;               // a fresh bind runs the chain from empty instead of the models
    bool atomic = false;               // all pending steps of a bind in one transaction
    bool strict_checksums = false;     // a changed recorded step is fatal
    // A lint finding in a pending step (one the step does not allow) is fatal:
    // the upgrade refuses before anything runs. Otherwise each is a warning.
    bool strict_lint = false;
    std::chrono::seconds lock_timeout{60};  // waiting for another migrator of the bind
    // PostgreSQL: how long a statement of a step may wait for a lock on the
    // application's tables (0: no bound). The application's queries queue behind
    // a waiting DDL statement, so the wait is short; a step that runs out of it is
    // rolled back and tried again up to `lock_retries` times, with a growing
    // pause, then fails naming the sessions that held the locks.
    std::chrono::milliseconds step_lock_timeout{1000};
    int lock_retries = 5;
    LockMode lock_mode = LockMode::automatic;
    std::chrono::seconds lease_ttl{30};
    int snapshots = 3;                 // copies kept of a database file before upgrading it; 0 = none
    std::string pre_upgrade_command;   // a server database: shell command run before upgrading (e.g. pg_dump)
    std::vector<std::string> only;     // binds to act on; empty = all
    std::function<void(const StepEvent&)> on_step;  // progress (the CLI's line on a terminal)
    std::function<void(const WorkProgress&)> on_work;  // long work inside a step (a snapshot's pages)
};

struct StepReport {
    long long version = 0;
    std::string description;
    StepKind kind = StepKind::applied;
    double duration_ms = 0;
};

struct BindReport {
    std::string bind;
    BindAction action = BindAction::up_to_date;
    long long from = 0;
    long long to = 0;
    std::vector<StepReport> steps;
    std::string backup;  // the snapshot of the database file written before upgrading
};

struct RunReport {
    std::vector<BindReport> binds;
};

struct HistoryEntry {
    long long id = 0;
    long long version = 0;
    std::string description;
    StepKind kind = StepKind::applied;
    std::string checksum;
    std::string applied_at;
    double duration_ms = 0;
    std::string applied_by;
    std::string strata_release;
};

struct BindStatus {
    std::string bind;
    std::string dialect;
    BindState state = BindState::fresh;
    long long current = 0;
    long long head = 0;
    std::string error;
    std::vector<long long> pending;
    std::vector<long long> skipped_on_fresh;
    std::vector<long long> checksum_mismatches;
    std::vector<Difference> drift;  // live schema vs models (at head)
    std::vector<LintFinding> lint;  // of the pending steps (a bind with history only)
};

struct VerifyReport {
    std::string bind;
    int checks = 0;                     // comparisons made
    std::vector<std::string> failures;  // the first difference of each failed check
    std::vector<std::string> notes;     // what could not be checked (a step without down ops)
    [[nodiscard]] bool ok() const noexcept { return failures.empty(); }
};

class Upgrader;

// Declares one bind's steps; every modifier applies to the step declared last.
namespace detail {
struct UpgraderImpl;
}

class BindBuilder {
public:
    BindBuilder& step(long long version, std::string description, const std::function<void(Ops&)>& build);
    BindBuilder& step(long long version, std::string description, DataCode code);
    // A step built elsewhere (SQL files, a copy of another upgrader's step).
    BindBuilder& add(Step step);
    BindBuilder& down(const std::function<void(Ops&)>& build);
    BindBuilder& on_fresh();
    BindBuilder& covered_by_model();
    BindBuilder& no_transaction();
    // How long each statement of the step may wait for a lock (RunOptions::step_lock_timeout).
    BindBuilder& lock_timeout(std::chrono::milliseconds timeout);
    // Accepts one lint finding (`rule`, as `strata lint` names it) for the step, with the reason.
    BindBuilder& allow(std::string rule, std::string reason);
    // The bind has no models (SQL-file migrations): a fresh setup applies every step.
    BindBuilder& without_models();

private:
    friend class Upgrader;
    BindBuilder(detail::UpgraderImpl& impl, std::size_t bind) : impl_(&impl), bind_(bind) {}
    Step& last();
    // The upgrader's state, which stays where it is when the Upgrader is moved
    // (`return up;`): a builder kept from before the move still works.
    detail::UpgraderImpl* impl_;
    std::size_t bind_;
};

class Upgrader {
public:
    Upgrader();
    ~Upgrader();
    Upgrader(Upgrader&&) noexcept;
    Upgrader& operator=(Upgrader&&) noexcept;

    // A bind: its database, its models (schema.bind() is set to `name`).
    BindBuilder bind(std::string name, Database database, Schema models);

    // Sets up or upgrades every bind (in declaration order). Throws strata::Error
    // on failure; binds already done stay done. The models and steps are
    // validated before anything is changed; a start where every bind is at its
    // head costs one query per bind (no validation, lock or DDL).
    RunReport run(const RunOptions& options = {});
    // One bind, to the options' target version.
    BindReport run(const std::string& bind, const RunOptions& options = {});
    // Applies down ops from the current version to `to`; refused (nothing runs)
    // when a step on the way has no down ops.
    BindReport downgrade(const std::string& bind, long long to, const RunOptions& options = {});
    // Records `version` without running steps (adopting an existing database).
    BindReport stamp(const std::string& bind, long long version, const RunOptions& options = {});

    [[nodiscard]] BindStatus status(const std::string& bind, bool with_drift = true);

    // Proves on scratch databases (each made empty by `scratch`, same dialect as the
    // bind) that the chain from empty equals the fresh setup (schema and seed
    // data), that every step goes up, down and up again, and that upgrading from
    // every version ends where a fresh setup does.
    [[nodiscard]] VerifyReport verify(const std::string& bind, const std::function<Database()>& scratch,
                                      const RunOptions& options = {});
    // Drift: the live schema against the models when the bind is at head, else
    // against the chain replayed to its version on a scratch database.
    [[nodiscard]] std::vector<Difference> check(const std::string& bind, const std::function<Database()>& scratch);

    // The SQL that takes the bind from version `from` to `to` on the dialect, with
    // the version-store statements (from 0: CREATE TABLE strata_version too); `to`
    // below `from` gives the downgrade. Offline: no database is touched; data code
    // appears as a comment naming the step.
    [[nodiscard]] std::string sql(const std::string& bind, long long from, long long to, const Dialect& dialect) const;
    // What `run` would execute now, from the live version and schema, without running it.
    [[nodiscard]] std::string dry_run(const std::string& bind, const RunOptions& options = {});
    // Drops every table, view, trigger, function and type of the bind, strata's own too.
    void clean(const std::string& bind);
    [[nodiscard]] std::vector<HistoryEntry> history(const std::string& bind);

    // Validates every bind's models and steps (run() does it before any change);
    // throws ModelError. Call it in a test to catch mistakes without a database.
    void validate() const;

    [[nodiscard]] std::vector<std::string> binds() const;
    [[nodiscard]] Database& database(const std::string& bind);
    [[nodiscard]] const Schema& models(const std::string& bind) const;
    [[nodiscard]] const std::vector<Step>& steps(const std::string& bind) const;
    [[nodiscard]] long long head(const std::string& bind) const;
    [[nodiscard]] bool has_models(const std::string& bind) const;

    using Impl = detail::UpgraderImpl;

private:
    friend class BindBuilder;
    std::unique_ptr<Impl> impl_;
};

}  // namespace strata
