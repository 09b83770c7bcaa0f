// A step: its version, description and ops, declared with Ops; the checksum
// that pins what it does.
#pragma once

#include "strata/builders.hpp"
#include "strata/ops.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace strata {

// Data code with the revision that stands for it in the step's checksum.
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
    // not_valid: see AddForeignKey; validate it in a later step with validate_constraint.
    Ops& add_foreign_key(std::string table, ForeignKey foreign_key, bool not_valid = false);
    Ops& drop_foreign_key(std::string table, std::string name, std::optional<ForeignKey> definition = std::nullopt);
    // using_index: see AddUnique.
    Ops& add_unique(std::string table, UniqueConstraint unique, std::string using_index = {});
    // The lock-safe unique constraint (PostgreSQL): its index built CONCURRENTLY
    // in a phase of its own, then the constraint takes it over (next_phase between).
    Ops& add_unique_concurrently(std::string table, UniqueConstraint unique);
    // The lock-safe SET NOT NULL (PostgreSQL), in three phases: a CHECK (column
    // IS NOT NULL) NOT VALID; its validation, which lets reads and writes go on;
    // SET NOT NULL, which the validated check spares a scan, and the check
    // dropped. `column` is the column as it is (nullable). On SQLite: one rebuild.
    Ops& set_not_null(std::string table, Column column, std::string check_name = {});
    // Ends a phase of the step: see NextPhase.
    Ops& next_phase();
    Ops& drop_unique(std::string table, std::string name, std::optional<UniqueConstraint> definition = std::nullopt);
    Ops& add_check(std::string table, CheckConstraint check, bool not_valid = false);
    Ops& validate_constraint(std::string table, std::string name);
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
    // Raw SQL: one text for every dialect, or one per dialect
    // ({{"sqlite", "..."}, {"postgresql", "..."}}), with the SQL that undoes it.
    Ops& execute(SqlText sql, SqlText down_sql = {});
    Ops& run(DataCode code);
    // See Backfill; alone in its step.
    Ops& backfill(std::string table, std::string key, std::string set, std::string where = {},
                  long long batch_size = 10'000, std::chrono::milliseconds pause = std::chrono::milliseconds(0));
    Ops& op(Op op);

    [[nodiscard]] const std::vector<Op>& ops() const& noexcept { return ops_; }
    [[nodiscard]] std::vector<Op> ops() && noexcept { return std::move(ops_); }

private:
    std::vector<Op> ops_;
};

// A lint finding the author accepts for one step, with the reason ("the table
// holds 40 rows in every installation").
struct LintAllowance {
    std::string rule;
    std::string reason;
};

struct Step {
    long long version = 0;
    std::string description;
    std::vector<Op> ops;
    std::optional<std::vector<Op>> down;  // explicit down ops; otherwise the reversed ops
    bool on_fresh = false;                // runs on a fresh setup too (seed data)
    bool covered_by_model = false;        // a fresh setup skips it: the models contain it
    bool no_transaction = false;          // one statement that cannot run in a transaction
    // How long each statement of the step may wait for a lock (PostgreSQL), in
    // place of RunOptions::step_lock_timeout; 0: no bound.
    std::optional<std::chrono::milliseconds> lock_timeout;
    std::vector<LintAllowance> lint_allowed;  // not part of the checksum
    // Where the step was read from (a SQL file) and the line its up section starts on.
    std::string source;
    std::size_t source_line = 0;

    // Covered by the models (skipped by a fresh setup).
    [[nodiscard]] bool skipped_on_fresh() const;
};

// The checksum of a step: an algorithm version and a hash of a canonical,
// dialect-independent serialisation of its ops ("1:" + 32 hex digits).
[[nodiscard]] std::string checksum(const Step& step);

}  // namespace strata
