// Operations as data: every schema change a step can make, frozen in values that
// dialects render, the checksum serialises, and reverse() inverts.
#pragma once

#include "strata/schema.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace strata {

class Session;

struct CreateTable {
    Table table;
};
struct DropTable {
    std::string table;
    std::optional<Table> definition;  // known: reversible
};
struct RenameTable {
    std::string from;
    std::string to;
};
struct AddColumn {
    std::string table;
    Column column;
};
struct DropColumn {
    std::string table;
    std::string column;
    std::optional<Column> definition;
};
struct RenameColumn {
    std::string table;
    std::string from;
    std::string to;
};
// The whole column before and after (type, nullability, default, ...): reversing swaps them.
struct AlterColumn {
    std::string table;
    Column from;
    Column to;
};
struct CreateIndex {
    std::string table;
    Index index;
    bool concurrently = false;  // PostgreSQL; only in no_transaction steps
};
struct DropIndex {
    std::string table;
    std::string name;
    std::optional<Index> definition;
    bool concurrently = false;
};
// not_valid (PostgreSQL): only rows written from now on are checked, so adding
// it takes a brief lock instead of scanning the table; ValidateConstraint, in a
// later step, checks the old rows without blocking writes. Elsewhere the
// constraint is added as usual.
struct AddForeignKey {
    std::string table;
    ForeignKey foreign_key;
    bool not_valid = false;
};
struct DropForeignKey {
    std::string table;
    std::string name;
    std::optional<ForeignKey> definition;
};
// using_index (PostgreSQL): the constraint takes over a unique index built
// before (CONCURRENTLY, in an earlier phase of the step), so adding it takes a
// brief lock instead of building the index under one. Elsewhere the constraint
// is added as usual and the index goes.
struct AddUnique {
    std::string table;
    UniqueConstraint unique;
    std::string using_index;
};
struct DropUnique {
    std::string table;
    std::string name;
    std::optional<UniqueConstraint> definition;
};
struct AddCheck {
    std::string table;
    CheckConstraint check;
    bool not_valid = false;  // as AddForeignKey's
};
// Checks the rows a NOT VALID constraint has not seen (PostgreSQL, under a lock
// that lets reads and writes go on); nothing where every constraint is valid.
struct ValidateConstraint {
    std::string table;
    std::string name;
};
struct DropCheck {
    std::string table;
    std::string name;
    std::optional<CheckConstraint> definition;
};
// PostgreSQL's table-level features; on an engine without them (SQLite) they
// render nothing, as the models' canonical form leaves them out there.
struct AddExclusion {
    std::string table;
    ExclusionConstraint exclusion;
};
struct DropExclusion {
    std::string table;
    std::string name;
    std::optional<ExclusionConstraint> definition;
};
enum class RowSecurity { off, enabled, forced };
[[nodiscard]] const char* to_string(RowSecurity rls) noexcept;  // "off", "enabled", "forced"
[[nodiscard]] RowSecurity row_security_of(const Table& table) noexcept;
struct SetRowSecurity {
    std::string table;
    RowSecurity to = RowSecurity::enabled;
    std::optional<RowSecurity> from;  // what it was, for the reverse
};
// `table` becomes a partition of `parent` for `bound` ("FOR VALUES FROM (...) TO (...)";
// empty for DEFAULT), or stops being one.
struct AttachPartition {
    std::string table;
    std::string parent;
    std::string bound;
};
struct DetachPartition {
    std::string table;
    std::string parent;
    std::optional<std::string> bound;  // what it was, for the reverse
};
// Views, triggers, functions, native enums, extensions.
struct CreateObject {
    SqlObject object;
};
struct DropObject {
    ObjectKind kind = ObjectKind::view;
    std::string name;
    std::optional<SqlObject> definition;
};
// The end of a phase of a step: on an engine where writers queue behind locks
// (PostgreSQL) the ops before it commit in a transaction of their own, recorded
// in strata_progress, so a kill resumes at the next phase; a phase holding only
// a CONCURRENTLY index runs outside a transaction. Elsewhere, and in an atomic
// upgrade, it is nothing.
struct NextPhase {};
// Raw SQL, with the SQL that undoes it (empty: no way down).
struct ExecuteSql {
    SqlText sql;
    SqlText down;
    [[nodiscard]] const std::string* sql_for(std::string_view dialect) const { return sql.for_dialect(dialect); }
};
// Fills existing rows: `UPDATE table SET <set> WHERE <where>`, on PostgreSQL in
// batches of `batch_size` keys (an integer key, usually the primary key), each
// batch its own short transaction that records how far it got, with a pause
// between batches; a killed run resumes after the last batch it committed.
// Alone in its step. Where writers do not queue (SQLite) it is one UPDATE.
struct Backfill {
    std::string table;
    std::string key;
    std::string set;    // "email = login || '@example.invalid'"
    std::string where;  // the rows that still need it ("email IS NULL"); "" for all
    long long batch_size = 10'000;
    std::chrono::milliseconds pause{0};
};

// Data code (strata::data(...)). `revision` stands for the code in the
// checksum: bump it when the code changes.
struct DataCode {
    std::string revision;
    std::function<void(Session&)> up;
    std::function<void(Session&)> down;
};

using Op = std::variant<CreateTable, DropTable, RenameTable, AddColumn, DropColumn, RenameColumn, AlterColumn,
                        CreateIndex, DropIndex, AddForeignKey, DropForeignKey, AddUnique, DropUnique, AddCheck,
                        DropCheck, ValidateConstraint, AddExclusion, DropExclusion, SetRowSecurity, AttachPartition, DetachPartition,
                        CreateObject, DropObject, ExecuteSql, Backfill, NextPhase, DataCode>;

// Short human name of an op: "add_column user.name".
[[nodiscard]] std::string describe(const Op& op);

// The inverse of an op, or the reason there is none.
struct Reversal {
    std::optional<Op> op;
    std::string why_not;
};
[[nodiscard]] Reversal reverse(const Op& op);

// The ops that undo a list of ops: each one's inverse, in reverse order. When
// some op has none, `irreversible` says why for each, and `ops` is no way down.
struct Reversals {
    std::vector<Op> ops;
    std::vector<std::string> irreversible;
};
[[nodiscard]] Reversals reverse_all(const std::vector<Op>& ops);

// Applies an op to a schema model (the planner's and verify's simulation of a step).
// Throws ModelError when the op does not fit the schema (unknown table, duplicate column, ...).
void apply(Schema& schema, const Op& op);

// True for the ops the models can express (they are covered by a fresh setup).
[[nodiscard]] bool is_model_expressible(const Op& op) noexcept;

}  // namespace strata
