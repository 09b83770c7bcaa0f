// strata::Upgrader: binds with their models and numbered steps; at startup every
// bind is set up fresh, upgraded, or left alone, exactly once under concurrency.
#pragma once

#include "strata/compare.hpp"
#include "strata/database.hpp"
#include "strata/ops.hpp"
#include "strata/schema.hpp"

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

// A table for create_table in a frozen step: strata::table("audit").column(col::bigint("id")).primary_key({"id"}).
class TableSpec {
public:
    explicit TableSpec(std::string name);
    TableSpec& column(Column column);
    TableSpec& primary_key(std::vector<std::string> columns, std::string name = {});
    TableSpec& unique(std::vector<std::string> columns, std::string name = {});
    TableSpec& foreign_key(std::vector<std::string> columns, std::string ref_table, std::vector<std::string> ref_columns,
                           FkAction on_delete = FkAction::no_action, FkAction on_update = FkAction::no_action,
                           std::string name = {});
    TableSpec& check(std::string expression, std::string name = {});
    TableSpec& index(std::string name, std::vector<IndexElement> elements, IndexOptions options = {});
    TableSpec& comment(std::string text);
    operator Table() const { return schema_.tables.front(); }  // NOLINT: implicit by design
    [[nodiscard]] const Table& definition() const { return schema_.tables.front(); }

private:
    Schema schema_;
};
[[nodiscard]] TableSpec table(std::string name);

// Data code with the revision that stands for it in the step's checksum.
struct DataCode {
    std::string revision;
    std::function<void(Session&)> up;
    std::function<void(Session&)> down;
};
[[nodiscard]] DataCode data(std::string revision, std::function<void(Session&)> up,
                            std::function<void(Session&)> down = {});

// The ops of one step, in order. Every op spells out what it creates: a step
// never reads the head models, which change later.
class Ops {
public:
    Ops& create_table(Table table);
    Ops& drop_table(std::string table, std::optional<Table> definition = std::nullopt);
    Ops& rename_table(std::string from, std::string to);
    Ops& add_column(std::string table, Column column);
    Ops& drop_column(std::string table, std::string column, std::optional<Column> definition = std::nullopt);
    Ops& rename_column(std::string table, std::string from, std::string to);
    Ops& alter_column(std::string table, Column from, Column to);
    Ops& create_index(std::string table, Index index, bool concurrently = false);
    Ops& drop_index(std::string table, std::string name, std::optional<Index> definition = std::nullopt,
                    bool concurrently = false);
    Ops& add_foreign_key(std::string table, ForeignKey foreign_key);
    Ops& drop_foreign_key(std::string table, std::string name, std::optional<ForeignKey> definition = std::nullopt);
    Ops& add_unique(std::string table, UniqueConstraint unique);
    Ops& drop_unique(std::string table, std::string name, std::optional<UniqueConstraint> definition = std::nullopt);
    Ops& add_check(std::string table, CheckConstraint check);
    Ops& drop_check(std::string table, std::string name, std::optional<CheckConstraint> definition = std::nullopt);
    // PostgreSQL table features (nothing on SQLite).
    Ops& add_exclusion(std::string table, ExclusionConstraint exclusion);
    Ops& drop_exclusion(std::string table, std::string name, std::optional<ExclusionConstraint> definition = std::nullopt);
    Ops& set_row_security(std::string table, RowSecurity to, std::optional<RowSecurity> from = std::nullopt);
    Ops& attach_partition(std::string table, std::string parent, std::string bound);
    Ops& detach_partition(std::string table, std::string parent, std::optional<std::string> bound = std::nullopt);
    Ops& create_view(std::string name, std::string select_sql);
    Ops& create_object(SqlObject object);
    Ops& drop_object(ObjectKind kind, std::string name, std::optional<SqlObject> definition = std::nullopt);
    // Raw SQL, one text for every dialect, with an optional down text.
    Ops& execute(std::string sql, std::string down_sql = {});
    // Raw SQL per dialect: {{"sqlite", "..."}, {"postgresql", "..."}}.
    Ops& execute(std::map<std::string, std::string> sql, std::map<std::string, std::string> down_sql = {});
    Ops& run(DataCode code);
    Ops& op(Op op);

    [[nodiscard]] const std::vector<Op>& ops() const& noexcept { return ops_; }
    [[nodiscard]] std::vector<Op> ops() && noexcept { return std::move(ops_); }

private:
    std::vector<Op> ops_;
};

struct Step {
    long long version = 0;
    std::string description;
    std::vector<Op> ops;
    std::optional<std::vector<Op>> down;  // explicit down ops; otherwise the reversed ops
    bool on_fresh = false;                // runs on a fresh setup too (seed data)
    bool covered_by_model = false;        // a fresh setup skips it: the models contain it
    bool no_transaction = false;          // one statement that cannot run in a transaction

    // Covered by the models (skipped by a fresh setup).
    [[nodiscard]] bool skipped_on_fresh() const;
};

// The checksum of a step: an algorithm version and a hash of a canonical,
// dialect-independent serialisation of its ops ("1:" + 32 hex digits).
[[nodiscard]] std::string checksum(const Step& step);

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
};

struct RunOptions {
    std::optional<long long> target;   // stop at this version (default: head)
    bool replay = false;               // a fresh bind runs the chain from empty instead of the models
    bool atomic = false;               // all pending steps of a bind in one transaction
    bool strict_checksums = false;     // a changed recorded step is fatal
    std::chrono::seconds lock_timeout{60};
    LockMode lock_mode = LockMode::automatic;
    std::chrono::seconds lease_ttl{30};
    int snapshots = 3;                 // copies kept of a database file before upgrading it; 0 = none
    std::string pre_upgrade_command;   // a server database: shell command run before upgrading (e.g. pg_dump)
    std::vector<std::string> only;     // binds to act on; empty = all
    std::function<void(const StepEvent&)> on_step;  // progress (the CLI's line on a terminal)
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
